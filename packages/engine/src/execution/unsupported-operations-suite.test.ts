import { jest } from '@jest/globals';
import { SparkSession } from '../api/spark-session.js';
import { col, count, countDistinct, expr, row_number } from '../api/functions.js';
import { Window } from '../api/window.js';
import type { DataFrame } from '../api/data-frame.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { QueryManager } from '../runtime/query-manager.js';
import { MemoryStream } from '../testing/memory-stream.js';
import { numberSources } from '../plan/logical-plan.js';
import { checkForBatch, checkStreamingQueryGlobalWatermarkLimit, validatePlan } from './plan-validator.js';
import type { OutputMode } from '../plan/query-plan.js';

/*
 * Spark 4.x's UnsupportedOperationsSuite (sql/catalyst/.../analysis/UnsupportedOperationsSuite.scala),
 * transcribed: the same generators, the same test names, the same expectations (supported / not
 * supported, and the message fragments Spark asserts, case-insensitively, with "streaming",
 * "DataFrame", "Dataset" and "not supported" added to every `assertNotSupportedInStreamingPlan`).
 *
 * Translation of Spark's fixtures:
 * - `streamRelation` / `batchRelation` (one nullable INT column `a`): a MemoryStream of `a INT`
 *   and `spark.createDataFrame([], 'a INT')`.
 * - `attributeWithWatermark` (the attribute with `spark.watermarkDelayMs` = 1000): Sluice marks a
 *   column through `withWatermark`, which needs a timestamp, so where Spark uses it the relation
 *   is a MemoryStream of `a TIMESTAMP` with `withWatermark('a', '1 second')`, and the unmarked
 *   side of such a join a MemoryStream of `a TIMESTAMP`; Spark's `+ 10` on integers becomes
 *   `+ INTERVAL 10 SECONDS`.
 * - Spark's self-joins `streamRelation.join(streamRelation, condition = a === a)` rely on both
 *   sides sharing one attribute; here the sides are aliased `l` and `r` (`l.a = r.a`), or the
 *   right side's column is `b` where a later operator names `a`.
 * - `wrapInStreaming` (a node that makes any plan look streaming): a batch plan becomes the static
 *   side of a cross join with a stream (`stream(w INT) CROSS JOIN plan`), a stream-static inner
 *   join being supported in every output mode; a streaming plan is left as it is.
 * - `checkForStreaming(plan, mode)`: `df.writeStream.outputMode(mode).toPlan()` (what start() runs),
 *   `checkStreamingQueryGlobalWatermarkLimit` and `checkForBatch`: the validator's functions.
 *
 * Not transcribed (Sluice has no such operator, or no such entry point), 66 of Spark's 207 tests:
 * - "streaming plan - commmands: not supported" (DummyCommand: no commands in Sluice plans);
 * - every flatMapGroupsWithState / mapGroupsWithState test: the 28 generated in the
 *   "flatMapGroupsWithState - …" and "mapGroupsWithState - …" sections, the 7 global-watermark
 *   ones on them ("flatMapGroupsWithState - flatMapGroupsWithState(Append) on streaming relation
 *   after aggregation in Append/Update mode", "mapGroupsWithState - … after aggregation in Update
 *   mode", "multiple stateful ops - FlatMapGroupsWithState / MapGroupsWithState (process time)
 *   followed by agg"), the 2 "multiple stateful ops - FlatMapGroupsWithState followed by dedup
 *   (with / without event-time)", the 4 "FlatMapGroupsWithState after stream-stream <type> join in
 *   Append mode", "FlatMapGroupsWithState after streaming aggregation in Append mode", the 7 of the
 *   "FlatMapGroupsWithState" block and "FlatMapGroupsWithState after deduplicate in Append mode";
 * - cogroup, except, intersect (4 each): no such DataFrame operations;
 * - sample (2): no such operator;
 * - "continuous processing - TypedFilter: supported": no continuous processing.
 */

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');

const Append: OutputMode = 'append';
const Update: OutputMode = 'update';
const Complete: OutputMode = 'complete';
/** OutputMode.toString, as Spark's test names print it. */
const modeName = (m: OutputMode): string => (m === 'append' ? 'Append' : m === 'update' ? 'Update' : 'Complete');

type Plan = () => DataFrame;

