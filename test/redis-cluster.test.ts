import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from 'sluice';
import {
  checkpointKeys, checkpointPrefix, connectRedis, deleteKeys, KafkajsPort, legacyCheckpointKeys, prepareCheckpointLayout, scanKeys,
  type RedisClient,
} from 'sluice/testing';
import { PlanFile } from './support/plan-file.js';
import { ProcessorFleet } from './support/processor-fleet.js';
import { cliPath, repoRoot } from './support/programs.js';
import { startProcess } from './support/processes.js';
import { PARTITIONS, workloads, type InputRecord, type Workload } from './support/scale-out-workloads.js';
import { TopicCollector } from './support/topic-collector.js';
import { waitFor } from './support/wait-for.js';

const run = promisify(execFile);

/**
 * A stateful query (dropDuplicates, then a windowed count) over a Kafka source, its state and
 * checkpoint in a real local Redis Cluster (three masters started by scripts/redis-cluster.sh),
 * stopped and started again from the checkpoint: it prints exactly what the same query
 * prints against a single Redis server, and what it prints against a single server whose
 * checkpoint was left by an older Sluice (key layout 1) and is migrated at the restart.
 * Then a keyed windowed aggregation run by scale-out processors on the cluster, one of them
 * killed -9: each shuffle task's state and commits in the cluster under the checkpoint's one
 * hash tag, and the output what one classic processor on a single server writes.
 */
const PROGRAM = `
import { SparkSession, window } from "sluice";
const spark = SparkSession.builder.appName("ClusterState").getOrCreate();
const events = spark.readStream.format("kafka")
  .option("kafka.bootstrap.servers", process.env.KAFKA_BROKERS ?? "")
  .option("subscribe", process.env.TOPIC ?? "")
  .option("startingOffsets", "earliest")
  .option("maxOffsetsPerTrigger", 4)
  .load()
  .selectExpr("CAST(key AS STRING) AS id", "CAST(CAST(value AS STRING) AS TIMESTAMP) AS ts");
const counts = events
  .withWatermark("ts", "10 seconds")
  .dropDuplicates(["id", "ts"])
  .groupBy(window("ts", "10 seconds"))
  .count();
const query = counts.writeStream.outputMode("update").format("console").option("truncate", false)
  .option("checkpointLocation", process.env.CHECKPOINT ?? "").trigger({ availableNow: true }).start();
await query.awaitTermination();
`;

const ts = (second: number): string => `2024-01-01 00:00:${String(second).padStart(2, '0')}`;

/** Phase 1: e0..e11 every 3 s over two partitions, and two duplicates. */
const PHASE_1 = [
  ...Array.from({ length: 12 }, (_, i) => ({ key: `e${i}`, value: ts(i * 3), partition: i % 2 })),
  { key: 'e2', value: ts(6), partition: 1 },
  { key: 'e5', value: ts(15), partition: 0 },
];
/** Phase 2, after the restart: duplicates of phase 1 still above the watermark, and new events. */
const PHASE_2 = [
  { key: 'e9', value: ts(27), partition: 0 },
  { key: 'e11', value: ts(33), partition: 1 },
  ...Array.from({ length: 6 }, (_, i) => ({ key: `f${i}`, value: ts(35 + i * 3), partition: i % 2 })),
];

