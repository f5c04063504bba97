import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, consoleText, exampleIn, servicePath } from './support/programs.js';
import { establishedConnectionsTo, NetcatServer, startProcess, stopProcess, type Proc } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

/**
 * The three services of a deployment, with the sink and then the processor killed with
 * SIGKILL and started again: every batch reaches the console once, in order.
 */
describe('service crash and restart', () => {
  it('kill -9 of the sink, then of the processor: no batch lost, none printed twice', async () => {
    const nc = await NetcatServer.start();
    const program = exampleIn('read_from_socket.ts', { 12345: nc.port });
    const work = mkdtempSync(join(tmpdir(), 'sluice-crash-'));
    const planFile = join(work, 'plan.json');
    const procs: Proc[] = [];
    try {
      const plan = startProcess('node', [cliPath, 'plan', program.file, '-o', planFile], { cwd: program.dir });
      expect((await plan.exited).code).toBe(0);
      const doc = JSON.parse(readFileSync(planFile, 'utf8')) as Record<string, unknown>;
      writeFileSync(planFile, JSON.stringify({ ...doc, checkpointLocation: `test-${randomUUID()}`, temporaryCheckpoint: false }));
      const env = { ...process.env, SLUICE_QUERY_PLAN: planFile };
      const service = (name: 'ingest' | 'processor' | 'sink'): Proc => {
        const p = startProcess('node', [servicePath(name)], { env });
        procs.push(p);
        return p;
      };
      const started = (p: Proc): Promise<void> => waitFor(() => p.stderr.includes('"msg":"service started"'), 'service started');

      let sink = service('sink');
      let processor = service('processor');
      const ingest = service('ingest');
      for (const p of [sink, processor, ingest]) await started(p);
      await waitFor(async () => (await establishedConnectionsTo(nc.port)) > 0, 'ingest connected');

      // Batch 0 runs, empty, once the ingest has connected; the lines are batches 1, 2, 3.
      nc.send('one');
      const b1 = consoleText(0, 'value', []) + consoleText(1, 'value', ['one']);
      await waitFor(() => sink.stdout === b1, 'batches 0 and 1');

      sink.child.kill('SIGKILL');
      await sink.exited;
      const printedBefore = sink.stdout;
      nc.send('two');
      // The processor goes on; batch 2 waits in the results topic for a sink.
      sink = service('sink');
      await started(sink);
      await waitFor(() => sink.stdout === consoleText(2, 'value', ['two']), 'batch 2 from the restarted sink');

      processor.child.kill('SIGKILL');
      await processor.exited;
      nc.send('three');
      processor = service('processor');
      await started(processor);
      await waitFor(() => sink.stdout.includes('Batch: 3\n'), 'batch 3 after the processor restart');
      const all = printedBefore + sink.stdout;
      expect(all).toBe(b1 + consoleText(2, 'value', ['two']) + consoleText(3, 'value', ['three']));
    } finally {
      for (const p of procs) await stopProcess(p, 'SIGKILL');
      await nc.stop();
      rmSync(program.dir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  });
});
