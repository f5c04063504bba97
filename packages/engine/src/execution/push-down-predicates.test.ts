import { SparkSession } from '../api/spark-session.js';
import { col, expr, window } from '../api/functions.js';
import type { DataFrame } from '../api/data-frame.js';
import type { Expr } from '../expressions/expr.js';
import { QueryManager } from '../runtime/query-manager.js';
import { MemoryStream } from '../testing/memory-stream.js';
import { StreamTest } from '../testing/stream-test.js';
import { planChildren, type LogicalPlan } from '../plan/logical-plan.js';
import { isDeterministic } from '../plan/expr-references.js';
import { pushDownPredicates } from './push-down-predicates.js';

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');

/** A predicate as compact text: `(user != 'x')`, `upper(user)`. */
function text(e: Expr): string {
  switch (e.kind) {
    case 'column': return e.ordinal === undefined ? `${e.qualifier === undefined ? '' : `${e.qualifier}.`}${e.name}` : `${e.name}#${e.ordinal}`;
    case 'literal': return typeof e.value === 'string' ? `'${e.value}'` : String(e.value);
    case 'binary': return `(${text(e.left)} ${e.op} ${text(e.right)})`;
    case 'call': return `${e.name}(${e.args.map(text).join(', ')})`;
    case 'extract': return `${text(e.child)}.${text(e.field)}`;
    default: return e.kind;
  }
}

/** The plan top-down as one line per node: `Filter (user != 'x')`, `EventTimeWatermark ts`. */
function shape(plan: LogicalPlan): string[] {
  const line = plan.node === 'Filter' ? `Filter ${text(plan.condition)}`
    : plan.node === 'EventTimeWatermark' ? `EventTimeWatermark ${plan.column}`
      : plan.node === 'Join' ? `Join ${plan.joinType}${plan.condition === undefined ? '' : ` ${text(plan.condition)}`}`
        : plan.node;
  return [line, ...planChildren(plan).flatMap(shape)];
}

const optimized = (df: DataFrame): string[] => shape(pushDownPredicates(df.plan, 'UTC'));

const clicks = (): DataFrame => MemoryStream.of(spark, 'user STRING, ts TIMESTAMP').toDF();

