// Issue 12's side-by-side benchmark on the real broker: workloads A and B through Sluice
// (`sluice run`, transactional Kafka sink), real Spark 4.2.0 local[2] (bench/spark, Kafka sink
// at-least-once) and a hand-written baseline (A: a bare kafkajs transactional pipe; B: a Map loop
// between a kafkajs consumer and a transactional producer), all on the same input topics.
//   A: from_json(value, 'value STRING') → where length(value) > 4 → upper(value)
//   B: ts = the record's timestamp, v from the JSON; withWatermark(ts, 1 hour) →
//      groupBy(window(ts, 1 day, 1 hour)) → sum(v), update mode, Kafka sink
//   Y: the Yahoo Streaming Benchmark's shape: ad events (ad_id, event_type) → where
//      event_type = 'view' → join a static CSV of ads to campaigns (stream-static, no shuffle of
//      the stream) → withWatermark(ts, 10 seconds) → groupBy(window(ts, 10 seconds), campaign_id)
//      → count, update mode, Kafka sink
//   J: a stream-stream join of Y's input read twice: views (watermark 10 s) and clicks
//      (watermark 20 s) of the same ad, the click at most 2 s after the view, append mode
// Each system runs twice in one process: "cold" on the first input (timed from the process's
// start, so it pays for start-up) and "warm" on a second input of the same size (a new query in
// the process that ran the first, timed from that query's start). A run ends when its query
// (or loop) has committed its last output row. Every output topic is then read back (read
// committed) and checked: A's row count, B's last sum per window against sums computed here.
// Each run also has its CPU time and peak RSS: Sluice and Spark from Linux /proc of their process
// (sampled when a run's line arrives and every 200 ms), the baseline from this process, which
// runs it. Prints one table and one JSON line. Env: BENCH_ROWS (500,000), BENCH_PARTITIONS (2),
// BENCH_SPARK=0 skips Spark, BENCH_WORKLOADS (A,B,Y,J) picks workloads, BENCH_SLUICE_NODE_OPTIONS adds node options to `sluice run` (e.g.
// --cpu-prof --cpu-prof-dir=DIR).
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KafkajsPort, type ConsumedBatch } from 'sluice/testing';
import { sluiceNodeArgs } from './sluice-command.js';

type Workload = 'A' | 'B' | 'Y' | 'J';
type System = 'sluice' | 'spark' | 'baseline';
type Phase = 'cold' | 'warm';

interface Run {
  readonly system: System;
  readonly workload: Workload;
  readonly phase: Phase;
  readonly ms: number;
  readonly rowsPerSecond: number;
  readonly outputRows: number;
  readonly outputOk: boolean;
  /** CPU time of the run (user + system), null where it could not be read. */
  readonly cpuMs: number | null;
  /** CPU time over the wall time of the same interval: how many cores the run kept busy. */
  readonly cpuCores: number | null;
  /** The process's peak resident set: Sluice and Spark since their start, the baseline's during the run. */
  readonly peakRssMb: number | null;
}

/** A run's wall time, CPU time and memory, before its output is checked. */
interface Measured {
  readonly ms: number;
  readonly cpuMs: number | null;
  readonly cpuCores: number | null;
  readonly peakRssMb: number | null;
}

/** One line a child process prints after each of its runs. */
interface ChildRun {
  readonly run: number;
  readonly startEpochMs: number;
  readonly endEpochMs: number;
  readonly inputRows: number;
}

