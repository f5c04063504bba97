import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkajsPort } from 'sluice/testing';
import { cliPath } from './support/programs.js';
import { freePort, portListening, startProcess, stopProcess, type Proc } from './support/processes.js';
import { waitFor } from './support/wait-for.js';
import { batches, counts, outageProgram as program, words } from './support/outage-query.js';

const brokers = (): string => process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';

/**
 * A stateful query (Kafka source on the shared broker, state and checkpoints in a private
 * Redis with an append-only file) rides out a kill -9 of Redis and its restart ~5 s later:
 * every batch printed once, each the counts of an exact prefix of the input (no row lost or
 * counted twice), and the last one the counts of all of it — what a run without the outage
 * prints at the end.
 */
describe('a query rides out a Redis outage', () => {
  it.each([['kill -9', 'SIGKILL'], ['clean shutdown', 'SIGTERM']] as const)('%s of Redis for ~5 s under a running stateful query: same output, no duplicates, no lost rows', async (_how, signal) => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-outage-'));
    const port = await freePort();
    const startRedis = (): ChildProcess => spawn('redis-server', ['--port', String(port), '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--dir', dir], { stdio: 'ignore' });
    let redis = startRedis();
    const id = randomUUID().slice(0, 8);
    const topic = `test-outage-${id}`;
    const kafka = new KafkajsPort({ brokers: brokers().split(','), clientId: `test-${id}` });
    const admin = await kafka.admin();
    const producer = await kafka.producer();
    const input: string[] = [];
    const send = async (n: number): Promise<void> => {
      const next = words(input.length, n);
      input.push(...next);
      await producer.send(topic, next.map((value) => ({ key: null, value })));
    };
    const file = join(dir, 'outage.ts');
    writeFileSync(file, program(topic, `test-${id}`));
    let run: Proc | null = null;
    try {
      await admin.ensureTopic(topic, 1);
      await waitFor(() => portListening(port), 'redis up', 10_000);
      await send(60);
      run = startProcess('node', [cliPath, 'run', file], {
        cwd: dir,
        env: {
          ...process.env, KAFKA_BROKERS: brokers(), REDIS_URL: `redis://127.0.0.1:${port}`,
          SLUICE_PROCESSOR_RETRY_BACKOFF_MS: '200', SLUICE_PROCESSOR_RETRY_BACKOFF_MAX_MS: '1000', SLUICE_LOG_LEVEL: 'info',
        },
      });
      const proc = run;
      await waitFor(() => batches(proc.stdout).length >= 2, 'two batches before the outage', 90_000);

      redis.kill(signal);
      await waitFor(async () => !(await portListening(port)), 'redis down', 10_000);
      const downAt = Date.now();
      await send(60);
      await waitFor(() => Date.now() - downAt >= 5000, '5 s of outage', 10_000, 250);
      redis = startRedis();
      await waitFor(() => portListening(port), 'redis up again', 10_000);
      await send(60);

      const all = counts(input);
      await waitFor(() => batches(proc.stdout).some((b) => b.rows.join() === all.join()), 'the counts of all the input', 90_000);
      expect(proc.child.exitCode).toBeNull();
      const printed = batches(proc.stdout);
      // Batch ids printed once each, in order, with none skipped.
      expect(printed.map((b) => b.id)).toEqual(printed.map((_, i) => i));
      // Every batch holds the counts of an exact prefix of the input, each longer than the last.
      let prefix = 0;
      for (const b of printed) {
        const total = b.rows.reduce((n, r) => n + Number(r.split('=')[1]), 0);
        expect(total).toBeGreaterThan(prefix);
        expect(b.rows).toEqual(counts(input.slice(0, total)));
        prefix = total;
      }
      expect(prefix).toBe(input.length);
      expect(proc.stderr).toContain('Redis is unreachable; the processor waits and retries');
      expect(proc.stderr).toContain('Redis reachable again');
      if (process.env['SHOW_STDERR'] === '1') process.stdout.write(proc.stderr);
    } finally {
      if (run !== null) await stopProcess(run, 'SIGINT');
      redis.kill('SIGKILL');
      await producer.close();
      await admin.deleteTopics([topic]).catch(() => undefined);
      await admin.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an outage longer than processor.outageTimeoutMs stops the query with one line naming Redis and the setting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-outage-'));
    const port = await freePort();
    const redis = spawn('redis-server', ['--port', String(port), '--save', '', '--dir', dir], { stdio: 'ignore' });
    const id = randomUUID().slice(0, 8);
    const topic = `test-outage-${id}`;
    const kafka = new KafkajsPort({ brokers: brokers().split(','), clientId: `test-${id}` });
    const admin = await kafka.admin();
    const producer = await kafka.producer();
    const file = join(dir, 'outage.ts');
    writeFileSync(file, program(topic, `test-${id}`));
    let run: Proc | null = null;
    try {
      await admin.ensureTopic(topic, 1);
      await waitFor(() => portListening(port), 'redis up', 10_000);
      await producer.send(topic, words(0, 20).map((value) => ({ key: null, value })));
      run = startProcess('node', [cliPath, 'run', file], {
        cwd: dir,
        env: {
          ...process.env, KAFKA_BROKERS: brokers(), REDIS_URL: `redis://127.0.0.1:${port}`,
          SLUICE_PROCESSOR_OUTAGE_TIMEOUT_MS: '3000', SLUICE_PROCESSOR_RETRY_BACKOFF_MS: '200', SLUICE_PROCESSOR_RETRY_BACKOFF_MAX_MS: '500',
        },
      });
      const proc = run;
      await waitFor(() => batches(proc.stdout).length >= 1, 'a batch before the outage', 90_000);
      redis.kill('SIGKILL');
      await producer.send(topic, words(20, 20).map((value) => ({ key: null, value })));
      const exit = await proc.exited;
      // sluice run's exit code for Kafka or Redis.
      expect(exit.code).toBe(3);
      expect(proc.stderr).toMatch(/Redis unreachable for \d+ s, longer than processor\.outageTimeoutMs = 3000 \(env SLUICE_PROCESSOR_OUTAGE_TIMEOUT_MS\)/);
      if (process.env['SHOW_STDERR'] === '1') process.stdout.write(proc.stderr);
    } finally {
      if (run !== null) await stopProcess(run, 'SIGKILL');
      redis.kill('SIGKILL');
      await producer.close();
      await admin.deleteTopics([topic]).catch(() => undefined);
      await admin.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A batch that failed on its data is in the offset log and not in the commit log: the next run
 * re-runs it at once, while the query is still starting. It fails the query the same way as
 * the first time (Spark's error, exit 1, the failure logged), not as an unhandled rejection.
 */
describe('a failing batch re-run after a restart', () => {
  it('fails the second run with the same error, reported once', async () => {
    const id = randomUUID().slice(0, 8);
    const topic = `test-refail-${id}`;
    const dir = mkdtempSync(join(tmpdir(), 'sluice-refail-'));
    const kafka = new KafkajsPort({ brokers: brokers().split(','), clientId: `test-${id}` });
    const admin = await kafka.admin();
    const producer = await kafka.producer();
    writeFileSync(join(dir, 'ints.ts'), `import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("Ints").getOrCreate();
const lines = spark.readStream.format("kafka").option("kafka.bootstrap.servers", process.env.KAFKA_BROKERS ?? "")
  .option("subscribe", "${topic}").option("startingOffsets", "earliest").load();
await lines.selectExpr("CAST(CAST(value AS STRING) AS INT) AS n").writeStream.format("console")
  .option("checkpointLocation", "test-${id}").start().awaitTermination();
`);
    const error = "RuntimeError: [CAST_INVALID_INPUT] The value 'forty-two' of the type \"STRING\" cannot be cast to \"INT\" because it is malformed.";
    try {
      await admin.ensureTopic(topic, 1);
      await producer.send(topic, [{ key: null, value: 'forty-two' }]);
      for (const runNo of [1, 2]) {
        const run = startProcess('node', [cliPath, 'run', join(dir, 'ints.ts')], { cwd: dir, env: { ...process.env, KAFKA_BROKERS: brokers() } });
        const exit = await run.exited;
        expect({ runNo, code: exit.code }).toEqual({ runNo, code: 1 });
        expect(run.stdout).toBe('');
        expect(run.stderr.split(error).length - 1).toBe(1);
        expect(run.stderr).not.toContain('PromiseRejectionHandledWarning');
        if (runNo === 2) expect(run.stderr).toContain('re-running the uncommitted batch from the checkpoint');
      }
    } finally {
      await producer.close();
      await admin.deleteTopics([topic]).catch(() => undefined);
      await admin.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
