/**
 * The four queries of the scale-out acceptance test, as users write them, with their input: a
 * stateless filter, a keyed windowed aggregation, a global window aggregation and a
 * stream-stream join, each over Kafka topics of six partitions and into a Kafka topic.
 *
 * Event times rise one second a record, so the whole input spans under an hour; the two-hour
 * watermark delay keeps every record on time however the batches cut the input. The input ends
 * with one record a day later in every partition, which moves the watermark past every earlier
 * window. `expectedRows` counts the output by a direct model of the query: the single-processor
 * reference has to reach it before its rows are the answer the scale-out runs must give.
 */

export const PARTITIONS = 6;
const BASE = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
const CLOSING = BASE + 24 * 60 * MINUTE;

/** The Kafka topics of one run of a workload. */
export interface RunTopics {
  readonly inputs: readonly string[];
  readonly output: string;
}

/** A record to produce: keyed, into a chosen partition. */
export interface InputRecord {
  readonly key: string;
  readonly value: string;
  readonly partition: number;
}

/** One input topic's records: the body (produced in stages), then one closing record a partition. */
export interface InputRecords {
  readonly body: readonly InputRecord[];
  readonly closing: readonly InputRecord[];
}

export interface Workload {
  readonly name: string;
  program(topics: RunTopics, checkpointLocation: string): string;
  /** The records of every input topic the program reads, in the order of `RunTopics.inputs`. */
  readonly inputs: readonly InputRecords[];
  readonly expectedRows: number;
}