describe('state and checkpoints on a real Redis Cluster', () => {
  const brokers = process.env['KAFKA_BROKERS'] ?? '';
  const singleUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const kafka = new KafkajsPort({ brokers: brokers.split(','), clientId: `test-${randomUUID()}` });
  const topic = `test-${randomUUID()}`;
  const dir = mkdtempSync(join(tmpdir(), 'sluice-redis-cluster-'));
  const clusterEnv: NodeJS.ProcessEnv = { ...process.env, REDIS_CLUSTER_DIR: join(dir, 'cluster') };
  let clusterUrl = '';
  let cluster: RedisClient | null = null;
  let single: RedisClient | null = null;
  const checkpoints: Array<{ redis: () => RedisClient | null; location: string }> = [];
  /** Stops the processors and removes the topics of the scale-out case; run before the cluster stops. */
  const cleanups: Array<() => Promise<void>> = [];

  const clusterScript = async (command: 'up' | 'down'): Promise<string> =>
    (await run('bash', [join(repoRoot, 'scripts', 'redis-cluster.sh'), command], { env: clusterEnv, timeout: 90_000 })).stdout;

  beforeAll(async () => {
    // A first port of our own (bus ports are +10000), so concurrent runs do not meet.
    let failure = '';
    for (let attempt = 0; clusterUrl === '' && attempt < 5; attempt++) {
      clusterEnv['REDIS_CLUSTER_PORT'] = String(20000 + Math.floor(Math.random() * 20000));
      const out = await clusterScript('up').catch((err: unknown) => {
        failure = String((err as { stderr?: unknown }).stderr ?? err);
        return '';
      });
      clusterUrl = /^REDIS_URL=(\S+)$/m.exec(out)?.[1] ?? '';
    }
    if (clusterUrl === '') throw new Error(`scripts/redis-cluster.sh up failed:\n${failure}`);
    expect(clusterUrl).toMatch(/^redis\+cluster:\/\/127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$/);
    cluster = await connectRedis(clusterUrl, createLogger());
    single = await connectRedis(singleUrl, createLogger());
    const admin = await kafka.admin();
    await admin.ensureTopic(topic, 2);
    await admin.close();
  }, 120_000);

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    for (const { redis, location } of checkpoints) {
      const r = redis();
      if (r !== null) await deleteKeys(r, await scanKeys(r, checkpointKeys(location).all));
    }
    await cluster?.quit();
    await single?.quit();
    const admin = await kafka.admin();
    await admin.deleteTopics([topic]).catch(() => undefined);
    await admin.close();
    await clusterScript('down');
    rmSync(dir, { recursive: true, force: true });
  });

  const produce = async (records: ReadonlyArray<{ key: string; value: string; partition: number }>): Promise<void> => {
    const producer = await kafka.producer();
    await producer.send(topic, [...records]);
    await producer.close();
  };

  /** One availableNow run of the program: what it printed (it must end by itself, exit 0). */
  const runQuery = async (redisUrl: string, checkpoint: string): Promise<string> => {
    const file = join(dir, 'program.ts');
    writeFileSync(file, PROGRAM);
    const proc = startProcess('node', [cliPath, 'run', file], {
      cwd: dir,
      env: { ...process.env, TZ: 'UTC', KAFKA_BROKERS: brokers, REDIS_URL: redisUrl, TOPIC: topic, CHECKPOINT: checkpoint },
    });
    const exit = await proc.exited;
    if (exit.code !== 0) throw new Error(`sluice run exited ${String(exit.code ?? exit.signal)}\n${proc.stderr}`);
    return proc.stdout;
  };

  /** Rewrites a checkpoint as an older Sluice left it: key layout 1, no layout recorded. */
  const toLayout1 = async (redis: RedisClient, location: string): Promise<number> => {
    const keys = await scanKeys(redis, checkpointKeys(location).all);
    const from = checkpointPrefix(location);
    const to = legacyCheckpointKeys(location).prefix;
    for (const key of keys) await redis.rename(key, `${to}${key.slice(from.length)}`);
    await redis.hdel(legacyCheckpointKeys(location).metadata, 'layout');
    return keys.length;
  };

  const batchIds = (out: string): number[] => [...out.matchAll(/^Batch: (\d+)$/gm)].map((m) => Number(m[1]));

  it('a deduplicated windowed count restarts from its cluster checkpoint and prints what single Redis prints', async () => {
    const onCluster = `test-${randomUUID()}`;
    const onSingle = `test-${randomUUID()}`;
    const migrated = `test-${randomUUID()}`;
    checkpoints.push({ redis: () => cluster, location: onCluster }, { redis: () => single, location: onSingle }, { redis: () => single, location: migrated });

    await produce(PHASE_1);
    const first = await Promise.all([runQuery(clusterUrl, onCluster), runQuery(singleUrl, onSingle), runQuery(singleUrl, migrated)]);
    expect(first[0]).toContain('Batch: 0\n');
    expect(first[1]).toBe(first[0]);
    expect(first[2]).toBe(first[0]);

    // Every key of the commit unit in one slot; both stateful operators' state stored.
    const clusterRedis = cluster as RedisClient;
    const keys = await scanKeys(clusterRedis, checkpointKeys(onCluster).all);
    const k = checkpointKeys(onCluster);
    expect(keys).toEqual(expect.arrayContaining([k.metadata, k.offsets, k.commits, k.stateVersion]));
    const stateHashes = keys.filter((key) => /:state:\d+:\d+$/.test(key));
    expect(stateHashes).toHaveLength(2);
    for (const hash of stateHashes) expect(await clusterRedis.hlen(hash)).toBeGreaterThan(0);
    const slots = new Set(await Promise.all(keys.map((key) => clusterRedis.cluster('KEYSLOT', key))));
    expect(slots.size).toBe(1);

    expect(await toLayout1(single as RedisClient, migrated)).toBeGreaterThanOrEqual(6);

    await produce(PHASE_2);
    const second = await Promise.all([runQuery(clusterUrl, onCluster), runQuery(singleUrl, onSingle), runQuery(singleUrl, migrated)]);
    // The restart goes on from the checkpoint: the next batch id, with the state it left.
    const last = Math.max(...batchIds(first[0]));
    expect(batchIds(second[0])[0]).toBe(last + 1);
    expect(second[0]).toContain('|count|');
    expect(second[1]).toBe(second[0]);
    expect(second[2]).toBe(second[0]);
    expect(await (single as RedisClient).exists(legacyCheckpointKeys(migrated).metadata)).toBe(0);
  });

  it('refuses, with what to do, a checkpoint of key layout 1 on a cluster (its keys lie in many slots)', async () => {
    const location = `test-${randomUUID()}`;
    const clusterRedis = cluster as RedisClient;
    const legacy = legacyCheckpointKeys(location);
    checkpoints.push({ redis: () => cluster, location });
    await clusterRedis.hset(legacy.metadata, 'id', randomUUID());
    await clusterRedis.hset(legacy.commits, '0', 'v1\n{"nextBatchWatermarkMs":0}');
    try {
      await expect(prepareCheckpointLayout(clusterRedis, location, createLogger())).rejects.toMatchObject({
        code: 'CHECKPOINT_ERROR',
        message: expect.stringContaining(`checkpoint ${location} was written with key layout 1`),
      });
      expect(await clusterRedis.exists(checkpointKeys(location).metadata)).toBe(0);
    } finally {
      await deleteKeys(clusterRedis, [legacy.metadata, legacy.commits]);
    }
  });

  /**
   * One query of the scale-out workloads on its own checkpoint and output topic, run by
   * processor services against `redisUrl`. Removing it (processors, topics, groups) is queued
   * for the end.
   */
  const startQuery = async (
    workload: Workload, input: string, location: string, redisUrl: string, scaleOut: boolean,
  ): Promise<{ fleet: ProcessorFleet; collector: TopicCollector }> => {
    const output = `test-cluster-${randomUUID().slice(0, 8)}-out`;
    const admin = await kafka.admin();
    await admin.ensureTopic(output, 1);
    await admin.close();
    const plan = await PlanFile.make(workload.program({ inputs: [input], output }, location));
    const fleet = new ProcessorFleet(plan, scaleOut, { REDIS_URL: redisUrl });
    const collector = await TopicCollector.start(kafka, output);
    cleanups.push(async () => {
      await fleet.stopAll();
      await collector.close();
      const queryId = fleet.queryId();
      const admin = await kafka.admin();
      const internal = queryId === null ? [] : (await admin.listTopics()).filter((t) => t.startsWith(`sluice.${queryId}.`));
      await admin.deleteTopics([output, ...internal]).catch(() => undefined);
      if (queryId !== null) {
        const groups = (await admin.listGroups()).filter((g) => g.startsWith(`sluice.${queryId}.`));
        await admin.deleteGroups(groups).catch(() => undefined);
      }
      await admin.close();
      plan.remove();
    });
    return { fleet, collector };
  };

  it('scale-out processors on the cluster, one killed -9 and one started, keep each task\'s state there and write the rows once', async () => {
    const keyedWindows = workloads.find((w) => w.name === 'keyed windowed aggregation');
    if (keyedWindows === undefined) throw new Error('no keyed windowed workload');
    const records = keyedWindows.inputs[0];
    if (records === undefined) throw new Error('the keyed windowed workload has no input');
    const input = `test-cluster-${randomUUID().slice(0, 8)}-in`;
    const onCluster = `test-${randomUUID()}`;
    const onSingle = `test-${randomUUID()}`;
    checkpoints.push({ redis: () => cluster, location: onCluster }, { redis: () => single, location: onSingle });
    const admin = await kafka.admin();
    await admin.ensureTopic(input, PARTITIONS);
    await admin.close();
    cleanups.push(async () => {
      const admin = await kafka.admin();
      await admin.deleteTopics([input]).catch(() => undefined);
      await admin.close();
    });
    const send = async (batch: readonly InputRecord[]): Promise<void> => {
      const producer = await kafka.producer();
      await producer.send(input, [...batch]);
      await producer.close();
    };

    // The reference: one classic processor, state on the single server, same input.
    const [reference, scaled] = await Promise.all([
      startQuery(keyedWindows, input, onSingle, singleUrl, false),
      startQuery(keyedWindows, input, onCluster, clusterUrl, true),
    ]);
    await Promise.all([reference.fleet.add(), scaled.fleet.add(), scaled.fleet.add()]);
    const half = Math.round(records.body.length / 2);
    await send(records.body.slice(0, half));

    // Shuffle tasks have stored state in the cluster: batches run when a processor dies.
    const clusterRedis = cluster as RedisClient;
    const k = checkpointKeys(onCluster);
    const taskOfStateKey = (key: string): number | null => {
      const m = /:state:[^:]+:(\d+)$/.exec(key);
      return m?.[1] === undefined ? null : Number(m[1]);
    };
    const stateTasks = async (): Promise<number[]> =>
      (await scanKeys(clusterRedis, k.all)).map(taskOfStateKey).filter((t): t is number => t !== null);
    await waitFor(async () => (await stateTasks()).length > 0 || scaled.fleet.failures().length > 0, 'task state on the cluster', 90_000, 200);
    expect(scaled.fleet.failures()).toEqual([]);
    for (const task of await stateTasks()) expect(task).toBeLessThan(PARTITIONS);

    await scaled.fleet.killOne();
    await scaled.fleet.add();
    await send(records.body.slice(half));
    await send(records.closing);

    await reference.collector.settle(keyedWindows.expectedRows, 3000, 120_000, () => reference.fleet.failures().length > 0);
    expect(reference.fleet.failures()).toEqual([]);
    expect(reference.collector.values).toHaveLength(keyedWindows.expectedRows);
    expect(new Set(reference.collector.values).size).toBe(keyedWindows.expectedRows);
    await scaled.collector.settle(keyedWindows.expectedRows, 3000, 120_000, () => scaled.fleet.failures().length > 0);
    expect(scaled.fleet.failures()).toEqual([]);
    expect([...scaled.collector.values].sort()).toEqual([...reference.collector.values].sort());

    // Every shuffle task (K = the topic's 6 partitions) committed on the cluster; all the
    // checkpoint's keys (lease, replicas, logs, task commits, state) share its one hash tag.
    const keys = await scanKeys(clusterRedis, k.all);
    const tasks = Array.from({ length: PARTITIONS }, (_, t) => t);
    expect(keys).toEqual(expect.arrayContaining([
      k.metadata, k.offsets, k.commits, k.leader, k.replicas,
      ...tasks.flatMap((t) => [k.taskCommits(t), k.taskStateVersion(t)]),
    ]));
    expect(keys.filter((key) => taskOfStateKey(key) !== null).length).toBeGreaterThan(0);
    const tags = new Set(keys.map((key) => /^[^{]*\{([^}]+)\}/.exec(key)?.[1] ?? key));
    expect([...tags]).toEqual([`cp:${onCluster}`]);
    const slots = new Set(await Promise.all(keys.map((key) => clusterRedis.cluster('KEYSLOT', key))));
    expect(slots.size).toBe(1);
  }, 300_000);
});
