import type { Row, Schema } from '../core/types.js';
import type { Expr } from '../expressions/expr.js';

/**
 * Logical plan nodes. A plan is plain data so it serialises to JSON without loss: that JSON is
 * what the services exchange and run. Expressions stay unresolved here; the analyzer
 * (analyzer.ts) resolves them against the child's output, the same way on every process.
 */

/** A streaming source: rows arrive through the source topic `index` of the query. */
export interface StreamingSourceNode {
  readonly node: 'StreamingSource';
  /** Position of this source among the query's sources; names its Kafka topic. */
  readonly index: number;
  /** `socket`, and later `json`, `csv`, `text`, `kafka`, `rate`. */
  readonly format: string;
  readonly options: Readonly<Record<string, string>>;
  readonly schema: Schema;
}

export interface ProjectNode {
  readonly node: 'Project';
  readonly child: LogicalPlan;
  /** Output expressions; at most one may be a generator (`explode`). */
  readonly exprs: readonly Expr[];
}

export interface FilterNode {
  readonly node: 'Filter';
  readonly child: LogicalPlan;
  readonly condition: Expr;
}

export interface AggregateNode {
  readonly node: 'Aggregate';
  readonly child: LogicalPlan;
  readonly grouping: readonly Expr[];
  /** Result expressions after the grouping columns (each contains aggregate calls). */
  readonly aggregates: readonly Expr[];
}

export interface SortNode {
  readonly node: 'Sort';
  readonly child: LogicalPlan;
  /** `sortOrder` expressions. */
  readonly orders: readonly Expr[];
}

export interface LimitNode {
  readonly node: 'Limit';
  readonly child: LogicalPlan;
  readonly limit: number;
}

export interface UnionNode {
  readonly node: 'Union';
  readonly children: readonly LogicalPlan[];
}

export interface DeduplicateNode {
  readonly node: 'Deduplicate';
  readonly child: LogicalPlan;
  /** Column names the rows are compared on (all columns when empty). */
  readonly keys: readonly string[];
  /** `dropDuplicatesWithinWatermark` (Spark's DeduplicateWithinWatermark node). */
  readonly withinWatermark?: boolean;
}

/** `df.withWatermark("eventTime", "10 minutes")`. */
export interface EventTimeWatermarkNode {
  readonly node: 'EventTimeWatermark';
  readonly child: LogicalPlan;
  readonly column: string;
  /** The delay as the user wrote it, and in milliseconds. */
  readonly delay: string;
  readonly delayMs: number;
}

/** `df.alias("t")`: qualifies the columns as `t.col` without renaming them. */
export interface SubqueryAliasNode {
  readonly node: 'SubqueryAlias';
  readonly child: LogicalPlan;
  readonly alias: string;
}

/** A static table, read when the DataFrame was made (Spark's LocalRelation): rows in the plan. */
export interface LocalRelationNode {
  readonly node: 'LocalRelation';
  readonly schema: Schema;
  readonly rows: readonly Row[];
  /** Where the rows came from, for plan dumps. */
  readonly description: string;
}

export const JOIN_TYPES = ['inner', 'cross', 'left_outer', 'right_outer', 'full_outer', 'left_semi', 'left_anti'] as const;
export type JoinType = (typeof JOIN_TYPES)[number];

export interface JoinNode {
  readonly node: 'Join';
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly joinType: JoinType;
  /** The join condition; absent for a cross join or a using-join. */
  readonly condition?: Expr;
  /** `df.join(other, "key")`: the columns joined on, output once. */
  readonly using?: readonly string[];
}

export type LogicalPlan =
  | StreamingSourceNode
  | LocalRelationNode
  | JoinNode
  | ProjectNode
  | FilterNode
  | AggregateNode
  | SortNode
  | LimitNode
  | UnionNode
  | DeduplicateNode
  | SubqueryAliasNode
  | EventTimeWatermarkNode;

export function planChildren(plan: LogicalPlan): readonly LogicalPlan[] {
  switch (plan.node) {
    case 'StreamingSource':
    case 'LocalRelation':
      return [];
    case 'Join':
      return [plan.left, plan.right];
    case 'Union':
      return plan.children;
    default:
      return [plan.child];
  }
}

/** The plan with its children replaced (a node kind added later keeps its children through `child`). */
export function withChildren(plan: LogicalPlan, f: (child: LogicalPlan) => LogicalPlan): LogicalPlan {
  switch (plan.node) {
    case 'StreamingSource': case 'LocalRelation': return plan;
    case 'Join': return { ...plan, left: f(plan.left), right: f(plan.right) };
    case 'Union': return { ...plan, children: plan.children.map(f) };
    default: return { ...plan, child: f(plan.child) } as LogicalPlan;
  }
}

/** True when a plan reads a streaming source. */
export function isStreamingPlan(plan: LogicalPlan): boolean {
  return plan.node === 'StreamingSource' || planChildren(plan).some(isStreamingPlan);
}

/** All streaming sources in a plan, in index order. */
export function streamingSources(plan: LogicalPlan): StreamingSourceNode[] {
  if (plan.node === 'StreamingSource') return [plan];
  return planChildren(plan).flatMap(streamingSources).sort((a, b) => a.index - b.index);
}

/** Numbers the sources of a plan 0, 1, … in tree order (left to right). */
export function numberSources(plan: LogicalPlan): LogicalPlan {
  let next = 0;
  const visit = (p: LogicalPlan): LogicalPlan => {
    switch (p.node) {
      case 'StreamingSource':
        return { ...p, index: next++ };
      case 'LocalRelation':
        return p;
      case 'Join':
        return { ...p, left: visit(p.left), right: visit(p.right) };
      case 'Union':
        return { ...p, children: p.children.map(visit) };
      default:
        return { ...p, child: visit(p.child) } as LogicalPlan;
    }
  };
  return visit(plan);
}