interface Event {
  readonly k: string;
  readonly ts: number;
  readonly v: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** `count` events `stepMs` apart from `offsetMs` on, keys cycling over `keys` (key k<n> goes to partition n mod 6). */
function events(count: number, keys: number, stepMs: number, offsetMs: number): Event[] {
  return Array.from({ length: count }, (_, i) => ({ k: `k${i % keys}`, ts: BASE + offsetMs + i * stepMs, v: (i * 7) % 101 }));
}

/** One event a partition, a day after the body: `end<p>` in partition p. */
const closingEvents: readonly Event[] = Array.from({ length: PARTITIONS }, (_, p) => ({ k: `end${p}`, ts: CLOSING, v: 1 }));

const tagsOf = (i: number): string => `a${i % 5},b${i % 7},c${i % 3}`;

function inputRecords(body: readonly Event[]): InputRecords {
  const record = (e: Event, i: number, partition: number): InputRecord =>
    ({ key: e.k, partition, value: JSON.stringify({ k: e.k, ts: iso(e.ts), v: e.v, tags: tagsOf(i) }) });
  return {
    body: body.map((e, i) => record(e, i, Number(e.k.slice(1)) % PARTITIONS)),
    closing: closingEvents.map((e, p) => record(e, p, p)),
  };
}

/** The window starts (ms) of a sliding event-time window holding `ts`. */
function windowStarts(ts: number, sizeMs: number, slideMs: number): number[] {
  const out: number[] = [];
  for (let start = Math.floor(ts / slideMs) * slideMs; start > ts - sizeMs; start -= slideMs) out.push(start);
  return out;
}

const header = (app: string, imports: string): string => `import { SparkSession, col, from_json, ${imports} } from "sluice";
const brokers = process.env.KAFKA_BROKERS ?? "localhost:9092";
const spark = SparkSession.builder.appName("${app}").getOrCreate();
const read = (topic: string) => spark.readStream.format("kafka")
  .option("kafka.bootstrap.servers", brokers)
  .option("subscribe", topic)
  .option("startingOffsets", "earliest")
  .load()
  .select(from_json(col("value").cast("string"), "k STRING, ts TIMESTAMP, v INT, tags STRING").alias("e"))
  .select("e.*");
`;

const writeTo = (frame: string, topics: RunTopics, checkpointLocation: string): string => `
const query = ${frame}.writeStream.outputMode("append").format("kafka")
  .option("kafka.bootstrap.servers", brokers)
  .option("topic", "${topics.output}")
  .option("checkpointLocation", "${checkpointLocation}")
  .start();
await query.awaitTermination();
`;

function stateless(): Workload {
  const body = events(3600, 12, 1000, 0);
  const kept = [...body, ...closingEvents].filter((e) => e.v % 3 !== 0);
  return {
    name: 'stateless filter',
    program: (topics, checkpoint) => `${header('ScaleOutFilter', 'split')}
const kept = read("${topics.inputs[0]}")
  .where("v % 3 <> 0")
  .select(col("k"), col("v"), split(col("tags"), ",").getItem(1).alias("tag"))
  .selectExpr("k AS key", "concat_ws('|', k, CAST(v AS STRING), tag) AS value");
${writeTo('kept', topics, checkpoint)}`,
    inputs: [inputRecords(body)],
    expectedRows: kept.length,
  };
}

function keyedWindows(): Workload {
  const body = events(3600, 12, 1000, 0);
  const groups = new Set(body.flatMap((e) => windowStarts(e.ts, 10 * MINUTE, 5 * MINUTE).map((s) => `${s}/${e.k}`)));
  return {
    name: 'keyed windowed aggregation',
    program: (topics, checkpoint) => `${header('ScaleOutKeyedWindows', 'count, struct, sum, to_json, window')}
const counts = read("${topics.inputs[0]}")
  .withWatermark("ts", "2 hours")
  .groupBy(window(col("ts"), "10 minutes", "5 minutes"), col("k"))
  .agg(count("*").alias("n"), sum("v").alias("total"))
  .select(col("k").alias("key"), to_json(struct(col("window.start"), col("window.end"), col("k"), col("n"), col("total"))).alias("value"));
${writeTo('counts', topics, checkpoint)}`,
    inputs: [inputRecords(body)],
    expectedRows: groups.size,
  };
}

function globalWindows(): Workload {
  const body = events(3600, 12, 1000, 0);
  const windows = new Set(body.flatMap((e) => windowStarts(e.ts, 2 * MINUTE, MINUTE)));
  return {
    name: 'global window aggregation',
    program: (topics, checkpoint) => `${header('ScaleOutGlobalWindows', 'count, sum, window')}
const sums = read("${topics.inputs[0]}")
  .withWatermark("ts", "2 hours")
  .groupBy(window(col("ts"), "2 minutes", "1 minute"))
  .agg(sum("v").alias("total"), count("*").alias("n"))
  .selectExpr("to_json(struct(window.start, window.end, total, n)) AS value");
${writeTo('sums', topics, checkpoint)}`,
    inputs: [inputRecords(body)],
    expectedRows: windows.size,
  };
}

function streamJoin(): Workload {
  // Left events every 2 s, right ones 1 s after each: a left row meets the right rows of its key
  // within a minute after it (one here, as a key comes back every 2 minutes).
  const left = events(1800, 60, 2000, 0);
  const right = events(1800, 60, 2000, 1000);
  let pairs = 0;
  for (const l of left) for (const r of right) if (l.k === r.k && r.ts >= l.ts && r.ts <= l.ts + MINUTE) pairs++;
  return {
    name: 'stream-stream join',
    program: (topics, checkpoint) => `${header('ScaleOutJoin', 'expr')}
const left = read("${topics.inputs[0]}").selectExpr("k AS lk", "ts AS lts", "v AS lv").withWatermark("lts", "2 hours");
const right = read("${topics.inputs[1]}").selectExpr("k AS rk", "ts AS rts", "v AS rv").withWatermark("rts", "2 hours");
const joined = left.join(right, expr("lk = rk AND rts >= lts AND rts <= lts + interval 1 minute"))
  .selectExpr("lk AS key", "concat_ws('|', lk, CAST(lts AS STRING), CAST(rts AS STRING), CAST(lv + rv AS STRING)) AS value");
${writeTo('joined', topics, checkpoint)}`,
    inputs: [inputRecords(left), inputRecords(right)],
    // The closing records meet too: end<p> on the left with end<p> on the right, at the same time.
    expectedRows: pairs + PARTITIONS,
  };
}

export const workloads: readonly Workload[] = [stateless(), keyedWindows(), globalWindows(), streamJoin()];
