import { SparkSession } from '../api/spark-session.js';
import { expr } from '../api/functions.js';
import { QueryManager } from '../runtime/query-manager.js';
import { MemoryStream } from '../testing/memory-stream.js';
import { SparkStreamTest } from '../testing/spark-stream-test.js';

/*
 * Tests from Spark 4.x's StreamSuite.scala (sql/core/src/test/scala/org/apache/spark/sql/
 * streaming/StreamSuite.scala) about rows and batches, transcribed with Spark's inputs and
 * expected answers. A `MemoryStream[Int]` is a stream of one column `value INT`; `toDS().map(_ + 1)`
 * becomes `selectExpr('value + 1')`. Spark's `StopStream, AddData(...), StartStream()` adds the
 * data while the query is stopped; the DSL adds data to a running query only, so here the data
 * is added right after the restart (the first batch of the new run processes it, as in Spark).
 */

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');

type Data = ReadonlyArray<readonly unknown[]>;
const ints = (...xs: number[]): Data => xs.map((x) => [x]);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const rows = (...xs: number[]): number[][] => xs.map((x) => [x]);

describe('StreamSuite', () => {
  it('StreamSuite: map with recovery', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const mapped = inputData.toDF().selectExpr('value + 1');
    new SparkStreamTest(mapped)
      .add([inputData, ints(1, 2, 3)])
      .checkAnswer(...rows(2, 3, 4))
      .stopStream()
      .startStream()
      .add([inputData, ints(4, 5, 6)])
      .checkAnswer(...rows(2, 3, 4, 5, 6, 7));
  });

  it('StreamSuite: join', () => {
    // Make a table and ensure it will be broadcast.
    const smallTable = spark.createDataFrame([[1, 'one'], [2, 'two'], [4, 'four']], 'number INT, word STRING');
    // Join the input stream with a table.
    const inputData = MemoryStream.of(spark, 'value INT');
    const joined = inputData.toDF().join(smallTable, expr('value = number'));
    new SparkStreamTest(joined)
      .add([inputData, ints(1, 2, 3)])
      .checkAnswer([1, 1, 'one'], [2, 2, 'two'])
      .add([inputData, ints(4)])
      .checkAnswer([1, 1, 'one'], [2, 2, 'two'], [4, 4, 'four']);
  });

  it('StreamSuite: union two streams', () => {
    const inputData1 = MemoryStream.of(spark, 'value INT');
    const inputData2 = MemoryStream.of(spark, 'value INT');
    const unioned = inputData1.toDF().union(inputData2.toDF());
    new SparkStreamTest(unioned)
      .add([inputData1, ints(1, 3, 5)])
      .checkAnswer(...rows(1, 3, 5))
      .add([inputData2, ints(2, 4, 6)])
      .checkAnswer(...rows(1, 2, 3, 4, 5, 6))
      .stopStream()
      .startStream()
      .add([inputData1, ints(7)])
      .add([inputData2, ints(8)])
      .checkAnswer(...rows(1, 2, 3, 4, 5, 6, 7, 8));
  });

  it('StreamSuite: unsupported queries', () => {
    const streamInput = MemoryStream.of(spark, 'value INT');
    // Running streaming plan as a batch query
    expect(() => streamInput.toDF().selectExpr('value').count()).toThrow(/start/);
    // (Spark's second case, a batch Dataset run as a streaming query, needs testStream of a
    // static Dataset, which the DSL does not take.)
    // Running streaming plan that cannot be incrementalized (Spark's `sort()` with no columns;
    // Sluice's orderBy wants a column).
    expect(() => new SparkStreamTest(streamInput.toDF().selectExpr('value').orderBy('value')))
      .toThrow(/(?=.*not supported)(?=.*streaming)/s);
  });

  it('StreamSuite: SPARK-19873: streaming aggregation with change in number of partitions', () => {
    // Spark restarts with spark.sql.shuffle.partitions 2, 5, then 1 (Sluice has no partitions).
    const inputData = MemoryStream.of(spark, '_1 INT, _2 INT');
    const agg = inputData.toDF().groupBy('_1').count();
    new SparkStreamTest(agg, 'complete')
      .add([inputData, [[1, 0], [2, 0]]])
      .checkAnswer([1, 1], [2, 1])
      .stopStream()
      .startStream()
      .add([inputData, [[3, 0], [2, 0]]])
      .checkAnswer([1, 1], [2, 2], [3, 1])
      .stopStream()
      .startStream()
      .add([inputData, [[3, 0], [1, 0]]])
      .checkAnswer([1, 2], [2, 2], [3, 2]);
  });

  it('StreamSuite: streaming limit without state', () => {
    const inputData1 = MemoryStream.of(spark, 'value INT');
    new SparkStreamTest(inputData1.toDF().limit(0))
      .add([inputData1, ints(...range(1, 8))])
      .checkAnswer();

    const inputData2 = MemoryStream.of(spark, 'value INT');
    new SparkStreamTest(inputData2.toDF().limit(4))
      .add([inputData2, ints(...range(1, 8))])
      .checkAnswer(...rows(...range(1, 4)));
  });

  it('StreamSuite: streaming limit with state', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    new SparkStreamTest(inputData.toDF().limit(4))
      .add([inputData, ints(...range(1, 2))])
      .checkAnswer(...rows(...range(1, 2)))
      .add([inputData, ints(...range(3, 6))])
      .checkAnswer(...rows(...range(1, 4)))
      .add([inputData, ints(...range(7, 9))])
      .checkAnswer(...rows(...range(1, 4)));
  });

  it('StreamSuite: streaming limit with other operators', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    new SparkStreamTest(inputData.toDF().where('value % 2 = 1').limit(4))
      .add([inputData, ints(...range(1, 5))])
      .checkAnswer(...rows(1, 3, 5))
      .add([inputData, ints(...range(6, 9))])
      .checkAnswer(...rows(1, 3, 5, 7))
      .add([inputData, ints(...range(10, 12))])
      .checkAnswer(...rows(1, 3, 5, 7));
  });

  it('StreamSuite: streaming limit with multiple limits', () => {
    const inputData1 = MemoryStream.of(spark, 'value INT');
    new SparkStreamTest(inputData1.toDF().limit(4).limit(2))
      .add([inputData1, ints(1)])
      .checkAnswer(...rows(1))
      .add([inputData1, ints(...range(2, 8))])
      .checkAnswer(...rows(1, 2));

    const inputData2 = MemoryStream.of(spark, 'value INT');
    new SparkStreamTest(inputData2.toDF().limit(4).limit(100).limit(3))
      .add([inputData2, ints(1, 2)])
      .checkAnswer(...rows(1, 2))
      .add([inputData2, ints(...range(3, 8))])
      .checkAnswer(...rows(...range(1, 3)));
  });

  it('StreamSuite: SPARK-30658: streaming limit before agg in complete mode', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const limited = inputData.toDF().limit(5).groupBy('value').count();
    new SparkStreamTest(limited, 'complete')
      .add([inputData, ints(...range(1, 3))])
      .checkAnswer([1, 1], [2, 1], [3, 1])
      .add([inputData, ints(...range(1, 9))])
      .checkAnswer([1, 2], [2, 2], [3, 1]);
  });

  it('StreamSuite: SPARK-30658: streaming limits before and after agg in complete mode (after limit < before limit)', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const limited = inputData.toDF().limit(4).groupBy('value').count().orderBy('value').limit(3);
    // Spark starts with spark.sql.shuffle.partitions = 1 (Sluice has no partitions).
    new SparkStreamTest(limited, 'complete')
      .add([inputData, ints(...range(1, 9))])
      // only 1 to 4 should be allowed to aggregate, and counts for only 1 to 3 should be output
      .checkAnswer([1, 1], [2, 1], [3, 1])
      .add([inputData, ints(...range(2, 6))])
      // None of the new values should be allowed to aggregate, same 3 counts should be output
      .checkAnswer([1, 1], [2, 1], [3, 1]);
  });

  it('StreamSuite: SPARK-30658: streaming limits before and after agg in complete mode (before limit < after limit)', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const limited = inputData.toDF().limit(2).groupBy('value').count().orderBy('value').limit(3);
    new SparkStreamTest(limited, 'complete')
      .add([inputData, ints(...range(1, 9))])
      .checkAnswer([1, 1], [2, 1])
      .add([inputData, ints(...range(2, 6))])
      .checkAnswer([1, 1], [2, 1]);
  });

  it('StreamSuite: SPARK-30657: streaming limit after streaming dedup in append mode', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const limited = inputData.toDF().dropDuplicates().limit(1);
    new SparkStreamTest(limited)
      .add([inputData, ints(1, 2)])
      .checkAnswer([1])
      .add([inputData, ints(3, 4)])
      .checkAnswer([1]);
  });

  it('StreamSuite: streaming limit in update mode', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    expect(() => new SparkStreamTest(inputData.toDF().limit(5), 'update').add([inputData, ints(...range(1, 3))]))
      .toThrow('Limits are not supported on streaming DataFrames/Datasets in Update output mode');
  });

  it('StreamSuite: SPARK-30657: streaming limit should not apply on limits on state subplans', () => {
    const streamData = MemoryStream.of(spark, 'value INT');
    const streamingDF = streamData.toDF().toDF('value');
    const staticDF = spark.createDataFrame([[1]], 'value INT').orderBy('value');
    new SparkStreamTest(streamingDF.join(staticDF.limit(1), 'value'))
      .add([streamData, ints(1, 2, 3)])
      .checkAnswer([1])
      .add([streamData, ints(1, 3, 5)])
      .checkAnswer([1], [1]);
  });
});
