// Operator throughput: a streaming word count (split, explode, groupBy, count, update mode)
// through Sluice's compiled plan, against a hand-written baseline doing the same work with a
// Map, in the same run. Prints rows/s for both and the ratio.
import { performance } from 'node:perf_hooks';
import { SparkSession, col, explode, split } from 'sluice';
import { PlanRunner } from 'sluice/testing';

const LINES = Number(process.env['BENCH_LINES'] ?? 200_000);
const BATCH = 10_000;
const words = ['spark', 'kafka', 'redis', 'stream', 'batch', 'window', 'state', 'sink', 'source', 'query'];
const lines: string[][] = Array.from({ length: LINES }, (_, i) => [`${words[i % 10]} ${words[(i * 7) % 10]} ${words[(i * 3) % 10]} w${i % 1000}`]);

function baseline(): number {
  const counts = new Map<string, number>();
  const t0 = performance.now();
  for (let b = 0; b < LINES; b += BATCH) {
    const changed = new Map<string, number>();
    for (const [line] of lines.slice(b, b + BATCH)) {
      for (const w of (line ?? '').split(' ')) {
        const n = (counts.get(w) ?? 0) + 1;
        counts.set(w, n);
        changed.set(w, n);
      }
    }
  }
  return performance.now() - t0;
}

function sluice(): number {
  const spark = SparkSession.builder.appName('bench').getOrCreate();
  const df = spark.readStream.format('socket').option('host', 'localhost').option('port', 1).load()
    .select(explode(split(col('value'), ' ')).alias('word')).groupBy('word').count();
  const runner = new PlanRunner(df.writeStream.outputMode('update').toPlan());
  const t0 = performance.now();
  for (let b = 0; b < LINES; b += BATCH) runner.runBatch(lines.slice(b, b + BATCH));
  return performance.now() - t0;
}

baseline();
sluice();
const base = Math.min(baseline(), baseline(), baseline());
const ours = Math.min(sluice(), sluice(), sluice());
const rate = (ms: number): number => Math.round((LINES / ms) * 1000);
console.log(JSON.stringify({
  benchmark: 'word count operators (update mode)', lines: LINES,
  baselineRowsPerSecond: rate(base), sluiceRowsPerSecond: rate(ours), ratioToBaseline: Number((base / ours).toFixed(3)),
}));
