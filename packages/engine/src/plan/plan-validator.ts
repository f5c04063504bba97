import { AnalysisException } from '../errors/analysis-exception.js';
import { childrenOf } from '../expressions/binder.js';
import type { Expr } from '../expressions/expr.js';
import { compilePlan } from '../operators/compile-plan.js';
import { JoinOperator } from '../operators/join.js';
import { isStreamingPlan, planChildren, type AggregateNode, type JoinNode, type JoinType, type LogicalPlan } from './logical-plan.js';
import type { QueryPlan } from './query-plan.js';

function exprText(e: Expr): string {
  switch (e.kind) {
    case 'column': return e.qualifier === undefined ? e.name : `${e.qualifier}.${e.name}`;
    case 'literal': return String(e.value);
    case 'alias': return `${exprText(e.child)} AS ${e.name}`;
    case 'call': return `${e.name}(${e.args.map(exprText).join(', ')})`;
    case 'star': return '*';
    default: return childrenOf(e).map(exprText).join(` ${e.kind} `);
  }
}

function nodeLine(plan: LogicalPlan): string {
  switch (plan.node) {
    case 'StreamingSource': return `StreamingRelation ${plan.format}, [${plan.schema.map((f) => f.name).join(', ')}]`;
    case 'Project': return `Project [${plan.exprs.map(exprText).join(', ')}]`;
    case 'Filter': return `Filter ${exprText(plan.condition)}`;
    case 'Aggregate': return `Aggregate [${plan.grouping.map(exprText).join(', ')}], [${[...plan.grouping, ...plan.aggregates].map(exprText).join(', ')}]`;
    case 'Sort': return `Sort [${plan.orders.map(exprText).join(', ')}], true`;
    case 'Limit': return `GlobalLimit ${plan.limit}`;
    case 'Union': return 'Union false, false';
    case 'Deduplicate': return `Deduplicate [${plan.keys.join(', ')}]`;
    case 'SubqueryAlias': return `SubqueryAlias ${plan.alias}`;
    case 'EventTimeWatermark': return `EventTimeWatermark ${plan.column}, ${plan.delay}`;
    case 'LocalRelation': return `Relation [${plan.schema.map((f) => f.name).join(',')}] ${plan.description}`;
    case 'Join': return `Join ${JOIN_NAMES[plan.joinType]}${plan.condition === undefined ? '' : `, ${exprText(plan.condition)}`}`;
  }
}

/** The plan as Spark's `treeString` draws it (after the message of an AnalysisException). */
export function treeString(plan: LogicalPlan, depth = 0): string {
  const lines = [`${depth === 0 ? '' : `${'   '.repeat(depth - 1)}+- `}${nodeLine(plan)}`];
  for (const child of planChildren(plan)) lines.push(treeString(child, depth + 1));
  return lines.join('\n');
}

const JOIN_NAMES: Readonly<Record<JoinType, string>> = {
  inner: 'Inner', cross: 'Cross', left_outer: 'LeftOuter', right_outer: 'RightOuter', full_outer: 'FullOuter', left_semi: 'LeftSemi', left_anti: 'LeftAnti',
};

function fail(message: string, plan: LogicalPlan): never {
  // Spark's AnalysisException.getMessage: the message, ';', newline, the plan tree.
  throw new AnalysisException(`${message};\n${treeString(plan)}`);
}

function collect(plan: LogicalPlan, pick: (p: LogicalPlan) => boolean): LogicalPlan[] {
  return [...(pick(plan) ? [plan] : []), ...planChildren(plan).flatMap((c) => collect(c, pick))];
}

function exprsOf(plan: LogicalPlan): readonly Expr[] {
  switch (plan.node) {
    case 'Project': return plan.exprs;
    case 'Filter': return [plan.condition];
    case 'Aggregate': return [...plan.grouping, ...plan.aggregates];
    case 'Sort': return plan.orders;
    default: return [];
  }
}

function anyExpr(e: Expr, test: (e: Expr) => boolean): boolean {
  return test(e) || childrenOf(e).some((c) => anyExpr(c, test));
}

/**
 * Spark's UnsupportedOperationChecker.checkForStreaming: rejects, at start(), what a streaming
 * query cannot do in its output mode, with Spark's message text.
 */