const streamRelation = (): DataFrame => MemoryStream.of(spark, 'a INT').toDF();
const batchRelation = (): DataFrame => spark.createDataFrame([], 'a INT');
/** A stream whose (timestamp) column carries no watermark. */
const streamOfTime = (column = 'a'): DataFrame => MemoryStream.of(spark, `${column} TIMESTAMP`).toDF();
/** Spark's `new TestStreamingRelation(attributeWithWatermark)`: the column marked with a 1000 ms delay. */
const streamWithWatermark = (column = 'a'): DataFrame => streamOfTime(column).withWatermark(column, '1 second');
const aggExprs = (name: string) => count('*').alias(name);

function wrapInStreaming(df: DataFrame): DataFrame {
  return df.isStreaming ? df : MemoryStream.of(spark, 'w INT').toDF().crossJoin(df);
}

function checkForStreaming(df: DataFrame, mode: OutputMode): void {
  df.writeStream.outputMode(mode).toPlan();
}

/** testError: an AnalysisException whose message contains every fragment (ignoring case). */
function expectError(body: () => void, expectedMsgs: readonly string[]): void {
  let error: unknown;
  try {
    body();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AnalysisException);
  const message = (error as Error).message;
  for (const m of expectedMsgs) {
    if (!message.toLowerCase().includes(m.toLowerCase())) {
      throw new Error(`Exception message should contain: '${m}', actual exception message:\n\t'${message}'`);
    }
  }
}

function testError(testName: string, expectedMsgs: readonly string[], body: () => void): void {
  it(`UnsupportedOperationsSuite: ${testName}`, () => expectError(body, expectedMsgs));
}

function assertSupportedInStreamingPlan(name: string, plan: Plan, outputMode: OutputMode): void {
  it(`UnsupportedOperationsSuite: streaming plan - ${name}: supported`, () => {
    checkForStreaming(wrapInStreaming(plan()), outputMode);
  });
}

function assertNotSupportedInStreamingPlan(name: string, plan: Plan, outputMode: OutputMode, expectedMsgs: readonly string[]): void {
  testError(`streaming plan - ${name}: not supported`, [...expectedMsgs, 'streaming', 'DataFrame', 'Dataset', 'not supported'], () =>
    checkForStreaming(wrapInStreaming(plan()), outputMode));
}

/** checkError(STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION, sqlState 42KDE, outputMode, operation). */
function assertOutputModeNotSupportedInStreamingPlan(name: string, plan: Plan, outputMode: OutputMode, operation: string): void {
  it(`UnsupportedOperationsSuite: streaming plan - ${name}: not supported`, () => {
    expect(() => checkForStreaming(wrapInStreaming(plan()), outputMode)).toThrow(
      new AnalysisException(
        `[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: ${outputMode}. ` +
          `This output mode is not supported for ${operation} on streaming DataFrames/DataSets. SQLSTATE: 42KDE`,
      ),
    );
  });
}

function assertSupportedInBatchPlan(name: string, plan: Plan): void {
  it(`UnsupportedOperationsSuite: batch plan - ${name}: supported`, () => {
    checkForBatch(plan().plan);
  });
}

function assertNotSupportedInBatchPlan(name: string, plan: Plan, expectedMsgs: readonly string[]): void {
  testError(`batch plan - ${name}: not supported`, expectedMsgs, () => checkForBatch(plan().plan));
}

function testGlobalWatermarkLimit(testNamePostfix: string, plan: Plan, expectFailure: boolean, outputMode: OutputMode): void {
  it(`UnsupportedOperationsSuite: Global watermark limit - ${testNamePostfix}`, () => {
    const check = (): void => checkStreamingQueryGlobalWatermarkLimit(numberSources(wrapInStreaming(plan()).plan), outputMode, 'UTC');
    if (expectFailure) {
      expect(check).toThrow(AnalysisException);
      expect(check).toThrow("Detected pattern of possible 'correctness' issue");
    } else {
      check();
    }
  });
}

const assertPassOnGlobalWatermarkLimit = (name: string, plan: Plan, outputMode: OutputMode): void =>
  testGlobalWatermarkLimit(name, plan, false, outputMode);
const assertFailOnGlobalWatermarkLimit = (name: string, plan: Plan, outputMode: OutputMode): void =>
  testGlobalWatermarkLimit(name, plan, true, outputMode);

