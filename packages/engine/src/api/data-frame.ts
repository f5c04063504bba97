import { AnalysisException } from '../errors/analysis-exception.js';
import { containsAggregate, type ScopeField } from '../expressions/binder.js';
import type { Expr } from '../expressions/expr.js';
import { parseExpression } from '../expressions/sql-parser.js';
import { compilePlan } from '../operators/compile-plan.js';
import { isStreamingPlan, type JoinType, type LogicalPlan } from '../plan/logical-plan.js';
import { Column } from './column.js';
import { fromIntervalString, invalidIntervalUnit, invalidUnitMessage } from '../expressions/from-interval-string.js';
import { durationMicros, durationMs } from '../expressions/interval.js';
import { IllegalArgumentError } from '../errors/illegal-argument-error.js';
import { DataStreamWriter } from './data-stream-writer.js';
import { colExpr, type ColumnOrName } from './functions.js';
import { GroupedData } from './grouped-data.js';
import type { SparkSession } from './spark-session.js';
import { typeName, type Schema } from '../core/types.js';

const BATCH_ON_STREAM = 'Queries with streaming sources must be executed with writeStream.start()';

function toExprs(cols: ReadonlyArray<ColumnOrName | readonly ColumnOrName[]>): Expr[] {
  return cols.flat().map((x) => (typeof x === 'string' ? colExpr(x) : x.expr));
}

/**
 * A streaming DataFrame: a logical plan plus the session it belongs to. As in Spark, every
 * transformation is analysed at once: an unknown column fails where it is written.
 */
export class DataFrame {
  private readonly fields: readonly ScopeField[];

  constructor(readonly sparkSession: SparkSession, readonly plan: LogicalPlan) {
    this.fields = compilePlan(plan, sparkSession.timeZone).output;
  }

  private derive(plan: LogicalPlan): DataFrame {
    return new DataFrame(this.sparkSession, plan);
  }

  get isStreaming(): boolean {
    return isStreamingPlan(this.plan);
  }

