import { SparkSession } from '../api/spark-session.js';
import { col, count, explode, expr, session_window, split, struct, sum } from '../api/functions.js';
import type { Column } from '../api/column.js';
import type { DataFrame } from '../api/data-frame.js';
import type { Row } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { QueryManager } from '../runtime/query-manager.js';
import { MemoryStream } from '../testing/memory-stream.js';
import { SparkStreamTest } from '../testing/spark-stream-test.js';

/*
 * Spark 4's StreamingSessionWindowSuite, transcribed with Spark's inputs and expected answers.
 * Spark runs each test four times (testWithAllOptions: sessions merged in the local partition
 * or not, x the HDFS-backed and RocksDB state store providers); Sluice has neither option, so
 * each runs once here, under the name without the options. Tuples of a MemoryStream are
 * columns `_1`, `_2`; a tuple in an answer is an array (a struct's values in order).
 *
 * Where Spark registers a Scala UDF for the gap duration, this writes the same function as a
 * CASE expression (Sluice has no UDFs).
 *
 * Not transcribed: "session window with async state checkpointing" (found in one stored
 * revision of the suite): a vendor's state store provider class and its async checkpoint conf.
 */

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');

type Data = ReadonlyArray<readonly unknown[]>;
const lines = (...xs: Array<[string, number]>): Data => xs;

