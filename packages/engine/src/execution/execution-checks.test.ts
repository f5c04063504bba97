import { SparkSession } from '../api/spark-session.js';
import { col, expr, session_window, window } from '../api/functions.js';
import type { DataFrame } from '../api/data-frame.js';
import type { Row } from '../core/types.js';
import { QueryManager } from '../runtime/query-manager.js';
import { PlanRunner } from '../testing/plan-runner.js';
import { checkBatch, executionChecks } from './execution-checks.js';

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');
const events = (): DataFrame =>
  spark.readStream.format('socket').option('host', 'localhost').option('port', 1).option('includeTimestamp', true).load();
const at = (mm: number): number => Date.UTC(2024, 0, 1, 12, mm) * 1000;
const rows = (...times: number[]): Row[] => times.map((t) => ['e', t]);

describe('checks Spark makes when a batch runs (not at start())', () => {
  // _LEGACY_ERROR_TEMP_3068 (AggUtils.planStreamingAggregationForSession); StreamingSessionWindowSuite
  // "append mode - session window - no key" expects "Global aggregation with session window" ... "not supported".
  it('a global aggregation over a session window fails when the first batch is planned', () => {
    const df = events().withWatermark('timestamp', '10 seconds').groupBy(session_window('timestamp', '5 seconds')).count();
    const plan = df.writeStream.outputMode('append').toPlan();
    const runner = new PlanRunner(plan);
    expect(() => runner.runBatch(rows(at(1)))).toThrow('Global aggregation with session window in streaming query is not supported.');
    // With another grouping key it is fine.
    const keyed = events().withWatermark('timestamp', '10 seconds').groupBy(session_window('timestamp', '5 seconds'), col('value')).count();
    expect(() => new PlanRunner(keyed.writeStream.outputMode('append').toPlan()).runBatch(rows(at(1)))).not.toThrow();
  });

  // _LEGACY_ERROR_TEMP_3076 (PropagateWatermarkSimulator); EventTimeWatermarkSuite "overriding
  // watermark should not be allowed by default": the query fails once the watermark is set.
  it('a second withWatermark on the same lineage fails at the first batch whose watermark is not 0', () => {
    const df = events().withColumn('second', col('timestamp'))
      .withWatermark('timestamp', '1 minute')
      .select('*')
      .withWatermark('second', '2 minutes')
      .groupBy(window('second', '1 minute'))
      .count();
    const plan = df.writeStream.outputMode('append').toPlan();
    const message = "Redefining watermark is disallowed. You can set the config 'spark.sql.streaming.statefulOperator.allowMultiple' to 'false' "
      + 'to restore the previous behavior. Note that multiple stateful operators will be disallowed.';
    const checks = executionChecks(plan.root, 'UTC');
    expect(() => checkBatch(checks, 0)).not.toThrow();
    expect(() => checkBatch(checks, 40_000)).toThrow(message);
    const runner = new PlanRunner(plan);
    expect(() => runner.runBatch(rows(at(5)))).not.toThrow();
    expect(() => runner.runBatch([])).toThrow(expect.objectContaining({ code: 'ANALYSIS_ERROR', message }));
  });

  // _LEGACY_ERROR_TEMP_3077 (WatermarkSupport.findEventTimeColumn); EventTimeWatermarkSuite "multiple
  // event time columns in an input DataFrame for stateful operator is not allowed".
  it('dropDuplicates over a stream-stream join that keeps both event times fails when it runs', () => {
    const df1 = events().selectExpr('value AS id1', 'timestamp AS ts1').withWatermark('ts1', '1 minute');
    const df2 = events().selectExpr('value AS id2', 'timestamp AS ts2').withWatermark('ts2', '2 minutes');
    const dedup = df1.join(df2, expr('id1 = id2 AND ts1 = ts2 + INTERVAL 10 SECONDS'), 'inner').selectExpr('id1', 'ts1', 'ts2').dropDuplicates();
    const checks = executionChecks(dedup.writeStream.outputMode('append').toPlan().root, 'UTC');
    expect(() => checkBatch(checks, 0)).toThrow(
      'More than one event time columns are available. Please ensure there is at most one event time column per stream. event time columns: (ts1-T60000ms,ts2-T120000ms)',
    );
  });
});
