import { SparkSession } from '../api/spark-session.js';
import { session_window, window } from '../api/functions.js';
import type { DataFrame } from '../api/data-frame.js';
import type { Row } from '../core/types.js';
import { QueryManager } from '../runtime/query-manager.js';
import { PlanRunner } from '../testing/plan-runner.js';

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');
const events = (): DataFrame =>
  spark.readStream.format('socket').option('host', 'localhost').option('port', 1).option('includeTimestamp', true).load();
const at = (hh: number, mm: number): number => Date.UTC(2024, 0, 1, hh, mm) * 1000;
const rows = (...times: number[]): Row[] => times.map((t) => ['e', t]);
const w = (h1: number, m1: number, h2: number, m2: number): Row => [[at(h1, m1), at(h2, m2)], 1];

describe('watermarks (SEMANTICS 7.7 worked timeline: append, 10-minute windows, 10-minute delay)', () => {
  const counts = (mode: string): PlanRunner =>
    new PlanRunner(events().withWatermark('timestamp', '10 minutes').groupBy(window('timestamp', '10 minutes')).count().writeStream.outputMode(mode).toPlan());

  it('append emits a window once, after the watermark passes its end, in the no-data batch', () => {
    const r = counts('append');
    expect(r.runBatch(rows(at(12, 7), at(12, 14)))).toEqual([]);
    expect(r.watermarkMs).toBe(at(12, 4) / 1000);
    expect(r.needsNoDataBatch).toBe(true);
    expect(r.runBatch([])).toEqual([]);
    expect(r.needsNoDataBatch).toBe(false);
    expect(r.runBatch(rows(at(12, 21)))).toEqual([]);
    expect(r.watermarkMs).toBe(at(12, 11) / 1000);
    expect(r.runBatch([])).toEqual([w(12, 0, 12, 10)]);
    expect(r.stateRows).toBe(2);
  });

  it('drops late rows (window end <= watermark) and counts them', () => {
    const r = counts('update');
    r.runBatch(rows(at(12, 30)));
    r.runBatch([]);
    expect(r.runBatch(rows(at(12, 4)))).toEqual([]);
    expect(r.lastMetrics?.droppedByWatermark).toBe(1);
  });

  it('keeps state bounded while event time advances (update mode evicts silently)', () => {
    const r = counts('update');
    let max = 0;
    for (let minute = 0; minute < 24 * 60; minute += 7) {
      r.runBatch(rows(Date.UTC(2024, 0, 1, 0, minute) * 1000));
      max = Math.max(max, r.stateRows);
    }
    expect(max).toBeLessThanOrEqual(3);
  });

  it('append without a watermark on the grouping key is rejected', () => {
    expect(() => events().groupBy(window('timestamp', '10 minutes')).count().writeStream.outputMode('append').toPlan())
      .toThrow('[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: append. This output mode is not supported for streaming aggregations without watermark on streaming DataFrames/DataSets. SQLSTATE: 42KDE');
  });

  it('dropDuplicates on a watermarked column forgets keys past the watermark', () => {
    const r = new PlanRunner(events().withWatermark('timestamp', '10 minutes').dropDuplicates(['value', 'timestamp']).writeStream.toPlan());
    expect(r.runBatch(rows(at(12, 0), at(12, 0)))).toEqual(rows(at(12, 0)));
    r.runBatch(rows(at(13, 0)));
    r.runBatch([]);
    expect(r.stateRows).toBe(1);
  });
});

describe('session windows (session_window, append with watermark)', () => {
  const sessions = (mode: string): PlanRunner =>
    new PlanRunner(events().withWatermark('timestamp', '10 minutes').groupBy(session_window('timestamp', '5 minutes'), 'value').count()
      .writeStream.outputMode(mode).toPlan());

  it('merges events closer than the gap into one session, emitted once the watermark passes its end', () => {
    const r = sessions('append');
    expect(r.schema.map((f) => f.name)).toEqual(['session_window', 'value', 'count']);
    expect(r.runBatch(rows(at(12, 0), at(12, 3), at(12, 20)))).toEqual([]);
    // watermark 12:10: the session [12:00, 12:08) is closed; [12:20, 12:25) is not.
    expect(r.runBatch([])).toEqual([[[at(12, 0), at(12, 8)], 'e', 2]]);
    expect(r.stateRows).toBe(1);
  });

  it('merges sessions bridged by a later event', () => {
    const r = sessions('complete');
    r.runBatch(rows(at(12, 0), at(12, 8)));
    expect(r.runBatch(rows(at(12, 4)))).toEqual([[[at(12, 0), at(12, 13)], 'e', 3]]);
  });

  it('rejects update mode as Spark does', () => {
    expect(() => sessions('update')).toThrow(/^\[STREAMING_OUTPUT_MODE\.UNSUPPORTED_OPERATION\] Invalid streaming output mode: update\. This output mode is not supported for session window streaming aggregations/);
  });
});
