// Workload B's operator path, CPU only: a 1 day / 1 hour sliding-window sum with a watermark in
// update mode (each row lands in 24 windows) through Sluice's compiled plan and in-memory state
// store, against a hand-written Map loop doing the same work, in the same run. The input is a
// rate source's rows (timestamp, value) from 2 partitions, interleaved, in batches of 50,000.
// A second case also groups by a key (value % 100) that changes from row to row, so no row
// shares its groups with the row before. Prints rows/s for both (best and median of 3 timed
// runs) and the ratio of the bests, one JSON line per case.
import { performance } from 'node:perf_hooks';
import { SparkSession, col, expr, sum, window } from 'sluice';
import { PlanRunner } from 'sluice/testing';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 500_000);
const BATCH = 50_000;
const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;
const RUNS = 3;
// Two partitions, each at 5 rows/s of event time, 2 s out of step: rows alternate between them.
const rows: Array<[number, number]> = Array.from({ length: ROWS }, (_, i) => {
  const p = i % 2;
  const n = (i - p) / 2;
  return [1_700_000_000_000_000 + n * 200_000 + p * 2_000_000, i];
});

/** The same work by hand: 24 windows a row, Maps of sums, the changed windows each batch, eviction past the watermark. */
function baseline(keys: number): { ms: number; out: number } {
  const sums = new Map<number, Map<number, number>>();
  let watermarkUs = 0;
  let out = 0;
  const t0 = performance.now();
  for (let b = 0; b < ROWS; b += BATCH) {
    const changed = new Map<number, Map<number, number>>();
    let maxTs = 0;
    for (let i = b; i < Math.min(ROWS, b + BATCH); i++) {
      const [ts, v] = rows[i] as [number, number];
      if (ts > maxTs) maxTs = ts;
      const k = keys === 0 ? 0 : v % keys;
      let own = sums.get(k);
      if (own === undefined) sums.set(k, (own = new Map()));
      let mine = changed.get(k);
      if (mine === undefined) changed.set(k, (mine = new Map()));
      const last = ts - (ts % HOUR_US);
      for (let start = last; start > ts - DAY_US; start -= HOUR_US) {
        if (start + DAY_US <= watermarkUs) continue;
        const s = (own.get(start) ?? 0) + v;
        own.set(start, s);
        mine.set(start, s);
      }
    }
    for (const m of changed.values()) out += m.size;
    for (const own of sums.values()) for (const start of own.keys()) if (start + DAY_US <= watermarkUs) own.delete(start);
    watermarkUs = Math.max(watermarkUs, maxTs - HOUR_US);
  }
  return { ms: performance.now() - t0, out };
}

function sluice(keys: number): { ms: number; out: number } {
  const spark = SparkSession.builder.appName('bench').getOrCreate();
  const events = spark.readStream.format('rate').load().withWatermark('timestamp', '1 hour');
  const grouped = keys === 0
    ? events.groupBy(window(col('timestamp'), '1 day', '1 hour'))
    : events.groupBy(window(col('timestamp'), '1 day', '1 hour'), expr(`value % ${keys}`).alias('key'));
  const runner = new PlanRunner(grouped.agg(sum('value')).writeStream.outputMode('update').toPlan());
  let out = 0;
  const t0 = performance.now();
  for (let b = 0; b < ROWS; b += BATCH) out += runner.runBatch(rows.slice(b, b + BATCH)).length;
  return { ms: performance.now() - t0, out };
}

const rate = (ms: number): number => Math.round((ROWS / ms) * 1000);
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
for (const keys of [0, 100]) {
  baseline(keys);
  sluice(keys);
  const base: number[] = [];
  const ours: number[] = [];
  let outputs: [number, number] = [0, 0];
  for (let r = 0; r < RUNS; r++) {
    const b = baseline(keys);
    const s = sluice(keys);
    base.push(b.ms);
    ours.push(s.ms);
    outputs = [b.out, s.out];
  }
  console.log(JSON.stringify({
    benchmark: `workload B operators: 1 day / 1 hour sliding-window sum${keys === 0 ? '' : ` by ${keys} keys`}, watermark, update mode`,
    rows: ROWS, partitions: 2, batchRows: BATCH,
    baselineRowsPerSecond: { best: rate(Math.min(...base)), median: rate(median(base)) },
    sluiceRowsPerSecond: { best: rate(Math.min(...ours)), median: rate(median(ours)) },
    ratioToBaseline: Number((Math.min(...base) / Math.min(...ours)).toFixed(3)),
    rowsOut: { baseline: outputs[0], sluice: outputs[1] },
  }));
}
