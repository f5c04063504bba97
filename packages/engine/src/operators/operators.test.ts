import { SparkSession } from '../api/spark-session.js';
import { col, count, countDistinct, desc, explode, from_json, length, split, struct, sum, to_json } from '../api/functions.js';
import type { DataFrame } from '../api/data-frame.js';
import type { Row } from '../core/types.js';
import { PlanRunner } from '../testing/plan-runner.js';
import { QueryManager } from '../runtime/query-manager.js';

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');
const lines = (): DataFrame => spark.readStream.format('socket').option('host', 'localhost').option('port', 1).load();
const runner = (df: DataFrame, mode: string): PlanRunner => new PlanRunner(df.writeStream.outputMode(mode).toPlan());
const v = (...values: string[]): Row[] => values.map((x) => [x]);

describe('stateless operators (append)', () => {
  it('filters on length(value) > 4 (tutorial Segment 4)', () => {
    const r = runner(lines().filter(length(col('value')).gt(4)), 'append');
    expect(r.schema.map((f) => f.name)).toEqual(['value']);
    expect(r.runBatch(v('hello', '1', 'streaming'))).toEqual(v('hello', 'streaming'));
    expect(r.runBatch(v('1', '2', '3'))).toEqual([]);
  });

  it('selectExpr renames and explode flattens (word split)', () => {
    const r = runner(lines().select(explode(split(col('value'), ' ')).alias('word')), 'append');
    expect(r.schema).toEqual([{ name: 'word', type: 'string', nullable: true }]);
    expect(r.runBatch(v('a b', 'c'))).toEqual(v('a', 'b', 'c'));
  });

  it('posexplode gives two columns, pos (0-based int) and col', () => {
    const r = runner(lines().selectExpr('value', "posexplode(split(value, ' '))"), 'append');
    expect(r.schema.map((f) => [f.name, f.type, f.nullable])).toEqual([['value', 'string', true], ['pos', 'int', false], ['col', 'string', true]]);
    expect(r.runBatch(v('a b', 'c'))).toEqual([['a b', 0, 'a'], ['a b', 1, 'b'], ['c', 0, 'c']]);
  });

  it('spark.sql.ansi.enabled=false in the plan conf reaches the expressions (NULL on division by zero)', () => {
    const df = lines().selectExpr('length(value) / 0 AS q', "CAST(value AS INT) AS c");
    expect(() => runner(df, 'append').runBatch(v('abc'))).toThrow('[DIVIDE_BY_ZERO]');
    const plan = df.writeStream.outputMode('append').toPlan();
    const r = new PlanRunner({ ...plan, conf: { 'spark.sql.ansi.enabled': 'false' } });
    expect(r.runBatch(v('abc'))).toEqual([[null, null]]);
  });

  it('withColumn, withColumnRenamed and drop keep Spark column order', () => {
    const df = lines().withColumn('len', length(col('value'))).withColumnRenamed('value', 'text');
    expect(df.columns).toEqual(['text', 'len']);
    expect(df.drop('text').columns).toEqual(['len']);
  });
});

describe('streaming aggregation', () => {
  const words = (): DataFrame => lines().select(explode(split(col('value'), ' ')).alias('word'));

  it('complete mode emits the whole table every batch, counts named `count`', () => {
    const r = runner(words().groupBy('word').count(), 'complete');
    expect(r.schema.map((f) => [f.name, f.type])).toEqual([['word', 'string'], ['count', 'bigint']]);
    // Rows come out by shuffle partition of the key, as in Spark (200 partitions: c 122, b 161, a 170).
    expect(r.runBatch(v('a b a'))).toEqual([['b', 1], ['a', 2]]);
    expect(r.runBatch(v('b c'))).toEqual([['c', 1], ['b', 2], ['a', 2]]);
  });

  it('update mode emits only the groups the batch changed', () => {
    const r = runner(words().groupBy('word').count(), 'update');
    r.runBatch(v('a b a'));
    expect(r.runBatch(v('b c'))).toEqual([['c', 1], ['b', 2]]);
  });

  it('agg(sum) names sum(x) and sums integral types to bigint; orderBy desc in complete mode', () => {
    const df = words().withColumn('len', length(col('word'))).groupBy('word').agg(sum('len'), count('*'));
    expect(df.columns).toEqual(['word', 'sum(len)', 'count(1)']);
    const r = runner(df.orderBy(desc('sum(len)')), 'complete');
    expect(r.runBatch(v('aa b aa'))).toEqual([['aa', 4, 2], ['b', 1, 1]]);
  });

  it('a global limit in append mode counts across batches', () => {
    const r = runner(lines().limit(3), 'append');
    expect(r.runBatch(v('a', 'b'))).toEqual(v('a', 'b'));
    expect(r.runBatch(v('c', 'd'))).toEqual(v('c'));
    expect(r.runBatch(v('e'))).toEqual([]);
  });

  it('dropDuplicates keeps the first row of each key across batches', () => {
    const r = runner(lines().dropDuplicates(['value']), 'append');
    expect(r.runBatch(v('a', 'b', 'a'))).toEqual(v('b', 'a'));
    expect(r.runBatch(v('b', 'c'))).toEqual(v('c'));
  });
});