export function validatePlan(query: QueryPlan): void {
  const root = query.root;
  const mode = query.outputMode;
  const modeName = mode === 'append' ? 'Append' : mode === 'update' ? 'Update' : 'Complete';
  const aggregates = collect(root, (p) => p.node === 'Aggregate');

  if (aggregates.length > 1 && mode !== 'append') {
    fail(
      "Detected pattern of possible 'correctness' issue due to global watermark. The query contains stateful operation which can emit rows older than the current watermark plus allowed late record delay, which are \"late rows\" in downstream stateful operations and these rows can be discarded. Please refer the programming guide doc for more details. If you understand the possible risk of correctness issue and still need to run the query, you can disable this check by setting the config `spark.sql.streaming.statefulOperator.checkCorrectness.enabled` to false.",
      root,
    );
  }
  const sessions = aggregates.some((a) => (a as AggregateNode).grouping.some((g) => anyExpr(g, (x) => x.kind === 'call' && x.name === 'session_window')));
  if (mode === 'update' && sessions) fail('Update output mode not supported for session window on streaming DataFrames/DataSets', root);
  if (mode === 'complete' && aggregates.length === 0) {
    fail('Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets', root);
  }
  if (mode === 'append' && aggregates.some((a) => !hasEventTimeKey(a as AggregateNode, query.sessionTimeZone))) {
    fail('Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark', root);
  }
  for (const p of collect(root, () => true)) {
    if (exprsOf(p).some((e) => anyExpr(e, (x) => x.kind === 'call' && x.distinct === true))) {
      fail('Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.', root);
    }
  }
  for (const p of collect(root, () => true)) {
    if (exprsOf(p).some((e) => anyExpr(e, (x) => x.kind === 'call' && x.name === 'monotonically_increasing_id'))) {
      fail('Expression(s): monotonically_increasing_id() is not supported with streaming DataFrames/Datasets', root);
    }
  }
  for (const sort of collect(root, (p) => p.node === 'Sort')) {
    const afterAggregate = collect(sort, (p) => p.node === 'Aggregate').length > 0;
    if (!(afterAggregate && mode === 'complete')) {
      fail('Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode', root);
    }
  }
  for (const join of collect(root, (p) => p.node === 'Join') as JoinNode[]) checkJoin(join, modeName, root, query.sessionTimeZone);
  if (mode === 'update' && collect(root, (p) => p.node === 'Limit').length > 0) {
    fail(`Limits are not supported on streaming DataFrames/Datasets in ${modeName} output mode`, root);
  }
}

/** The join rows of Spark's support matrix (SEMANTICS 4.1) with its messages. */
function checkJoin(join: JoinNode, modeName: string, root: LogicalPlan, timeZone: string): void {
  const ls = isStreamingPlan(join.left);
  const rs = isStreamingPlan(join.right);
  const t = join.joinType;
  const name = JOIN_NAMES[t];
  if (ls && rs) {
    if (modeName !== 'Append') {
      fail(`Join between two streaming DataFrames/Datasets is not supported in ${modeName} output mode, only in Append output mode`, root);
    }
    if (t === 'left_anti') fail(`Join type ${name} is not supported with streaming DataFrame/Dataset`, root);
    const op = compilePlan(join, timeZone);
    const settles = (side: 'left' | 'right'): boolean => op instanceof JoinOperator && op.canEvict(side);
    const needs: Array<'left' | 'right'> = t === 'left_outer' || t === 'left_semi' ? ['left'] : t === 'right_outer' ? ['right'] : t === 'full_outer' ? ['left', 'right'] : [];
    if (!needs.every(settles)) {
      fail(`Stream-stream ${name} join between two streaming DataFrame/Datasets is not supported without a watermark in the join keys, or a watermark on the nullable side and an appropriate range condition`, root);
    }
    return;
  }
  if (ls && !rs) {
    if (t === 'right_outer') fail('RightOuter join with a streaming DataFrame/Dataset on the left and a static DataFrame/DataSet on the right not supported', root);
    if (t === 'full_outer') fail('FullOuter joins with streaming DataFrames/Datasets on the left and a static DataFrame/Dataset on the right is not supported', root);
  }
  if (!ls && rs) {
    if (t === 'full_outer') fail('FullOuter joins with streaming DataFrames/Datasets on the right and a static DataFrame/Dataset on the left is not supported', root);
    if (t === 'left_outer' || t === 'left_semi') fail(`${name} join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported`, root);
    if (t === 'left_anti') fail('LeftAnti joins with a streaming DataFrame/Dataset on the right are not supported', root);
  }
}

/** True when an aggregation groups on a watermarked event-time column or a window of one. */
function hasEventTimeKey(agg: AggregateNode, timeZone: string): boolean {
  const fields = compilePlan(agg.child, timeZone).output;
  const marked = (e: Expr): boolean => {
    if (e.kind === 'column') return fields.some((f) => f.name.toLowerCase() === e.name.toLowerCase() && f.eventTimeDelayMs !== undefined);
    if (e.kind === 'alias') return marked(e.child);
    if (e.kind === 'call' && (e.name === 'window' || e.name === 'session_window')) return e.args[0] !== undefined && marked(e.args[0]);
    return false;
  };
  return agg.grouping.some(marked);
}
