// End-to-end throughput on the real broker: Kafka source → upper-case → transactional Kafka
// sink through a Sluice query (checkpoints in Redis), against a baseline kafkajs consume →
// transform → produce loop over the same input, in the same run. Prints rows/s and the ratio.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KafkajsPort, type ConsumedRecord } from 'sluice/testing';

const N = Number(process.env['BENCH_RECORDS'] ?? 50_000);
const brokers = process.env['KAFKA_BROKERS'] ?? '';
const cli = join(import.meta.dirname, '..', 'packages', 'engine', 'dist', 'cli', 'main.js');
const kafka = new KafkajsPort({ brokers: brokers.split(','), clientId: `bench-${randomUUID()}` });

async function fill(topic: string): Promise<void> {
  const admin = await kafka.admin();
  await admin.ensureTopic(topic, 1);
  await admin.close();
  const p = await kafka.producer();
  for (let i = 0; i < N; i += 5000) {
    await p.send(topic, Array.from({ length: Math.min(5000, N - i) }, (_, k) => ({ value: `record-${i + k}` })));
  }
  await p.close();
}

async function countUntil(topic: string, n: number): Promise<void> {
  let seen = 0;
  const c = await kafka.consumer({ groupId: `bench-${randomUUID()}` });
  await new Promise<void>((resolve) => {
    void c.start([topic], async (b: { records: readonly ConsumedRecord[] }) => {
      seen += b.records.length;
      if (seen >= n) resolve();
    });
  });
  await c.close();
}

async function baseline(input: string, output: string): Promise<number> {
  const t0 = performance.now();
  const producer = await kafka.producer({ transactionalId: `bench-${randomUUID()}` });
  const consumer = await kafka.consumer({ groupId: `bench-${randomUUID()}` });
  let done = 0;
  await new Promise<void>((resolve) => {
    void consumer.start([input], async (b) => {
      const txn = await producer.transaction();
      await txn.send(output, b.records.map((r) => ({ value: (r.value?.toString() ?? '').toUpperCase() })));
      await txn.commit();
      done += b.records.length;
      if (done >= N) resolve();
    });
  });
  await consumer.close();
  await producer.close();
  return performance.now() - t0;
}

let batchRowsPerSecond = 0;

async function sluice(input: string, output: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
  writeFileSync(join(dir, 'upper.ts'), `
import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("bench").getOrCreate();
const df = spark.readStream.format("kafka").option("kafka.bootstrap.servers", "${brokers}").option("subscribe", "${input}")
  .option("startingOffsets", "earliest").load();
const query = df.selectExpr("upper(CAST(value AS STRING)) AS value").writeStream.format("kafka")
  .option("kafka.bootstrap.servers", "${brokers}").option("topic", "${output}")
  .option("checkpointLocation", "bench-${randomUUID()}").trigger({ availableNow: true }).start();
await query.awaitTermination();
console.log(JSON.stringify(query.recentProgress.map((p) => [p.numInputRows, p.durationMs.triggerExecution ?? 0])));
`);
  const t0 = performance.now();
  const out = execFileSync('node', [cli, 'run', join(dir, 'upper.ts')], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'], env: process.env, encoding: 'utf8' });
  const batches = JSON.parse(out.trim().split('\n').pop() ?? '[]') as Array<[number, number]>;
  const rows = batches.reduce((a, [n]) => a + n, 0);
  const batchMs = batches.reduce((a, [, d]) => a + d, 0);
  batchRowsPerSecond = Math.round((rows / Math.max(1, batchMs)) * 1000);
  await countUntil(output, N);
  const ms = performance.now() - t0;
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

const id = randomUUID().slice(0, 8);
await fill(`bench-in-${id}`);
const base = await baseline(`bench-in-${id}`, `bench-base-out-${id}`);
const ours = await sluice(`bench-in-${id}`, `bench-out-${id}`);
const baseAgain = await baseline(`bench-in-${id}`, `bench-base2-out-${id}`);
const admin = await kafka.admin();
await admin.deleteTopics([`bench-in-${id}`, `bench-base-out-${id}`, `bench-base2-out-${id}`, `bench-out-${id}`]);
await admin.close();
const rate = (ms: number): number => Math.round((N / ms) * 1000);
const bestBase = Math.min(base, baseAgain);
console.log(JSON.stringify({
  benchmark: 'kafka → upper → kafka (exactly once)', records: N,
  baselineRowsPerSecond: rate(bestBase),
  sluiceRowsPerSecond: rate(ours), ratioToBaseline: Number((bestBase / ours).toFixed(3)),
  sluiceBatchRowsPerSecond: batchRowsPerSecond, batchRatioToBaseline: Number((batchRowsPerSecond / rate(bestBase)).toFixed(3)),
  note: 'sluiceRowsPerSecond is wall time of `sluice run` (process start, connections, snapshot); sluiceBatchRowsPerSecond is inside its batches',
}));
process.exit(0);
