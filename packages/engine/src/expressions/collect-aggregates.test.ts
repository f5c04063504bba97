import { SparkSession } from '../api/spark-session.js';
import { col, collect_list, collect_set, expr } from '../api/functions.js';
import type { DataFrame } from '../api/data-frame.js';
import type { Row } from '../core/types.js';
import { showString } from '../console/show-string.js';
import { QueryManager } from '../runtime/query-manager.js';
import { PlanRunner } from '../testing/plan-runner.js';

const spark = new SparkSession('collect-test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');
const lines = (): DataFrame => spark.readStream.format('socket').option('host', 'localhost').option('port', 1).load();
const table = (ddl: string): DataFrame => spark.readStream.schema(ddl).json('/tmp/sluice-collect-test');
const values = (...vs: string[]): Row[] => vs.map((v) => [v]);
const show = (r: PlanRunner, rows: readonly Row[]): string => showString(r.schema, rows, { numRows: 20, truncate: 0, timeZone: 'UTC' });

describe('collect_list / collect_set (collect.scala: CollectList, CollectSet)', () => {
  it('are named collect_list(x) / collect_set(x), typed array<x> without nulls, never null', () => {
    // Spark 4.2.0: `select collect_list(x), collect_set(x) from values (3),(1),(null),(3),(2) as t(x)`
    // printSchema: array (nullable = false), element: integer (containsNull = false);
    // show: [3, 1, 3, 2] and [1, 2, 3].
    const r = new PlanRunner(table('x INT').agg(collect_list('x'), collect_set(col('x'))).writeStream.outputMode('complete').toPlan());
    expect(r.schema).toEqual([
      { name: 'collect_list(x)', type: { kind: 'array', elementType: 'int', containsNull: false }, nullable: false },
      { name: 'collect_set(x)', type: { kind: 'array', elementType: 'int', containsNull: false }, nullable: false },
    ]);
    expect(r.runBatch([[3], [1], [null], [3], [2]])).toEqual([[[3, 1, 3, 2], [1, 2, 3]]]);
  });

  it('keep their buffers in state across batches and print as [a, b] (Spark 4.2.0 streaming run)', () => {
    // MemoryStream[String], `groupBy().agg(collect_set(value), collect_list(value))`, complete
    // mode, console truncate=false; '0'..'9' in batch 0, '10'..'14' in batch 1. Spark printed:
    const r = new PlanRunner(lines().agg(collect_set('value'), collect_list('value')).writeStream.outputMode('complete').toPlan());
    const batch0 = r.runBatch(values(...Array.from({ length: 10 }, (_, i) => String(i))));
    expect(show(r, batch0)).toBe([
      '+------------------------------+------------------------------+',
      '|collect_set(value)            |collect_list(value)           |',
      '+------------------------------+------------------------------+',
      '|[1, 5, 9, 3, 4, 2, 7, 6, 8, 0]|[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]|',
      '+------------------------------+------------------------------+',
      '',
    ].join('\n'));
    const batch1 = r.runBatch(values('10', '11', '12', '13', '14'));
    expect(batch1).toEqual([[
      ['14', '13', '3', '2', '11', '10', '1', '5', '9', '4', '12', '7', '6', '8', '0'],
      Array.from({ length: 15 }, (_, i) => String(i)),
    ]]);
  });

  it('per group in update mode (Spark 4.2.0 streaming run)', () => {
    // groupBy(substr(value, 1, 1) AS k).agg(collect_set(value) AS s), update mode:
    // batch 0 a1,a2,b1 → a [a2, a1], b [b1]; batch 1 a3,a1,b2 → a [a3, a2, a1], b [b1, b2].
    const r = new PlanRunner(lines().groupBy(col('value').substr(1, 1).alias('k')).agg(collect_set('value').alias('s'))
      .writeStream.outputMode('update').toPlan());
    // Rows by shuffle partition, as Spark with its default 200 partitions: b (161) before a (170).
    expect(r.runBatch(values('a1', 'a2', 'b1'))).toEqual([['b', ['b1']], ['a', ['a2', 'a1']]]);
    expect(r.runBatch(values('a3', 'a1', 'b2'))).toEqual([['b', ['b1', 'b2']], ['a', ['a3', 'a2', 'a1']]]);
  });

  it('collect_set treats -0.0 as 0.0 and NaN as one value (NormalizeFloatingNumbers)', () => {
    // Spark 4.2.0: collect_set over (0.0D), (-0.0D), (NaN), (NaN), (1.0D) printed [0.0, 1.0, NaN].
    const r = new PlanRunner(table('x DOUBLE').agg(collect_set('x')).writeStream.outputMode('complete').toPlan());
    const out = r.runBatch([[0], [-0], [Number.NaN], [Number.NaN], [1]]);
    expect(show(r, out).split('\n')[3]).toBe('|[0.0, 1.0, NaN]|');
  });

  it('come from SQL strings too: expr, selectExpr, agg({col: name}), and array_agg as collect_list', () => {
    // Spark 4.2.0 names `array_agg(x)` collect_list(x) (an alias of CollectList).
    const df = table('k STRING, x INT');
    expect(df.groupBy('k').agg(expr('collect_list(x)'), expr('array_agg(x)')).columns).toEqual(['k', 'collect_list(x)', 'collect_list(x)']);
    expect(df.selectExpr('collect_set(x) AS s').columns).toEqual(['s']);
    expect(df.groupBy('k').agg({ x: 'collect_set' }).columns).toEqual(['k', 'collect_set(x)']);
  });
});
