import { cliPath } from './support/programs.js';
import { ProgramRun } from './support/run-program.js';
import { startProcess } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

interface QueryRecord {
  id: string;
  status: string;
  lastProgress: { batchId: number; numInputRows: number } | null;
}

async function status(): Promise<QueryRecord[]> {
  const proc = startProcess('node', [cliPath, 'status', '--json']);
  expect((await proc.exited).code).toBe(0);
  return JSON.parse(proc.stdout) as QueryRecord[];
}

/** `sluice status` lists the queries of the stack with their last progress. */
describe('sluice status', () => {
  it('shows a running query with its last batch, then TERMINATED after it stops', async () => {
    const run = await ProgramRun.start('stream_output_modes.ts');
    try {
      await run.started();
      run.nc.send('hello');
      // Batch 0 ran, empty, when the socket connected; the line is batch 1.
      await waitFor(() => run.proc.stdout.includes('Batch: 1'), 'batch 1');
      const id = /"queryId":"([0-9a-f-]{36})"/.exec(run.proc.stderr)?.[1] ?? '';
      await waitFor(async () => (await status()).some((q) => q.id === id && q.lastProgress?.batchId === 1), 'status shows batch 1');
      const mine = (await status()).find((q) => q.id === id);
      expect(mine).toMatchObject({ status: 'ACTIVE', lastProgress: { batchId: 1, numInputRows: 1 } });
      const table = startProcess('node', [cliPath, 'status']);
      await table.exited;
      expect(table.stdout).toContain(id);
      expect(table.stdout.split('\n')[1]).toMatch(/^\|id +\|name *\|status *\|batchId\|/);
      await run.stop();
      const after = (await status()).find((q) => q.id === id);
      expect(after === undefined || after.status === 'TERMINATED').toBe(true);
    } finally {
      await run.stop();
    }
  });
});