const N = Number(process.env['BENCH_ROWS'] ?? 500_000);
const PARTITIONS = Number(process.env['BENCH_PARTITIONS'] ?? 2);
const SPARK = process.env['BENCH_SPARK'] !== '0';
const WORKLOADS = (process.env['BENCH_WORKLOADS'] ?? 'A,B,Y,J').split(',').map((w) => {
  if (w !== 'A' && w !== 'B' && w !== 'Y' && w !== 'J') throw new Error(`BENCH_WORKLOADS: ${w} is not one of A, B, Y, J`);
  return w;
});
const CHILD_TIMEOUT_MS = 15 * 60_000;
/** How often a child's CPU time and memory are read besides at the end of each of its runs. */
const CHILD_SAMPLE_MS = 200;
/** How often the bench process's RSS is read while it runs a baseline. */
const BASELINE_SAMPLE_MS = 100;
const MB = 1024 * 1024;
/** Clock ticks a second, the unit of CPU times in /proc/<pid>/stat. */
const CLOCK_TICKS = ((): number => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
// Event time ends before now: the broker's time-based retention deletes records stamped long ago.
const BASE_MS = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - DAY_MS;
const brokers = process.env['KAFKA_BROKERS'] ?? '';
const root = join(import.meta.dirname, '..');
const sparkScript = join(root, 'bench', 'spark', 'spark-ab.sh');
const kafka = new KafkajsPort({ brokers: brokers.split(','), clientId: `bench-ab-${randomUUID()}` });

/** Row i: partition i % P, each partition at 5 rows/s of event time and 2 s behind the next. */
function row(i: number): { partition: number; timestamp: number; text: string; v: number } {
  const partition = i % PARTITIONS;
  const n = (i - partition) / PARTITIONS;
  return { partition, timestamp: BASE_MS + n * 200 + partition * 2000, text: `${'x'.repeat(i % 8)}${i % 10}`, v: i };
}

/** Y's ads and campaigns: ad k belongs to campaign k % CAMPAIGNS. */
const ADS = 1000;
const CAMPAIGNS = 100;
const EVENT_TYPES = ['view', 'click', 'purchase'] as const;
const TEN_SECONDS_MS = 10_000;

/**
 * Y's event i: partition i % P, each partition at 500 events/s of event time (so a 10-second
 * window holds some 33 views of each campaign, as in the benchmark's ad streams) and 20 ms behind
 * the next.
 */
function adEvent(i: number): { partition: number; timestamp: number; adId: string; eventType: string } {
  const partition = i % PARTITIONS;
  const n = (i - partition) / PARTITIONS;
  return { partition, timestamp: BASE_MS + n * 2 + partition * 20, adId: `ad${(i * 7) % ADS}`, eventType: EVENT_TYPES[i % EVENT_TYPES.length] ?? 'view' };
}

/** The static side of Y, as a CSV file with a header. */
function campaignsCsv(): string {
  return ['ad_id,campaign_id', ...Array.from({ length: ADS }, (_, k) => `ad${k},c${k % CAMPAIGNS}`)].join('\n') + '\n';
}

/** Y's last count per (campaign, 10-second window), keyed `campaign:start in epoch seconds`. */
const expectedY = ((): Map<string, string> => {
  const counts = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    const { adId, eventType, timestamp } = adEvent(i);
    if (eventType !== 'view') continue;
    const key = `c${Number(adId.slice(2)) % CAMPAIGNS}:${(timestamp - (timestamp % TEN_SECONDS_MS)) / 1000}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Map([...counts].map(([k, c]) => [k, String(c)]));
})();

const campaignsDir = mkdtempSync(join(tmpdir(), 'sluice-bench-campaigns-'));
const campaignsPath = join(campaignsDir, 'campaigns.csv');
writeFileSync(campaignsPath, campaignsCsv());

/** How long after a view its ad's click still joins it (J). */
const CLICK_WITHIN_MS = 2000;

/** J's rows, `ad|viewMs:clickMs`, sorted: every click with every view of its ad up to 2 s before it. */
const expectedJ = ((): string[] => {
  const views = new Map<string, number[]>();
  const clicks: Array<{ adId: string; timestamp: number }> = [];
  for (let i = 0; i < N; i++) {
    const e = adEvent(i);
    if (e.eventType === 'view') views.set(e.adId, [...(views.get(e.adId) ?? []), e.timestamp]);
    else if (e.eventType === 'click') clicks.push(e);
  }
  const out: string[] = [];
  for (const c of clicks) {
    for (const v of views.get(c.adId) ?? []) if (c.timestamp >= v && c.timestamp <= v + CLICK_WITHIN_MS) out.push(`${c.adId}|${v}:${c.timestamp}`);
  }
  return out.sort();
})();

/** What A must write: one row per input row whose text is longer than 4 characters. */
const expectedA = Array.from({ length: N }, (_, i) => row(i).text.length > 4).filter(Boolean).length;

/** What B's last update per window must say: the sum of v over the window (key: start in epoch seconds). */
const expectedB = ((): Map<string, string> => {
  const sums = new Map<number, number>();
  for (let i = 0; i < N; i++) {
    const { timestamp, v } = row(i);
    for (let start = timestamp - (timestamp % HOUR_MS); start > timestamp - DAY_MS; start -= HOUR_MS) sums.set(start, (sums.get(start) ?? 0) + v);
  }
  return new Map([...sums].map(([start, s]) => [String(start / 1000), String(s)]));
})();

async function fill(topic: string, workload: Workload): Promise<void> {
  const producer = await kafka.producer();
  for (let i = 0; i < N; i += 10_000) {
    await producer.send(topic, Array.from({ length: Math.min(10_000, N - i) }, (_, k) => {
      if (workload === 'Y') {
        const e = adEvent(i + k);
        return { partition: e.partition, timestamp: e.timestamp, value: JSON.stringify({ ad_id: e.adId, event_type: e.eventType }) };
      }
      const r = row(i + k);
      return { partition: r.partition, timestamp: r.timestamp, value: JSON.stringify({ value: r.text, v: r.v }) };
    }));
  }
  await producer.close();
}

/** Every committed record of a one-partition topic, in order, as [key, value]. */
async function readAll(topic: string): Promise<Array<[string, string]>> {
  const admin = await kafka.admin();
  const end = (await admin.endOffsets(topic)).reduce((a, p) => a + p.offset, 0);
  await admin.close();
  const out: Array<[string, string]> = [];
  if (end === 0) return out;
  const consumer = await kafka.consumer({ groupId: `bench-ab-read-${randomUUID()}` });
  await new Promise<void>((resolve) => {
    void consumer.start([topic], async (b: ConsumedBatch) => {
      for (const r of b.records) out.push([r.key?.toString() ?? '', r.value?.toString() ?? '']);
      if (b.nextOffset >= end) resolve();
    });
  });
  await consumer.close();
  return out;
}

async function check(workload: Workload, topic: string): Promise<{ outputRows: number; outputOk: boolean }> {
  const records = await readAll(topic);
  if (workload === 'A') {
    const ok = records.length === expectedA && records.every(([, v]) => v === v.toUpperCase() && v.length > 4);
    return { outputRows: records.length, outputOk: ok };
  }
  if (workload === 'J') {
    const got = records.map(([k, v]) => `${k}|${v}`).sort();
    return { outputRows: records.length, outputOk: got.length === expectedJ.length && got.every((r, i) => r === expectedJ[i]) };
  }
  const last = new Map(records);
  const expected = workload === 'B' ? expectedB : expectedY;
  const ok = last.size === expected.size && [...expected].every(([k, s]) => last.get(k) === s);
  return { outputRows: records.length, outputOk: ok };
}

/** Consumes `input` until all N rows are handled, each fetched batch one transaction. */
async function transactionalLoop(input: string, handle: (b: ConsumedBatch) => Array<{ key?: string; value: string }>, output: string): Promise<void> {
  const producer = await kafka.producer({ transactionalId: `bench-ab-${randomUUID()}` });
  const consumer = await kafka.consumer({ groupId: `bench-ab-${randomUUID()}` });
  let done = 0;
  await new Promise<void>((resolve) => {
    void consumer.start([input], async (b) => {
      if (b.records.length === 0) return;
      const txn = await producer.transaction();
      const out = handle(b);
      if (out.length > 0) await txn.send(output, out);
      await txn.commit();
      done += b.records.length;
      if (done >= N) resolve();
    });
  });
  await consumer.close();
  await producer.close();
}

/** A: parse, filter, upper: the bare kafkajs pipe. */
function pipeA(b: ConsumedBatch): Array<{ value: string }> {
  const out: Array<{ value: string }> = [];
  for (const r of b.records) {
    const text = (JSON.parse(r.value?.toString() ?? 'null') as { value?: unknown } | null)?.value;
    if (typeof text === 'string' && text.length > 4) out.push({ value: text.toUpperCase() });
  }
  return out;
}

/**
 * B by hand: 24 windows a row in a Map of sums, the changed windows each batch, eviction past the
 * watermark. A kafkajs batch holds one partition, and one partition can run far ahead of the
 * other, so the watermark follows the slowest partition's latest row (Spark's follows the latest
 * row of a batch that spans all partitions); either way no row of this input is late.
 */
function mapLoopB(): (b: ConsumedBatch) => Array<{ key: string; value: string }> {
  const sums = new Map<number, number>();
  const maxTs = new Array<number>(PARTITIONS).fill(0);
  let watermark = 0;
  return (b) => {
    const changed = new Map<number, number>();
    for (const r of b.records) {
      const v = (JSON.parse(r.value?.toString() ?? 'null') as { v?: unknown } | null)?.v;
      if (typeof v !== 'number') continue;
      const ts = r.timestamp;
      if (ts < watermark) continue;
      if (ts > (maxTs[b.partition] ?? 0)) maxTs[b.partition] = ts;
      for (let start = ts - (ts % HOUR_MS); start > ts - DAY_MS; start -= HOUR_MS) {
        if (start + DAY_MS <= watermark) continue;
        const s = (sums.get(start) ?? 0) + v;
        sums.set(start, s);
        changed.set(start, s);
      }
    }
    for (const start of sums.keys()) if (start + DAY_MS <= watermark) sums.delete(start);
    watermark = Math.max(watermark, Math.min(...maxTs) - HOUR_MS);
    return [...changed].map(([start, s]) => ({ key: String(start / 1000), value: String(s) }));
  };
}

/**
 * Y by hand: the ads map, views counted per (campaign, 10-second window), the changed counts each
 * batch, eviction past the watermark (as mapLoopB).
 */
function mapLoopY(): (b: ConsumedBatch) => Array<{ key: string; value: string }> {
  const campaignOf = new Map(Array.from({ length: ADS }, (_, k) => [`ad${k}`, `c${k % CAMPAIGNS}`]));
  const counts = new Map<string, { start: number; n: number }>();
  const maxTs = new Array<number>(PARTITIONS).fill(0);
  let watermark = 0;
  return (b) => {
    const changed = new Map<string, number>();
    for (const r of b.records) {
      const e = JSON.parse(r.value?.toString() ?? 'null') as { ad_id?: unknown; event_type?: unknown } | null;
      if (e?.event_type !== 'view' || typeof e.ad_id !== 'string') continue;
      const campaign = campaignOf.get(e.ad_id);
      const ts = r.timestamp;
      if (campaign === undefined || ts < watermark) continue;
      if (ts > (maxTs[b.partition] ?? 0)) maxTs[b.partition] = ts;
      const start = ts - (ts % TEN_SECONDS_MS);
      if (start + TEN_SECONDS_MS <= watermark) continue;
      const key = `${campaign}:${start / 1000}`;
      const c = counts.get(key) ?? { start, n: 0 };
      c.n++;
      counts.set(key, c);
      changed.set(key, c.n);
    }
    for (const [key, c] of counts) if (c.start + TEN_SECONDS_MS <= watermark) counts.delete(key);
    watermark = Math.max(watermark, Math.min(...maxTs) - TEN_SECONDS_MS);
    return [...changed].map(([key, n]) => ({ key, value: String(n) }));
  };
}

/**
 * J by hand: per ad, the views and clicks seen so far (both partitions come through one consumer,
 * so each batch is one side's rows or both's); a new view meets the clicks already seen, a new
 * click the views; rows older than the window behind the slowest partition are dropped.
 */
function mapLoopJ(): (b: ConsumedBatch) => Array<{ key: string; value: string }> {
  const views = new Map<string, number[]>();
  const clicks = new Map<string, number[]>();
  const maxTs = new Array<number>(PARTITIONS).fill(0);
  return (b) => {
    const out: Array<{ key: string; value: string }> = [];
    for (const r of b.records) {
      const e = JSON.parse(r.value?.toString() ?? 'null') as { ad_id?: unknown; event_type?: unknown } | null;
      if (typeof e?.ad_id !== 'string') continue;
      const ts = r.timestamp;
      if (ts > (maxTs[b.partition] ?? 0)) maxTs[b.partition] = ts;
      if (e.event_type === 'view') {
        for (const c of clicks.get(e.ad_id) ?? []) if (c >= ts && c <= ts + CLICK_WITHIN_MS) out.push({ key: e.ad_id, value: `${ts}:${c}` });
        views.set(e.ad_id, [...(views.get(e.ad_id) ?? []), ts]);
      } else if (e.event_type === 'click') {
        for (const v of views.get(e.ad_id) ?? []) if (ts >= v && ts <= v + CLICK_WITHIN_MS) out.push({ key: e.ad_id, value: `${v}:${ts}` });
        clicks.set(e.ad_id, [...(clicks.get(e.ad_id) ?? []), ts]);
      }
    }
    const horizon = Math.min(...maxTs) - CLICK_WITHIN_MS - 1000;
    for (const side of [views, clicks]) {
      for (const [ad, times] of side) {
        const kept = times.filter((t) => t >= horizon);
        if (kept.length === 0) side.delete(ad);
        else side.set(ad, kept);
      }
    }
    return out;
  };
}

/** Rounds CPU ms and the cores it kept busy over `wallMs`. */
function cpuFigures(cpuMs: number | null, wallMs: number): Pick<Measured, 'cpuMs' | 'cpuCores'> {
  if (cpuMs === null) return { cpuMs: null, cpuCores: null };
  return { cpuMs: Math.round(cpuMs), cpuCores: wallMs > 0 ? Number((cpuMs / wallMs).toFixed(2)) : null };
}

/**
 * The baseline runs in this process: its CPU time is this process's over the run, its peak RSS
 * the highest of this process's RSS read every 100 ms during the run (the expected outputs held
 * here are part of it).
 */
async function baseline(workload: Workload, runs: ReadonlyArray<readonly [string, string]>): Promise<Measured[]> {
  const measured: Measured[] = [];
  for (const [input, output] of runs) {
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); }, BASELINE_SAMPLE_MS);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const loops = { A: () => pipeA, B: mapLoopB, Y: mapLoopY, J: mapLoopJ };
    try {
      await transactionalLoop(input, loops[workload](), output);
    } finally {
      clearInterval(sampler);
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    measured.push({ ms, ...cpuFigures((cpu.user + cpu.system) / 1000, ms), peakRssMb: Math.round(peakRss / MB) });
  }
  return measured;
}

/** The same query text for `sluice run` as SparkAB.java runs in Spark. */
function sluiceProgram(workload: Workload, runs: ReadonlyArray<readonly [string, string]>): string {
  const queries: Record<Workload, string> = {
    A: `df.selectExpr("from_json(CAST(value AS STRING), 'value STRING') AS data").select("data.*")
        .where("length(value) > 4").selectExpr("upper(value) AS value")`,
    B: `df.selectExpr("timestamp AS ts", "from_json(CAST(value AS STRING), 'v BIGINT').v AS v")
        .withWatermark("ts", "1 hour").groupBy(window(col("ts"), "1 day", "1 hour")).agg(sum("v").alias("total"))
        .selectExpr("CAST(CAST(window.start AS BIGINT) AS STRING) AS key", "CAST(total AS STRING) AS value")`,
    Y: `df.selectExpr("timestamp AS ts", "from_json(CAST(value AS STRING), 'ad_id STRING, event_type STRING') AS e")
        .select("ts", "e.*").where("event_type = 'view'").join(campaigns, "ad_id")
        .withWatermark("ts", "10 seconds").groupBy(window(col("ts"), "10 seconds"), col("campaign_id")).count()
        .selectExpr("CONCAT(campaign_id, ':', CAST(CAST(window.start AS BIGINT) AS STRING)) AS key", "CAST(count AS STRING) AS value")`,
    J: `df.selectExpr("timestamp AS viewTime", "from_json(CAST(value AS STRING), 'ad_id STRING, event_type STRING') AS e")
        .where("e.event_type = 'view'").selectExpr("e.ad_id AS viewAd", "viewTime").withWatermark("viewTime", "10 seconds")
        .join(clicks.selectExpr("timestamp AS clickTime", "from_json(CAST(value AS STRING), 'ad_id STRING, event_type STRING') AS e")
          .where("e.event_type = 'click'").selectExpr("e.ad_id AS clickAd", "clickTime").withWatermark("clickTime", "20 seconds"),
          expr("clickAd = viewAd AND clickTime >= viewTime AND clickTime <= viewTime + interval 2 seconds"))
        .selectExpr("viewAd AS key", "CONCAT(CAST(unix_millis(viewTime) AS STRING), ':', CAST(unix_millis(clickTime) AS STRING)) AS value")`,
  };
  const query = queries[workload];
  return `
import { SparkSession, col, expr, sum, window } from "sluice";
const spark = SparkSession.builder.appName("bench-ab").getOrCreate();
const runs = ${JSON.stringify(runs)};
const campaigns = spark.read.csv(${JSON.stringify(campaignsPath)}, { header: true });
for (const [run, [input, output]] of runs.entries()) {
  const startEpochMs = Date.now();
  const read = () => spark.readStream.format("kafka").option("kafka.bootstrap.servers", "${brokers}").option("subscribe", input)
    .option("startingOffsets", "earliest").load();
  const df = read();
  const clicks = read();
  const query = ${query}
    .writeStream.format("kafka").outputMode("${workload === 'A' || workload === 'J' ? 'append' : 'update'}")
    .option("kafka.bootstrap.servers", "${brokers}").option("topic", output)
    .option("checkpointLocation", "bench-ab-${randomUUID()}-" + run).trigger({ availableNow: true }).start();
  await query.awaitTermination();
  const endEpochMs = Date.now();
  const inputRows = query.recentProgress.reduce((a, p) => a + p.numInputRows, 0);
  console.log(JSON.stringify({ run, startEpochMs, endEpochMs, inputRows }));
}
`;
}

/** A child's CPU time so far and its memory, read from Linux /proc at `epochMs`. */
interface ProcSample {
  readonly epochMs: number;
  readonly cpuMs: number;
  /** VmHWM: the peak resident set since the process started. */
  readonly peakRssMb: number | null;
}

/** The process's CPU time (utime + stime) and peak RSS now; null once it is gone or without /proc. */
function procSample(pid: number | undefined): ProcSample | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name in parentheses, from the state (field 3) on.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number | null => {
      const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      return m === null ? null : Number(m[1]);
    };
    const hwm = kb('VmHWM') ?? kb('VmRSS');
    const ticks = Number(fields[11]) + Number(fields[12]);
    if (!Number.isFinite(ticks)) return null;
    return { epochMs: Date.now(), cpuMs: (ticks * 1000) / CLOCK_TICKS, peakRssMb: hwm === null ? null : hwm / 1024 };
  } catch {
    return null;
  }
}

/** What a child printed and how it ran: one /proc sample per run line, null where none could be read. */
interface ChildResult {
  readonly spawnEpochMs: number;
  readonly runs: ChildRun[];
  readonly samples: Array<ProcSample | null>;
  readonly code: number | null;
  readonly stderr: string;
}

/**
 * Runs a child to its end and returns its per-run lines, when it was spawned, and its CPU time
 * and peak RSS at the end of each run: read when the run's line arrives, or the last reading of
 * the ones every 200 ms when the process is already gone. Only the child process itself is
 * read (spark-ab.sh execs java, `sluice run` starts no process).
 */
function child(command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<ChildResult> {
  return new Promise((resolve) => {
    const spawnEpochMs = Date.now();
    const p = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: CHILD_TIMEOUT_MS });
    let last: ProcSample | null = null;
    const read = (): ProcSample | null => {
      const now = procSample(p.pid);
      // A process that has exited but not yet been reaped still has its CPU time, no longer its memory.
      last = now === null ? last : { ...now, peakRssMb: now.peakRssMb ?? last?.peakRssMb ?? null };
      return last;
    };
    const sampler = setInterval(read, CHILD_SAMPLE_MS);
    let stdout = '';
    let partial = '';
    const samples: Array<ProcSample | null> = [];
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => {
      const text = d.toString();
      stdout += text;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) if (l.startsWith('{"run"')) samples.push(read());
    });
    p.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
    p.on('close', (code) => {
      clearInterval(sampler);
      const runs = stdout.split('\n').filter((l) => l.startsWith('{"run"')).map((l) => JSON.parse(l) as ChildRun);
      resolve({ spawnEpochMs, runs, samples, code, stderr });
    });
  });
}

/**
 * Cold: spawn to the end of the first run. Warm: the second run's own start to end. CPU: cold
 * from spawn to the end of the first run, warm from there to the end of the second (so the first
 * query's stop and the second's start are in it); cores over the wall time between those
 * readings. Peak RSS: the process's peak by the end of the run.
 */
function childMeasures(r: ChildResult): Measured[] {
  return r.runs.map((x, k) => {
    const ms = k === 0 ? x.endEpochMs - r.spawnEpochMs : x.endEpochMs - x.startEpochMs;
    const at = r.samples[k] ?? null;
    const before = k === 0 ? { epochMs: r.spawnEpochMs, cpuMs: 0 } : (r.samples[k - 1] ?? null);
    const cpu = at === null || before === null ? null : cpuFigures(at.cpuMs - before.cpuMs, at.epochMs - before.epochMs);
    return {
      ms,
      cpuMs: cpu?.cpuMs ?? null,
      cpuCores: cpu?.cpuCores ?? null,
      peakRssMb: at === null || at.peakRssMb === null ? null : Math.round(at.peakRssMb),
    };
  });
}

async function sluice(workload: Workload, runs: ReadonlyArray<readonly [string, string]>): Promise<Measured[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-ab-'));
  writeFileSync(join(dir, 'bench.ts'), sluiceProgram(workload, runs));
  const nodeOptions = (process.env['BENCH_SLUICE_NODE_OPTIONS'] ?? '').split(' ').filter(Boolean);
  const r = await child('node', sluiceNodeArgs(['run', join(dir, 'bench.ts')], nodeOptions), process.env, dir);
  rmSync(dir, { recursive: true, force: true });
  if (r.runs.length !== runs.length) throw new Error(`sluice run ${workload} exited ${r.code}: ${r.stderr}`);
  return childMeasures(r);
}

/** Null with a reason printed when there is no JDK 17 / Maven. */
async function spark(workload: Workload, runs: ReadonlyArray<readonly [string, string]>): Promise<Measured[] | null> {
  const args = [sparkScript, '--brokers', brokers, '--workload', workload, '--campaigns', campaignsPath, ...runs.flatMap(([i, o]) => ['--run', `${i}:${o}`])];
  const r = await child('bash', args, process.env, root);
  if (r.code === 3) {
    process.stderr.write(`spark-ab: Spark skipped: ${r.stderr.trim()}\n`);
    return null;
  }
  if (r.runs.length !== runs.length) throw new Error(`Spark ${workload} exited ${r.code}: ${r.stderr}`);
  return childMeasures(r);
}

/** Builds the Spark program before anything is timed; false when there is no JDK 17 / Maven. */
async function buildSpark(): Promise<boolean> {
  const r = await child('bash', [sparkScript, '--build'], process.env, root);
  if (r.code === 0) return true;
  process.stderr.write(`spark-ab: Spark skipped: ${r.stderr.trim() || `build exited ${r.code}`}\n`);
  return false;
}

const id = randomUUID().slice(0, 8);
// Y and J read the same ad events.
const inputsOf = (workload: Workload): readonly string[] => (workload === 'Y' || workload === 'J' ? [`ab-in-${id}-y1`, `ab-in-${id}-y2`] : [`ab-in-${id}-1`, `ab-in-${id}-2`]);
const created: string[] = [...inputsOf('A'), ...inputsOf('Y')];
const admin = await kafka.admin();
for (const workload of ['A', 'Y'] as const) {
  for (const t of inputsOf(workload)) {
    await admin.ensureTopic(t, PARTITIONS);
    await fill(t, workload);
  }
}
const sparkOn = SPARK && (await buildSpark());

const results: Run[] = [];
for (const workload of WORKLOADS) {
  const systems: System[] = ['baseline', 'sluice', ...(sparkOn ? ['spark' as const] : [])];
  for (const system of systems) {
    const runs = inputsOf(workload).map((input, k) => [input, `ab-out-${id}-${workload}-${system}-${k + 1}`] as const);
    for (const [, output] of runs) {
      await admin.ensureTopic(output, 1);
      created.push(output);
    }
    const measured = system === 'baseline' ? await baseline(workload, runs)
      : system === 'sluice' ? await sluice(workload, runs)
        : await spark(workload, runs);
    if (measured === null) continue;
    process.stderr.write(`spark-ab: ${system} ${workload} ${measured.map((m) => Math.round(m.ms)).join(' ms, ')} ms\n`);
    for (const [k, m] of measured.entries()) {
      const checked = await check(workload, runs[k]?.[1] ?? '');
      results.push({
        system, workload, phase: k === 0 ? 'cold' : 'warm', ms: Math.round(m.ms), rowsPerSecond: Math.round((N / m.ms) * 1000), ...checked,
        cpuMs: m.cpuMs, cpuCores: m.cpuCores, peakRssMb: m.peakRssMb,
      });
    }
  }
}
await admin.deleteTopics(created);
await admin.close();
rmSync(campaignsDir, { recursive: true, force: true });

const find = (system: System, r: Run): Run | undefined => results.find((x) => x.system === system && x.workload === r.workload && x.phase === r.phase);
const ratio = (a: Run, b: Run | undefined): number | null => (b === undefined ? null : Number((a.rowsPerSecond / b.rowsPerSecond).toFixed(2)));
const rows = results.map((r) => ({ ...r, ratioToSpark: ratio(r, find('spark', r)), ratioToBaseline: ratio(r, find('baseline', r)) }));
const note = "Spark's Kafka sink is at-least-once; Sluice's is transactional (and so are the baselines'). "
  + 'cold: from process start (JVM or node, session, connections) to the last output row committed; '
  + 'warm: a second query on a second input of the same size in the same process, from its start. '
  + 'Spark: local[2], spark.sql.shuffle.partitions=2, Trigger.AvailableNow; Sluice: `sluice run`, trigger availableNow. '
  + 'baseline: A = bare kafkajs transactional pipe, B, Y and J = hand-written Map loops between kafkajs and a transactional producer, all in the bench process. '
  + 'Y and J read ad events; Y joins a static CSV of 1,000 ads in 100 campaigns, J joins the events with themselves (two sources on one topic). '
  + 'cpu s: user + system CPU time of the run; Sluice and Spark: their process from /proc (cold from spawn, warm from the end of the cold run); '
  + 'the baseline runs inside the bench process, so its CPU is the bench process\'s over the run and its RSS the bench process\'s (with the expected outputs it holds). '
  + 'cores: CPU seconds over wall seconds of the same interval. peak RSS MB: Sluice and Spark, the process\'s peak (VmHWM) since its start by the end of the run; '
  + 'baseline, the highest RSS read every 100 ms during the run.';
const pad = (s: string, n: number): string => s.padEnd(n);
console.log(`cores: ${availableParallelism()}, rows: ${N}, partitions: ${PARTITIONS}${sparkOn ? '' : ' (Spark not measured)'}`);
console.log(`${pad('system', 9)}${pad('workload', 9)}${pad('run', 6)}${pad('rows/s', 9)}${pad('×Spark', 8)}${pad('×baseline', 10)}${pad('cpu s', 7)}${pad('cores', 7)}${pad('peak RSS MB', 13)}output`);
for (const r of rows) {
  const x = (v: number | null): string => (v === null ? '-' : `${v}×`);
  const cpuS = r.cpuMs === null ? '-' : (r.cpuMs / 1000).toFixed(1);
  const cores = r.cpuCores === null ? '-' : r.cpuCores.toFixed(2);
  const rss = r.peakRssMb === null ? '-' : String(r.peakRssMb);
  console.log(`${pad(r.system, 9)}${pad(r.workload, 9)}${pad(r.phase, 6)}${pad(String(r.rowsPerSecond), 9)}${pad(x(r.ratioToSpark), 8)}${pad(x(r.ratioToBaseline), 10)}${pad(cpuS, 7)}${pad(cores, 7)}${pad(rss, 13)}${r.outputRows} rows ${r.outputOk ? 'ok' : 'WRONG'}`);
}
console.log(`note: ${note}`);
console.log(JSON.stringify({ benchmark: 'issue 12 workloads A, B, Y and J: Sluice vs Spark 4.2.0 local[2] vs baselines', cores: availableParallelism(), rows: N, partitions: PARTITIONS, spark: sparkOn, results: rows, note }));
process.exit(rows.every((r) => r.outputOk) ? 0 : 1);
