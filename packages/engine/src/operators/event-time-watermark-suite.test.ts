import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SparkSession } from '../api/spark-session.js';
import { col, count, expr, sum, timestamp_seconds, window } from '../api/functions.js';
import type { DataFrame } from '../api/data-frame.js';
import type { Row } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { IllegalArgumentError } from '../errors/illegal-argument-error.js';
import { QueryManager } from '../runtime/query-manager.js';
import { parseJsonLine } from '../expressions/json-lines.js';
import { MemoryStream } from '../testing/memory-stream.js';
import { SparkStreamTest } from '../testing/spark-stream-test.js';
import { StreamTest } from '../testing/stream-test.js';
import { compilePlan } from './compile-plan.js';
import { EventTimeStats } from './event-time-stats.js';

/*
 * Spark's EventTimeWatermarkSuite, transcribed with Spark's inputs and expected values (the
 * 4.x suite as stored at apache/spark 56ceeac: EventTimeStats, watermark errors, event-time and
 * watermark metrics, output modes, recovery, several watermarks and their policy, delay
 * thresholds). What Spark reads from the query progress (eventTime, stateOperators,
 * numRowsDroppedByWatermark) is StreamTest's record of each batch.
 *
 * Not transcribed: "recovery from Spark ver 2.3.1 commit log without commit metadata
 * (SPARK-24699)" and "MultipleWatermarkPolicy: recovery from Spark ver 2.3.1 checkpoints
 * ensures min policy" start from checkpoints Spark 2.3.1 wrote (test resources), which Sluice
 * cannot read.
 */

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');

const ints = (...xs: number[]): ReadonlyArray<readonly unknown[]> => xs.map((x) => [x]);

/** Spark's `withSQLConf(key -> value) { ... }`. */
function withSQLConf(key: string, value: string, body: () => void): void {
  spark.conf.set(key, value);
  try {
    body();
  } finally {
    spark.conf.unset(key);
  }
}

function dfWithMultipleWatermarks(input1: MemoryStream, input2: MemoryStream): DataFrame {
  const df1 = input1.toDF().withColumn('eventTime', col('value').cast('timestamp')).withWatermark('eventTime', '10 seconds');
  const df2 = input2.toDF().withColumn('eventTime', col('value').cast('timestamp')).withWatermark('eventTime', '15 seconds');
  return df1.union(df2).select(col('eventTime').cast('int'));
}

/** Spark's checkWatermark: add 1 to the input, run it, the batch ran at this watermark (seconds). */
function checkWatermark(t: SparkStreamTest, input: MemoryStream, watermarkSeconds: number): void {
  t.add([input, ints(1)]);
  expect(t.lastBatchWatermarkMs).toBe(watermarkSeconds * 1000);
}

/** Spark's formatTimestamp: seconds since the epoch as the progress writes them (ISO 8601, UTC). */
const formatTimestamp = (sec: number): string => new Date(sec * 1000).toISOString();

/** The windowed count most of Spark's tests run: 5-second windows, a 10-second watermark. */
function windowedCount(input: MemoryStream, watermark = true): DataFrame {
  const events = input.toDF().withColumn('eventTime', timestamp_seconds(col('value')));
  return (watermark ? events.withWatermark('eventTime', '10 seconds') : events)
    .groupBy(window(col('eventTime'), '5 seconds').alias('window'))
    .agg(count('*').alias('count'))
    .select(col('window').getField('start').cast('long'), col('count'));
}

/** Spark's assertNumStateRows: rows in the first stateful operator's state after the last batch. */
function assertNumStateRows(t: SparkStreamTest, numTotalRows: number): void {
  expect(t.lastProgress.stateOperators[0]?.numRowsTotal).toBe(numTotalRows);
}

/** Spark's assertNumRowsDroppedByWatermark: in the last batch that had input rows. */
function assertNumRowsDroppedByWatermark(t: SparkStreamTest, numRowsDroppedByWatermark: number): void {
  const withData = t.progress.filter((p) => p.numInputRows > 0);
  expect(withData[withData.length - 1]?.metrics.droppedByWatermark).toBe(numRowsDroppedByWatermark);
}

/** Spark's assertEventStats: the eventTime of the last batch that had input rows. */
function assertEventStats(t: SparkStreamTest, body: (e: Readonly<Record<string, string>>) => void): void {
  const withData = t.progress.filter((p) => p.numInputRows > 0);
  const last = withData[withData.length - 1];
  if (last === undefined) throw new Error('no batch with data');
  body(last.eventTime);
}

function assertEventStatsOf(t: SparkStreamTest, min: number, max: number, avg: number, wtrmark: number): void {
  assertEventStats(t, (e) => {
    expect(e['min']).toBe(formatTimestamp(min));
    expect(e['max']).toBe(formatTimestamp(max));
    expect(e['avg']).toBe(formatTimestamp(Math.trunc(avg)));
    expect(e['watermark']).toBe(formatTimestamp(wtrmark));
  });
}

