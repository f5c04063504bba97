// Scale-out on the real broker (issue 10): one query over a six-partition topic run by the
// classic single processor, then by one scale-out replica, then by two replicas started
// together, for a stateless from_json/filter/projection and a keyed count in update mode,
// both Kafka → transactional Kafka. A run is timed from the processes' spawn until the commit
// log holds a batch whose end offsets cover the whole input. Prints rows/s, the ratios
// 2-replica/1-replica and scale-out-1/classic, CPU and peak RSS per process (Linux /proc).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger } from 'sluice';
import { checkpointKeys, CommitLog, connectRedis, deleteKeys, KafkajsPort, OffsetLog, scanKeys, type RedisClient } from 'sluice/testing';

const N = Number(process.env['BENCH_RECORDS'] ?? 300_000);
/** Rows a batch takes at most: the input runs as a stream of batches, not one batch of everything. */
const MAX_OFFSETS_PER_TRIGGER = Number(process.env['BENCH_MAX_OFFSETS_PER_TRIGGER'] ?? 20_000);
const PARTITIONS = 6;
const KEYS = 1000;
const RUN_TIMEOUT_MS = 300_000;
/** When set, every processor's log goes to a file there (`<run>-<mode>-<n>.log`). */
const LOG_DIR = process.env['BENCH_LOG_DIR'] ?? '';
const brokers = process.env['KAFKA_BROKERS'] ?? '';
const redisUrl = process.env['REDIS_URL'] ?? '';
const root = join(import.meta.dirname, '..');
const cli = join(root, 'packages', 'engine', 'dist', 'cli', 'main.js');
const processorMain = join(root, 'services', 'processor', 'dist', 'main.js');
const kafka = new KafkajsPort({ brokers: brokers.split(','), clientId: `bench-${randomUUID()}` });

interface Workload {
  readonly name: string;
  /** The query from the Kafka source `frame` to a Kafka sink (the `.writeStream` call and its mode). */
  readonly query: string;
}

const parsed = `.select(from_json(col("value").cast("string"), "k STRING, v INT, tag STRING").alias("e")).select("e.*")`;
const workloads: readonly Workload[] = [
  {
    name: 'stateless from_json/filter/projection',
    query: `${parsed}.where("v % 3 <> 0")
  .selectExpr("k AS key", "concat_ws('|', k, CAST(v * 2 AS STRING), upper(tag)) AS value")
  .writeStream.outputMode("append")`,
  },
  {
    name: 'keyed count (update)',
    query: `${parsed}.groupBy("k").count()
  .selectExpr("k AS key", "CAST(count AS STRING) AS value")
  .writeStream.outputMode("update")`,
  },
];

function program(workload: Workload, input: string, output: string, checkpoint: string): string {
  return `import { SparkSession, col, from_json } from "sluice";
const spark = SparkSession.builder.appName("ScaleOutBench").getOrCreate();
const query = spark.readStream.format("kafka").option("kafka.bootstrap.servers", "${brokers}")
  .option("subscribe", "${input}").option("startingOffsets", "earliest").option("maxOffsetsPerTrigger", ${MAX_OFFSETS_PER_TRIGGER})
  .load()
  ${workload.query}
  .format("kafka").option("kafka.bootstrap.servers", "${brokers}").option("topic", "${output}")
  .option("checkpointLocation", "${checkpoint}").start();
await query.awaitTermination();
`;
}

/** N JSON rows over KEYS keys, key i in partition i mod 6, written in order. */
async function fill(topic: string): Promise<number> {
  const admin = await kafka.admin();
  await admin.ensureTopic(topic, PARTITIONS);
  const p = await kafka.producer();
  for (let i = 0; i < N; i += 5000) {
    await p.send(topic, Array.from({ length: Math.min(5000, N - i) }, (_, j) => {
      const n = i + j;
      const k = n % KEYS;
      return { key: `k${k}`, partition: k % PARTITIONS, value: JSON.stringify({ k: `k${k}`, v: (n * 7) % 101, tag: `t${n % 13}` }) };
    }));
  }
  await p.close();
  const end = (await admin.endOffsets(topic)).reduce((a, o) => a + o.offset, 0);
  await admin.close();
  return end;
}

