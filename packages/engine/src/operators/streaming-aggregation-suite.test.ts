import { SparkSession } from '../api/spark-session.js';
import { col, collect_list, count, explode, expr, last, timestamp_seconds, window } from '../api/functions.js';
import type { DataFrame } from '../api/data-frame.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { QueryManager } from '../runtime/query-manager.js';
import { MemoryStream } from '../testing/memory-stream.js';
import { SparkStreamTest } from '../testing/spark-stream-test.js';

/*
 * Spark 4's StreamingAggregationSuite, transcribed with Spark's inputs and expected answers.
 * Spark runs most tests once per state format version (`- state format version 1/2`); Sluice
 * has one state format, so each runs once here, under the name without the suffix. Tuples of
 * a MemoryStream are columns `_1`, `_2`, …; `Trigger.ProcessingTime` with a manual clock is
 * `withManualClock()`, and Spark's `AddData` then `AdvanceManualClock` runs the batch at the
 * advanced clock, as here.
 *
 * Not transcribed (Spark internals): SPARK-21977 (both: coalesce(1), a BlockRDD-backed source,
 * the physical plan's exchanges and partition counts), recovery from a Spark 2.3.1 checkpoint
 * (state format version 1), and "changing schema of state when restarting query - schema check
 * off" (the state store's format validation and schema check switched off).
 */

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');

type Data = ReadonlyArray<readonly unknown[]>;
const ints = (...xs: number[]): Data => xs.map((x) => [x]);

const SECONDS_PER_DAY = 86400;
const MILLIS_PER_DAY = SECONDS_PER_DAY * 1000;

/** Spark's `withSQLConf(key -> value) { ... }`. */
function withSQLConf(key: string, value: string, body: () => void): void {
  spark.conf.set(key, value);
  try {
    body();
  } finally {
    spark.conf.unset(key);
  }
}

