import { createHash } from 'node:crypto';
import { SparkSession, col, expr, sum, avg, collect_list, window } from 'sluice';
import { PlanRunner } from 'sluice/testing';
const ROWS = 200000, BATCH = 20000;
const rows: Array<[number, number]> = Array.from({ length: ROWS }, (_, i) => { const p = i % 2; const n = (i - p) / 2; return [1_700_000_000_000_000 + n * 200_000 + p * 2_000_000 + ((i * 7919) % 13) * 600_000_000, i]; });
const h = createHash('sha256');
for (const mode of ['update', 'append', 'complete'] as const) for (const keys of [0, 7]) {
  const spark = SparkSession.builder.appName('cmp').getOrCreate();
  const ev = spark.readStream.format('rate').load().withWatermark('timestamp', '1 hour');
  const g = keys === 0 ? ev.groupBy(window(col('timestamp'), '1 day', '1 hour')) : ev.groupBy(expr(`value % ${keys}`).alias('k'), window(col('timestamp'), '3 hours', '50 minutes'));
  const r = new PlanRunner(g.agg(sum('value'), avg(expr('value / 3.0')), collect_list(expr('value % 5'))).writeStream.outputMode(mode).toPlan());
  let n = 0;
  for (let b = 0; b < ROWS; b += BATCH) { const out = r.runBatch(rows.slice(b, b + BATCH)); n += out.length; h.update(JSON.stringify(out, (_k, v) => typeof v === 'bigint' ? v.toString() : v)); h.update(JSON.stringify(r.lastMetrics)); }
  console.log(mode, keys, n);
}
console.log(h.digest('hex'));
