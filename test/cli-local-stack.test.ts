import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, consoleText, exampleIn } from './support/programs.js';
import { establishedConnectionsTo, NetcatServer, portListening, startProcess, stopProcess, type Proc } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

/** The broker port the launcher published, once its env file holds it (it appears whole). */
function publishedPort(envFile: string): number | null {
  try {
    const m = /^KAFKA_BROKERS=[^:]+:(\d+)\s*$/.exec(readFileSync(envFile, 'utf8'));
    return m === null ? null : Number(m[1]);
  } catch {
    return null;
  }
}

/**
 * With no KAFKA_BROKERS set, `sluice run` starts the local broker on first use and leaves it
 * up: SIGTERM stops the program, a second run reuses the broker, and `sluice stack down`
 * stops it. The test's own state dir keeps the suite's broker out of it.
 */
describe('sluice run with no configured broker', () => {
  let nc: NetcatServer;
  let program: { dir: string; file: string };
  let localDir: string;
  let env: NodeJS.ProcessEnv;
  let run: Proc | null = null;

  const sluice = (args: readonly string[]): Proc => startProcess('node', [cliPath, ...args], { cwd: program.dir, env });

  beforeEach(async () => {
    nc = await NetcatServer.start();
    program = exampleIn('read_from_socket.ts', { 12345: nc.port });
    localDir = mkdtempSync(join(tmpdir(), 'sluice-local-'));
    env = { ...process.env, SLUICE_LOCAL_DIR: localDir };
    delete env['KAFKA_BROKERS'];
  });

  afterEach(async () => {
    if (run !== null) await stopProcess(run, 'SIGKILL');
    // Whatever happened, the broker this test started does not outlive it.
    expect((await sluice(['stack', 'down']).exited).code).toBe(0);
    await nc.stop();
    rmSync(program.dir, { recursive: true, force: true });
    rmSync(localDir, { recursive: true, force: true });
  });

  it('starts the local broker on first use, leaves it up for the next run, and stack down stops it', async () => {
    const first = sluice(['run', program.file]);
    run = first;
    const envFile = join(localDir, 'kafka-3.9.1', 'env');
    await waitFor(() => publishedPort(envFile) !== null, 'the local broker to start', 120_000);
    const brokerPort = publishedPort(envFile) ?? 0;
    expect(await portListening(brokerPort)).toBe(true);

    await waitFor(() => first.stderr.includes('"msg":"query started"'), 'query started', 120_000);
    await waitFor(async () => (await establishedConnectionsTo(nc.port)) > 0, 'the socket source to connect');
    nc.send('fresh stack');
    // Batch 0 ran, empty, when the socket connected; the line is batch 1.
    const expected = consoleText(0, 'value', []) + consoleText(1, 'value', ['fresh stack']);
    await waitFor(() => first.stdout.length >= expected.length, 'batch 1');
    expect(first.stdout).toBe(expected);
    expect(first.stderr).toContain('starting the local Kafka broker; it stays up for the next runs');

    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(143);
    expect(await establishedConnectionsTo(nc.port)).toBe(0);
    // The program stopped; the broker did not.
    expect(await portListening(brokerPort)).toBe(true);

    const second = sluice(['run', program.file]);
    run = second;
    await waitFor(() => second.stderr.includes('"msg":"query started"'), 'query started', 120_000);
    expect(second.stderr).not.toContain('starting the local Kafka broker');
    second.child.kill('SIGINT');
    expect((await second.exited).code).toBe(130);
    run = null;

    const status = sluice(['stack', 'status']);
    expect((await status.exited).code).toBe(0);
    expect(status.stdout).toContain(`kafka: running 127.0.0.1:${brokerPort}`);

    const down = sluice(['stack', 'down']);
    expect((await down.exited).code).toBe(0);
    expect(await portListening(brokerPort)).toBe(false);
    const after = sluice(['stack', 'status']);
    expect((await after.exited).code).toBe(3);
    expect(after.stdout).toContain('kafka: stopped');
  });
});