/** `intercept[...] { testStream(...) }`: the error starting the query threw. */
function intercept(body: () => unknown): Error {
  try {
    body();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an exception');
}

const simpleCount = (inputData: MemoryStream): DataFrame => inputData.toDF().groupBy(col('value')).agg(count('*'));

describe('StreamingAggregationSuite', () => {
  it('StreamingAggregationSuite: simple count, update mode', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    new SparkStreamTest(simpleCount(inputData), 'update')
      .add([inputData, ints(3)])
      .checkLastBatch([3, 1])
      .add([inputData, ints(3, 2)])
      .checkLastBatch([3, 2], [2, 1])
      .restart()
      .add([inputData, ints(3, 2, 1)])
      .checkLastBatch([3, 3], [2, 2], [1, 1])
      // By default we run in new tuple mode.
      .add([inputData, ints(4, 4, 4, 4)])
      .checkLastBatch([4, 4]);
  });

  it('StreamingAggregationSuite: count distinct', () => {
    const inputData = MemoryStream.of(spark, '_1 INT, _2 ARRAY<INT>');
    const aggregated = inputData.toDF()
      .select(col('*'), explode(col('_2')).alias('value'))
      .groupBy(col('_1'))
      .agg(expr('size(collect_set(value))'));
    new SparkStreamTest(aggregated, 'update')
      .add([inputData, [[1, [1, 2]]]])
      .checkLastBatch([1, 2]);
  });

  it('StreamingAggregationSuite: simple count, complete mode', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    new SparkStreamTest(simpleCount(inputData), 'complete')
      .add([inputData, ints(3)])
      .checkLastBatch([3, 1])
      .add([inputData, ints(2)])
      .checkLastBatch([3, 1], [2, 1])
      .restart()
      .add([inputData, ints(3, 2, 1)])
      .checkLastBatch([3, 2], [2, 2], [1, 1])
      .add([inputData, ints(4, 4, 4, 4)])
      .checkLastBatch([4, 4], [3, 2], [2, 2], [1, 1]);
  });

  it('StreamingAggregationSuite: simple count, append mode', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const e = intercept(() => new SparkStreamTest(simpleCount(inputData), 'append'));
    expect(e).toBeInstanceOf(AnalysisException);
    for (const m of ['append', 'not supported']) expect(e.message.toLowerCase()).toContain(m.toLowerCase());
  });

  it('StreamingAggregationSuite: sort after aggregate in complete mode', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const aggregated = simpleCount(inputData).toDF('value', 'count').orderBy(col('count').desc());
    new SparkStreamTest(aggregated, 'complete')
      .add([inputData, ints(3)])
      .checkLastBatchInOrder([3, 1])
      .add([inputData, ints(2, 3)])
      .checkLastBatchInOrder([3, 2], [2, 1])
      .restart()
      .add([inputData, ints(3, 2, 1)])
      .checkLastBatchInOrder([3, 3], [2, 2], [1, 1])
      .add([inputData, ints(4, 4, 4, 4)])
      .checkLastBatchInOrder([4, 4], [3, 3], [2, 2], [1, 1]);
  });

  it('StreamingAggregationSuite: state metrics - append mode', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const aggWithWatermark = inputData.toDF()
      .withColumn('eventTime', timestamp_seconds(col('value')))
      .withWatermark('eventTime', '10 seconds')
      .groupBy(window(col('eventTime'), '5 seconds').alias('window'))
      .agg(count('*').alias('count'))
      .select(col('window').getField('start').cast('long'), col('count'));

    const t = new SparkStreamTest(aggWithWatermark).withManualClock();
    // Spark's stateNodes (the StateStoreSaveExec) and stateOperatorProgresses (of the last
    // batch that ran): Sluice's one stateful operator. The operator's numOutputRows is what
    // the sink got here: only a projection follows it.
    const check = (stateNodes: number, numOutputRows: number, numRowsUpdated: number, numRowsTotal: number, sinkRows: number): void => {
      const p = t.lastProgress;
      expect(p.stateOperators.length).toBe(stateNodes);
      expect(p.numOutputRows).toBe(numOutputRows);
      expect(p.stateOperators[0]?.numRowsUpdated).toBe(numRowsUpdated);
      expect(p.stateOperators[0]?.numRowsTotal).toBe(numRowsTotal);
      expect(p.numOutputRows).toBe(sinkRows);
    };

    // batchId 0
    t.add([inputData, ints(15)])
      .startStream()
      .checkAnswer(); // watermark = 0
    check(1, 0, 1, 1, 0);

    // batchId 1 without data
    t.advanceManualClock(1000); // watermark = 5
    expect(t.lastProgress.batchId).toBe(1); // wait for the no data batch to complete
    t.checkAnswer();
    check(1, 0, 0, 1, 0);

    // batchId 2 with data
    t.add([inputData, ints(10, 12, 14)])
      .advanceManualClock(1000) // watermark = 5
      .checkAnswer();
    check(1, 0, 1, 2, 0);

    // batchId 3 with data
    t.add([inputData, ints(25)])
      .advanceManualClock(1000) // watermark = 5
      .checkAnswer();
    check(1, 0, 1, 3, 0);

    // batchId 4 without data
    t.advanceManualClock(1000); // watermark = 15
    expect(t.lastProgress.batchId).toBe(4); // wait for the no data batch to complete
    t.checkAnswer([10, 3]);
    check(1, 1, 0, 2, 1);
  });

  it('StreamingAggregationSuite: state metrics - update/complete mode', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    // Spark: inputData.toDS().flatMap(x => Seq(x, x + 1)).toDF("value")
    const aggregated = inputData.toDF()
      .select(explode(expr('array(value, value + 1)')).alias('value'))
      .groupBy(col('value'))
      .agg(count('*'));

    // Spark's stateNodes.head.metrics: numOutputRows (what the sink got: nothing follows the
    // aggregation), numUpdatedStateRows, numTotalStateRows.
    const check = (t: SparkStreamTest, numOutputRows: number, numUpdatedStateRows: number, numTotalStateRows: number): void => {
      expect(t.lastProgress.stateOperators.length).toBe(1);
      expect(t.lastProgress.numOutputRows).toBe(numOutputRows);
      expect(t.lastProgress.stateOperators[0]?.numRowsUpdated).toBe(numUpdatedStateRows);
      expect(t.lastProgress.stateOperators[0]?.numRowsTotal).toBe(numTotalStateRows);
    };

    // Test with Update mode
    const update = new SparkStreamTest(aggregated, 'update')
      .add([inputData, ints(1)])
      .checkLastBatch([1, 1], [2, 1]);
    check(update, 2, 2, 2);
    update.add([inputData, ints(2, 3)])
      .checkLastBatch([2, 2], [3, 2], [4, 1]);
    check(update, 3, 3, 4);

    // Test with Complete mode
    const complete = new SparkStreamTest(aggregated, 'complete')
      .add([inputData, ints(1)])
      .checkLastBatch([1, 1], [2, 1]);
    check(complete, 2, 2, 2);
    complete.add([inputData, ints(2, 3)])
      .checkLastBatch([1, 1], [2, 2], [3, 2], [4, 1]);
    check(complete, 4, 3, 4);
  });

  it('StreamingAggregationSuite: multiple keys', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const aggregated = inputData.toDF().groupBy(col('value'), expr('value + 1')).agg(count('*'));
    new SparkStreamTest(aggregated, 'update')
      .add([inputData, ints(1, 2)])
      .checkLastBatch([1, 2, 1], [2, 3, 1])
      .add([inputData, ints(1, 2)])
      .checkLastBatch([1, 2, 2], [2, 3, 2]);
  });

  it("StreamingAggregationSuite: SPARK-29438: ensure UNION doesn't lead streaming aggregation to use shifted partition IDs", () => {
    // Spark's MemoryStream[Int](desiredPartitionsForInput1): Sluice has no partitions.
    const constructUnionDf = (): [MemoryStream, MemoryStream, DataFrame] => {
      const input1 = MemoryStream.of(spark, 'value INT');
      const input2 = MemoryStream.of(spark, 'value INT');
      const df1 = input1.toDF().select(col('value'), expr('value + 1'));
      const df2 = input2.toDF().groupBy(col('value')).agg(count('*'));
      // Unioned DF would have columns as (Int, Int)
      return [input1, input2, df1.union(df2)];
    };

    const [input1, input2, unionDf] = constructUnionDf();
    const t = new SparkStreamTest(unionDf, 'update')
      .add([input1, ints(11, 12)], [input2, ints(21, 22)])
      .checkNewAnswer([11, 12], [12, 13], [21, 1], [22, 1])
      .stopStream();

    // We're restoring the query with different number of partitions in left side of UNION,
    // which may lead right side of union to have mismatched partition IDs (e.g. if it relies on
    // TaskContext.partitionId()). This test will verify streaming aggregation doesn't have
    // such issue.
    const [newInput1, newInput2, newUnionDf] = constructUnionDf();
    // Spark first adds (11, 12) and (21, 22) to the new streams so that their offsets are the
    // checkpoint's (that batch does not run again); Sluice's restart goes on from the checkpoint.
    t.startStream(newUnionDf)
      .add([newInput1, ints(13, 14)], [newInput2, ints(22, 23)])
      .checkNewAnswer([13, 14], [14, 15], [22, 2], [23, 1]);
  });

  it('StreamingAggregationSuite: midbatch failure', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    // Spark's Dataset.map fails on 4 the first time it runs (FailureSingleton). Sluice has no
    // Scala functions: here 4 fails to cast in a batch run at clock 0. The failed batch runs
    // again after StartStream (in Spark from its offset log; here added again), at a later
    // clock so that it does not fail again.
    const aggregated = inputData.toDF()
      .selectExpr("CAST(CASE WHEN value = 4 AND current_timestamp() = timestamp_seconds(0) THEN 'injected failure' ELSE CAST(value AS STRING) END AS INT) AS value")
      .groupBy(col('value'))
      .agg(count('*'));
    new SparkStreamTest(aggregated, 'update')
      .expectFailure(ints(1, 2, 3, 4), /injected failure/)
      .advanceClock(1000)
      .startStream()
      .add([inputData, ints(1, 2, 3, 4)]) // the failed batch, again
      .checkLastBatch([1, 1], [2, 1], [3, 1], [4, 1]);
  });

  it('StreamingAggregationSuite: prune results by current_time or localtimestamp, complete mode', () => {
    const inputDataOne = MemoryStream.of(spark, 'value BIGINT');
    const aggregatedOne = inputDataOne.toDF()
      .groupBy(col('value'))
      .agg(count('*'))
      .where(expr('value >= CAST(current_timestamp() AS LONG) - 10'));
    const inputDataTwo = MemoryStream.of(spark, 'value BIGINT');
    const aggregatedTwo = inputDataTwo.toDF()
      .groupBy(col('value'))
      .agg(count('*'))
      .where(expr('value >= CAST(CAST(localtimestamp() AS TIMESTAMP) AS LONG) - 10'));

    for (const [inputData, aggregated] of [[inputDataOne, aggregatedOne], [inputDataTwo, aggregatedTwo]] as const) {
      const t = new SparkStreamTest(aggregated, 'complete').withManualClock()
        .startStream()

        // advance clock to 10 seconds, all keys retained
        .add([inputData, ints(0, 5, 5, 10)])
        .advanceManualClock(10 * 1000)
        .checkLastBatch([0, 1], [5, 2], [10, 1])

        // advance clock to 20 seconds, should retain keys >= 10
        .add([inputData, ints(15, 15, 20)])
        .advanceManualClock(10 * 1000)
        .checkLastBatch([10, 1], [15, 2], [20, 1])

        // advance clock to 30 seconds, should retain keys >= 20
        .add([inputData, ints(0, 85)])
        .advanceManualClock(10 * 1000)
        .checkLastBatch([20, 1], [85, 1])

        // bounce stream and ensure correct batch timestamp is used
        // i.e., we don't take it from the clock, which is at 90 seconds.
        .stopStream()
        .purgeLastCommit() // Spark: clear the sink, q.commitLog.purge(3)
        // advance by a minute i.e., 90 seconds total
        .advanceClock(60 * 1000)
        .startStream()
        // The commit log blown, causing the last batch to re-run
        .checkLastBatch([20, 1], [85, 1]);
      expect(t.clockMs).toBe(90000);

      // advance clock to 100 seconds, should retain keys >= 90
      t.add([inputData, ints(85, 90, 100, 105)])
        .advanceManualClock(10 * 1000)
        .checkLastBatch([90, 1], [100, 1], [105, 1]);
    }
  });

  it('StreamingAggregationSuite: prune results by current_date, complete mode', () => {
    const inputData = MemoryStream.of(spark, 'value BIGINT');
    // Spark: to_utc_timestamp(from_unixtime(value * SECONDS_PER_DAY), tz), tz the JVM's (and
    // session's) time zone; in a UTC session that is the instant `value` days after the epoch.
    const aggregated = inputData.toDF()
      .select(expr(`CAST(value * ${SECONDS_PER_DAY} AS TIMESTAMP)`))
      .toDF('value')
      .groupBy(col('value'))
      .agg(count('*'))
      .where(expr('CAST(value AS DATE) >= date_sub(current_date(), 10)'))
      .select(expr(`CAST(CAST(value AS LONG) / ${SECONDS_PER_DAY} AS LONG)`), col('count(1)'));
    new SparkStreamTest(aggregated, 'complete').withManualClock()
      .startStream()
      // advance clock to 10 days, should retain all keys
      .add([inputData, ints(0, 5, 5, 10)])
      .advanceManualClock(MILLIS_PER_DAY * 10)
      .checkLastBatch([0, 1], [5, 2], [10, 1])
      // advance clock to 20 days, should retain keys >= 10
      .add([inputData, ints(15, 15, 20)])
      .advanceManualClock(MILLIS_PER_DAY * 10)
      .checkLastBatch([10, 1], [15, 2], [20, 1])
      // advance clock to 30 days, should retain keys >= 20
      .add([inputData, ints(85)])
      .advanceManualClock(MILLIS_PER_DAY * 10)
      .checkLastBatch([20, 1], [85, 1])

      // bounce stream and ensure correct batch timestamp is used
      // i.e., we don't take it from the clock, which is at 90 days.
      .stopStream()
      .purgeLastCommit() // Spark: clear the sink, q.commitLog.purge(3)
      // advance by 60 days i.e., 90 days total
      .advanceClock(MILLIS_PER_DAY * 60)
      .startStream()
      // Commit log blown, causing a re-run of the last batch
      .checkLastBatch([20, 1], [85, 1])

      // advance clock to 100 days, should retain keys >= 90
      .add([inputData, ints(85, 90, 100, 105)])
      .advanceManualClock(MILLIS_PER_DAY * 10)
      .checkLastBatch([90, 1], [100, 1], [105, 1]);
  });

  it('StreamingAggregationSuite: SPARK-19690: do not convert batch aggregation in streaming query to streaming', () => {
    const streamInput = MemoryStream.of(spark, 'value INT');
    const batchDF = spark.createDataFrame([[1], [2], [3], [4], [5]], 'value INT')
      .withColumn('parity', expr('value % 2'))
      .groupBy(col('parity'))
      .agg(count('*').alias('joinValue'));
    const joinDF = streamInput.toDF().join(batchDF, expr('value = parity'));

    // make sure we're planning an aggregate in the first place
    expect(batchDF.plan.node).toBe('Aggregate');

    new SparkStreamTest(joinDF, 'append')
      .add([streamInput, ints(0, 1, 2, 3)])
      .checkLastBatch([0, 0, 2], [1, 1, 3])
      .add([streamInput, ints(0, 1, 2, 3)])
      .checkLastBatch([0, 0, 2], [1, 1, 3]);
  });

  it('StreamingAggregationSuite: SPARK-22230: last should change with new batches', () => {
    const input = MemoryStream.of(spark, 'value INT');
    const aggregated = input.toDF().agg(last(col('value')));
    new SparkStreamTest(aggregated, 'complete')
      .add([input, ints(1, 2, 3)])
      .checkLastBatch([3])
      .add([input, ints(4, 5, 6)])
      .checkLastBatch([6])
      .add([input, ints()])
      .checkLastBatch([6])
      .add([input, ints(0)])
      .checkLastBatch([0]);
  });

  it('StreamingAggregationSuite: SPARK-23004: Ensure that TypedImperativeAggregate functions do not throw errors', () => {
    withSQLConf('spark.sql.shuffle.partitions', '1', () => {
      // Post shuffle partition has exactly 128 records (spark.sql.objectHashAggregate.
      // sortBased.fallbackThreshold, where ObjectHashAggregateExec falls back to sort-based
      // aggregation): a micro-batch with 128 records that shuffle to a single partition.
      const objectAggSortBasedFallbackThreshold = 128;
      const input = MemoryStream.of(spark, 'value INT');
      const df = input.toDF().toDF('value')
        .selectExpr('value as group', 'value')
        .groupBy('group')
        .agg(collect_list('value'));
      new SparkStreamTest(df, 'update')
        .add([input, ints(...Array.from({ length: objectAggSortBasedFallbackThreshold }, (_, i) => i + 1))]); // processAllAvailable
    });
  });

  // Sluice keeps no schema of an operator's state (Spark's state/<op>/_metadata/schema and
  // StateSchemaCompatibilityChecker): the query restarted with other aggregates merges the old
  // buffers into the new ones (and fails with a TypeError, 'right is not iterable') instead of
  // failing on the incompatible state value schema.
  it.failing('StreamingAggregationSuite: changing schema of state when restarting query', () => {
    withSQLConf('spark.sql.shuffle.partitions', '1', () => {
      // prepareTestForChangingSchemaOfState
      const inputData = MemoryStream.of(spark, 'value INT');
      const aggregated = inputData.toDF()
        .selectExpr('value % 10 AS id', 'value')
        .groupBy(col('id'))
        .agg(expr('sum(value) AS sum_value'), expr('avg(value) AS avg_value'), expr('max(value) AS max_value'));
      const t = new SparkStreamTest(aggregated, 'update')
        .add([inputData, ints(1, 11)])
        .checkLastBatch([1, 12, 6.0, 11])
        .stopStream();

      const inputData2 = MemoryStream.of(spark, 'value INT');
      const aggregated2 = inputData2.toDF()
        .selectExpr('value % 10 AS id', 'value')
        .groupBy(col('id'))
        .agg(expr('sum(value) AS sum_value'), expr('avg(value) AS avg_value'), collect_list('value').alias('values'));
      // (Spark adds (1, 11) to inputData2 first, so that its offsets are the checkpoint's.)

      // if we don't have verification phase on state schema, modified query would throw NPE with
      // stack trace which end users would not easily understand
      t.startStream(aggregated2)
        .expectFailure(ints(21), /does not match existing/);
    });
  });

  it('StreamingAggregationSuite: SPARK-35896: metrics in StateOperatorProgress are output correctly', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const aggregated = simpleCount(inputData);

    // Spark starts each query with spark.sql.shuffle.partitions = 3 and asserts on the
    // stateStoreSave operator's 3 shuffle partitions and 3 state store instances, which Sluice
    // has not: there the progress is only marked checked.
    withSQLConf('spark.sql.shuffle.partitions', '3', () => {
      new SparkStreamTest(aggregated, 'update')
        .add([inputData, ints(3, 2, 1, 3)])
        .checkLastBatch([3, 2], [2, 1], [1, 1])
        .assertNumStateRows([3], [3], [0], [0])
        .add([inputData, ints(1, 4)])
        .checkLastBatch([1, 2], [4, 1])
        .markProgressChecked(); // assertStateOperatorProgressMetric("stateStoreSave", 3, 3)

      new SparkStreamTest(aggregated, 'complete')
        .add([inputData, ints(3, 2, 1, 3)])
        .checkLastBatch([3, 2], [2, 1], [1, 1])
        .assertNumStateRows([3], [3], [0], [0])
        .add([inputData, ints(1, 4)])
        .checkLastBatch([3, 2], [2, 1], [1, 2], [4, 1])
        .markProgressChecked(); // assertStateOperatorProgressMetric("stateStoreSave", 3, 3)

      // with watermark and append output mode
      const aggWithWatermark = inputData.toDF()
        .withColumn('eventTime', timestamp_seconds(col('value')))
        .withWatermark('eventTime', '10 seconds')
        .groupBy(window(col('eventTime'), '5 seconds').alias('window'))
        .agg(count('*').alias('count'))
        .select(col('window').getField('start').cast('long'), col('count'));

      new SparkStreamTest(aggWithWatermark, 'append')
        .add([inputData, ints(3, 2, 1, 9)])
        .checkLastBatch()
        .markProgressChecked() // assertStateOperatorProgressMetric("stateStoreSave", 3, 3)
        .add([inputData, ints(25)]) // Advance watermark to 15 secs, no-data-batch drops rows <= 15
        .checkLastBatch([0, 3], [5, 1])
        .assertNumStateRows([1], [1], [0], [2]);
    });
  });
});