function testUnaryOperatorInStreamingPlan(
  operationName: string, generator: (child: DataFrame) => DataFrame, outputMode: OutputMode = Append, expectedMsg = '',
): void {
  const expectedMsgs = expectedMsg === '' ? [operationName] : [expectedMsg];
  assertNotSupportedInStreamingPlan(`${operationName} with stream relation`, () => generator(streamRelation()), outputMode, expectedMsgs);
  assertSupportedInStreamingPlan(`${operationName} with batch relation`, () => generator(batchRelation()), outputMode);
}

interface BinaryOptions {
  readonly outputMode?: OutputMode;
  readonly streamStreamSupported?: boolean;
  readonly streamBatchSupported?: boolean;
  readonly batchStreamSupported?: boolean;
  readonly expectedMsg?: string;
}

function testBinaryOperationInStreamingPlan(
  operationName: string, planGenerator: (left: DataFrame, right: DataFrame) => DataFrame, options: BinaryOptions = {},
): void {
  const { outputMode = Append, streamStreamSupported = true, streamBatchSupported = true, batchStreamSupported = true, expectedMsg = '' } = options;
  const expectedMsgs = expectedMsg === '' ? [operationName] : [expectedMsg];
  const cases: Array<[string, boolean, Plan]> = [
    ['stream-stream', streamStreamSupported, () => planGenerator(streamRelation(), streamRelation())],
    ['stream-batch', streamBatchSupported, () => planGenerator(streamRelation(), batchRelation())],
    ['batch-stream', batchStreamSupported, () => planGenerator(batchRelation(), streamRelation())],
  ];
  for (const [relations, supported, plan] of cases) {
    if (supported) assertSupportedInStreamingPlan(`${operationName} with ${relations} relations`, plan, outputMode);
    else assertNotSupportedInStreamingPlan(`${operationName} with ${relations} relations`, plan, outputMode, expectedMsgs);
  }
  assertSupportedInStreamingPlan(`${operationName} with batch-batch relations`, () => planGenerator(batchRelation(), batchRelation()), outputMode);
}

function testOutputMode(outputMode: OutputMode, shouldSupportAggregation: boolean, shouldSupportNonAggregation: boolean): void {
  const name = modeName(outputMode);
  const aggregation = (): DataFrame => streamRelation().groupBy('a').agg(count('*'));
  if (shouldSupportAggregation) {
    assertSupportedInStreamingPlan(`${name} output mode - aggregation`, aggregation, outputMode);
  } else {
    assertOutputModeNotSupportedInStreamingPlan(`${name} output mode - aggregation without watermark`, aggregation, outputMode, 'streaming aggregations without watermark');
  }
  const noAggregation = (): DataFrame => streamRelation().where(expr('a > 1'));
  if (shouldSupportNonAggregation) {
    assertSupportedInStreamingPlan(`${name} output mode - no aggregation`, noAggregation, outputMode);
  } else {
    assertOutputModeNotSupportedInStreamingPlan(`${name} output mode - no aggregation`, noAggregation, outputMode, 'no streaming aggregations');
  }
}

/** Spark's JoinType objects, by their toString, as Sluice spells them. */
const JOIN = { Inner: 'inner', LeftOuter: 'left_outer', RightOuter: 'right_outer', FullOuter: 'full_outer', LeftSemi: 'left_semi', LeftAnti: 'left_anti' } as const;
type JoinName = keyof typeof JOIN;

/** `streamRelation.join(streamRelation, joinType, Some(<left a> === <right a>))`. */
function selfJoin(left: DataFrame, right: DataFrame, joinType: JoinName, condition = 'l.a = r.a'): DataFrame {
  return left.alias('l').join(right.alias('r'), expr(condition), JOIN[joinType]);
}