describe('pushDownPredicates (Spark PushPredicateThroughNonJoin / PushPredicateThroughJoin)', () => {
  it('moves a filter on another column below withWatermark', () => {
    const df = clicks().withWatermark('ts', '5 seconds').where(expr("user != 'x'"));
    expect(optimized(df)).toEqual(['EventTimeWatermark ts', "Filter (user != 'x')", 'StreamingSource']);
  });

  it('keeps the conjuncts reading the event-time column, or not deterministic, above it', () => {
    const df = clicks().withWatermark('ts', '5 seconds')
      .where(expr("user != 'x' AND ts > TIMESTAMP '2024-01-01 00:00:00' AND current_timestamp() > ts AND length(user) > 0"));
    const [filter, watermark, below] = optimized(df);
    expect(filter).toMatch(/^Filter \(\(ts > .*\) and \(current_timestamp\(\) > ts\)\)$/);
    expect(watermark).toBe('EventTimeWatermark ts');
    expect(below).toBe("Filter ((user != 'x') and (length(user) > 0))");
  });

  it('goes through a projection, naming what its aliases stand for, and through a DataFrame alias', () => {
    const df = clicks().withWatermark('ts', '5 seconds').withColumn('u', expr('upper(user)')).alias('t').where(expr("t.u != 'X'"));
    expect(optimized(df)).toEqual(['SubqueryAlias', 'Project', 'EventTimeWatermark ts', "Filter (upper(user) != 'X')", 'StreamingSource']);
  });

  it('leaves a conjunct on a generated or windowed column above the projection', () => {
    const df = clicks().withWatermark('ts', '5 seconds').select(col('user'), window(col('ts'), '10 seconds').alias('w'))
      .where(expr("user != 'x' AND w.start > TIMESTAMP '2024-01-01 00:00:00'"));
    const lines = optimized(df);
    expect(lines[0]).toMatch(/^Filter \(w\.start > /);
    expect(lines.slice(1)).toEqual(['Project', 'EventTimeWatermark ts', "Filter (user != 'x')", 'StreamingSource']);
  });

  it('does not move a filter below a non-deterministic one, and merges into a deterministic one', () => {
    const base = clicks().withWatermark('ts', '5 seconds');
    const below = base.where(expr('current_timestamp() > ts')).where(expr("user != 'x'"));
    expect(optimized(below)).toEqual(["Filter (user != 'x')", 'Filter (current_timestamp() > ts)', 'EventTimeWatermark ts', 'StreamingSource']);
    const merged = base.where(expr("user != 'y'")).where(expr("user != 'x'"));
    expect(optimized(merged)).toEqual(['EventTimeWatermark ts', "Filter ((user != 'y') and (user != 'x'))", 'StreamingSource']);
  });

  it('pushes a filter after a union into every input, by position', () => {
    const a = MemoryStream.of(spark, 'id STRING, ts TIMESTAMP').toDF().withWatermark('ts', '10 seconds');
    const b = MemoryStream.of(spark, 'name STRING, t2 TIMESTAMP').toDF().withWatermark('t2', '10 seconds');
    expect(optimized(a.union(b).where(expr("id != 'skip'")))).toEqual([
      'Union', 'EventTimeWatermark ts', "Filter (id#0 != 'skip')", 'StreamingSource', 'EventTimeWatermark t2', "Filter (name#0 != 'skip')", 'StreamingSource',
    ]);
  });

  it('gives a join condition\'s one-side conjuncts to the sides Spark pushes them to', () => {
    const left = MemoryStream.of(spark, 'k INT, lv INT').toDF();
    const right = MemoryStream.of(spark, 'rk INT, rv INT').toDF();
    const cond = expr('k = rk AND lv > 1 AND rv > 2');
    expect(optimized(left.join(right, cond, 'inner'))).toEqual([
      'Join inner (k = rk)', 'Filter (lv#1 > 1)', 'StreamingSource', 'Filter (rv#1 > 2)', 'StreamingSource',
    ]);
    expect(optimized(left.join(right, cond, 'left_outer'))).toEqual([
      'Join left_outer ((k = rk) and (lv > 1))', 'StreamingSource', 'Filter (rv#1 > 2)', 'StreamingSource',
    ]);
    expect(optimized(left.join(right, cond, 'right_outer'))).toEqual([
      'Join right_outer ((k = rk) and (rv > 2))', 'Filter (lv#1 > 1)', 'StreamingSource', 'StreamingSource',
    ]);
    expect(optimized(left.join(right, cond, 'full_outer'))).toEqual(['Join full_outer (((k = rk) and (lv > 1)) and (rv > 2))', 'StreamingSource', 'StreamingSource']);
  });

  it('moves a filter over a join into the sides, and an inner join\'s other conjuncts into its condition', () => {
    const left = MemoryStream.of(spark, 'k INT, lv INT').toDF();
    const right = MemoryStream.of(spark, 'rk INT, rv INT').toDF();
    const where = expr('lv > 1 AND rv > 2 AND lv < rv');
    expect(optimized(left.join(right, expr('k = rk'), 'inner').where(where))).toEqual([
      'Join inner ((lv < rv) and (k = rk))', 'Filter (lv#1 > 1)', 'StreamingSource', 'Filter (rv#1 > 2)', 'StreamingSource',
    ]);
    expect(optimized(left.join(right, expr('k = rk'), 'left_outer').where(where))).toEqual([
      'Filter ((rv > 2) and (lv < rv))', 'Join left_outer (k = rk)', 'Filter (lv#1 > 1)', 'StreamingSource', 'StreamingSource',
    ]);
    expect(optimized(left.join(right, expr('k = rk'), 'full_outer').where(where))[0]).toBe('Filter (((lv > 1) and (rv > 2)) and (lv < rv))');
    const renamed = right.withColumnRenamed('rk', 'k');
    expect(optimized(left.join(renamed, ['k'], 'inner').where(expr('lv > 1')))[0]).toBe('Filter (lv > 1)');
  });

  it('knows which functions are not deterministic', () => {
    expect(isDeterministic(expr('upper(a) = b').expr)).toBe(true);
    expect(isDeterministic(expr('rand() > 0.5').expr)).toBe(false);
    expect(isDeterministic(expr('unix_timestamp() > 0').expr)).toBe(false);
    expect(isDeterministic(expr("unix_timestamp(s, 'yyyy') > 0").expr)).toBe(true);
  });

  it('keeps rows a pushed filter removes from moving the watermark (conformance case watermark/after-filter)', () => {
    const input = MemoryStream.of(spark, 'user STRING, ts TIMESTAMP');
    const df = input.toDF().withWatermark('ts', '5 seconds').where(expr("user != 'x'"))
      .groupBy(window(col('ts'), '10 seconds').alias('w')).count();
    const t = StreamTest.of(df.writeStream.outputMode('append'));
    t.addTo(input, [['a', '2024-01-01 00:00:01']]).processAllAvailable();
    const before = t.progress[t.progress.length - 1]?.batchWatermarkMs;
    t.addTo(input, [['x', '2024-01-01 00:00:30']]).processAllAvailable();
    expect(t.progress[t.progress.length - 1]?.batchWatermarkMs).toBe(before);
    expect(t.needsNoDataBatch).toBe(false);
  });
});