/** A processor process: its stderr tail (for a failure's report) and its /proc figures. */
interface Processor {
  readonly child: ChildProcess;
  stderr: string;
  /** When its "service started" line came (its tasks joined the groups), or null. */
  startedAt: number | null;
  readonly exited: Promise<void>;
}

const live = new Set<Processor>();

function startProcessor(planPath: string, scaleOut: boolean, label: string): Processor {
  const env: NodeJS.ProcessEnv = {
    ...process.env, SLUICE_QUERY_PLAN: planPath, SLUICE_METRICS_PORT: '0', SLUICE_KAFKA_CLIENT_ID: `bench-${randomUUID().slice(0, 8)}`,
  };
  if (scaleOut) env['SLUICE_PROCESSOR_SCALE_OUT'] = 'true';
  else delete env['SLUICE_PROCESSOR_SCALE_OUT'];
  const child = spawn('node', [processorMain], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const proc: Processor = { child, stderr: '', startedAt: null, exited: new Promise((resolve) => child.on('exit', () => resolve())) };
  const logFile = LOG_DIR === '' ? null : join(LOG_DIR, `${label}.log`);
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    proc.stderr = (proc.stderr + d).slice(-20_000);
    if (proc.startedAt === null && proc.stderr.includes('"msg":"service started"')) proc.startedAt = Date.now();
    if (logFile !== null) appendFileSync(logFile, d);
  });
  live.add(proc);
  return proc;
}

async function stopProcessor(proc: Processor): Promise<void> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) {
    proc.child.kill('SIGTERM');
    const killer = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
    await proc.exited;
    clearTimeout(killer);
  }
  live.delete(proc);
}

// Whatever ends the bench, no processor outlives it.
process.on('exit', () => { for (const p of live) p.child.kill('SIGKILL'); });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

interface ProcFigures {
  readonly cpuS: number;
  readonly peakRssMb: number;
}

/** CPU seconds and peak RSS of a live process (Linux /proc; zeros elsewhere). */
function procFigures(pid: number | undefined): ProcFigures {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return { cpuS: Number(((Number(stat[11]) + Number(stat[12])) / 100).toFixed(1)), peakRssMb: Math.round(Number(hwm ?? 0) / 1024) };
  } catch {
    return { cpuS: 0, peakRssMb: 0 };
  }
}

/** The program's plan document, made by `sluice plan` in a folder of its own. */
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