describe('UnsupportedOperationsSuite', () => {
  /* ================================ BATCH QUERIES ================================ */

  assertSupportedInBatchPlan('local relation', batchRelation);

  assertNotSupportedInBatchPlan('streaming source', streamRelation, ['with streaming source', 'start']);

  assertNotSupportedInBatchPlan('select on streaming source', () => streamRelation().select('a'), ['with streaming source', 'start']);

  /* ============================== STREAMING QUERIES ============================== */

  // Batch plan in streaming query
  testError('streaming plan - no streaming source', ['without streaming source', 'start'], () => {
    const root = batchRelation().select('a').plan;
    validatePlan({ ...streamRelation().writeStream.toPlan(), root });
  });

  // Aggregation
  assertSupportedInStreamingPlan(
    'aggregate - multiple batch aggregations',
    () => batchRelation().agg(aggExprs('d')).agg(aggExprs('c')),
    Append);

  assertSupportedInStreamingPlan(
    'aggregate - multiple aggregations but only one streaming aggregation',
    () => batchRelation().agg(aggExprs('c')).join(streamRelation().agg(aggExprs('d'))),
    Update);

  assertSupportedInStreamingPlan('aggregate - streaming aggregations in update mode', () => streamRelation().agg(aggExprs('d')), Update);

  assertSupportedInStreamingPlan('aggregate - streaming aggregations in complete mode', () => streamRelation().agg(aggExprs('d')), Complete);

  assertSupportedInStreamingPlan(
    'aggregate - streaming aggregations with watermark in append mode',
    () => streamWithWatermark().groupBy('a').agg(aggExprs('d')),
    Append);

  assertOutputModeNotSupportedInStreamingPlan(
    'aggregate - streaming aggregations without watermark in append mode',
    () => streamRelation().agg(aggExprs('d')),
    Append,
    'streaming aggregations without watermark');

  // Aggregation: Distinct aggregates not supported on streaming relation
  const distinctAggExprs = () => countDistinct('a').alias('c');
  assertSupportedInStreamingPlan('distinct aggregate - aggregate on batch relation', () => batchRelation().agg(distinctAggExprs()), Append);

  assertNotSupportedInStreamingPlan(
    'distinct aggregate - aggregate on streaming relation',
    () => streamRelation().agg(distinctAggExprs()),
    Complete,
    ['distinct aggregation']);

  // Deduplicate (Spark's key `att` is not the watermarked attribute: here the column `v`)
  assertSupportedInStreamingPlan(
    'Deduplicate - Deduplicate on streaming relation before aggregation - append',
    () => MemoryStream.of(spark, 'a TIMESTAMP, v INT').toDF().withWatermark('a', '1 second').dropDuplicates(['v']).groupBy('a').agg(aggExprs('c')),
    Append);

  assertSupportedInStreamingPlan(
    'Deduplicate - Deduplicate on batch relation inside a streaming query',
    () => batchRelation().dropDuplicates(['a']),
    Append);

  // Inner joins: Multiple stream-stream joins supported only in append mode
  testBinaryOperationInStreamingPlan('single inner join in append mode', (x, y) => x.join(y), { outputMode: Append });

  testBinaryOperationInStreamingPlan(
    'multiple inner joins in append mode',
    (x, y) => x.join(y).join(streamRelation()),
    { outputMode: Append });

  // SPARK-56384 (Spark 4.2): a stream-stream Inner/LeftSemi join runs in Update mode (conformance
  // checker/stream-join-update, run in Spark 4.2.0).
  testBinaryOperationInStreamingPlan('inner join in update mode', (x, y) => x.join(y), { outputMode: Update });

  // Full outer joins: stream-batch/batch-stream join are not allowed,
  // and stream-stream join is allowed 'conditionally' - see below check
  testBinaryOperationInStreamingPlan('FullOuter join', (x, y) => x.join(y, undefined, 'full_outer'), {
    streamStreamSupported: false, batchStreamSupported: false, streamBatchSupported: false, expectedMsg: 'FullOuter join',
  });

  // Left outer, left semi, left anti join: *-stream not allowed
  for (const [joinType, name] of [['LeftOuter', 'LeftOuter join'], ['LeftSemi', 'LeftSemi join'], ['LeftAnti', 'LeftAnti join']] as const) {
    testBinaryOperationInStreamingPlan(name, (x, y) => x.join(y, undefined, JOIN[joinType]), {
      batchStreamSupported: false, streamStreamSupported: false, expectedMsg: name,
    });
  }

  // Right outer joins: stream-* not allowed
  testBinaryOperationInStreamingPlan('RightOuter join', (x, y) => x.join(y, undefined, 'right_outer'), {
    streamBatchSupported: false, streamStreamSupported: false, expectedMsg: 'RightOuter join',
  });

  // Left outer, right outer, full outer, left semi joins
  for (const joinType of ['LeftOuter', 'RightOuter', 'FullOuter', 'LeftSemi'] as const) {
    // Update mode not allowed for the outer joins (SPARK-56384: LeftSemi runs in Update mode)
    if (joinType === 'LeftSemi') {
      assertSupportedInStreamingPlan(
        `${joinType} join with stream-stream relations and update mode`,
        () => selfJoin(streamWithWatermark(), streamOfTime(), joinType),
        Update);
    } else {
      assertNotSupportedInStreamingPlan(
        `${joinType} join with stream-stream relations and update mode`,
        () => selfJoin(streamRelation(), streamRelation(), joinType),
        Update,
        ['is not supported in Update output mode']);
    }

    // Complete mode not allowed
    assertNotSupportedInStreamingPlan(
      `${joinType} join with stream-stream relations and complete mode`,
      () => selfJoin(streamRelation(), streamRelation(), joinType).agg(aggExprs('d')),
      Complete,
      ['is not supported in Complete output mode']);

    // Stream-stream allowed with join on watermark attribute
    // Note that the attribute need not be watermarked on both sides.
    assertSupportedInStreamingPlan(
      `${joinType} join with stream-stream relations and join on attribute with left watermark`,
      () => selfJoin(streamWithWatermark(), streamOfTime(), joinType),
      Append);
    assertSupportedInStreamingPlan(
      `${joinType} join with stream-stream relations and join on attribute with right watermark`,
      () => selfJoin(streamOfTime(), streamWithWatermark(), joinType),
      Append);
    assertNotSupportedInStreamingPlan(
      `${joinType} join with stream-stream relations and join on non-watermarked attribute`,
      () => selfJoin(streamOfTime(), streamOfTime(), joinType),
      Append,
      ['without a watermark in the join keys']);

    // `timeWithWatermark`: a column `b` with the watermark, on the left for RightOuter.
    const relations = (): [DataFrame, DataFrame] =>
      joinType === 'RightOuter' ? [streamWithWatermark('b'), streamOfTime('a')] : [streamOfTime('a'), streamWithWatermark('b')];

    // stream-stream allowed with range condition yielding state value watermark
    assertSupportedInStreamingPlan(
      `${joinType} join with stream-stream relations and state value watermark`,
      () => {
        const [left, right] = relations();
        return left.join(right, expr('a > b + INTERVAL 10 SECONDS'), JOIN[joinType]);
      },
      Append);

    // stream-stream not allowed with insufficient range condition
    assertNotSupportedInStreamingPlan(
      `${joinType} join with stream-stream relations and state value watermark`,
      () => {
        const [left, right] = relations();
        return left.join(right, expr('a < b + INTERVAL 10 SECONDS'), JOIN[joinType]);
      },
      Append,
      ['is not supported without a watermark in the join keys, or a watermark on the nullable side and an appropriate range condition']);
  }

  // multi-aggregations only supported in Append mode
  const chainedAggregations = (): DataFrame => streamRelation().agg(aggExprs('d')).agg(aggExprs('c'));
  assertPassOnGlobalWatermarkLimit('aggregate - multiple streaming aggregations - append', chainedAggregations, Append);
  assertFailOnGlobalWatermarkLimit('aggregate - multiple streaming aggregations - update', chainedAggregations, Update);
  assertFailOnGlobalWatermarkLimit('aggregate - multiple streaming aggregations - complete', chainedAggregations, Complete);

  // stream-stream relation, time interval join can be followed by any stateful operators
  assertPassOnGlobalWatermarkLimit(
    'multiple stateful ops - stream-stream time-interval join followed by agg',
    () => selfJoin(streamWithWatermark(), streamWithWatermark(), 'Inner', 'l.a = r.a AND l.a > r.a + INTERVAL 10 SECONDS').agg(aggExprs('c')),
    Append);

  // stream-stream relation, equality join can be followed by any stateful operators
  assertPassOnGlobalWatermarkLimit(
    'multiple stateful ops - stream-stream equality join followed by agg',
    () => selfJoin(streamRelation(), streamRelation(), 'Inner').agg(aggExprs('c')),
    Append);

  // Deduplication, if on event time column, is a stateful operator
  // and cannot be placed after aggregation
  for (const outputMode of [Update, Complete]) {
    assertFailOnGlobalWatermarkLimit(
      `multiple stateful ops - aggregation(${modeName(outputMode)} mode) followed by dedup (with event-time)`,
      () => streamWithWatermark().groupBy('a').agg(aggExprs('c')).dropDuplicates(['a']),
      outputMode);

    // Deduplication, if not on event time column,
    // although it is still a stateful operator,
    // it can be placed after aggregation
    assertPassOnGlobalWatermarkLimit(
      `multiple stateful ops - aggregation(${modeName(outputMode)} mode) followed by dedup (without event-time)`,
      () => streamWithWatermark().groupBy('a').agg(aggExprs('c')).dropDuplicates(['c']),
      outputMode);
  }

  // The right side's event time is `b`, so that `a` names one column.
  const timeIntervalJoin = (): DataFrame =>
    streamWithWatermark('a').join(streamWithWatermark('b'), expr('a = b AND a > b + INTERVAL 10 SECONDS'));
  assertPassOnGlobalWatermarkLimit(
    'multiple stateful ops - stream-stream time interval join followed by dedup (with event-time)',
    () => timeIntervalJoin().dropDuplicates(['a']),
    Append);

  assertPassOnGlobalWatermarkLimit(
    'multiple stateful ops - stream-stream time interval join followed by dedup (without event-time)',
    () => MemoryStream.of(spark, 'a TIMESTAMP, v INT').toDF().withWatermark('a', '1 second')
      .join(streamWithWatermark('b'), expr('a = b AND a > b + INTERVAL 10 SECONDS')).dropDuplicates(['v']),
    Append);

  for (const joinType of ['Inner', 'LeftOuter', 'RightOuter', 'FullOuter'] as const) {
    assertPassOnGlobalWatermarkLimit(
      `streaming aggregation after stream-stream ${joinType} join keyed on time interval in Append mode are not supported`,
      () => streamWithWatermark('a').join(streamOfTime('b'), expr('a = b AND a < b + INTERVAL 10 SECONDS'), JOIN[joinType]).groupBy('a').agg(count('*')),
      Append);

    assertPassOnGlobalWatermarkLimit(
      `single ${joinType} join in Append mode`,
      () => selfJoin(streamWithWatermark(), streamOfTime(), 'RightOuter'),
      Append);

    assertPassOnGlobalWatermarkLimit(
      `streaming aggregation after stream-stream ${joinType} join keyed on time equality in Append mode are supported`,
      () => streamWithWatermark('a').join(streamOfTime('b'), expr('a = b'), JOIN[joinType]).groupBy('a').agg(count('*')),
      Append);

    for (const joinType2 of ['Inner', 'LeftOuter', 'RightOuter'] as const) {
      assertPassOnGlobalWatermarkLimit(
        `streaming-stream ${joinType2} after stream-stream ${joinType} join in Append mode`,
        () => streamWithWatermark('x').join(
          streamWithWatermark('a').join(streamOfTime('b'), expr('a = b'), JOIN[joinType]),
          expr('x = a'), JOIN[joinType2]),
        Append);
    }

    assertPassOnGlobalWatermarkLimit(
      `deduplicate after stream-stream ${joinType} join in Append mode`,
      () => streamWithWatermark('a').join(streamOfTime('b'), expr('a = b'), JOIN[joinType]).dropDuplicates(['a']),
      Append);
  }

  // Union: Mixing between stream and batch not supported
  testBinaryOperationInStreamingPlan('union', (x, y) => x.union(y), { streamBatchSupported: false, batchStreamSupported: false });

  // Sort: supported only on batch subplans and after aggregation on streaming plan + complete mode
  testUnaryOperatorInStreamingPlan('sort', (child) => child.orderBy());
  assertSupportedInStreamingPlan(
    'sort - sort after aggregation in Complete output mode',
    () => streamRelation().agg(count('*')).orderBy(),
    Complete);
  assertNotSupportedInStreamingPlan(
    'sort - sort before aggregation in Complete output mode',
    () => streamRelation().orderBy().agg(count('*')),
    Complete,
    ['sort', 'aggregat', 'complete']);
  assertNotSupportedInStreamingPlan(
    'sort - sort over aggregated data in Update output mode',
    () => streamRelation().agg(count('*')).orderBy(),
    Update,
    ['sort', 'aggregat', 'complete']); // sort on aggregations is supported on Complete mode only

  // Other unary operations. Spark's `Window(Nil, Nil, Nil, _)` (a Window operator) is a projection
  // with a window function here; `condition` is the error class Spark checks besides the message.
  const windowed = (child: DataFrame): DataFrame => child.select(col('a'), row_number().over(Window.orderBy('a')));
  testError('streaming plan - window with stream relation: not supported', ['window', 'streaming', 'DataFrame', 'Dataset', 'not supported', '[NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING]'], () =>
    checkForStreaming(wrapInStreaming(windowed(streamRelation())), Append));
  assertSupportedInStreamingPlan('window with batch relation', () => windowed(batchRelation()), Append);

  // Output modes with aggregation and non-aggregation plans
  testOutputMode(Append, false, true);
  testOutputMode(Update, true, true);
  testOutputMode(Complete, true, false);

  // Unsupported expressions in streaming plan
  assertNotSupportedInStreamingPlan(
    'MonotonicallyIncreasingID',
    () => streamRelation().select(expr('monotonically_increasing_id()')),
    Append,
    ['monotonically_increasing_id']);

  // streaming aggregation
  assertPassOnGlobalWatermarkLimit('single streaming aggregation in Append mode', () => streamRelation().groupBy('a').agg(count('*')), Append);

  assertPassOnGlobalWatermarkLimit(
    'chained streaming aggregations in Append mode',
    () => streamRelation().groupBy('a').agg(count('*')).agg(count('*')),
    Append);

  for (const joinType of ['Inner', 'LeftOuter', 'RightOuter'] as const) {
    assertPassOnGlobalWatermarkLimit(
      `${joinType} join after streaming aggregation in Append mode`,
      () => streamRelation().join(streamRelation().groupBy('a').agg(count('*')), undefined, JOIN[joinType]),
      Append);
  }

  assertPassOnGlobalWatermarkLimit(
    'deduplicate after streaming aggregation in Append mode',
    () => streamRelation().groupBy('a').agg(count('*')).dropDuplicates(['a']),
    Append);

  // deduplicate
  assertPassOnGlobalWatermarkLimit(
    'streaming aggregation after deduplicate in Append mode',
    () => streamRelation().dropDuplicates(['a']).groupBy('a').agg(count('*')),
    Append);

  for (const joinType of ['Inner', 'LeftOuter', 'RightOuter'] as const) {
    assertPassOnGlobalWatermarkLimit(
      `${joinType} join after deduplicate in Append mode`,
      () => streamWithWatermark('a').join(streamOfTime('b').dropDuplicates(['b']), expr('a = b'), JOIN[joinType]),
      Append);
  }
});

