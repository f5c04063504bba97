import { rmSync } from 'node:fs';
import { cliPath, consoleText, exampleIn } from './support/programs.js';
import { establishedConnectionsTo, NetcatServer, startProcess, stopProcess, type Proc } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

/**
 * The tutorial's Segment 1 (read_from_socket.py) end to end: a real `nc -lk`, the program run
 * with `sluice run` from a folder outside the repository, lines through ingest → Kafka →
 * processor → results topic → sink → stdout, checked byte for byte.
 */
describe('Segment 1: socket → console, append mode', () => {
  let nc: NetcatServer;
  let program: { dir: string; file: string };
  let run: Proc | null = null;

  beforeEach(async () => {
    nc = await NetcatServer.start();
    program = exampleIn('read_from_socket.ts', { 12345: nc.port });
  });

  afterEach(async () => {
    if (run !== null) await stopProcess(run, 'SIGKILL');
    await nc.stop();
    rmSync(program.dir, { recursive: true, force: true });
  });

  it('prints each batch as Spark does, and Ctrl-C ends every connection it opened', async () => {
    const proc = startProcess('node', [cliPath, 'run', program.file], { cwd: program.dir });
    run = proc;
    await waitFor(async () => (await establishedConnectionsTo(nc.port)) > 0, 'the socket source to connect', 60_000);
    // The first batch can only run once the processor's consumer has joined its group.
    await waitFor(() => proc.stderr.includes('"msg":"query started"'), 'query started', 60_000);

    // Spark runs batch 0 once the socket has connected, before any line: an empty table.
    const batch0 = consoleText(0, 'value', []);
    await waitFor(() => proc.stdout.length >= batch0.length, 'the empty batch 0 on stdout, before any line is typed');
    expect(proc.stdout).toBe(batch0);

    nc.send('First Message');
    const batch1 = batch0 + consoleText(1, 'value', ['First Message']);
    await waitFor(() => proc.stdout.length >= batch1.length, 'batch 1 on stdout');
    nc.send('Second Message');
    const expected = batch1 + consoleText(2, 'value', ['Second Message']);
    await waitFor(() => proc.stdout.length >= expected.length, 'batch 2 on stdout');
    expect(proc.stdout).toBe(expected);

    proc.child.kill('SIGINT');
    const exit = await proc.exited;
    run = null;
    expect(exit.code).toBe(130);
    expect(await establishedConnectionsTo(nc.port)).toBe(0);
    // stdout holds the console sink's output alone; logs are JSON lines on stderr.
    expect(proc.stdout).toBe(expected);
    for (const line of proc.stderr.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });
});
