import { SparkSession } from '../api/spark-session.js';
import { col, count, expr, sum, timestamp_seconds, window } from '../api/functions.js';
import type { DataFrame } from '../api/data-frame.js';
import { QueryManager } from '../runtime/query-manager.js';
import { MemoryStream } from '../testing/memory-stream.js';
import { SparkStreamTest } from '../testing/spark-stream-test.js';

/*
 * Spark 4's StreamingDeduplicationSuite, transcribed with Spark's inputs and expected answers.
 * Tuples of a MemoryStream are columns `_1`, `_2`, …; `assertNumStateRows` takes Spark's
 * per-operator `Seq`s as arrays, top-down.
 *
 * Not transcribed: "deduplicate with file sink" (a parquet file sink and a batch parquet read:
 * StreamTest has only its memory sink), "SPARK-39650: recovery from checkpoint having all
 * columns as value schema" and "... with changes on key schema are not allowed" (each with
 * sparkVersion 3.3.0 and 3.5.1: checkpoints written by those Spark versions), and "test that
 * avro encoding is not supported" (spark.sql.streaming.stateStore.encodingFormat, the state
 * store's row encoding).
 */

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');

type Data = ReadonlyArray<readonly unknown[]>;
const ints = (...xs: number[]): Data => xs.map((x) => [x]);
const strs = (...xs: string[]): Data => xs.map((x) => [x]);
/** `(1 to 5).flatMap(_ => (10 to 15))`. */
const fiveTimes10To15 = (): Data => ints(...Array.from({ length: 5 }, () => [10, 11, 12, 13, 14, 15]).flat());

/** Spark's `withSQLConf(key -> value) { ... }`. */
function withSQLConf(key: string, value: string, body: () => void): void {
  spark.conf.set(key, value);
  try {
    body();
  } finally {
    spark.conf.unset(key);
  }
}