/** What `body` throws (Spark's intercept). */
function intercept(body: () => unknown): Error {
  try {
    body();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an exception');
}

/** The event-time delay a column of the DataFrame's output carries (Spark's delayKey metadata). */
function eventTimeDelayOf(df: DataFrame, column: string): number | undefined {
  return compilePlan(df.plan, spark.timeZone).output.find((f) => f.name === column)?.eventTimeDelayMs;
}

/** A static DataFrame's rows (Spark's checkDataset on a batch query). */
function collectStatic(df: DataFrame): Row[] {
  return compilePlan(df.plan, spark.timeZone).execute([], {
    batchId: 0, batchTimestampMs: 0, outputMode: 'append', watermarkMs: 0, lateEventsWatermarkMs: 0,
    stores: () => {
      throw new Error('a static query has no state');
    },
    eventTime: { observe: () => undefined },
    metrics: { droppedByWatermark: 0, evicted: 0, updated: 0 },
  });
}

describe('EventTimeWatermarkSuite', () => {
  it('EventTimeWatermarkSuite: EventTimeStats', () => {
    const stats = new EventTimeStats(100, 10, 20.0, 5);
    stats.add(80);
    expect(stats.max).toBe(100);
    expect(stats.min).toBe(10);
    expect(stats.avg).toBeCloseTo(30.0, 5);
    expect(stats.count).toBe(6);

    const stats2 = new EventTimeStats(80, 5, 15.0, 4);
    stats.merge(stats2);
    expect(stats.max).toBe(100);
    expect(stats.min).toBe(5);
    expect(stats.avg).toBeCloseTo(24.0, 5);
    expect(stats.count).toBe(10);
  });

  it('EventTimeWatermarkSuite: EventTimeStats: avg on large values', () => {
    const largeValue = 10000000000; // 10B
    // Spark makes sure `largeValue * largeValue` overflows a Long; here it is past 2^53.
    expect(Number.isSafeInteger(largeValue * largeValue)).toBe(false);
    const stats = new EventTimeStats(largeValue, largeValue, largeValue, largeValue - 1);
    stats.add(largeValue);
    expect(stats.avg).toBeCloseTo(largeValue, 5);

    const stats2 = new EventTimeStats(largeValue + 1, largeValue, largeValue + 1, largeValue);
    stats.merge(stats2);
    expect(stats.avg).toBeCloseTo(largeValue + 0.5, 5);
  });

  it('EventTimeWatermarkSuite: EventTimeStats: zero merge zero', () => {
    const stats = EventTimeStats.zero();
    const stats2 = EventTimeStats.zero();
    stats.merge(stats2);
    expect(stats).toEqual(EventTimeStats.zero());
  });

  it('EventTimeWatermarkSuite: EventTimeStats: non-zero merge zero', () => {
    const stats = new EventTimeStats(10, 1, 5.0, 3);
    const stats2 = EventTimeStats.zero();
    stats.merge(stats2);
    expect(stats.max).toBe(10);
    expect(stats.min).toBe(1);
    expect(stats.avg).toBeCloseTo(5.0, 5);
    expect(stats.count).toBe(3);
  });

  it('EventTimeWatermarkSuite: EventTimeStats: zero merge non-zero', () => {
    const stats = EventTimeStats.zero();
    const stats2 = new EventTimeStats(10, 1, 5.0, 3);
    stats.merge(stats2);
    expect(stats.max).toBe(10);
    expect(stats.min).toBe(1);
    expect(stats.avg).toBeCloseTo(5.0, 5);
    expect(stats.count).toBe(3);
  });

  it('EventTimeWatermarkSuite: error on bad column', () => {
    const inputData = MemoryStream.of(spark, 'value INT').toDF();
    const e = intercept(() => inputData.withWatermark('badColumn', '1 minute'));
    expect(e).toBeInstanceOf(AnalysisException);
    expect(e.message).toContain('badColumn');
  });

  it('EventTimeWatermarkSuite: error on wrong type', () => {
    // Spark 4's EVENT_TIME_IS_NOT_ON_TIMESTAMP_TYPE names the type in capitals ("INT"); the
    // lowercase "int" is in the analyzed plan the message carries (`value#2: int`).
    const inputData = MemoryStream.of(spark, 'value INT').toDF();
    const e = intercept(() => inputData.withWatermark('value', '1 minute'));
    expect(e).toBeInstanceOf(AnalysisException);
    expect(e.message).toContain('value');
    expect(e.message).toContain('int');
  });

  it('EventTimeWatermarkSuite: event time and watermark metrics', () => {
    // No event time metrics when there is no watermarking
    const inputData1 = MemoryStream.of(spark, 'value INT');
    const t1 = new SparkStreamTest(windowedCount(inputData1, false), 'complete')
      .add([inputData1, ints(15)])
      .checkAnswer([15, 1]);
    assertEventStats(t1, (e) => expect(e).toEqual({}));
    t1.add([inputData1, ints(10, 12, 14)]).checkAnswer([10, 3], [15, 1]);
    assertEventStats(t1, (e) => expect(e).toEqual({}));

    // All event time metrics where watermarking is set
    const inputData2 = MemoryStream.of(spark, 'value INT');
    const t2 = new SparkStreamTest(windowedCount(inputData2))
      .add([inputData2, ints(15)])
      .checkAnswer();
    assertEventStatsOf(t2, 15, 15, 15, 0);
    t2.add([inputData2, ints(10, 12, 14)]).checkAnswer();
    assertEventStatsOf(t2, 10, 14, 12, 5);
    t2.add([inputData2, ints(25)]).checkAnswer([10, 3]);
    assertEventStatsOf(t2, 25, 25, 25, 5);
  });

  it('EventTimeWatermarkSuite: event time and watermark metrics with Trigger.Once (SPARK-24699)', () => {
    // All event time metrics where watermarking is set
    const inputData = MemoryStream.of(spark, 'value INT');
    // Trigger.Once runs one trigger each time the query starts, and no no-data batch: on a manual
    // clock, a start runs the data added before it (Spark's StartStream(Trigger.Once)), and the
    // query then stops (awaitTermination).
    const t = new SparkStreamTest(windowedCount(inputData)).withManualClock().stopStream();
    const startOnce = (): void => {
      t.startStream().stopStream();
    };

    startOnce(); // to make sure the query is not running when adding data 1st time

    t.add([inputData, ints(15)]);
    startOnce();
    t.checkNewAnswer();
    assertEventStatsOf(t, 15, 15, 15, 0);
    // watermark should be updated to 15 - 10 = 5

    t.add([inputData, ints(10, 12, 14)]);
    startOnce();
    t.checkNewAnswer();
    assertEventStatsOf(t, 10, 14, 12, 5);
    // watermark should stay at 5

    t.add([inputData, ints(25)]);
    startOnce();
    t.checkNewAnswer();
    assertEventStatsOf(t, 25, 25, 25, 5);
    // watermark should be updated to 25 - 10 = 15

    t.add([inputData, ints(50)]);
    startOnce();
    t.checkNewAnswer([10, 3]); // watermark = 15 is used to generate this
    assertEventStatsOf(t, 50, 50, 50, 15);
    // watermark should be updated to 50 - 10 = 40

    t.add([inputData, ints(50)]);
    startOnce();
    t.checkNewAnswer([15, 1], [25, 1]); // watermark = 40 is used to generate this
    assertEventStatsOf(t, 50, 50, 50, 40);
  });

  it('EventTimeWatermarkSuite: append mode', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const t = new SparkStreamTest(windowedCount(inputData))
      .add([inputData, ints(10, 11, 12, 13, 14, 15)])
      .checkNewAnswer()
      .add([inputData, ints(25)]) // Advance watermark to 15 seconds
      .checkNewAnswer([10, 5]);
    assertNumStateRows(t, 2);
    assertNumRowsDroppedByWatermark(t, 0);
    t.add([inputData, ints(10)]) // Should not emit anything as data less than watermark
      .checkNewAnswer();
    assertNumStateRows(t, 2);
    assertNumRowsDroppedByWatermark(t, 1);
  });

  it('EventTimeWatermarkSuite: update mode', () => {
    withSQLConf('spark.sql.shuffle.partitions', '10', () => {
      const inputData = MemoryStream.of(spark, 'value INT');
      const t = new SparkStreamTest(windowedCount(inputData), 'update')
        .add([inputData, ints(10, 11, 12, 13, 14, 15)])
        .checkNewAnswer([10, 5], [15, 1])
        .add([inputData, ints(25)]) // Advance watermark to 15 seconds
        .checkNewAnswer([25, 1]);
      assertNumStateRows(t, 2);
      assertNumRowsDroppedByWatermark(t, 0);
      t.add([inputData, ints(10, 25)]) // Ignore 10 as its less than watermark
        .checkNewAnswer([25, 2]);
      assertNumStateRows(t, 2);
      assertNumRowsDroppedByWatermark(t, 1);
      t.add([inputData, ints(10)]) // Should not emit anything as data less than watermark
        .checkNewAnswer();
      assertNumStateRows(t, 2);
      assertNumRowsDroppedByWatermark(t, 1);
    });
  });

  it('EventTimeWatermarkSuite: delay in months and years handled correctly', () => {
    const currentTimeMs = Date.now();
    const currentSeconds = Math.floor(currentTimeMs / 1000);

    const input = MemoryStream.of(spark, 'value BIGINT');
    const aggWithWatermark = input.toDF()
      .withColumn('eventTime', timestamp_seconds(col('value')))
      .withWatermark('eventTime', '2 years 5 months')
      .groupBy(window(col('eventTime'), '5 seconds').alias('window'))
      .agg(count('*').alias('count'))
      .select(col('window').getField('start').cast('long'), col('count'));

    // Spark's Calendar in the JVM's time zone; UTC here.
    const monthsSinceEpoch = (ms: number): number => {
      const d = new Date(ms);
      return d.getUTCFullYear() * 12 + d.getUTCMonth();
    };

    const t = new SparkStreamTest(aggWithWatermark)
      .add([input, [[currentSeconds]]])
      .checkAnswer()
      .add([input, [[currentSeconds]]])
      .checkAnswer();
    assertEventStats(t, (e) => {
      expect(Date.parse(e['max'] ?? '')).toBe(currentSeconds * 1000);
      const watermarkTime = Date.parse(e['watermark'] ?? '');
      const monthDiff = monthsSinceEpoch(currentTimeMs) - monthsSinceEpoch(watermarkTime);
      // monthsSinceEpoch is like `math.floor(num)`, so monthDiff has two possible values.
      expect([29, 30]).toContain(monthDiff);
    });
  });

  it('EventTimeWatermarkSuite: recovery', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const t = new SparkStreamTest(windowedCount(inputData))
      .add([inputData, ints(10, 11, 12, 13, 14, 15)])
      .checkAnswer()
      .add([inputData, ints(25)]) // Advance watermark to 15 seconds
      .checkAnswer([10, 5])
      .stopStream();
    // Spark: "purge commit and clear the sink" — commitLog.purge(latest) removes the commits
    // *before* the latest one, so no batch runs again; the memory sink is cleared, so each
    // CheckAnswer below sees only what the sink got from here on: every row before this point
    // having been checked, that is what CheckNewAnswer sees.
    t.startStream()
      .add([inputData, ints(10, 27, 30)]) // Advance watermark to 20 seconds, 10 should be ignored
      .checkNewAnswer([15, 1]) // CheckAnswer((15, 1))
      .restart()
      .add([inputData, ints(17)]) // Watermark should still be 20 seconds, 17 should be ignored
      .checkNewAnswer() // CheckAnswer((15, 1)): nothing new since
      .add([inputData, ints(40)]) // Advance watermark to 30 seconds, emit first data 25
      .checkNewAnswer([25, 2]);
  });

  it('EventTimeWatermarkSuite: watermark with 2 streams', () => {
    const first = MemoryStream.of(spark, 'value INT');
    const firstDf = first.toDF().withColumn('eventTime', col('value').cast('timestamp')).withWatermark('eventTime', '10 seconds').select('value');
    const second = MemoryStream.of(spark, 'value INT');
    const secondDf = second.toDF().withColumn('eventTime', col('value').cast('timestamp')).withWatermark('eventTime', '5 seconds').select('value');
    const union = new SparkStreamTest(firstDf.union(secondDf).agg(sum('value')), 'complete');

    const getWatermarkAfterData = (firstData: number[] = [], secondData: number[] = []): number => {
      if (firstData.length > 0 || secondData.length > 0) union.add([first, ints(...firstData)], [second, ints(...secondData)]);
      // add a dummy batch so lastExecution has the new watermark
      union.add([first, ints(0)]);
      return union.lastBatchWatermarkMs;
    };

    // Global watermark starts at 0 until we get data from both sides
    expect(getWatermarkAfterData([11])).toBe(0);
    expect(getWatermarkAfterData([], [6])).toBe(1000);
    // Global watermark stays at left watermark 1 when right watermark moves to 2
    expect(getWatermarkAfterData([], [8])).toBe(1000);
    // Global watermark switches to right side value 2 when left watermark goes higher
    expect(getWatermarkAfterData([21])).toBe(3000);
    // Global watermark goes back to left
    expect(getWatermarkAfterData([], [17, 28, 39])).toBe(11000);
    // Global watermark stays on left as long as it's below right
    expect(getWatermarkAfterData([31])).toBe(21000);
    expect(getWatermarkAfterData([41])).toBe(31000);
    // Global watermark switches back to right again
    expect(getWatermarkAfterData([51])).toBe(34000);

    // Global watermark is updated correctly with simultaneous data from both sides
    expect(getWatermarkAfterData([100], [100])).toBe(90000);
    expect(getWatermarkAfterData([120], [110])).toBe(105000);
    expect(getWatermarkAfterData([130], [125])).toBe(120000);

    // Global watermark doesn't decrement with simultaneous data
    expect(getWatermarkAfterData([100], [100])).toBe(120000);
    expect(getWatermarkAfterData([140], [100])).toBe(120000);
    expect(getWatermarkAfterData([100], [135])).toBe(130000);

    // Global watermark recovers after restart, but left side watermark ahead of it does not.
    expect(getWatermarkAfterData([200], [190])).toBe(185000);
    union.restart();
    expect(getWatermarkAfterData()).toBe(185000);
    // Even though the left side was ahead of 185000 in the last execution, the watermark won't
    // increment until it gets past it in this execution.
    expect(getWatermarkAfterData([], [200])).toBe(185000);
    expect(getWatermarkAfterData([200])).toBe(190000);
  });

  it('EventTimeWatermarkSuite: complete mode', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    // No eviction when asked to compute complete results.
    new SparkStreamTest(windowedCount(inputData), 'complete')
      .add([inputData, ints(10, 11, 12)])
      .checkAnswer([10, 3])
      .add([inputData, ints(25)])
      .checkAnswer([10, 3], [25, 1])
      .add([inputData, ints(25)])
      .checkAnswer([10, 3], [25, 2])
      .add([inputData, ints(10)])
      .checkAnswer([10, 4], [25, 2])
      .add([inputData, ints(25)])
      .checkAnswer([10, 4], [25, 3]);
  });

  it('EventTimeWatermarkSuite: group by on raw timestamp', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const windowedAggregation = inputData.toDF()
      .withColumn('eventTime', timestamp_seconds(col('value')))
      .withWatermark('eventTime', '10 seconds')
      .groupBy(col('eventTime'))
      .agg(count('*').alias('count'))
      .select(col('eventTime').cast('long'), col('count'));
    new SparkStreamTest(windowedAggregation)
      .add([inputData, ints(10)])
      .checkAnswer()
      .add([inputData, ints(25)]) // Advance watermark to 15 seconds
      .checkAnswer([10, 1]);
  });

  it('EventTimeWatermarkSuite: delay threshold should not be negative.', () => {
    const inputData = MemoryStream.of(spark, 'value INT').toDF();
    for (const delay of ['-1 year', '1 year -13 months', '1 month -40 days', '-10 seconds']) {
      const e = intercept(() => inputData.withWatermark('value', delay));
      expect(e).toBeInstanceOf(IllegalArgumentError);
      expect(e.message).toContain('should not be negative.');
    }
  });

  function buildTestQueryForOverridingWatermark(): [MemoryStream, DataFrame] {
    const input = MemoryStream.of(spark, '_1 BIGINT, _2 BIGINT');
    const df = input.toDF()
      .withColumn('first', timestamp_seconds(col('_1')))
      .withColumn('second', timestamp_seconds(col('_2')))
      .withWatermark('first', '1 minute')
      .select('*')
      .withWatermark('second', '2 minutes')
      .groupBy(window(col('second'), '1 minute'))
      .count();
    return [input, df];
  }

  it('EventTimeWatermarkSuite: overriding watermark should not be allowed by default', () => {
    const [input, df] = buildTestQueryForOverridingWatermark();
    const t = new SparkStreamTest(df);
    // AddData then ExpectFailure: the query fails in a batch it runs for this data.
    const exc = intercept(() => t.add([input, [[100, 200]]]));
    expect(exc).toBeInstanceOf(AnalysisException);
    expect(exc.message).toContain('Redefining watermark is disallowed.');
    expect(exc.message).toContain('spark.sql.streaming.statefulOperator.allowMultiple');
  });

  it('EventTimeWatermarkSuite: overriding watermark should not fail in compatibility mode', () => {
    withSQLConf('spark.sql.streaming.statefulOperator.allowMultiple', 'false', () => {
      const [input, df] = buildTestQueryForOverridingWatermark();
      const t = new SparkStreamTest(df).add([input, [[100, 200]]]).checkAnswer();
      // - watermark from first definition = 100 - 60 = 40
      // - watermark from second definition = 200 - 120 = 80
      // - global watermark = min(40, 60) = 40
      // (Spark: the aggregation's eventTimeWatermarkForLateEvents and ForEviction, in the last
      // execution; here the watermark that execution ran at.)
      const expectedWatermarkMs = 40 * 1000;
      expect(t.lastBatchWatermarkMs).toBe(expectedWatermarkMs);
      // The aggregation's event-time key: the window, with the 2 minutes delay threshold.
      const agg = df.plan.node === 'Aggregate' ? df.plan : null;
      const keys = agg === null ? [] : compilePlan(agg, spark.timeZone).output.slice(0, agg.grouping.length);
      const eventTimeCols = keys.filter((f) => f.eventTimeDelayMs !== undefined);
      expect(eventTimeCols.length).toBe(1);
      expect(eventTimeCols[0]?.name).toBe('window');
      expect(eventTimeCols[0]?.eventTimeDelayMs).toBe(120 * 1000);
    });
  });

  function buildTestQueryForMultiEventTimeColumns(): [MemoryStream, MemoryStream, DataFrame] {
    const input1 = MemoryStream.of(spark, '_1 STRING, _2 BIGINT');
    const input2 = MemoryStream.of(spark, '_1 STRING, _2 BIGINT');
    const df1 = input1.toDF()
      .selectExpr('_1 AS id1', 'timestamp_seconds(_2) AS ts1')
      .withWatermark('ts1', '1 minute');
    const df2 = input2.toDF()
      .selectExpr('_1 AS id2', 'timestamp_seconds(_2) AS ts2')
      .withWatermark('ts2', '2 minutes');
    const joined = df1.join(df2, expr('id1 = id2 AND ts1 = ts2 + INTERVAL 10 SECONDS'), 'inner')
      .selectExpr('id1', 'ts1', 'ts2');
    // the output of join contains both ts1 and ts2
    const dedup = joined.dropDuplicates()
      .selectExpr('id1', 'CAST(ts1 AS LONG) AS ts1', 'CAST(ts2 AS LONG) AS ts2');
    return [input1, input2, dedup];
  }

  it('EventTimeWatermarkSuite: multiple event time columns in an input DataFrame for stateful operator is not allowed', () => {
    // for ease of verification, we change the session timezone to UTC (this file's session is)
    const [input1, input2, dedup] = buildTestQueryForMultiEventTimeColumns();
    const t = new SparkStreamTest(dedup);
    const exc = intercept(() => t.add([input1, [['A', 200], ['B', 300]]], [input2, [['A', 190], ['C', 350]]]));
    // Spark: a SparkException whose cause says so; here the error itself.
    expect(exc.message).toContain('More than one event time columns are available.');
    expect(exc.message).toContain('Please ensure there is at most one event time column per stream.');
  });

  it('EventTimeWatermarkSuite: stateful operator should pick the first occurrence of event time column if there is multiple event time columns in compatibility mode', () => {
    withSQLConf('spark.sql.streaming.statefulOperator.allowMultiple', 'false', () => {
      const [input1, input2, dedup] = buildTestQueryForMultiEventTimeColumns();
      new SparkStreamTest(dedup)
        .add([input1, [['A', 200], ['B', 300]]], [input2, [['A', 190], ['C', 350]]])
        .checkAnswer(['A', 200, 190]);
    });
  });

  it('EventTimeWatermarkSuite: EventTime watermark should be ignored in batch query.', () => {
    // Spark's testData: TestData(key: Int, value: String) for 1 to 100.
    const testData = spark.createDataFrame(Array.from({ length: 100 }, (_, i) => [i + 1, String(i + 1)]), 'key INT, value STRING');
    const df = testData
      .withColumn('eventTime', timestamp_seconds(col('key')))
      .withWatermark('eventTime', '1 minute')
      .select(col('eventTime').cast('long')); // .select("eventTime").as[Long]
    expect(collectStatic(df)).toEqual(Array.from({ length: 100 }, (_, i) => [i + 1]));
  });

  it('EventTimeWatermarkSuite: SPARK-21565: watermark operator accepts attributes from replacement', () => {
    // Spark writes Seq(("a", 100.0, new Timestamp(100L))) as JSON and reads the directory as a
    // stream: here the line Spark's JSON writer gives, read by Sluice's JSON record parser, is
    // the file source's one row.
    const schema = 'symbol STRING, price DOUBLE, eventTime TIMESTAMP';
    const input = spark.readStream.schema(schema).json(join(tmpdir(), 'sluice-spark-21565'));
    const line = '{"symbol":"a","price":100.0,"eventTime":"1970-01-01T00:00:00.100Z"}';
    const parsed = parseJsonLine(line, { schema: input.schema, timeZone: spark.timeZone, mode: 'FAILFAST', corruptColumn: '_corrupt_record' });
    if (parsed.kind !== 'row') throw new Error(`the JSON line did not parse: ${JSON.stringify(parsed)}`);

    const groupEvents = input
      .withWatermark('eventTime', '2 seconds')
      .groupBy('symbol', 'eventTime')
      .agg(count('price').alias('count'))
      .select('symbol', 'eventTime', 'count');
    const q = StreamTest.of(groupEvents.writeStream.outputMode('append').format('console'));
    q.addData([parsed.row]).processAllAvailable();
  });

  it('EventTimeWatermarkSuite: SPARK-27340 Alias on TimeWindow expression cause watermark metadata lost', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const aliasWindow = inputData.toDF()
      .withColumn('eventTime', timestamp_seconds(col('value')))
      .withWatermark('eventTime', '10 seconds')
      .select(window(col('eventTime'), '5 seconds').alias('aliasWindow'));
    // Check the eventTime metadata is kept in the top level alias.
    expect(eventTimeDelayOf(aliasWindow, 'aliasWindow')).toBeDefined();

    const windowedAggregation = aliasWindow
      .groupBy(col('aliasWindow'))
      .agg(count('*').alias('count'))
      .select(col('aliasWindow').getField('start').cast('long'), col('count'));

    const t = new SparkStreamTest(windowedAggregation)
      .add([inputData, ints(10, 11, 12, 13, 14, 15)])
      .checkNewAnswer()
      .add([inputData, ints(25)]) // Advance watermark to 15 seconds
      .checkNewAnswer([10, 5]);
    assertNumStateRows(t, 2);
    t.add([inputData, ints(10)]) // Should not emit anything as data less than watermark
      .checkNewAnswer();
    assertNumStateRows(t, 2);
  });

  it('EventTimeWatermarkSuite: test no-data flag', () => {
    const flagKey = 'spark.sql.streaming.noDataMicroBatches.enabled';
    const testWithFlag = (flag: boolean): void => withSQLConf(flagKey, String(flag), () => {
      const inputData = MemoryStream.of(spark, 'value INT');
      const windowedAggregation = inputData.toDF()
        .withColumn('eventTime', col('value').cast('timestamp'))
        .withWatermark('eventTime', '10 seconds')
        .groupBy(window('eventTime', '5 seconds').alias('window'))
        .agg(count('*').alias('count'))
        .select(col('window').getField('start').cast('long'), col('count'));
      const t = new SparkStreamTest(windowedAggregation)
        .add([inputData, ints(10, 11, 12, 13, 14, 15)])
        .checkNewAnswer()
        .add([inputData, ints(25)]); // Advance watermark to 15 seconds
      // Check if there is new answer if flag is set, no new answer otherwise
      if (flag) t.checkNewAnswer([10, 5]);
      else t.checkNewAnswer();
    });
    testWithFlag(true);
    testWithFlag(false);
  });

  it('EventTimeWatermarkSuite: MultipleWatermarkPolicy: max', () => {
    const input1 = MemoryStream.of(spark, 'value INT');
    const input2 = MemoryStream.of(spark, 'value INT');
    withSQLConf('spark.sql.streaming.multipleWatermarkPolicy', 'max', () => {
      const t = new SparkStreamTest(dfWithMultipleWatermarks(input1, input2))
        .add([input1, ints(20)], [input2, ints(30)])
        .checkLastBatch([20], [30]);
      checkWatermark(t, input1, 15); // max(20 - 10, 30 - 15) = 15
      t.restart();
      checkWatermark(t, input1, 15); // watermark recovered correctly
      t.add([input1, ints(120)], [input2, ints(130)]).checkLastBatch([120], [130]);
      checkWatermark(t, input1, 115); // max(120 - 10, 130 - 15) = 115, policy recovered correctly
      t.add([input1, ints(150)]).checkLastBatch([150]);
      checkWatermark(t, input1, 140); // should advance even if one of the input has data
    });
  });

  it('EventTimeWatermarkSuite: MultipleWatermarkPolicy: min', () => {
    const input1 = MemoryStream.of(spark, 'value INT');
    const input2 = MemoryStream.of(spark, 'value INT');
    withSQLConf('spark.sql.streaming.multipleWatermarkPolicy', 'min', () => {
      const t = new SparkStreamTest(dfWithMultipleWatermarks(input1, input2))
        .add([input1, ints(20)], [input2, ints(30)])
        .checkLastBatch([20], [30]);
      checkWatermark(t, input1, 10); // min(20 - 10, 30 - 15) = 10
      t.restart();
      checkWatermark(t, input1, 10); // watermark recovered correctly
      t.add([input1, ints(120)], [input2, ints(130)]).checkLastBatch([120], [130]);
      checkWatermark(t, input2, 110); // min(120 - 10, 130 - 15) = 110, policy recovered correctly
      t.add([input2, ints(150)]).checkLastBatch([150]);
      checkWatermark(t, input2, 110); // does not advance when only one of the input has data
    });
  });

  it('EventTimeWatermarkSuite: MultipleWatermarkPolicy: recovery from checkpoints ignores session conf', () => {
    // The policy is pinned in the checkpoint's offset log (OffsetSeqMetadata), as in Spark.
    const input1 = MemoryStream.of(spark, 'value INT');
    const input2 = MemoryStream.of(spark, 'value INT');
    let t: SparkStreamTest | undefined;
    withSQLConf('spark.sql.streaming.multipleWatermarkPolicy', 'max', () => {
      t = new SparkStreamTest(dfWithMultipleWatermarks(input1, input2))
        .add([input1, ints(20)], [input2, ints(30)])
        .checkLastBatch([20], [30]);
      checkWatermark(t, input1, 15); // max(20 - 10, 30 - 15) = 15
      t.stopStream();
    });

    withSQLConf('spark.sql.streaming.multipleWatermarkPolicy', 'min', () => {
      if (t === undefined) throw new Error('no first query');
      // StartStream(checkpointLocation = the first query's): that query on the same checkpoint.
      t.startStream(dfWithMultipleWatermarks(input1, input2));
      checkWatermark(t, input1, 15); // watermark recovered correctly
      t.add([input1, ints(120)], [input2, ints(130)]).checkLastBatch([120], [130]);
      checkWatermark(t, input1, 115); // max(120 - 10, 130 - 15) = 115, policy recovered correctly
      t.add([input1, ints(150)]).checkLastBatch([150]);
      checkWatermark(t, input1, 140); // should advance even if one of the input has data
    });
  });

  it('EventTimeWatermarkSuite: MultipleWatermarkPolicy: fail on incorrect conf values', () => {
    const invalidValues = ['', 'random'];
    for (const value of invalidValues) {
      let message = '';
      try {
        spark.conf.set('spark.sql.streaming.multipleWatermarkPolicy', value);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message.toLowerCase()).toContain("valid values are 'min' and 'max'");
    }
  });

  for (const legacyIntervalEnabled of ['true', 'false']) {
    it(`EventTimeWatermarkSuite: SPARK-35815: Support ANSI intervals for delay threshold (spark.sql.legacy.interval.enabled=${legacyIntervalEnabled})`, () => {
      withSQLConf('spark.sql.legacy.interval.enabled', legacyIntervalEnabled, () => {
        const MILLIS_PER_SECOND = 1000;
        const MILLIS_PER_MINUTE = 60 * MILLIS_PER_SECOND;
        const MILLIS_PER_HOUR = 60 * MILLIS_PER_MINUTE;
        const MILLIS_PER_DAY = 24 * MILLIS_PER_HOUR;
        const MONTHS_PER_YEAR = 12;
        const DAYS_PER_MONTH = 31;
        const cases: Array<[string[], number]> = [
          // Conventional form and some variants
          [['3 days', 'Interval 3 day', "inTerval '3' day"], 3 * MILLIS_PER_DAY],
          [[' 5 hours', 'INTERVAL 5 hour', "interval '5' hour"], 5 * MILLIS_PER_HOUR],
          [['\t8 minutes', 'interval 8 minute', "interval '8' minute"], 8 * MILLIS_PER_MINUTE],
          [['10 seconds', 'interval 10 second', "interval '10' second"], 10 * MILLIS_PER_SECOND],
          [['1 years', 'interval 1 year', "interval '1' year"], MONTHS_PER_YEAR * DAYS_PER_MONTH * MILLIS_PER_DAY],
          [['1 months', 'interval 1 month', "interval '1' month"], DAYS_PER_MONTH * MILLIS_PER_DAY],
          [[
            '1 day 2 hours 3 minutes 4 seconds',
            ' interval 1 day 2 hours 3 minutes 4 seconds',
            "\tinterval '1' day '2' hours '3' minutes '4' seconds",
            "interval '1 2:3:4' day to second",
          ], MILLIS_PER_DAY + 2 * MILLIS_PER_HOUR + 3 * MILLIS_PER_MINUTE + 4 * MILLIS_PER_SECOND],
          [[
            ' 1 year 2 months',
            'interval 1 year 2 month',
            "interval '1' year '2' month",
            "\tinterval '1-2' year to month",
          ], (MONTHS_PER_YEAR * DAYS_PER_MONTH + 2 * DAYS_PER_MONTH) * MILLIS_PER_DAY],
        ];
        for (const [delayThresholdVariants, expectedMs] of cases) {
          for (const delayThreshold of delayThresholdVariants) {
            const df = MemoryStream.of(spark, 'value INT').toDF()
              .withColumn('eventTime', timestamp_seconds(col('value')))
              .withWatermark('eventTime', delayThreshold);
            expect([delayThreshold, eventTimeDelayOf(df, 'eventTime')]).toEqual([delayThreshold, expectedMs]);
          }
        }

        // Invalid interval patterns
        for (const delayThreshold of [
          '1 foo',
          'interva 2 day',
          "intrval '3' day",
          'interval 4 foo',
          "interval '5' foo",
          "interval '1 2:3:4' day to hour",
          "interval '1 2' year to month",
        ]) {
          const e = intercept(() => MemoryStream.of(spark, 'value INT').toDF()
            .withColumn('eventTime', timestamp_seconds(col('value')))
            .withWatermark('eventTime', delayThreshold));
          expect([delayThreshold, e instanceof AnalysisException]).toEqual([delayThreshold, true]);
        }
      });
    });
  }
});