  get schema(): Schema {
    return this.fields.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable }));
  }

  get columns(): string[] {
    return this.fields.map((f) => f.name);
  }

  /** Spark's `printSchema()` tree, on stdout. */
  printSchema(): void {
    const lines = ['root', ...this.fields.map((f) => ` |-- ${f.name}: ${typeName(f.type)} (nullable = ${String(f.nullable)})`)];
    process.stdout.write(`${lines.join('\n')}\n\n`);
  }

  select(...cols: Array<ColumnOrName | readonly ColumnOrName[]>): DataFrame {
    const exprs = toExprs(cols);
    if (exprs.some(containsAggregate)) return this.derive({ node: 'Aggregate', child: this.plan, grouping: [], aggregates: exprs });
    return this.derive({ node: 'Project', child: this.plan, exprs });
  }

  selectExpr(...exprs: Array<string | readonly string[]>): DataFrame {
    return this.select(...exprs.flat().map((e) => new Column(parseExpression(e))));
  }

  filter(condition: Column | string): DataFrame {
    const c = typeof condition === 'string' ? parseExpression(condition) : condition.expr;
    return this.derive({ node: 'Filter', child: this.plan, condition: c });
  }

  where(condition: Column | string): DataFrame {
    return this.filter(condition);
  }

  withColumn(name: string, col: Column): DataFrame {
    const lower = name.toLowerCase();
    const exists = this.fields.some((f) => f.name.toLowerCase() === lower);
    const exprs: Expr[] = this.fields.map((f) =>
      f.name.toLowerCase() === lower ? { kind: 'alias', child: col.expr, name } : { kind: 'column', name: f.name, ...(f.qualifier === undefined ? {} : { qualifier: f.qualifier }) });
    if (!exists) exprs.push({ kind: 'alias', child: col.expr, name });
    return this.derive({ node: 'Project', child: this.plan, exprs });
  }

  withColumnRenamed(existing: string, newName: string): DataFrame {
    const lower = existing.toLowerCase();
    if (!this.fields.some((f) => f.name.toLowerCase() === lower)) return this;
    const exprs: Expr[] = this.fields.map((f) => {
      const ref: Expr = { kind: 'column', name: f.name, ...(f.qualifier === undefined ? {} : { qualifier: f.qualifier }) };
      return f.name.toLowerCase() === lower ? { kind: 'alias', child: ref, name: newName } : ref;
    });
    return this.derive({ node: 'Project', child: this.plan, exprs });
  }

  /**
   * `toDF("a", "b")`: renames every column by position (Spark's Dataset.toDF: each column
   * aliased, so duplicate names are fine and watermarks stay). The count must match.
   */
  toDF(...names: Array<string | readonly string[]>): DataFrame {
    const newNames = names.flat();
    if (newNames.length !== this.fields.length) {
      throw new AnalysisException(
        `[ASSIGNMENT_ARITY_MISMATCH] The number of columns or variables assigned or aliased: ${this.fields.length} does not match the number of source expressions: ${newNames.length}. SQLSTATE: 42802`,
      );
    }
    const exprs: Expr[] = this.fields.map((f, i) => ({
      kind: 'alias',
      child: { kind: 'column', name: f.name, ordinal: i, ...(f.qualifier === undefined ? {} : { qualifier: f.qualifier }) },
      name: newNames[i] ?? f.name,
    }));
    return this.derive({ node: 'Project', child: this.plan, exprs });
  }

  drop(...names: string[]): DataFrame {
    const drop = new Set(names.map((n) => n.toLowerCase()));
    const kept = this.fields.filter((f) => !drop.has(f.name.toLowerCase()));
    if (kept.length === this.fields.length) return this;
    return this.derive({
      node: 'Project', child: this.plan,
      exprs: kept.map((f) => ({ kind: 'column', name: f.name, ...(f.qualifier === undefined ? {} : { qualifier: f.qualifier }) })),
    });
  }

  /**
   * `withWatermark("eventTime", "10 minutes")`: declares event time and how late data may
   * arrive; bounds the state of aggregations and dropDuplicates keyed on it.
   */
  withWatermark(eventTime: string, delayThreshold: string): DataFrame {
    // Dataset.withWatermark: IntervalUtils.fromIntervalString, then a month counts as 31 days.
    const badUnit = invalidIntervalUnit(delayThreshold);
    if (badUnit !== undefined) throw new AnalysisException(invalidUnitMessage(delayThreshold, badUnit));
    const delay = fromIntervalString(delayThreshold);
    const delayMs = durationMs(delay);
    if (durationMicros(delay) < 0) throw new IllegalArgumentError(`requirement failed: delay threshold (${delayThreshold}) should not be negative.`);
    return this.derive({ node: 'EventTimeWatermark', child: this.plan, column: eventTime, delay: delayThreshold, delayMs });
  }

  /** Qualifies the columns (`t.value`) without renaming them, as Dataset.as / alias. */
  alias(name: string): DataFrame {
    return this.derive({ node: 'SubqueryAlias', child: this.plan, alias: name });
  }

  as(name: string): DataFrame {
    return this.alias(name);
  }

  groupBy(...cols: Array<ColumnOrName | readonly ColumnOrName[]>): GroupedData {
    return new GroupedData(this, toExprs(cols), (plan) => this.derive(plan));
  }

  groupby(...cols: Array<ColumnOrName | readonly ColumnOrName[]>): GroupedData {
    return this.groupBy(...cols);
  }

  /** The whole DataFrame as one group: `df.agg(count("*"))`. */
  agg(...cols: Column[]): DataFrame {
    return new GroupedData(this, [], (plan) => this.derive(plan)).agg(...cols);
  }

  orderBy(...cols: Array<ColumnOrName | readonly ColumnOrName[]>): DataFrame {
    return this.derive({ node: 'Sort', child: this.plan, orders: toExprs(cols) });
  }

  sort(...cols: Array<ColumnOrName | readonly ColumnOrName[]>): DataFrame {
    return this.orderBy(...cols);
  }

  limit(n: number): DataFrame {
    if (!Number.isInteger(n) || n < 0) {
      throw new AnalysisException(`[INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE] The limit like expression "${n}" is invalid. The limit expression must be equal to or greater than 0, but got ${n}. SQLSTATE: 42K0E`);
    }
    return this.derive({ node: 'Limit', child: this.plan, limit: n });
  }

  union(other: DataFrame): DataFrame {
    return this.derive({ node: 'Union', children: [this.plan, other.plan] });
  }

  unionAll(other: DataFrame): DataFrame {
    return this.union(other);
  }

  /**
   * `join(other, expr("player = name"), "left_outer")`, `join(other, "key")`,
   * `join(other, ["k1", "k2"], "inner")`. Join types as Spark spells them.
   */
  join(other: DataFrame, on?: Column | string | readonly string[], how = 'inner'): DataFrame {
    const joinType = normalizeJoinType(how);
    const base = { node: 'Join' as const, left: this.plan, right: other.plan, joinType };
    if (on === undefined) return this.derive(base);
    if (on instanceof Column) return this.derive({ ...base, condition: on.expr });
    return this.derive({ ...base, using: typeof on === 'string' ? [on] : [...on] });
  }

  crossJoin(other: DataFrame): DataFrame {
    return this.derive({ node: 'Join', left: this.plan, right: other.plan, joinType: 'cross' });
  }

  dropDuplicates(subset: readonly string[] = []): DataFrame {
    return this.derive({ node: 'Deduplicate', child: this.plan, keys: subset });
  }

  /**
   * `dropDuplicatesWithinWatermark(["id"])` (Spark 3.5+): drops a row whose key was seen within
   * the watermark delay of the first row's event time; needs a watermark on the input.
   */
  dropDuplicatesWithinWatermark(subset: readonly string[] = []): DataFrame {
    return this.derive({ node: 'Deduplicate', child: this.plan, keys: subset, withinWatermark: true });
  }

  drop_duplicates(subset: readonly string[] = []): DataFrame {
    return this.dropDuplicates(subset);
  }

  get writeStream(): DataStreamWriter {
    return new DataStreamWriter(this);
  }

  /** Batch actions are not allowed on a streaming DataFrame (Spark's message). */
  show(): never {
    throw new AnalysisException(BATCH_ON_STREAM);
  }

  count(): never {
    throw new AnalysisException(BATCH_ON_STREAM);
  }

  collect(): never {
    throw new AnalysisException(BATCH_ON_STREAM);
  }

  head(): never {
    throw new AnalysisException(BATCH_ON_STREAM);
  }

  take(): never {
    throw new AnalysisException(BATCH_ON_STREAM);
  }

  first(): never {
    throw new AnalysisException(BATCH_ON_STREAM);
  }

  toPandas(): never {
    throw new AnalysisException(BATCH_ON_STREAM);
  }
}

const JOIN_ALIASES: Readonly<Record<string, JoinType>> = {
  inner: 'inner', cross: 'cross', outer: 'full_outer', full: 'full_outer', fullouter: 'full_outer',
  left: 'left_outer', leftouter: 'left_outer', right: 'right_outer', rightouter: 'right_outer',
  semi: 'left_semi', leftsemi: 'left_semi', anti: 'left_anti', leftanti: 'left_anti',
};

/** Spark's JoinType.apply: case-insensitive, underscores optional. */
export function normalizeJoinType(how: string): JoinType {
  const t = JOIN_ALIASES[how.toLowerCase().replace(/_/g, '')];
  if (t === undefined) {
    throw new AnalysisException(
      `[UNSUPPORTED_JOIN_TYPE] Unsupported join type '${how}'. Supported join types include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'. SQLSTATE: 42000`,
    );
  }
  return t;
}