/** `intercept[...] { testStream(...) }`. */
function intercept(body: () => unknown): Error {
  try {
    body();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an exception');
}

/**
 * Spark's assertNumRowsDroppedByWatermark: the last batch with input rows (Spark filters out
 * progress with `inputRowsPerSecond == 0`), its first stateful operator's late rows.
 */
function assertNumRowsDroppedByWatermark(t: SparkStreamTest, numRowsDroppedByWatermark: number): void {
  const withData = t.progress.filter((p) => p.numInputRows > 0);
  expect(withData[withData.length - 1]?.stateOperators[0]?.numRowsDroppedByWatermark).toBe(numRowsDroppedByWatermark);
}

const defaultSessionWindow = (): Column => session_window(col('eventTime'), '10 seconds');

function sessionWindowQuery(input: MemoryStream, sessionWindow: Column = defaultSessionWindow()): DataFrame {
  // Split the lines into words, treat words as sessionId of events
  const events = input.toDF()
    .select(col('_1').alias('value'), col('_2').alias('timestamp'))
    .withColumn('eventTime', col('timestamp').cast('timestamp'))
    .withWatermark('eventTime', '30 seconds')
    .selectExpr("explode(split(value, ' ')) AS sessionId", 'eventTime');

  return events
    .groupBy(sessionWindow.alias('session'), col('sessionId'))
    .agg(count('*').alias('numEvents'))
    .selectExpr('sessionId', 'CAST(session.start AS LONG)', 'CAST(session.end AS LONG)',
      'CAST(session.end AS LONG) - CAST(session.start AS LONG) AS durationMs',
      'numEvents');
}

function sessionWindowQueryOnGlobalKey(input: MemoryStream): DataFrame {
  return input.toDF()
    .selectExpr('*')
    .withColumn('eventTime', col('value').cast('timestamp'))
    .withWatermark('eventTime', '10 seconds')
    .groupBy(session_window(col('eventTime'), '5 seconds').alias('session'))
    .agg(count('*').alias('count'), sum('value').alias('sum'))
    .select(col('session').getField('start').cast('long'),
      col('session').getField('end').cast('long'), col('count'), col('sum'));
}

// Manipulate the input to create a nested tuple out of words and do aggregation on the tuples.
// Split the lines into words, convert each word into a nested tuple,
// e.g. hello -> ((hello, hello), hello), treat each tuple as the sessionId of a event,
// which get aggregated in the second clause.
function sessionWindowQueryNestedKey(input: MemoryStream, sessionWindow: Column = defaultSessionWindow()): DataFrame {
  const events = input.toDF()
    .select(col('_1').alias('value'), col('_2').alias('timestamp'))
    .withColumn('eventTime', col('timestamp').cast('timestamp'))
    .withColumn('sessionIdSingle', split(col('value'), ' '))
    .withColumn('sessionIdDouble', expr('arrays_zip(sessionIdSingle, sessionIdSingle)'))
    .withColumn('sessionIdTriple', expr('arrays_zip(sessionIdDouble, sessionIdSingle)'))
    .withWatermark('eventTime', '30 seconds')
    .selectExpr('explode(sessionIdTriple) AS sessionId', 'eventTime');

  return events
    .groupBy(sessionWindow.alias('session'), col('sessionId'))
    .agg(count('*').alias('numEvents'))
    .selectExpr(
      'sessionId',
      'CAST(session.start AS LONG)',
      'CAST(session.end AS LONG)',
      'CAST(session.end AS LONG) - CAST(session.start AS LONG) AS durationMs',
      'numEvents');
}

// Manipulate the input, for each word, create two columns and do aggregation on both cols.
// Split the lines into words, convert each word into two columns,
// e.g. hello -> col1: (hello, hello), col2: hello. Aggregate on both columns.
function sessionWindowQueryMultiColKey(input: MemoryStream, sessionWindow: Column = defaultSessionWindow()): DataFrame {
  const events = input.toDF()
    .select(col('_1').alias('value'), col('_2').alias('timestamp'))
    .withColumn('eventTime', col('timestamp').cast('timestamp'))
    .withColumn('sessionIdSingle', split(col('value'), ' '))
    .withColumn('sessionIdDouble', expr('arrays_zip(sessionIdSingle, sessionIdSingle)'))
    .withColumn('sessionIdTriple', expr('arrays_zip(sessionIdDouble, sessionIdSingle)'))
    .withColumn('sessionIdTriple', explode(col('sessionIdTriple')))
    .withWatermark('eventTime', '30 seconds')
    .selectExpr(
      'sessionIdTriple.sessionIdDouble AS aggKeyDouble',
      'sessionIdTriple.sessionIdSingle AS aggKeySingle',
      'eventTime');

  return events
    .groupBy(sessionWindow.alias('session'), col('aggKeyDouble'), col('aggKeySingle'))
    .agg(count('*').alias('numEvents'))
    .selectExpr(
      'aggKeyDouble',
      'aggKeySingle',
      'CAST(session.start AS LONG)',
      'CAST(session.end AS LONG)',
      'CAST(session.end AS LONG) - CAST(session.start AS LONG) AS durationMs',
      'numEvents');
}

/**
 * Spark's UDF gapDuration over a word: "1 second" for hello, "0 second" (filtered out of the
 * aggregation) for structured, "-10 seconds" (filtered out) for world, else "10 seconds".
 */
const gapDurationOfWord = (word: string): Column => expr(
  `CASE WHEN ${word} = 'hello' THEN '1 second' WHEN ${word} = 'structured' THEN '0 second' `
  + `WHEN ${word} = 'world' THEN '-10 seconds' ELSE '10 seconds' END`);

/** The nested answers' key of a word: ((w, w), w). */
const nested = (w: string): Row[number] => [[w, w], w];

describe('StreamingSessionWindowSuite', () => {
  it('StreamingSessionWindowSuite: complete mode - session window', () => {
    // Implements StructuredSessionization.scala leveraging "session" function
    // as a test, to verify the sessionization works with simple example

    // note that complete mode doesn't honor watermark: even it is specified, watermark will be
    // always Unix timestamp 0

    const inputData = MemoryStream.of(spark, '_1 STRING, _2 BIGINT');
    const sessionUpdates = sessionWindowQuery(inputData);

    new SparkStreamTest(sessionUpdates, 'complete')
      .add([inputData, lines(
        ['hello world spark streaming', 40],
        ['world hello structured streaming', 41],
      )])
      .checkNewAnswer(
        ['hello', 40, 51, 11, 2],
        ['world', 40, 51, 11, 2],
        ['streaming', 40, 51, 11, 2],
        ['spark', 40, 50, 10, 1],
        ['structured', 41, 51, 10, 1],
      )

      // placing new sessions "before" previous sessions
      .add([inputData, lines(['spark streaming', 25])])
      .checkNewAnswer(
        ['spark', 25, 35, 10, 1],
        ['streaming', 25, 35, 10, 1],
        ['hello', 40, 51, 11, 2],
        ['world', 40, 51, 11, 2],
        ['streaming', 40, 51, 11, 2],
        ['spark', 40, 50, 10, 1],
        ['structured', 41, 51, 10, 1],
      )

      // concatenating multiple previous sessions into one
      .add([inputData, lines(['spark streaming', 30])])
      .checkNewAnswer(
        ['spark', 25, 50, 25, 3],
        ['streaming', 25, 51, 26, 4],
        ['hello', 40, 51, 11, 2],
        ['world', 40, 51, 11, 2],
        ['structured', 41, 51, 10, 1],
      )

      // placing new sessions after previous sessions
      .add([inputData, lines(['hello apache spark', 60])])
      .checkNewAnswer(
        ['spark', 25, 50, 25, 3],
        ['streaming', 25, 51, 26, 4],
        ['hello', 40, 51, 11, 2],
        ['world', 40, 51, 11, 2],
        ['structured', 41, 51, 10, 1],
        ['hello', 60, 70, 10, 1],
        ['apache', 60, 70, 10, 1],
        ['spark', 60, 70, 10, 1],
      )

      .add([inputData, lines(['structured streaming', 90])])
      .checkNewAnswer(
        ['spark', 25, 50, 25, 3],
        ['streaming', 25, 51, 26, 4],
        ['hello', 40, 51, 11, 2],
        ['world', 40, 51, 11, 2],
        ['structured', 41, 51, 10, 1],
        ['hello', 60, 70, 10, 1],
        ['apache', 60, 70, 10, 1],
        ['spark', 60, 70, 10, 1],
        ['structured', 90, 100, 10, 1],
        ['streaming', 90, 100, 10, 1],
      );
  });

  // Logic is the same as `complete mode - session window`
  // just with a more complex key
  it('StreamingSessionWindowSuite: complete mode - session window - nested tuple key', () => {
    const inputData = MemoryStream.of(spark, '_1 STRING, _2 BIGINT');
    const sessionUpdates = sessionWindowQueryNestedKey(inputData);

    new SparkStreamTest(sessionUpdates, 'complete')
      .add([inputData, lines(
        ['hello world spark streaming', 40],
        ['world hello structured streaming', 41],
      )])
      .checkNewAnswer(
        [nested('hello'), 40, 51, 11, 2],
        [nested('world'), 40, 51, 11, 2],
        [nested('streaming'), 40, 51, 11, 2],
        [nested('spark'), 40, 50, 10, 1],
        [nested('structured'), 41, 51, 10, 1])
      // placing new sessions "before" previous sessions
      .add([inputData, lines(['spark streaming', 25])])
      .checkNewAnswer(
        [nested('spark'), 25, 35, 10, 1],
        [nested('streaming'), 25, 35, 10, 1],
        [nested('hello'), 40, 51, 11, 2],
        [nested('world'), 40, 51, 11, 2],
        [nested('streaming'), 40, 51, 11, 2],
        [nested('spark'), 40, 50, 10, 1],
        [nested('structured'), 41, 51, 10, 1])
      // concatenating multiple previous sessions into one
      .add([inputData, lines(['spark streaming', 30])])
      .checkNewAnswer(
        [nested('spark'), 25, 50, 25, 3],
        [nested('streaming'), 25, 51, 26, 4],
        [nested('hello'), 40, 51, 11, 2],
        [nested('world'), 40, 51, 11, 2],
        [nested('structured'), 41, 51, 10, 1])
      // placing new sessions after previous sessions
      .add([inputData, lines(['hello apache spark', 60])])
      .checkNewAnswer(
        [nested('spark'), 25, 50, 25, 3],
        [nested('streaming'), 25, 51, 26, 4],
        [nested('hello'), 40, 51, 11, 2],
        [nested('world'), 40, 51, 11, 2],
        [nested('structured'), 41, 51, 10, 1],
        [nested('hello'), 60, 70, 10, 1],
        [nested('apache'), 60, 70, 10, 1],
        [nested('spark'), 60, 70, 10, 1])
      .add([inputData, lines(['structured streaming', 90])])
      .checkNewAnswer(
        [nested('spark'), 25, 50, 25, 3],
        [nested('streaming'), 25, 51, 26, 4],
        [nested('hello'), 40, 51, 11, 2],
        [nested('world'), 40, 51, 11, 2],
        [nested('structured'), 41, 51, 10, 1],
        [nested('hello'), 60, 70, 10, 1],
        [nested('apache'), 60, 70, 10, 1],
        [nested('spark'), 60, 70, 10, 1],
        [nested('structured'), 90, 100, 10, 1],
        [nested('streaming'), 90, 100, 10, 1]);
  });

  // Logic is the same as `complete mode - session window`
  // just with a more complex key
  it('StreamingSessionWindowSuite: complete mode - session window - multiple col key', () => {
    const inputData = MemoryStream.of(spark, '_1 STRING, _2 BIGINT');
    const sessionUpdates = sessionWindowQueryMultiColKey(inputData);
    const k = (w: string): [string[], string] => [[w, w], w];

    new SparkStreamTest(sessionUpdates, 'complete')
      .add([inputData, lines(
        ['hello world spark streaming', 40],
        ['world hello structured streaming', 41],
      )])
      .checkNewAnswer(
        [...k('hello'), 40, 51, 11, 2],
        [...k('world'), 40, 51, 11, 2],
        [...k('streaming'), 40, 51, 11, 2],
        [...k('spark'), 40, 50, 10, 1],
        [...k('structured'), 41, 51, 10, 1])
      // placing new sessions "before" previous sessions
      .add([inputData, lines(['spark streaming', 25])])
      .checkNewAnswer(
        [...k('spark'), 25, 35, 10, 1],
        [...k('streaming'), 25, 35, 10, 1],
        [...k('hello'), 40, 51, 11, 2],
        [...k('world'), 40, 51, 11, 2],
        [...k('streaming'), 40, 51, 11, 2],
        [...k('spark'), 40, 50, 10, 1],
        [...k('structured'), 41, 51, 10, 1])
      // concatenating multiple previous sessions into one
      .add([inputData, lines(['spark streaming', 30])])
      .checkNewAnswer(
        [...k('spark'), 25, 50, 25, 3],
        [...k('streaming'), 25, 51, 26, 4],
        [...k('hello'), 40, 51, 11, 2],
        [...k('world'), 40, 51, 11, 2],
        [...k('structured'), 41, 51, 10, 1])
      // placing new sessions after previous sessions
      .add([inputData, lines(['hello apache spark', 60])])
      .checkNewAnswer(
        [...k('spark'), 25, 50, 25, 3],
        [...k('streaming'), 25, 51, 26, 4],
        [...k('hello'), 40, 51, 11, 2],
        [...k('world'), 40, 51, 11, 2],
        [...k('structured'), 41, 51, 10, 1],
        [...k('hello'), 60, 70, 10, 1],
        [...k('apache'), 60, 70, 10, 1],
        [...k('spark'), 60, 70, 10, 1])
      .add([inputData, lines(['structured streaming', 90])])
      .checkNewAnswer(
        [...k('spark'), 25, 50, 25, 3],
        [...k('streaming'), 25, 51, 26, 4],
        [...k('hello'), 40, 51, 11, 2],
        [...k('world'), 40, 51, 11, 2],
        [...k('structured'), 41, 51, 10, 1],
        [...k('hello'), 60, 70, 10, 1],
        [...k('apache'), 60, 70, 10, 1],
        [...k('spark'), 60, 70, 10, 1],
        [...k('structured'), 90, 100, 10, 1],
        [...k('streaming'), 90, 100, 10, 1]);
  });

  it('StreamingSessionWindowSuite: complete mode - session window - no key', () => {
    // complete mode doesn't honor watermark: even it is specified, watermark will be
    // always Unix timestamp 0

    const inputData = MemoryStream.of(spark, 'value INT');
    const e = intercept(() => {
      const windowedAggregation = sessionWindowQueryOnGlobalKey(inputData);
      new SparkStreamTest(windowedAggregation, 'complete')
        .add([inputData, [[40]]])
        .checkAnswer(); // this is just to trigger the exception
    });
    for (const m of ['Global aggregation with session window', 'not supported']) {
      expect(e.message.toLowerCase()).toContain(m.toLowerCase());
    }
  });

  it('StreamingSessionWindowSuite: append mode - session window', () => {
    // Implements StructuredSessionization.scala leveraging "session" function
    // as a test, to verify the sessionization works with simple example

    const inputData = MemoryStream.of(spark, '_1 STRING, _2 BIGINT');
    const sessionUpdates = sessionWindowQuery(inputData);

    const t = new SparkStreamTest(sessionUpdates, 'append')
      .add([inputData, lines(
        ['hello world spark streaming', 40],
        ['world hello structured streaming', 41],
      )])

      // watermark: 11
      // current sessions
      // ("hello", 40, 51, 11, 2),
      // ("world", 40, 51, 11, 2),
      // ("streaming", 40, 51, 11, 2),
      // ("spark", 40, 50, 10, 1),
      // ("structured", 41, 51, 10, 1)
      .checkNewAnswer()

      // placing new sessions "before" previous sessions
      .add([inputData, lines(['spark streaming', 25])])
      // watermark: 11
      // current sessions
      // ("spark", 25, 35, 10, 1),
      // ("streaming", 25, 35, 10, 1),
      // ("hello", 40, 51, 11, 2),
      // ("world", 40, 51, 11, 2),
      // ("streaming", 40, 51, 11, 2),
      // ("spark", 40, 50, 10, 1),
      // ("structured", 41, 51, 10, 1)
      .checkNewAnswer()

      // late event which session's end 10 would be later than watermark 11: should be dropped
      .add([inputData, lines(['spark streaming', 0])])
      // watermark: 11
      // current sessions
      // ("spark", 25, 35, 10, 1),
      // ("streaming", 25, 35, 10, 1),
      // ("hello", 40, 51, 11, 2),
      // ("world", 40, 51, 11, 2),
      // ("streaming", 40, 51, 11, 2),
      // ("spark", 40, 50, 10, 1),
      // ("structured", 41, 51, 10, 1)
      .checkNewAnswer();
    assertNumRowsDroppedByWatermark(t, 2);

    // concatenating multiple previous sessions into one
    t.add([inputData, lines(['spark streaming', 30])])
      // watermark: 11
      // current sessions
      // ("spark", 25, 50, 25, 3),
      // ("streaming", 25, 51, 26, 4),
      // ("hello", 40, 51, 11, 2),
      // ("world", 40, 51, 11, 2),
      // ("structured", 41, 51, 10, 1)
      .checkNewAnswer()

      // placing new sessions after previous sessions
      .add([inputData, lines(['hello apache spark', 60])])
      // watermark: 30
      // current sessions
      // ("spark", 25, 50, 25, 3),
      // ("streaming", 25, 51, 26, 4),
      // ("hello", 40, 51, 11, 2),
      // ("world", 40, 51, 11, 2),
      // ("structured", 41, 51, 10, 1),
      // ("hello", 60, 70, 10, 1),
      // ("apache", 60, 70, 10, 1),
      // ("spark", 60, 70, 10, 1)
      .checkNewAnswer()

      .add([inputData, lines(['structured streaming', 90])])
      // watermark: 60
      // current sessions
      // ("hello", 60, 70, 10, 1),
      // ("apache", 60, 70, 10, 1),
      // ("spark", 60, 70, 10, 1),
      // ("structured", 90, 100, 10, 1),
      // ("streaming", 90, 100, 10, 1)
      .checkNewAnswer(
        ['spark', 25, 50, 25, 3],
        ['streaming', 25, 51, 26, 4],
        ['hello', 40, 51, 11, 2],
        ['world', 40, 51, 11, 2],
        ['structured', 41, 51, 10, 1],
      );
  });

  it('StreamingSessionWindowSuite: SPARK-36465: dynamic gap duration', () => {
    const inputData = MemoryStream.of(spark, '_1 STRING, _2 BIGINT');

    const sessionUpdates = sessionWindowQuery(inputData,
      session_window(col('eventTime'), gapDurationOfWord('sessionId')));

    const t = new SparkStreamTest(sessionUpdates, 'append')
      .add([inputData, lines(
        ['hello world spark streaming', 40],
        ['world hello structured streaming', 41],
      )])

      // watermark: 11
      // current sessions
      // ("hello", 40, 42, 2, 2),
      // ("streaming", 40, 51, 11, 2),
      // ("spark", 40, 50, 10, 1),
      .checkNewAnswer()

      // placing new sessions "before" previous sessions
      .add([inputData, lines(['spark streaming', 25])])
      // watermark: 11
      // current sessions
      // ("spark", 25, 35, 10, 1),
      // ("streaming", 25, 35, 10, 1),
      // ("hello", 40, 42, 2, 2),
      // ("streaming", 40, 51, 11, 2),
      // ("spark", 40, 50, 10, 1),
      .checkNewAnswer()

      // late event which session's end 10 would be later than watermark 11: should be dropped
      .add([inputData, lines(['spark streaming', 0])])
      // watermark: 11
      // current sessions
      // ("spark", 25, 35, 10, 1),
      // ("streaming", 25, 35, 10, 1),
      // ("hello", 40, 42, 2, 2),
      // ("streaming", 40, 51, 11, 2),
      // ("spark", 40, 50, 10, 1),
      .checkNewAnswer();
    assertNumRowsDroppedByWatermark(t, 2);

    // concatenating multiple previous sessions into one
    t.add([inputData, lines(['spark streaming', 30])])
      // watermark: 11
      // current sessions
      // ("spark", 25, 50, 25, 3),
      // ("streaming", 25, 51, 26, 4),
      // ("hello", 40, 42, 2, 2),
      .checkNewAnswer()

      // placing new sessions after previous sessions
      .add([inputData, lines(['hello apache spark', 60])])
      // watermark: 30
      // current sessions
      // ("spark", 25, 50, 25, 3),
      // ("streaming", 25, 51, 26, 4),
      // ("hello", 40, 42, 2, 2),
      // ("hello", 60, 61, 1, 1),
      // ("apache", 60, 70, 10, 1),
      // ("spark", 60, 70, 10, 1)
      .checkNewAnswer()

      .add([inputData, lines(['structured streaming', 90])])
      // watermark: 60
      // current sessions
      // ("hello", 60, 61, 1, 1),
      // ("apache", 60, 70, 10, 1),
      // ("spark", 60, 70, 10, 1),
      // ("streaming", 90, 100, 10, 1)
      .checkNewAnswer(
        ['spark', 25, 50, 25, 3],
        ['streaming', 25, 51, 26, 4],
        ['hello', 40, 42, 2, 2],
      );
  });

  // Logic is the same as `SPARK-36465: dynamic gap duration`
  // just with a more complex key
  it('StreamingSessionWindowSuite: dynamic gap duration - nested tuple key', () => {
    const inputData = MemoryStream.of(spark, '_1 STRING, _2 BIGINT');

    // Spark's UDF compares the key with ((w, w), w) for hello, structured and world; every key
    // here is ((w, w), w) of one word w, so this compares w.
    const sessionUpdates = sessionWindowQueryNestedKey(inputData,
      session_window(col('eventTime'), gapDurationOfWord('sessionId.sessionIdSingle')));

    const t = new SparkStreamTest(sessionUpdates, 'append')
      .add([inputData, lines(
        ['hello world spark streaming', 40],
        ['world hello structured streaming', 41],
      )])
      .checkNewAnswer()
      // placing new sessions "before" previous sessions
      .add([inputData, lines(['spark streaming', 25])])
      .checkNewAnswer()
      // late event which session's end 10 would be later than watermark 11: should be dropped
      .add([inputData, lines(['spark streaming', 0])])
      .checkNewAnswer();
    assertNumRowsDroppedByWatermark(t, 2);
    // concatenating multiple previous sessions into one
    t.add([inputData, lines(['spark streaming', 30])])
      .checkNewAnswer()
      // placing new sessions after previous sessions
      .add([inputData, lines(['hello apache spark', 60])])
      .checkNewAnswer()
      .add([inputData, lines(['structured streaming', 90])])
      .checkNewAnswer(
        [nested('spark'), 25, 50, 25, 3],
        [nested('streaming'), 25, 51, 26, 4],
        [nested('hello'), 40, 42, 2, 2]);
  });

  // Logic is the same as `SPARK-36465: dynamic gap duration`
  // just with a more complex key
  it('StreamingSessionWindowSuite: dynamic gap duration - multiple col key', () => {
    const inputData = MemoryStream.of(spark, '_1 STRING, _2 BIGINT');

    // Spark's UDF compares (aggKeyDouble, aggKeySingle) with ((w, w), w) for hello, structured
    // and world; every key here is ((w, w), w) of one word w, so this compares w.
    const sessionUpdates = sessionWindowQueryMultiColKey(inputData,
      session_window(col('eventTime'), gapDurationOfWord('aggKeySingle')));

    const t = new SparkStreamTest(sessionUpdates, 'append')
      .add([inputData, lines(
        ['hello world spark streaming', 40],
        ['world hello structured streaming', 41],
      )])
      .checkNewAnswer()
      // placing new sessions "before" previous sessions
      .add([inputData, lines(['spark streaming', 25])])
      .checkNewAnswer()
      // late event which session's end 10 would be later than watermark 11: should be dropped
      .add([inputData, lines(['spark streaming', 0])])
      .checkNewAnswer();
    assertNumRowsDroppedByWatermark(t, 2);
    // concatenating multiple previous sessions into one
    t.add([inputData, lines(['spark streaming', 30])])
      .checkNewAnswer()
      // placing new sessions after previous sessions
      .add([inputData, lines(['hello apache spark', 60])])
      .checkNewAnswer()
      .add([inputData, lines(['structured streaming', 90])])
      .checkNewAnswer(
        [['spark', 'spark'], 'spark', 25, 50, 25, 3],
        [['streaming', 'streaming'], 'streaming', 25, 51, 26, 4],
        [['hello', 'hello'], 'hello', 40, 42, 2, 2]);
  });

  it('StreamingSessionWindowSuite: append mode - session window - no key', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const e = intercept(() => {
      const windowedAggregation = sessionWindowQueryOnGlobalKey(inputData);
      new SparkStreamTest(windowedAggregation)
        .add([inputData, [[40]]])
        .checkAnswer(); // this is just to trigger the exception
    });
    for (const m of ['Global aggregation with session window', 'not supported']) {
      expect(e.message.toLowerCase()).toContain(m.toLowerCase());
    }
  });

  it('StreamingSessionWindowSuite: update mode - session window', () => {
    // Implements StructuredSessionization.scala leveraging "session" function
    // as a test, to verify the sessionization works with simple example

    const inputData = MemoryStream.of(spark, '_1 STRING, _2 BIGINT');
    const sessionUpdates = sessionWindowQuery(inputData);

    const e = intercept(() => new SparkStreamTest(sessionUpdates, 'update')
      .add([inputData, lines(['hello', 40])])
      .checkAnswer()); // this is just to trigger the exception
    expect(e).toBeInstanceOf(AnalysisException);
    // The stored suite (pre-4.x) asserts the plain 3.x text; a real Spark 4.2.0 run (conformance
    // case windows/session-update) raises the 4.x error class, and the run wins.
    for (const m of ['[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: update', 'not supported', 'session window']) {
      expect(e.message.toLowerCase()).toContain(m.toLowerCase());
    }
  });

  it('StreamingSessionWindowSuite: update mode - session window - no key', () => {
    const inputData = MemoryStream.of(spark, 'value INT');
    const windowedAggregation = sessionWindowQueryOnGlobalKey(inputData);

    const e = intercept(() => new SparkStreamTest(windowedAggregation, 'update')
      .add([inputData, [[40]]])
      .checkAnswer()); // this is just to trigger the exception
    expect(e).toBeInstanceOf(AnalysisException);
    // The stored suite (pre-4.x) asserts the plain 3.x text; a real Spark 4.2.0 run (conformance
    // case windows/session-update) raises the 4.x error class, and the run wins.
    for (const m of ['[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: update', 'not supported', 'session window']) {
      expect(e.message.toLowerCase()).toContain(m.toLowerCase());
    }
  });

  // Test that session window works with mean, median, std dev, variance, UDAFs
  // and first, last on nested tuple keys
  // (Sluice has no UDAFs: Spark's MySum Aggregator is written as sum here.)
  it('StreamingSessionWindowSuite: session window - with more aggregation functions and UDAFs', () => {
    const inputData = MemoryStream.of(spark, '_1 STRING, _2 BIGINT');
    // Split the lines into words, treat words as sessionId of events
    const events = inputData.toDF()
      .select(col('_1').alias('value'), col('_2').alias('timestamp'))
      .withColumn('eventTime', col('timestamp').cast('timestamp'))
      .withColumn('single', col('timestamp'))
      .withColumn('double', struct(col('single'), col('single')))
      .withColumn('triple', struct(col('double'), col('single')))
      .withWatermark('eventTime', '30 seconds')
      .selectExpr("explode(split(value, ' ')) AS sessionId", 'eventTime', 'single', 'triple');

    const sessionWindow = session_window(col('eventTime'), '10 seconds');
    const sessionWithAgg = events
      .groupBy(sessionWindow.alias('session'), col('sessionId'))
      .agg(
        expr('mean(single)').alias('meanTime'),
        expr('median(single)').alias('medianTime'),
        expr('stddev(single)').alias('stdDevTime'),
        expr('variance(single)').alias('varTime'),
        expr('first(triple)').alias('firstTimeTriple'),
        expr('last(triple)').alias('lastTimeTriple'),
        sum(col('single')).alias('mySumSingle'), // mySum($"single"): the UDAF MySum
      )
      .selectExpr(
        'sessionId', 'CAST(session.start AS LONG)',
        'CAST(session.end AS LONG)',
        // "firstTimeTriple", "lastTimeTriple",  // Non deterministic
        'CAST(meanTime AS LONG)', 'CAST(medianTime AS LONG)',
        'CAST(stdDevTime AS LONG)', 'CAST(varTime AS LONG)',
        'mySumSingle');

    new SparkStreamTest(sessionWithAgg, 'append')
      .add([inputData, lines(['a', 41])])
      .add([inputData, lines(['a', 42])])
      .add([inputData, lines(['a', 40])])
      .checkAnswer()
      .add([inputData, lines(['b', 100])]) // Move the watermark past the end of the session.
      .add([inputData, lines(['b', 101])]) // Trigger the session production.
      .checkAnswer(['a', 40, 52, 41, 41, 1, 1, 123]);
  });

  // Test that session window works with first, last, min_by, max_by (in one stored revision
  // of Spark's suite, not in others).
  it('StreamingSessionWindowSuite: session window with first/last function', () => {
    const inputData = MemoryStream.of(spark, '_1 STRING, _2 BIGINT');
    // Split the lines into words, treat words as sessionId of events
    const events = inputData.toDF()
      .select(col('_1').alias('value'), col('_2').alias('timestamp'))
      .withColumn('eventTime', col('timestamp').cast('timestamp'))
      .withWatermark('eventTime', '30 seconds')
      .selectExpr("explode(split(value, ' ')) AS sessionId", 'eventTime');

    const sessionWindow = session_window(col('eventTime'), '10 seconds');
    const sessionWithAgg = events
      .groupBy(sessionWindow.alias('session'), col('sessionId'))
      .agg(
        expr('first(eventTime)').alias('firstTime'),
        expr('last(eventTime)').alias('lastTime'),
        expr('min_by(eventTime, eventTime)').alias('minTime'),
        expr('max_by(eventTime, eventTime)').alias('maxTime'),
      )
      .selectExpr(
        'sessionId', 'CAST(session.start AS LONG)',
        'CAST(session.end AS LONG)',
        // "CAST(firstTime AS LONG)", "CAST(lastTime AS LONG)",  // Non deterministic
        'CAST(minTime AS LONG)', 'CAST(maxTime AS LONG)');

    new SparkStreamTest(sessionWithAgg, 'append')
      .add([inputData, lines(['a', 41])])
      .add([inputData, lines(['a', 42])])
      .add([inputData, lines(['a', 40])])
      .checkAnswer()
      .add([inputData, lines(['b', 100])]) // Move the watermark past the end of the session.
      .add([inputData, lines(['b', 101])]) // Trigger the session production.
      .checkAnswer(['a', 40, 52, 40, 42]);
  });
});