/** `intercept[...] { testStream(...) }`. */
function intercept(body: () => unknown): Error {
  try {
    body();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an exception');
}

/** `inputData.toDS().withColumn("eventTime", timestamp_seconds($"value")).withWatermark(...)`. */
const withEventTime = (inputData: MemoryStream): DataFrame =>
  inputData.toDF().withColumn('eventTime', timestamp_seconds(col('value'))).withWatermark('eventTime', '10 seconds');

describe('StreamingDeduplicationSuite', () => {
  it('StreamingDeduplicationSuite: deduplicate with all columns', () => {
    const inputData = MemoryStream.of(spark, 'value STRING');
    const result = inputData.toDF().dropDuplicates();
    new SparkStreamTest(result, 'append')
      .add([inputData, strs('a')])
      .checkLastBatch(['a'])
      .assertNumStateRows(1, 1)
      .add([inputData, strs('a')])
      .checkLastBatch()
      .assertNumStateRows(1, 0)
      .add([inputData, strs('b')])
      .checkLastBatch(['b'])
      .assertNumStateRows(2, 1);
  });

  it('StreamingDeduplicationSuite: deduplicate with some columns', () => {
    const inputData = MemoryStream.of(spark, '_1 STRING, _2 INT');
    const result = inputData.toDF().dropDuplicates(['_1']);
    new SparkStreamTest(result, 'append')
      .add([inputData, [['a', 1]]])
      .checkLastBatch(['a', 1])
      .assertNumStateRows(1, 1, 0)
      .add([inputData, [['a', 2]]]) // Dropped
      .checkLastBatch()
      .assertNumStateRows(1, 0, 0)
      .add([inputData, [['b', 1]]])
      .checkLastBatch(['b', 1])
      .assertNumStateRows(2, 1, 0);
  });

  it('StreamingDeduplicationSuite: multiple deduplicates', () => {
    const inputData = MemoryStream.of(spark, '_1 STRING, _2 INT');
    const result = inputData.toDF().dropDuplicates().dropDuplicates(['_1']);
    new SparkStreamTest(result, 'append')
      .add([inputData, [['a', 1]]])
      .checkLastBatch(['a', 1])
      .assertNumStateRows([1, 1], [1, 1])

      .add([inputData, [['a', 2]]]) // Dropped from the second `dropDuplicates`
      .checkLastBatch()
      .assertNumStateRows([1, 2], [0, 1])

      .add([inputData, [['b', 1]]])
      .checkLastBatch(['b', 1])
      .assertNumStateRows([2, 3], [1, 1]);
  });

  it('StreamingDeduplicationSuite: SPARK-35896: metrics in StateOperatorProgress are output correctly', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const result = withEventTime(inputData).dropDuplicates().select(col('eventTime').cast('long'));

    // Spark starts the query with spark.sql.shuffle.partitions = 2 and at the end asserts on
    // the dedupe operator's 2 shuffle partitions and 2 state store instances, which Sluice has
    // not (there the progress is only marked checked).
    withSQLConf('spark.sql.shuffle.partitions', '2', () => {
      new SparkStreamTest(result, 'append')
        .add([inputData, fiveTimes10To15()])
        .checkAnswer(...ints(10, 11, 12, 13, 14, 15))
        .assertNumStateRows([6], [6], [0], [0])

        .add([inputData, ints(25)]) // Advance watermark to 15 secs, no-data-batch drops rows <= 15
        .checkNewAnswer([25])
        .assertNumStateRows([1], [1], [0], [6])

        .add([inputData, ints(10)]) // Should not emit anything as data less than watermark
        .checkNewAnswer()
        .assertNumStateRows([1], [0], [1], [0])

        .add([inputData, ints(10)])
        .checkNewAnswer()
        .markProgressChecked(); // assertStateOperatorProgressMetric("dedupe", 2, 2)
    });
  });

  it('StreamingDeduplicationSuite: deduplicate with watermark', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const result = withEventTime(inputData).dropDuplicates().select(col('eventTime').cast('long'));
    new SparkStreamTest(result, 'append')
      .add([inputData, fiveTimes10To15()])
      .checkAnswer(...ints(10, 11, 12, 13, 14, 15))
      .assertNumStateRows(6, 6)

      .add([inputData, ints(25)]) // Advance watermark to 15 secs, no-data-batch drops rows <= 15
      .checkNewAnswer([25])
      .assertNumStateRows(1, 1)

      .add([inputData, ints(10)]) // Should not emit anything as data less than watermark
      .checkNewAnswer()
      .assertNumStateRows(1, 0, 1)

      .add([inputData, ints(45)]) // Advance watermark to 35 seconds, no-data-batch drops row 25
      .checkNewAnswer([45])
      .assertNumStateRows(1, 1);
  });

  it('StreamingDeduplicationSuite: deduplicate with aggregate - append mode', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const windowedaggregate = withEventTime(inputData)
      .dropDuplicates()
      .groupBy(window(col('eventTime'), '5 seconds').alias('window'))
      .agg(count('*').alias('count'))
      .select(col('window').getField('start').cast('long'), col('count'));

    new SparkStreamTest(windowedaggregate)
      .add([inputData, fiveTimes10To15()])
      .checkLastBatch()
      // states in aggregate in [10, 14), [15, 20) (2 windows)
      // states in deduplicate is 10 to 15
      .assertNumStateRows([2, 6], [2, 6])

      .add([inputData, ints(25)]) // Advance watermark to 15 seconds
      .checkLastBatch([10, 5]) // 5 items (10 to 14) after deduplicate, emitted with no-data-batch
      // states in aggregate in [15, 20) and [25, 30); no-data-batch removed [10, 14)
      // states in deduplicate is 25, no-data-batch removed 10 to 14
      .assertNumStateRows([2, 1], [1, 1])

      .add([inputData, ints(10)]) // Should not emit anything as data less than watermark
      .checkLastBatch()
      .assertNumStateRows([2, 1], [0, 0], [0, 1])

      .add([inputData, ints(40)]) // Advance watermark to 30 seconds
      .checkLastBatch([15, 1], [25, 1])
      // states in aggregate is [40, 45); no-data-batch removed [15, 20) and [25, 30)
      // states in deduplicate is 40; no-data-batch removed 25
      .assertNumStateRows([1, 1], [1, 1]);
  });

  const strNum = (inputData: MemoryStream): DataFrame => inputData.toDF()
    .select(col('_1').alias('str'), col('_2').alias('num'))
    .dropDuplicates()
    .groupBy('str')
    .agg(sum('num'));

  it('StreamingDeduplicationSuite: deduplicate with aggregate - update mode', () => {
    const inputData = MemoryStream.of(spark, '_1 STRING, _2 INT');
    new SparkStreamTest(strNum(inputData), 'update')
      .add([inputData, [['a', 1]]])
      .checkLastBatch(['a', 1])
      .assertNumStateRows([1, 1], [1, 1])
      .add([inputData, [['a', 1]]]) // Dropped
      .checkLastBatch()
      .assertNumStateRows([1, 1], [0, 0])
      .add([inputData, [['a', 2]]])
      .checkLastBatch(['a', 3])
      .assertNumStateRows([1, 2], [1, 1])
      .add([inputData, [['b', 1]]])
      .checkLastBatch(['b', 1])
      .assertNumStateRows([2, 3], [1, 1]);
  });

  it('StreamingDeduplicationSuite: deduplicate with aggregate - complete mode', () => {
    const inputData = MemoryStream.of(spark, '_1 STRING, _2 INT');
    new SparkStreamTest(strNum(inputData), 'complete')
      .add([inputData, [['a', 1]]])
      .checkLastBatch(['a', 1])
      .assertNumStateRows([1, 1], [1, 1])
      .add([inputData, [['a', 1]]]) // Dropped
      .checkLastBatch(['a', 1])
      .assertNumStateRows([1, 1], [0, 0])
      .add([inputData, [['a', 2]]])
      .checkLastBatch(['a', 3])
      .assertNumStateRows([1, 2], [1, 1])
      .add([inputData, [['b', 1]]])
      .checkLastBatch(['a', 3], ['b', 1])
      .assertNumStateRows([2, 3], [1, 1]);
  });

  it('StreamingDeduplicationSuite: SPARK-19841: watermarkPredicate should filter based on keys', () => {
    const input = MemoryStream.of(spark, '_1 INT, _2 INT');
    const df = input.toDF().toDF('time', 'id')
      .withColumn('time', timestamp_seconds(col('time')))
      .withWatermark('time', '1 second')
      .dropDuplicates(['id', 'time']) // Change the column positions
      .select(col('id'));
    new SparkStreamTest(df)
      .add([input, [[1, 1], [1, 1], [1, 2]]])
      .checkAnswer([1], [2])
      .add([input, [[1, 1], [2, 3], [2, 4]]])
      .checkNewAnswer([3], [4])
      .add([input, [[1, 0], [1, 1], [3, 5], [3, 6]]]) // Drop (1 -> 0, 1 -> 1) due to watermark
      .checkNewAnswer([5], [6])
      .add([input, [[1, 0], [4, 7]]]) // Drop (1 -> 0) due to watermark
      .checkNewAnswer([7]);
  });

  it("StreamingDeduplicationSuite: SPARK-21546: dropDuplicates should ignore watermark when it's not a key", () => {
    const input = MemoryStream.of(spark, '_1 INT, _2 INT');
    const df = input.toDF().toDF('id', 'time')
      .withColumn('time', timestamp_seconds(col('time')))
      .withWatermark('time', '1 second')
      .dropDuplicates(['id'])
      .select(col('id'), col('time').cast('long'));
    new SparkStreamTest(df)
      .add([input, [[1, 1], [1, 2], [2, 2]]])
      .checkAnswer([1, 1], [2, 2]);
  });

  it('StreamingDeduplicationSuite: test no-data flag', () => {
    const flagKey = 'spark.sql.streaming.noDataMicroBatches.enabled';

    const testWithFlag = (flag: boolean): void => withSQLConf(flagKey, String(flag), () => {
      const inputData = MemoryStream.of(spark, 'value INT');
      const result = withEventTime(inputData).dropDuplicates().select(col('eventTime').cast('long'));

      const t = new SparkStreamTest(result, 'append')
        .add([inputData, ints(10, 11, 12, 13, 14, 15)])
        .checkAnswer(...ints(10, 11, 12, 13, 14, 15))
        .assertNumStateRows(6, 6)

        .add([inputData, ints(25)]) // Advance watermark to 15 seconds
        .checkNewAnswer([25]);
      // State should have been cleaned if flag is set, otherwise should not have been cleaned
      if (flag) t.assertNumStateRows(1, 1);
      else t.assertNumStateRows(7, 1);
      // Spark: eventually(timeout(streamingTimeout)) { q.lastProgress.sink.numOutputRows == 0 }.
      // With the flag, the last progress is the no-data batch's. Without it, the last batch
      // output 25, and the check holds once the idle query reports an idle trigger's progress
      // (each spark.sql.streaming.noDataProgressEventInterval), whose numOutputRows is 0
      // (ProgressContext.resetExecStatsForNoExecution): StreamTest records no idle progress.
      if (flag) expect(t.lastProgress.numOutputRows).toBe(0);
    });

    testWithFlag(true);
    testWithFlag(false);
  });

  it("StreamingDeduplicationSuite: SPARK-29438: ensure UNION doesn't lead streaming deduplication to use shifted partition IDs", () => {
    // Spark's MemoryStream[Int](desiredPartitionsForInput1): Sluice has no partitions.
    const constructUnionDf = (): [MemoryStream, MemoryStream, DataFrame] => {
      const input1 = MemoryStream.of(spark, 'value INT');
      const input2 = MemoryStream.of(spark, 'value INT');
      const df1 = input1.toDF().select(col('value'));
      const df2 = input2.toDF().dropDuplicates(['value']);
      // Unioned DF would have columns as (Int)
      return [input1, input2, df1.union(df2)];
    };

    const [input1, input2, unionDf] = constructUnionDf();
    const t = new SparkStreamTest(unionDf, 'append')
      .add([input1, ints(11, 12)], [input2, ints(21, 22)])
      .checkNewAnswer([11], [12], [21], [22])
      .stopStream();

    // We're restoring the query with different number of partitions in left side of UNION,
    // which may lead right side of union to have mismatched partition IDs (e.g. if it relies on
    // TaskContext.partitionId()). This test will verify streaming deduplication doesn't have
    // such issue.
    const [newInput1, newInput2, newUnionDf] = constructUnionDf();
    // Spark first adds (11, 12) and (21, 22) to the new streams so that their offsets are the
    // checkpoint's (that batch does not run again); Sluice's restart goes on from the checkpoint.
    t.startStream(newUnionDf)
      .add([newInput1, ints(13, 14)], [newInput2, ints(22, 23)])
      .checkNewAnswer([13], [14], [23]);
  });

  it('StreamingDeduplicationSuite: SPARK-35880: custom metric numDroppedDuplicateRows in state operator progress', () => {
    /** Spark's assertStateOperatorCustomMetric: summed over the progress since its last check. */
    const customMetric = (): ((t: SparkStreamTest, metric: string, expected: number) => void) => {
      let checked = 0;
      return (t, metric, expected) => {
        const since = t.progress.slice(checked);
        checked = t.progress.length;
        const values = since.map((p) => (p.stateOperators[0] as { customMetrics?: Readonly<Record<string, number>> } | undefined)?.customMetrics?.[metric]);
        expect(values.every((v) => v !== undefined)).toBe(true);
        expect(values.reduce<number>((a, b) => a + (b ?? 0), 0)).toBe(expected);
      };
    };

    const dedupeInputData = MemoryStream.of(spark, '_1 STRING, _2 INT');
    const dedupe = dedupeInputData.toDF().dropDuplicates(['_1']);
    const check1 = customMetric();
    const t1 = new SparkStreamTest(dedupe, 'append')
      .add([dedupeInputData, [['a', 1]]])
      .checkLastBatch(['a', 1]);
    check1(t1, 'numDroppedDuplicateRows', 0);
    t1.add([dedupeInputData, [['a', 2], ['b', 3]]])
      .checkLastBatch(['b', 3]);
    check1(t1, 'numDroppedDuplicateRows', 1);
    t1.add([dedupeInputData, [['a', 5], ['b', 2], ['c', 9]]])
      .checkLastBatch(['c', 9]);
    check1(t1, 'numDroppedDuplicateRows', 2);

    // with watermark
    const dedupeWithWMInputData = MemoryStream.of(spark, 'value INT');
    const dedupeWithWatermark = withEventTime(dedupeWithWMInputData).dropDuplicates().select(col('eventTime').cast('long'));
    const check2 = customMetric();
    const t2 = new SparkStreamTest(dedupeWithWatermark, 'append')
      .add([dedupeWithWMInputData, fiveTimes10To15()])
      .checkAnswer(...ints(10, 11, 12, 13, 14, 15));
    check2(t2, 'numDroppedDuplicateRows', 24);
    t2.add([dedupeWithWMInputData, ints(14)])
      .checkNewAnswer();
    check2(t2, 'numDroppedDuplicateRows', 1);
    // Advance watermark to 15 secs, no-data-batch drops rows <= 15
    t2.add([dedupeWithWMInputData, ints(25)])
      .checkNewAnswer([25]);
    check2(t2, 'numDroppedDuplicateRows', 0);
    t2.add([dedupeWithWMInputData, ints(10)]) // Should not emit anything as data less than watermark
      .checkNewAnswer();
    check2(t2, 'numDroppedDuplicateRows', 0);
    t2.add([dedupeWithWMInputData, ints(26, 26)])
      .checkNewAnswer([26]);
    check2(t2, 'numDroppedDuplicateRows', 1);
  });

  it('StreamingDeduplicationSuite: SPARK-39650: duplicate with specific keys should allow input to change schema', () => {
    const dedupeInputData = MemoryStream.of(spark, '_1 STRING, _2 INT');
    const dedupe = dedupeInputData.toDF().dropDuplicates(['_1']);

    const t = new SparkStreamTest(dedupe, 'append')
      .add([dedupeInputData, [['a', 1]]])
      .checkLastBatch(['a', 1])
      .add([dedupeInputData, [['a', 2], ['b', 3]]])
      .checkLastBatch(['b', 3])
      .stopStream();

    const dedupeInputData2 = MemoryStream.of(spark, '_1 STRING, _2 INT, _3 STRING');
    const dedupe2 = dedupeInputData2.toDF().dropDuplicates(['_1']);

    // Spark initializes the new memory stream with the previously executed batches
    // (("a", 1, "dummy"), then ("a", 2, "dummy"), ("b", 3, "dummy")) so that its offsets are the
    // checkpoint's; Sluice's restart goes on from the checkpoint.
    t.startStream(dedupe2)
      .add([dedupeInputData2, [['a', 5, 'a'], ['b', 2, 'b'], ['c', 9, 'c']]])
      .checkLastBatch(['c', 9, 'c']);
  });

  // Sluice has neither try_cast nor collations (`STRING COLLATE UTF8_BINARY` does not parse).
  it.failing('StreamingDeduplicationSuite: collation aware deduplication', () => {
    const inputData = MemoryStream.of(spark, '_1 STRING, _2 INT');
    const result = inputData.toDF()
      .select(expr('try_cast(_1 AS STRING COLLATE UTF8_BINARY)').alias('str'), col('_2').alias('int'))
      .dropDuplicates(['str']);

    new SparkStreamTest(result, 'append')
      .add([inputData, [['a', 1]]])
      .checkLastBatch(['a', 1])
      .assertNumStateRows(1, 1, 0)
      .add([inputData, [['a', 2]]]) // Dropped
      .checkLastBatch()
      .assertNumStateRows(1, 0, 0)
      .add([inputData, [['ä', 1]]])
      .checkLastBatch(['ä', 1])
      .assertNumStateRows(2, 1, 0);
  });

  // Sluice has neither try_cast nor collations (`STRING COLLATE UTF8_LCASE` does not parse).
  it.failing('StreamingDeduplicationSuite: non-binary collation aware deduplication not supported', () => {
    const inputData = MemoryStream.of(spark, 'value STRING');
    const ex = intercept(() => {
      const result = inputData.toDF()
        .select(expr('try_cast(value AS STRING COLLATE UTF8_LCASE)').alias('str'))
        .dropDuplicates(['str']);
      new SparkStreamTest(result, 'append')
        .add([inputData, strs('a')])
        .checkLastBatch(['a']);
    });
    // checkError(condition = "STATE_STORE_UNSUPPORTED_OPERATION_BINARY_INEQUALITY",
    //   parameters = Map("schema" -> ".+\"str\":\"spark.UTF8_LCASE\".+"), matchPVals = true)
    expect(ex.message).toContain('STATE_STORE_UNSUPPORTED_OPERATION_BINARY_INEQUALITY');
    expect(ex.message).toMatch(/.+"str":"spark\.UTF8_LCASE".+/);
  });
});
