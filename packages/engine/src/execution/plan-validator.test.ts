import { SparkSession } from '../api/spark-session.js';
import { col, count, expr, session_window, window } from '../api/functions.js';
import type { DataFrame } from '../api/data-frame.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { QueryManager } from '../runtime/query-manager.js';
import type { QueryPlan } from '../plan/query-plan.js';
import { validatePlan } from './plan-validator.js';

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');
const events = (): DataFrame =>
  spark.readStream.format('socket').option('host', 'localhost').option('port', 1).option('includeTimestamp', true).load();
const watermarked = (): DataFrame => events().withWatermark('timestamp', '10 minutes');
const staticDf = (): DataFrame => spark.createDataFrame([['a', 1]], 'value STRING, n INT');
const plan = (df: DataFrame, mode: string): (() => QueryPlan) => () => df.writeStream.outputMode(mode).toPlan();

/** The message of what `start` throws (it must throw an AnalysisException). */
function messageOf(start: () => unknown): string {
  try {
    start();
  } catch (err) {
    expect(err).toBeInstanceOf(AnalysisException);
    expect((err as AnalysisException).code).toBe('ANALYSIS_ERROR');
    return (err as Error).message;
  }
  throw new Error('expected an AnalysisException');
}

// STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION from error-conditions.json ("Invalid streaming output
// mode: <outputMode>. This output mode is not supported for <operation> on streaming
// DataFrames/DataSets."), the parameters as UnsupportedOperationsSuite.testOutputMode checks them.
const unsupportedMode = (mode: string, operation: string): string =>
  `[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: ${mode}. This output mode is not supported for ${operation} on streaming DataFrames/DataSets. SQLSTATE: 42KDE`;

const CORRECTNESS = "Detected pattern of possible 'correctness' issue due to global watermark.";

describe('validatePlan: output modes (UnsupportedOperationChecker.checkForStreaming, 4.x)', () => {
  it('complete without a streaming aggregation is STREAMING_OUTPUT_MODE (the text of a real Spark 4.2.0 run)', () => {
    expect(messageOf(plan(events(), 'complete'))).toBe(unsupportedMode('complete', 'no streaming aggregations'));
  });

  it('append with an aggregation and no watermark on its keys is STREAMING_OUTPUT_MODE', () => {
    expect(messageOf(plan(events().groupBy('value').count(), 'append'))).toBe(unsupportedMode('append', 'streaming aggregations without watermark'));
  });

  it('update with a session window is STREAMING_OUTPUT_MODE (Spark 4.2.0, conformance windows/session-update)', () => {
    const df = watermarked().groupBy(session_window('timestamp', '5 minutes'), col('value')).count();
    expect(messageOf(plan(df, 'update'))).toBe(unsupportedMode('update', 'session window streaming aggregations'));
  });

  it('accepts append and update for a stateless query, every mode for a watermarked window aggregation', () => {
    expect(() => validatePlan(plan(events(), 'append')())).not.toThrow();
    expect(() => plan(events(), 'update')()).not.toThrow();
    for (const mode of ['append', 'update', 'complete']) {
      expect(() => plan(watermarked().groupBy(window('timestamp', '10 minutes')).count(), mode)()).not.toThrow();
    }
  });

  it('an aggregation on the static side of a stream-static join is not a streaming aggregation', () => {
    const counts = staticDf().groupBy('value').count();
    const joined = events().join(counts, 'value');
    // Append is fine (no streaming aggregation) and complete is rejected for having none.
    expect(() => plan(joined, 'append')()).not.toThrow();
    expect(messageOf(plan(joined, 'complete'))).toBe(unsupportedMode('complete', 'no streaming aggregations'));
    // A sort on the static side needs no complete mode either (containsCompleteData of a batch subplan).
    expect(() => plan(events().join(staticDf().orderBy('value'), 'value'), 'append')()).not.toThrow();
  });
});

