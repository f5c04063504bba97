import { freePort } from './support/processes.js';
import { ProgramRun } from './support/run-program.js';
import { waitFor } from './support/wait-for.js';

interface Progress { batchId: number; numInputRows: number; durationMs: Record<string, number> }

/** Spark's idle progress: with no new data, a progress record every 10 s, same batch id, no input. */
describe('idle progress', () => {
  it('adds a no-input progress record after 10 s without data', async () => {
    const port = await freePort();
    const run = await ProgramRun.start('read_from_socket.ts', [], { SLUICE_METRICS_PORT: String(port) });
    try {
      await run.started();
      run.nc.send('hello');
      // Batch 0 ran, empty, when the socket connected; the line is batch 1.
      await waitFor(() => run.proc.stdout.includes('Batch: 1'), 'batch 1');
      const recent = async (): Promise<Progress[]> => {
        const queries = (await (await fetch(`http://127.0.0.1:${port}/api/queries`)).json()) as Array<{ recentProgress: Progress[] }>;
        return queries[0]?.recentProgress ?? [];
      };
      await waitFor(async () => (await recent()).length >= 3, 'an idle progress record', 20_000, 500);
      const [empty, data, idle] = await recent();
      expect(empty).toMatchObject({ batchId: 0, numInputRows: 0 });
      expect(data).toMatchObject({ batchId: 1, numInputRows: 1 });
      expect(idle).toMatchObject({ batchId: 1, numInputRows: 0 });
      expect(Object.keys(idle?.durationMs ?? {})).toEqual(['latestOffset', 'triggerExecution']);
      expect(run.proc.stdout.split('Batch:').length - 1).toBe(2);
    } finally {
      await run.stop();
    }
  });
});
