import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, consoleText, exampleIn } from './support/programs.js';
import { establishedConnectionsTo, NetcatServer, portListening, startProcess, stopProcess, type Proc } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

/**
 * With no KAFKA_BROKERS set, `sluice run` starts the local broker itself — and SIGTERM stops
 * it again: nothing the program started is left listening.
 */
describe('sluice run with no configured broker', () => {
  let nc: NetcatServer;
  let program: { dir: string; file: string };
  let localDir: string;
  let run: Proc | null = null;

  beforeEach(async () => {
    nc = await NetcatServer.start();
    program = exampleIn('read_from_socket.ts', { 12345: nc.port });
    localDir = mkdtempSync(join(tmpdir(), 'sluice-local-'));
  });

  afterEach(async () => {
    if (run !== null) await stopProcess(run, 'SIGKILL');
    await nc.stop();
    rmSync(program.dir, { recursive: true, force: true });
    rmSync(localDir, { recursive: true, force: true });
  });

  it('starts the local broker, runs the query, and stops the broker on SIGTERM', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, SLUICE_LOCAL_DIR: localDir };
    delete env['KAFKA_BROKERS'];
    const proc = startProcess('node', [cliPath, 'run', program.file], { cwd: program.dir, env });
    run = proc;
    const envFile = join(localDir, 'kafka-3.9.1', 'env');
    await waitFor(() => existsSync(envFile), 'the local broker to start', 120_000);
    const brokerPort = Number(/:(\d+)\s*$/.exec(readFileSync(envFile, 'utf8'))?.[1]);
    expect(await portListening(brokerPort)).toBe(true);

    await waitFor(() => proc.stderr.includes('"msg":"query started"'), 'query started', 120_000);
    await waitFor(async () => (await establishedConnectionsTo(nc.port)) > 0, 'the socket source to connect');
    nc.send('fresh stack');
    // Batch 0 ran, empty, when the socket connected; the line is batch 1.
    const expected = consoleText(0, 'value', []) + consoleText(1, 'value', ['fresh stack']);
    await waitFor(() => proc.stdout.length >= expected.length, 'batch 1');
    expect(proc.stdout).toBe(expected);

    proc.child.kill('SIGTERM');
    expect((await proc.exited).code).toBe(143);
    run = null;
    expect(await portListening(brokerPort)).toBe(false);
    expect(await establishedConnectionsTo(nc.port)).toBe(0);
  });
});
