// A backlog run (issue 12): 5,000,000 small JSON rows wait in a topic before the query starts;
// the processor service (classic, one process) runs a keyed count from startingOffsets
// earliest to a transactional Kafka sink with no maxOffsetsPerTrigger, so only the processor's
// own batch cap (processor.maxBatchRecords / maxBatchBytes) and the consumer's back-pressure
// keep its memory bounded. Samples the processor's RSS every 200 ms, waits until the commit log
// covers the input, then checks that the last count of every key adds up to the input (nothing
// lost). Prints rows/s, the peak RSS, the batch count and whether the peak stayed within 300 MB.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger } from 'sluice';
import { checkpointKeys, CommitLog, connectRedis, deleteKeys, KafkajsPort, OffsetLog, scanKeys, type RedisClient } from 'sluice/testing';

const N = Number(process.env['BENCH_RECORDS'] ?? 5_000_000);
const PARTITIONS = 4;
const KEYS = 1000;
const PRODUCERS = 4;
const SEND_BATCH = 10_000;
const RSS_BOUND_MB = 300;
const RUN_TIMEOUT_MS = 900_000;
/** Set to try another cap (SLUICE_PROCESSOR_MAX_BATCH_RECORDS); the processor's default otherwise. */
const MAX_BATCH_RECORDS = process.env['BENCH_MAX_BATCH_RECORDS'];
/** When set, the processor's log goes to this file. */
const LOG_FILE = process.env['BENCH_LOG_FILE'] ?? '';
const brokers = process.env['KAFKA_BROKERS'] ?? '';
const redisUrl = process.env['REDIS_URL'] ?? '';
const root = join(import.meta.dirname, '..');
const cli = join(root, 'packages', 'engine', 'dist', 'cli', 'main.js');
// The processor as its command and its deployments run it (with their young-generation size).
const processorBin = join(root, 'services', 'processor', 'bin', 'sluice-processor.js');
const kafka = new KafkajsPort({ brokers: brokers.split(','), clientId: `bench-${randomUUID()}` });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function program(input: string, output: string, checkpoint: string): string {
  return `import { SparkSession, col, from_json } from "sluice";
const spark = SparkSession.builder.appName("BacklogBench").getOrCreate();
const query = spark.readStream.format("kafka").option("kafka.bootstrap.servers", "${brokers}")
  .option("subscribe", "${input}").option("startingOffsets", "earliest")
  .load()
  .select(from_json(col("value").cast("string"), "k STRING, v INT").alias("e")).select("e.*")
  .groupBy("k").count()
  .selectExpr("k AS key", "CAST(count AS STRING) AS value")
  .writeStream.outputMode("update")
  .format("kafka").option("kafka.bootstrap.servers", "${brokers}").option("topic", "${output}")
  .option("checkpointLocation", "${checkpoint}").start();
await query.awaitTermination();
`;
}

/** N rows `{"k":"k<i mod KEYS>","v":…}` over the partitions, written by PRODUCERS producers at once. */
async function fill(topic: string): Promise<number> {
  const admin = await kafka.admin();
  await admin.ensureTopic(topic, PARTITIONS);
  let next = 0;
  const produce = async (): Promise<void> => {
    const p = await kafka.producer();
    try {
      for (let i = next; i < N; i = next) {
        next += SEND_BATCH;
        await p.send(topic, Array.from({ length: Math.min(SEND_BATCH, N - i) }, (_, j) => {
          const n = i + j;
          return { partition: n % PARTITIONS, value: `{"k":"k${n % KEYS}","v":${n % 100}}` };
        }));
      }
    } finally {
      await p.close();
    }
  };
  await Promise.all(Array.from({ length: PRODUCERS }, produce));
  const end = (await admin.endOffsets(topic)).reduce((a, o) => a + o.offset, 0);
  await admin.close();
  return end;
}

/** The plan document of the program, made by `sluice plan` in a folder of its own. */
async function makePlan(text: string): Promise<{ dir: string; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
  writeFileSync(join(dir, 'program.ts'), text);
  const path = join(dir, 'plan.json');
  const child = spawn('node', [cli, 'plan', join(dir, 'program.ts'), '-o', path], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`sluice plan exited with ${String(code)}:\n${stderr}`);
  return { dir, path };
}

/** The processor's resident set now, in MB (Linux /proc), or null once it is gone. */
function rssMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

const sum = (offsets: readonly Readonly<Record<string, number>>[]): number =>
  offsets.reduce((a, source) => a + Object.values(source).reduce((b, o) => b + o, 0), 0);