interface RunResult {
  readonly mode: 'classic' | 'scale-out';
  readonly replicas: number;
  /** Spawn to the commit covering the input. */
  readonly ms: number;
  /** Batch 0's planning to the commit covering the input (process start-up left out). */
  readonly batchesMs: number;
  /**
   * Rows and time from the first batch planned after every process started to the end: the
   * rate once all replicas run (from batch 0 for one process; null if the input was all
   * planned before).
   */
  readonly afterStart: { readonly rows: number; readonly ms: number } | null;
  readonly batches: number;
  readonly procs: readonly ProcFigures[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const sum = (offsets: readonly Readonly<Record<string, number>>[]): number =>
  offsets.reduce((a, source) => a + Object.values(source).reduce((b, o) => b + o, 0), 0);

/** Polls the checkpoint until a committed batch's end offsets add up to the input's end; returns its id. */
async function untilCovered(redis: RedisClient, checkpoint: string, inputEnd: number, procs: readonly Processor[]): Promise<number> {
  const offsets = new OffsetLog(redis, checkpoint);
  const commits = new CommitLog(redis, checkpoint);
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  for (;;) {
    const commit = await commits.getLatest();
    const entry = commit === null ? null : await offsets.get(commit.batchId);
    const covered = entry === null ? 0 : sum(entry.offsets);
    if (commit !== null && covered >= inputEnd) return commit.batchId;
    const gone = procs.find((p) => p.child.exitCode !== null || p.child.signalCode !== null);
    if (gone !== undefined) throw new Error(`a processor exited (${String(gone.child.exitCode ?? gone.child.signalCode)}):\n${gone.stderr.slice(-4000)}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${RUN_TIMEOUT_MS} ms: ${covered} of ${inputEnd} input rows committed\n${procs.map((p) => p.stderr.slice(-2000)).join('\n---\n')}`);
    await sleep(50);
  }
}

/** The batch figures of a finished run, from the offset log's batch timestamps (a batch is planned when the one before commits). */
async function batchTimes(redis: RedisClient, checkpoint: string, lastBatch: number, inputEnd: number, doneAt: number, allStartedAt: number): Promise<Pick<RunResult, 'batchesMs' | 'afterStart'>> {
  const entries = await new OffsetLog(redis, checkpoint).getRange(0, lastBatch);
  const first = entries[0]?.entry.batchTimestampMs ?? doneAt;
  const k = entries.findIndex((e) => e.entry.batchTimestampMs >= allStartedAt);
  const before = entries[k - 1];
  const afterStart = k < 0 ? null : { rows: inputEnd - (before === undefined ? 0 : sum(before.entry.offsets)), ms: doneAt - (entries[k]?.entry.batchTimestampMs ?? doneAt) };
  return { batchesMs: doneAt - first, afterStart };
}

/** One run on a fresh checkpoint and output topic; removes its topics, groups and keys after. */
async function run(redis: RedisClient, workload: Workload, input: string, inputEnd: number, replicas: number, scaleOut: boolean): Promise<RunResult> {
  const id = randomUUID().slice(0, 8);
  const output = `bench-scale-${id}-out`;
  const checkpoint = `bench-scale-${id}`;
  const admin = await kafka.admin();
  await admin.ensureTopic(output, 1);
  const plan = await makePlan(program(workload, input, output, checkpoint));
  const procs: Processor[] = [];
  try {
    const t0 = performance.now();
    for (let i = 0; i < replicas; i++) procs.push(startProcessor(plan.path, scaleOut, `${id}-${scaleOut ? 'scale-out' : 'classic'}-${i}`));
    const lastBatch = await untilCovered(redis, checkpoint, inputEnd, procs);
    const ms = performance.now() - t0;
    const doneAt = Date.now();
    const figures = procs.map((p) => procFigures(p.child.pid));
    // One process runs every batch it plans; the figure is about replicas that join one another.
    const allStartedAt = replicas === 1 ? -Infinity : Math.max(...procs.map((p) => p.startedAt ?? doneAt));
    const times = await batchTimes(redis, checkpoint, lastBatch, inputEnd, doneAt, allStartedAt);
    return { mode: scaleOut ? 'scale-out' : 'classic', replicas, ms, ...times, batches: lastBatch + 1, procs: figures };
  } finally {
    const queryId = procs.map((p) => /"msg":"service started".*?"queryId":"([^"]+)"/.exec(p.stderr)?.[1]).find((q) => q !== undefined);
    await Promise.all(procs.map(stopProcessor));
    const internal = queryId === undefined ? [] : (await admin.listTopics()).filter((t) => t.startsWith(`sluice.${queryId}.`));
    await admin.deleteTopics([output, ...internal]).catch(() => undefined);
    if (queryId !== undefined) {
      const groups = (await admin.listGroups()).filter((g) => g.startsWith(`sluice.${queryId}.`));
      await admin.deleteGroups(groups).catch(() => undefined);
    }
    await admin.close();
    await deleteKeys(redis, await scanKeys(redis, checkpointKeys(checkpoint).all));
    rmSync(plan.dir, { recursive: true, force: true });
  }
}

const rate = (ms: number, rows = N): number => Math.round((rows / ms) * 1000);
const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : Number((a / b).toFixed(2)));
const afterStartRate = (r: RunResult): number | null => (r.afterStart === null ? null : rate(r.afterStart.ms, r.afterStart.rows));