// Not from the suite: the rest of UnsupportedOperationChecker that the suite does not reach.
describe('UnsupportedOperationChecker beyond the suite', () => {
  it('spark.sql.streaming.statefulOperator.checkCorrectness.enabled=false turns the global watermark check into a warning', () => {
    const session = new SparkSession('test', new QueryManager());
    const chained = (): DataFrame => MemoryStream.of(session, 'a INT').toDF().agg(count('*').alias('d')).agg(count('*').alias('c'));
    expect(() => chained().writeStream.outputMode('update').toPlan()).toThrow("Detected pattern of possible 'correctness' issue");
    session.conf.set('spark.sql.streaming.statefulOperator.checkCorrectness.enabled', 'false');
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => chained().writeStream.outputMode('update').toPlan()).not.toThrow();
      expect(String(stderr.mock.calls[0]?.[0])).toContain("Detected pattern of possible 'correctness' issue");
    } finally {
      stderr.mockRestore();
    }
    // SQLConf's booleanConf check, at set time.
    expect(() => session.conf.set('spark.sql.streaming.statefulOperator.checkCorrectness.enabled', 'maybe'))
      .toThrow('spark.sql.streaming.statefulOperator.checkCorrectness.enabled should be boolean, but was maybe');
  });

  it('monotonically_increasing_id() in a join condition is rejected too (checkUnsupportedExpressions on operator.expressions)', () => {
    const df = streamRelation().join(batchRelation().withColumnRenamed('a', 'b'), expr('a = b AND monotonically_increasing_id() > 0'));
    expectError(() => checkForStreaming(df, Append), ['monotonically_increasing_id', 'not supported']);
  });
});
