import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, consoleText, exampleIn, servicePath } from './support/programs.js';
import { establishedConnectionsTo, NetcatServer, startProcess, stopProcess, type Proc } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

/**
 * The same Segment 1 query run as a deployed stack would: `sluice plan` writes the plan
 * document, and the ingest, processor and sink services run it as three processes.
 */
describe('Segment 1 on three service processes', () => {
  let nc: NetcatServer;
  let program: { dir: string; file: string };
  const procs: Proc[] = [];
  let work: string;

  beforeEach(async () => {
    nc = await NetcatServer.start();
    program = exampleIn('read_from_socket.ts', { 12345: nc.port });
    work = mkdtempSync(join(tmpdir(), 'sluice-services-'));
  });

  afterEach(async () => {
    for (const p of procs.splice(0)) await stopProcess(p, 'SIGKILL');
    await nc.stop();
    rmSync(program.dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('ingest → processor → sink across processes prints the batches exactly', async () => {
    const planFile = join(work, 'plan.json');
    const plan = startProcess('node', [cliPath, 'plan', program.file, '-o', planFile], { cwd: program.dir });
    expect((await plan.exited).code).toBe(0);

    // A fixed checkpoint location, as a deployment would configure, unique to this test.
    const { readFileSync, writeFileSync } = await import('node:fs');
    const doc = JSON.parse(readFileSync(planFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(planFile, JSON.stringify({ ...doc, checkpointLocation: `test-${randomUUID()}`, temporaryCheckpoint: false }));

    const env = { ...process.env, SLUICE_QUERY_PLAN: planFile };
    const sink = startProcess('node', [servicePath('sink')], { env });
    const processor = startProcess('node', [servicePath('processor')], { env });
    const ingest = startProcess('node', [servicePath('ingest')], { env });
    procs.push(sink, processor, ingest);
    for (const [name, p] of [['sink', sink], ['processor', processor], ['ingest', ingest]] as const) {
      await waitFor(() => p.stderr.includes('"msg":"service started"'), `${name} service started`);
    }
    await waitFor(async () => (await establishedConnectionsTo(nc.port)) > 0, 'the ingest service to connect');

    // The ingest's connection gives the socket its first offset: batch 0 runs, empty.
    const batch0 = consoleText(0, 'value', []);
    await waitFor(() => sink.stdout.length >= batch0.length, 'the empty batch 0 from the sink service');
    nc.send('First Message');
    const batch1 = batch0 + consoleText(1, 'value', ['First Message']);
    await waitFor(() => sink.stdout.length >= batch1.length, 'batch 1 from the sink service');
    nc.send('Second Message');
    const expected = batch1 + consoleText(2, 'value', ['Second Message']);
    await waitFor(() => sink.stdout.length >= expected.length, 'batch 2 from the sink service');
    expect(sink.stdout).toBe(expected);
    expect(processor.stdout).toBe('');
    expect(ingest.stdout).toBe('');

    for (const p of [ingest, processor, sink]) {
      p.child.kill('SIGTERM');
      expect((await p.exited).code).toBe(143);
    }
    procs.splice(0);
    expect(await establishedConnectionsTo(nc.port)).toBe(0);
  });
});