describe('validatePlan: operators (UnsupportedOperationsSuite)', () => {
  it('union of a stream with a static DataFrame (testBinaryOperationInStreamingPlan "union")', () => {
    const msg = 'Union between streaming and batch DataFrames/Datasets is not supported;\n';
    expect(messageOf(plan(events().select('value').union(staticDf().select('value')), 'append'))).toMatch(new RegExp(`^${msg}`));
    expect(messageOf(plan(staticDf().select('value').union(events().select('value')), 'append'))).toMatch(new RegExp(`^${msg}`));
    expect(() => plan(events().union(events()), 'append')()).not.toThrow();
  });

  it('stream-stream outer joins only in append mode (inner ones also in update: SPARK-56384), left-anti never with a stream on the right', () => {
    const left = watermarked().alias('l');
    const right = watermarked().withColumnRenamed('value', 'v2').withColumnRenamed('timestamp', 't2');
    const inner = left.join(right, expr('value = v2 AND timestamp = t2'));
    expect(() => plan(inner.groupBy('value').count(), 'update')()).not.toThrow();
    expect(messageOf(plan(left.join(right, expr('value = v2 AND timestamp = t2'), 'left_outer'), 'update'))).toMatch(
      /^LeftOuter join between two streaming DataFrames\/Datasets is not supported in Update output mode, only in Append output mode;\n/,
    );
    expect(messageOf(plan(left.join(right, expr('value = v2 AND timestamp = t2'), 'left_anti'), 'append'))).toMatch(
      /^LeftAnti joins with a streaming DataFrame\/Dataset on the right are not supported;\n/,
    );
  });

  it('limits only fail in update mode on a streaming input', () => {
    expect(messageOf(plan(events().limit(2), 'update'))).toMatch(/^Limits are not supported on streaming DataFrames\/Datasets in Update output mode;\n/);
    expect(() => plan(events().limit(2), 'append')()).not.toThrow();
  });
});

describe('validatePlan: global watermark limit (checkStreamingQueryGlobalWatermarkLimit)', () => {
  const windowed = (): DataFrame => watermarked().groupBy(window('timestamp', '10 minutes').alias('w'), col('value')).agg(count('*').alias('n'));

  it('chained aggregations pass in append, fail in update and complete', () => {
    const chained = (): DataFrame => windowed().groupBy('w').count();
    expect(() => plan(chained(), 'append')()).not.toThrow();
    expect(messageOf(plan(chained(), 'update'))).toContain(CORRECTNESS);
    expect(messageOf(plan(chained(), 'complete'))).toContain(CORRECTNESS);
  });

  // "multiple stateful ops - aggregation(<mode> mode) followed by dedup (with / without event-time)".
  it('dropDuplicates on an event-time column after an aggregation fails in update/complete; on other columns it passes', () => {
    for (const mode of ['update', 'complete']) {
      expect(messageOf(plan(windowed().dropDuplicates(['w']), mode))).toContain(CORRECTNESS);
      expect(() => plan(windowed().dropDuplicates(['value']), mode)()).not.toThrow();
    }
    expect(() => plan(windowed().dropDuplicates(['w']), 'append')()).not.toThrow();
  });
});

describe('DataStreamWriter: file sinks in update/complete mode (FileStreamSinkSuite "Update and Complete output mode not supported")', () => {
  it.each(['update', 'complete'])('%s is STREAMING_OUTPUT_MODE.UNSUPPORTED_DATASOURCE', (mode) => {
    const start = (): unknown => events().groupBy('value').count().writeStream.format('json').outputMode(mode)
      .option('checkpointLocation', 'x').option('path', 'out/').toPlan();
    expect(messageOf(start)).toBe(
      `[STREAMING_OUTPUT_MODE.UNSUPPORTED_DATASOURCE] Invalid streaming output mode: ${mode}. This output mode is not supported in Data Source json. SQLSTATE: 42KDE`,
    );
  });
});
