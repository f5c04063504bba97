/**
 * The query of the outage cases: a word count (complete mode, console sink) over a Kafka topic,
 * and what its output must be: every batch the counts of an exact prefix of the input.
 */
const WORDS = ['ant', 'bee', 'cat', 'dog', 'eel', 'fox', 'gnu'];

/** A fixed word sequence: a lost or doubled row changes the counts of the batches after it. */
export function words(from: number, n: number): string[] {
  return Array.from({ length: n }, (_, i) => WORDS[((from + i) * 5 + Math.floor((from + i) / 3)) % WORDS.length] ?? 'ant');
}

/** Word counts of a prefix of the input, as the console prints them (sorted here). */
export function counts(input: readonly string[]): string[] {
  const m = new Map<string, number>();
  for (const w of input) m.set(w, (m.get(w) ?? 0) + 1);
  return [...m].map(([w, c]) => `${w}=${c}`).sort();
}

/** Each console batch of a two-column table: its id and its rows as `word=count`, sorted. */
export function batches(stdout: string): Array<{ id: number; rows: string[] }> {
  const out: Array<{ id: number; rows: string[] }> = [];
  for (const block of stdout.split('-------------------------------------------\nBatch: ').slice(1)) {
    const id = Number(block.slice(0, block.indexOf('\n')));
    const rows = block.split('\n').filter((l) => /^\|\s*\w+\|\s*\d+\|$/.test(l) && !l.includes('count'))
      .map((l) => l.split('|').map((c) => c.trim()).filter(Boolean).join('='));
    out.push({ id, rows: rows.sort() });
  }
  return out;
}

export function outageProgram(topic: string, checkpoint: string): string {
  return `import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("Outage").getOrCreate();
const counts = spark.readStream.format("kafka")
  .option("kafka.bootstrap.servers", process.env.KAFKA_BROKERS ?? "")
  .option("subscribe", "${topic}")
  .option("startingOffsets", "earliest")
  .option("maxOffsetsPerTrigger", 15)
  .load()
  .selectExpr("CAST(value AS STRING) AS word")
  .groupBy("word").count();
const query = counts.writeStream.outputMode("complete").format("console")
  .option("checkpointLocation", "${checkpoint}")
  .start();
await query.awaitTermination();
`;
}