/** Polls the checkpoint until a committed batch's end offsets cover the input; returns its id. */
async function untilCovered(redis: RedisClient, checkpoint: string, inputEnd: number, child: ChildProcess, stderr: () => string): Promise<number> {
  const offsets = new OffsetLog(redis, checkpoint);
  const commits = new CommitLog(redis, checkpoint);
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  for (;;) {
    const commit = await commits.getLatest();
    const entry = commit === null ? null : await offsets.get(commit.batchId);
    const covered = entry === null ? 0 : sum(entry.offsets);
    if (commit !== null && covered >= inputEnd) return commit.batchId;
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the processor exited (${String(child.exitCode ?? child.signalCode)}):\n${stderr().slice(-4000)}`);
    if (Date.now() > deadline) throw new Error(`timed out: ${covered} of ${inputEnd} input rows committed\n${stderr().slice(-4000)}`);
    await sleep(200);
  }
}

/** The last count the sink wrote for every key (committed transactions only). */
async function lastCounts(topic: string): Promise<Map<string, number>> {
  const admin = await kafka.admin();
  const ends = new Map((await admin.endOffsets(topic)).map((p) => [p.partition, p.offset]));
  await admin.close();
  const counts = new Map<string, number>();
  const reached = new Map<number, number>();
  const consumer = await kafka.consumer({ groupId: `bench-read-${randomUUID()}` });
  const done = (): boolean => [...ends].every(([p, end]) => (reached.get(p) ?? 0) >= end);
  await consumer.start([topic], async (batch) => {
    for (const r of batch.records) {
      if (r.key !== null && r.value !== null) counts.set(r.key.toString(), Number(r.value.toString()));
    }
    reached.set(batch.partition, batch.nextOffset);
  }, [...ends.keys()].map((partition) => ({ topic, partition, offset: 0 })));
  const deadline = Date.now() + 120_000;
  while (!done() && Date.now() < deadline) await sleep(100);
  await consumer.close();
  if (!done()) throw new Error(`could not read the output topic ${topic} to its end`);
  return counts;
}

const id = randomUUID().slice(0, 8);
const input = `bench-backlog-${id}-in`;
const output = `bench-backlog-${id}-out`;
const checkpoint = `bench-backlog-${id}`;
const redis = await connectRedis(redisUrl, createLogger());
const admin = await kafka.admin();
let child: ChildProcess | null = null;
let stderr = '';
let queryId: string | undefined;
let plan: { dir: string; path: string } | null = null;
process.on('exit', () => child?.kill('SIGKILL'));
try {
  let t = performance.now();
  const inputEnd = await fill(input);
  const fillSeconds = (performance.now() - t) / 1000;
  process.stderr.write(`backlog: ${inputEnd} rows in ${fillSeconds.toFixed(1)} s\n`);
  await admin.ensureTopic(output, 1);
  plan = await makePlan(program(input, output, checkpoint));
  const env: NodeJS.ProcessEnv = { ...process.env, SLUICE_QUERY_PLAN: plan.path, SLUICE_METRICS_PORT: '0', SLUICE_KAFKA_CLIENT_ID: `bench-${id}` };
  delete env['SLUICE_PROCESSOR_SCALE_OUT'];
  if (MAX_BATCH_RECORDS !== undefined) env['SLUICE_PROCESSOR_MAX_BATCH_RECORDS'] = MAX_BATCH_RECORDS;
  t = performance.now();
  const proc = spawn(processorBin, [], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  child = proc;
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-20_000);
    if (LOG_FILE !== '') appendFileSync(LOG_FILE, d);
    queryId ??= /"msg":"service started".*?"queryId":"([^"]+)"/.exec(stderr)?.[1];
  });
  let peakRss = 0;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, rssMb(proc.pid, 'VmRSS') ?? 0); }, 200);
  let lastBatch: number;
  let hwm: number | null;
  try {
    lastBatch = await untilCovered(redis, checkpoint, inputEnd, proc, () => stderr);
  } finally {
    clearInterval(sampler);
    hwm = rssMb(proc.pid, 'VmHWM');
  }
  const seconds = (performance.now() - t) / 1000;
  const counts = await lastCounts(output);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const result = {
    benchmark: 'backlog: 5M-row Kafka backlog → keyed count (update) → Kafka (exactly once), classic processor, startingOffsets earliest, no maxOffsetsPerTrigger',
    records: inputEnd, partitions: PARTITIONS, keys: KEYS, cores: availableParallelism(),
    maxBatchRecords: MAX_BATCH_RECORDS === undefined ? 'default' : Number(MAX_BATCH_RECORDS),
    fillSeconds: Number(fillSeconds.toFixed(1)), seconds: Number(seconds.toFixed(1)), rowsPerSecond: Math.round(inputEnd / seconds),
    batches: lastBatch + 1, peakRssMb: Math.round(peakRss), kernelPeakRssMb: hwm === null ? null : Math.round(hwm),
    rssBoundMb: RSS_BOUND_MB, withinBound: Math.max(peakRss, hwm ?? 0) <= RSS_BOUND_MB,
    outputKeys: counts.size, countSum: total, nothingLost: counts.size === KEYS && total === inputEnd,
    note: 'peakRssMb: the highest VmRSS sampled every 200 ms from spawn to the commit covering the input; kernelPeakRssMb: VmHWM at that commit',
  };
  console.log(JSON.stringify(result));
  if (!result.nothingLost) process.exitCode = 1;
} finally {
  if (child !== null && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child?.on('exit', resolve));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child?.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  }
  const internal = queryId === undefined ? [] : (await admin.listTopics()).filter((name) => name.startsWith(`sluice.${queryId}.`));
  await admin.deleteTopics([input, output, ...internal]).catch(() => undefined);
  if (queryId !== undefined) await admin.deleteGroups((await admin.listGroups()).filter((g) => g.startsWith(`sluice.${queryId}.`))).catch(() => undefined);
  await admin.close();
  await deleteKeys(redis, await scanKeys(redis, checkpointKeys(checkpoint).all));
  await redis.quit();
  if (plan !== null) rmSync(plan.dir, { recursive: true, force: true });
}
process.exit(process.exitCode ?? 0);
