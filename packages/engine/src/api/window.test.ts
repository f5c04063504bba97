import { AnalysisException } from '../errors/analysis-exception.js';
import { QueryManager } from '../runtime/query-manager.js';
import { MemoryStream } from '../testing/memory-stream.js';
import { StreamTest } from '../testing/stream-test.js';
import { col, count, create_map, dense_rank, element_at, explode, lag, lead, lit, map_keys, rank, row_number, sum } from './functions.js';
import { SparkSession } from './spark-session.js';
import { Window } from './window.js';

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');
const words = () => MemoryStream.of(spark, 'word STRING, ts TIMESTAMP').toDF();
const dict = () => spark.createDataFrame([[1, 'a', 3], [2, 'a', 1], [3, 'b', 2]], 'id INT, w STRING, score INT');

/** What starting the query throws. */
function startError(build: () => { writeStream: { format(f: string): { toPlan(): unknown } } }): string {
  try {
    StreamTest.of(build().writeStream.format('console') as never);
  } catch (err) {
    expect(err).toBeInstanceOf(AnalysisException);
    return (err as Error).message;
  }
  throw new Error('expected an AnalysisException');
}

describe('Window and Column.over (the DataFrame API of window functions)', () => {
  it('names window columns as the SQL form does', () => {
    const w = Window.partitionBy('w').orderBy(col('score').desc());
    const df = dict().select(
      row_number().over(w), rank().over(Window.partitionBy('w').orderBy('score')), dense_rank().over(w),
      lag('score').over(w), lead('score', 2, 0).over(w), count('*').over(Window.partitionBy('w')),
      sum('score').over(Window.partitionBy('w').orderBy('id').rowsBetween(-1, Window.currentRow)),
      sum('score').over(Window.orderBy('id').rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)),
      sum('score').over(Window.orderBy('score').rangeBetween(Window.currentRow, 2)),
    );
    expect(df.columns).toEqual([
      'row_number() OVER (PARTITION BY w ORDER BY score DESC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)',
      'RANK() OVER (PARTITION BY w ORDER BY score ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)',
      'DENSE_RANK() OVER (PARTITION BY w ORDER BY score DESC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)',
      'lag(score, 1, NULL) OVER (PARTITION BY w ORDER BY score DESC NULLS LAST ROWS BETWEEN -1 FOLLOWING AND -1 FOLLOWING)',
      'lead(score, 2, 0) OVER (PARTITION BY w ORDER BY score DESC NULLS LAST ROWS BETWEEN 2 FOLLOWING AND 2 FOLLOWING)',
      'count(1) OVER (PARTITION BY w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)',
      // Spark's WindowSpec.rowsBetween(-1, 0): Literal(-1), which prints as "-1 FOLLOWING".
      'sum(score) OVER (PARTITION BY w ORDER BY id ASC NULLS FIRST ROWS BETWEEN -1 FOLLOWING AND CURRENT ROW)',
      'sum(score) OVER (ORDER BY id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)',
      'sum(score) OVER (ORDER BY score ASC NULLS FIRST RANGE BETWEEN CURRENT ROW AND 2 FOLLOWING)',
    ]);
    expect(df.schema.map((f) => [f.type, f.nullable])).toEqual([
      ['int', false], ['int', false], ['int', false], ['int', true], ['int', true], ['bigint', false], ['bigint', true], ['bigint', true], ['bigint', true],
    ]);
  });

  it('a select with a window aggregate stays a projection (not an aggregation)', () => {
    expect(dict().select(col('id'), count('*').over(Window.partitionBy('w')).alias('n')).plan.node).toBe('Project');
  });

  it('on a stream, start() fails with NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING (Spark 4.2 text)', () => {
    const w = Window.partitionBy('word').orderBy('ts');
    expect(startError(() => words().select(col('word'), row_number().over(w).alias('rn')))).toBe(
      '[NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING] Window function is not supported in ROW_NUMBER() (as column `rn`) on streaming DataFrames/Datasets. ' +
        'Structured Streaming only supports time-window aggregation using the WINDOW function. ' +
        '(window specification: (PARTITION BY WORD ORDER BY TS ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) SQLSTATE: 42KDE',
    );
    // Spark's own text lists each function of the first Window operator, its column and its spec.
    const both = startError(() => words().withColumn('r', row_number().over(w)).withColumn('c', count('*').over(w)));
    expect(both).toContain('Window function is not supported in ROW_NUMBER() (as column `r`)');
    expect(startError(() => words().select(rank().over(w).plus(1).alias('x')))).toContain('(as column `_we0`)');
  });

  it("StreamSuite: SPARK-44044: non-time-window (Spark's checkError parameters)", () => {
    const inputData = MemoryStream.of(spark, '_1 INT, _2 INT');
    const message = startError(() => inputData.toDF()
      .selectExpr('CAST(_1 AS timestamp) AS col1', '_2 AS col2')
      .withWatermark('col1', '10 seconds')
      .withColumn('rn_col', row_number().over(Window.partitionBy('col1').orderBy(col('col2'))))
      .select('rn_col', 'col1', 'col2'));
    expect(message).toContain('[NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING]');
    expect(message).toContain('Window function is not supported in ROW_NUMBER() (as column `rn_col`)');
    expect(message).toContain('(window specification: (PARTITION BY COL1 ORDER BY COL2 ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))');
  });

  it('a window on the static side of a stream-static join runs', () => {
    const ranked = dict().select(col('id'), col('w'), row_number().over(Window.partitionBy('w').orderBy(col('score').desc())).alias('rn'));
    const input = MemoryStream.of(spark, 'n INT');
    const test = StreamTest.of(input.toDF().join(ranked, col('n').equalTo(col('id')), 'inner').writeStream.format('console'));
    test.addData([[1], [2], [3]]);
    expect(test.consoleOutput).toContain('|  1|  1|  a|  1|');
    expect(test.consoleOutput).toContain('|  2|  2|  a|  2|');
    expect(test.consoleOutput).toContain('|  3|  3|  b|  1|');
  });
});

describe('map functions of the DataFrame API', () => {
  it('create_map, map_keys, element_at with a key, explode of a map', () => {
    const df = dict().select(create_map(lit('s'), col('score'), col('w'), col('id')).alias('m'));
    expect(df.schema[0]?.type).toEqual({ kind: 'map', keyType: 'string', valueType: 'int', valueContainsNull: true });
    expect(df.select(map_keys('m')).columns).toEqual(['map_keys(m)']);
    expect(df.select(element_at('m', 's')).columns).toEqual(['element_at(m, s)']);
    expect(df.select(col('m').getItem('s')).columns).toEqual(['m[s]']);
    expect(df.select(explode('m')).columns).toEqual(['key', 'value']);
  });
});
