import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, consoleTable, exampleIn } from './support/programs.js';
import { establishedConnectionsTo, freePort, NetcatServer, portListening, startProcess, stopProcess, type Proc } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

/**
 * State durability rests on Redis's append-only file: kill -9 Redis and the program together,
 * start both again, and the query goes on from its checkpoint.
 */
describe('recovery across a Redis restart (AOF)', () => {
  it('a checkpointed word count survives kill -9 of Redis and of the program', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-aof-'));
    const port = await freePort();
    const startRedis = (): ChildProcess => spawn('redis-server', ['--port', String(port), '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--dir', dir], { stdio: 'ignore' });
    let redis = startRedis();
    const nc = await NetcatServer.start();
    const program = exampleIn('word_count_checkpointed.ts', { 12345: nc.port });
    writeFileSync(program.file, readFileSync(program.file, 'utf8').replace('checkpoints/word-count', `test-${randomUUID()}`));
    const env = { ...process.env, REDIS_URL: `redis://127.0.0.1:${port}` };
    const run = (): Proc => startProcess('node', [cliPath, 'run', program.file], { cwd: program.dir, env });
    const cols = ['word', 'count'];
    let first: Proc | null = null;
    let second: Proc | null = null;
    try {
      await waitFor(() => portListening(port), 'redis up', 10_000);
      first = run();
      await waitFor(() => first?.stderr.includes('"msg":"query started"') === true, 'query started', 90_000);
      await waitFor(async () => (await establishedConnectionsTo(nc.port)) > 0, 'connected');
      nc.send('a b a');
      // Batch 0 ran, empty, when the socket connected; the line is batch 1.
      const b1 = consoleTable(0, cols, []) + consoleTable(1, cols, [['a', '2'], ['b', '1']]);
      await waitFor(() => first?.stdout === b1, 'batch 1');
      first.child.kill('SIGKILL');
      redis.kill('SIGKILL');
      await first.exited;
      await waitFor(async () => !(await portListening(port)), 'redis down', 10_000);

      redis = startRedis();
      await waitFor(() => portListening(port), 'redis up again', 10_000);
      second = run();
      await waitFor(() => second?.stderr.includes('"msg":"query started"') === true, 'query restarted', 90_000);
      await waitFor(async () => (await establishedConnectionsTo(nc.port)) > 0, 'reconnected');
      nc.send('b c');
      const b2 = consoleTable(2, cols, [['a', '2'], ['b', '2'], ['c', '1']]);
      await waitFor(() => second?.stdout.endsWith(b2) === true, 'batch 2 with the counts of batch 1');
      expect(second.stderr).toContain('resuming from checkpoint');
    } finally {
      if (first !== null) await stopProcess(first, 'SIGKILL');
      if (second !== null) await stopProcess(second, 'SIGINT');
      redis.kill('SIGKILL');
      await nc.stop();
      rmSync(program.dir, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
