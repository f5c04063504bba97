import { SparkSession } from '../api/spark-session.js';
import { expr } from '../api/functions.js';
import type { DataFrame } from '../api/data-frame.js';
import type { Row } from '../core/types.js';
import { QueryManager } from '../runtime/query-manager.js';
import { PlanRunner } from '../testing/plan-runner.js';

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');
const stream = (): DataFrame =>
  spark.readStream.format('socket').option('host', 'localhost').option('port', 1).option('includeTimestamp', true).load();
const at = (hh: number, mm: number): number => Date.UTC(2024, 0, 1, hh, mm) * 1000;

// The programming guide's ad example: impressions left-outer-joined with their clicks.
const impressions = (): DataFrame =>
  stream().selectExpr('value AS impressionAdId', 'timestamp AS impressionTime').withWatermark('impressionTime', '2 hours');
const clicks = (): DataFrame =>
  stream().selectExpr('value AS clickAdId', 'timestamp AS clickTime').withWatermark('clickTime', '3 hours');
const condition = 'clickAdId = impressionAdId AND clickTime >= impressionTime AND clickTime <= impressionTime + interval 1 hour';

describe('stream-stream joins with watermarks and a time range (StreamingSymmetricHashJoinExec)', () => {
  it('left outer: matches at once; an impression with no click comes with NULLs once the watermark settles it', () => {
    const plan = impressions().join(clicks(), expr(condition), 'leftOuter').writeStream.toPlan();
    const r = new PlanRunner(plan);
    const batch = (imps: Row[], cls: Row[]): Row[] => r.runBatch([imps, cls], true);
    expect(batch([['ad1', at(12, 0)], ['ad2', at(12, 0)]], [['ad1', at(12, 10)]])).toEqual([['ad1', at(12, 0), 'ad1', at(12, 10)]]);
    // Time moves on: watermark = min(imp 17:00 - 2h, click 18:00 - 3h) = 15:00 > 12:00 + 1h.
    batch([['ad3', at(17, 0)]], [['ad9', at(18, 0)]]);
    const settled = batch([], []);
    expect(settled).toEqual([['ad2', at(12, 0), null, null]]);
    expect(r.stateRows).toBeLessThanOrEqual(2);
  });

  it('inner join with a range condition keeps state bounded', () => {
    const r = new PlanRunner(impressions().join(clicks(), expr(condition)).writeStream.toPlan());
    let max = 0;
    for (let h = 0; h < 48; h++) {
      r.runBatch([[[`a${h}`, at(h % 24, 0) + Math.floor(h / 24) * 86_400_000_000]], [[`a${h}`, at(h % 24, 30) + Math.floor(h / 24) * 86_400_000_000]]], true);
      max = Math.max(max, r.stateRows);
    }
    // Each side keeps the rows its state watermark has not passed: impressions back to
    // watermark − 1 hour, clicks back to the watermark (watermark = last click − 3 hours).
    expect(max).toBeLessThanOrEqual(10);
  });

  it('left outer without a range condition is rejected with Spark message', () => {
    expect(() => impressions().join(clicks(), expr('clickAdId = impressionAdId'), 'left_outer').writeStream.toPlan())
      .toThrow(/^Stream-stream LeftOuter join between two streaming DataFrame\/Datasets is not supported without a watermark in the join keys, or a watermark on the nullable side and an appropriate range condition;/);
  });

  it('stream-stream outer joins only run in append mode (inner ones also in update: SPARK-56384)', () => {
    expect(() => stream().join(stream(), undefined, 'full_outer').writeStream.outputMode('update').toPlan())
      .toThrow(/^FullOuter join between two streaming DataFrames\/Datasets is not supported in Update output mode, only in Append output mode;/);
  });

  it('a Cross stream-stream join with a condition passes the checker and fails at the first batch', () => {
    const r = new PlanRunner(stream().alias('l').join(stream().alias('r'), expr('l.value = r.value'), 'cross').writeStream.toPlan());
    expect(() => r.runBatch([[['a', at(1, 0)]], [['a', at(1, 0)]]], true))
      .toThrow('requirement failed: StreamingSymmetricHashJoinExec should not take Cross as the JoinType');
  });
});