const input = `bench-scale-in-${randomUUID().slice(0, 8)}`;
const loadAtStart = loadavg()[0] ?? 0;
const redis = await connectRedis(redisUrl, createLogger());
const results: Array<{ workload: string; runs: RunResult[] }> = [];
try {
  const inputEnd = await fill(input);
  for (const workload of workloads) {
    const runs = [
      await run(redis, workload, input, inputEnd, 1, false),
      await run(redis, workload, input, inputEnd, 1, true),
      await run(redis, workload, input, inputEnd, 2, true),
    ];
    results.push({ workload: workload.name, runs });
  }
} finally {
  const admin = await kafka.admin();
  await admin.deleteTopics([input]).catch(() => undefined);
  await admin.close();
  await redis.quit();
}

const rows = results.flatMap(({ workload, runs }) => runs.map((r) => ({
  workload, run: r.mode === 'classic' ? 'classic' : `scale-out ×${r.replicas}`, seconds: Number((r.ms / 1000).toFixed(1)), batches: r.batches,
  rowsPerSecond: rate(r.ms), batchRowsPerSecond: rate(r.batchesMs), afterStartRowsPerSecond: afterStartRate(r),
  cpuS: r.procs.map((p) => p.cpuS), peakRssMb: r.procs.map((p) => p.peakRssMb),
})));
const table = [
  ['workload', 'run', 's', 'batches', 'rows/s', 'in batches', 'all started', 'CPU s / process', 'peak RSS MB / process'],
  ...rows.map((r) => [r.workload, r.run, String(r.seconds), String(r.batches), String(r.rowsPerSecond), String(r.batchRowsPerSecond),
    String(r.afterStartRowsPerSecond ?? '-'), r.cpuS.join(' + '), r.peakRssMb.join(' + ')]),
];
const widths = table[0]?.map((_, i) => Math.max(...table.map((line) => (line[i] ?? '').length))) ?? [];
for (const line of table) process.stderr.write(`${line.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}\n`);

console.log(JSON.stringify({
  benchmark: 'scale-out: kafka (6 partitions) → query → kafka (exactly once), classic vs 1 vs 2 replicas', records: N,
  maxOffsetsPerTrigger: MAX_OFFSETS_PER_TRIGGER, cores: availableParallelism(),
  loadAverage1m: { atStart: Number(loadAtStart.toFixed(2)), atEnd: Number((loadavg()[0] ?? 0).toFixed(2)) },
  workloads: results.map(({ workload, runs }) => {
    const [classic, one, two] = runs as [RunResult, RunResult, RunResult];
    return {
      workload, classicRowsPerSecond: rate(classic.ms), scaleOut1RowsPerSecond: rate(one.ms), scaleOut2RowsPerSecond: rate(two.ms),
      ratio2To1: ratio(rate(two.ms), rate(one.ms)), ratioScaleOut1ToClassic: ratio(rate(one.ms), rate(classic.ms)),
      batchRatio2To1: ratio(rate(two.batchesMs), rate(one.batchesMs)), batchRatioScaleOut1ToClassic: ratio(rate(one.batchesMs), rate(classic.batchesMs)),
      allStartedRatio2To1: ratio(afterStartRate(two), afterStartRate(one)),
    };
  }),
  runs: rows,
  note: 'rows/s: input rows over spawn → commit covering the input; in batches: from batch 0 planned; all started: from the first batch planned after every process logged "service started". '
    + 'The broker, Redis, the bench and the replicas share the machine: on 2 cores two replicas have no idle core to gain, so the 2/1 ratio measures the '
    + 'cost of splitting a query (task groups, shuffle, Redis coordination) under contention, not the speed-up on separate machines',
}));
process.exit(0);