describe('analysis at start() (UnsupportedOperationChecker)', () => {
  const words = (): DataFrame => lines().groupBy('value').count();

  it.each([
    [() => lines().writeStream.outputMode('complete').toPlan(), '[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: complete. This output mode is not supported for no streaming aggregations on streaming DataFrames/DataSets. SQLSTATE: 42KDE'],
    [() => words().writeStream.outputMode('append').toPlan(), '[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: append. This output mode is not supported for streaming aggregations without watermark on streaming DataFrames/DataSets. SQLSTATE: 42KDE'],
    [() => lines().orderBy('value').writeStream.outputMode('append').toPlan(), 'Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode;\n'],
    [() => words().orderBy('value').writeStream.outputMode('update').toPlan(), 'Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode;\n'],
    [() => lines().limit(2).writeStream.outputMode('update').toPlan(), 'Limits are not supported on streaming DataFrames/Datasets in Update output mode;\n'],
    [() => lines().selectExpr('monotonically_increasing_id()').writeStream.toPlan(), 'Expression(s): monotonically_increasing_id() is not supported with streaming DataFrames/Datasets;\n'],
    [() => lines().groupBy('value').agg(countDistinct('value')).writeStream.outputMode('complete').toPlan(), 'Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.;\n'],
  ])('%# rejects with Spark message', (start, message) => {
    expect(start).toThrow(expect.objectContaining({ code: 'ANALYSIS_ERROR' }));
    try {
      start();
    } catch (err) {
      expect((err as Error).message.startsWith(message)).toBe(true);
    }
  });

  it('batch actions on a streaming DataFrame fail as in Spark', () => {
    expect(() => lines().show()).toThrow('Queries with streaming sources must be executed with writeStream.start()');
  });
});

describe('SQL expression strings (parsed as Spark parses them)', () => {
  it('filter("length(value) > 4") equals the Column form', () => {
    const r = runner(lines().filter('length(value) > 4'), 'append');
    expect(r.runBatch(v('hello', '1', 'streaming'))).toEqual(v('hello', 'streaming'));
  });

  it('selectExpr("value as player") renames; expressions get Spark names', () => {
    const df = lines().selectExpr('value as player', 'length(value)', 'upper(value) AS up', 'CAST(length(value) AS STRING)', 'length(value) + 1');
    expect(df.columns).toEqual(['player', 'length(value)', 'up', 'CAST(length(value) AS STRING)', '(length(value) + 1)']);
    expect(runner(df, 'append').runBatch(v('abc'))).toEqual([['abc', 3, 'ABC', '3', 4]]);
  });

  it('count(*) is named count(1); where() with AND/OR and IN', () => {
    const df = lines().where("value IN ('a', 'b') OR value LIKE 'c%'").groupBy('value').agg(count('*'));
    expect(df.columns).toEqual(['value', 'count(1)']);
    expect(runner(df, 'complete').runBatch(v('a', 'x', 'cat', 'a'))).toEqual([['cat', 1], ['a', 2]]);
  });
});

describe('JSON functions (from_json, to_json, struct) — Kafka pipelines', () => {
  it('from_json into a struct, then data.* into columns; malformed JSON gives NULL fields', () => {
    const df = lines().select(from_json(col('value'), 'id INT, tags ARRAY<STRING>').alias('data')).select('data.*');
    expect(df.schema.map((f) => f.name)).toEqual(['id', 'tags']);
    expect(runner(df, 'append').runBatch(v('{"id": 7, "tags": ["a"]}', 'not json'))).toEqual([[7, ['a']], [null, null]]);
  });

  it('to_json(struct(...)) writes the row as JSON text, leaving NULLs out', () => {
    const df = lines().select(to_json(struct(col('value'), length(col('value')).alias('n'))).alias('json'));
    expect(runner(df, 'append').runBatch(v('abc'))).toEqual([['{"value":"abc","n":3}']]);
    expect(lines().select(to_json(struct('value'))).columns).toEqual(['to_json(struct(value))']);
  });
});
