import { CaseInsensitiveOptions } from '../core/options.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { IllegalArgumentError } from '../errors/illegal-argument-error.js';
import { checkCorrectnessEnabled } from '../core/streaming-conf.js';
import { maxFilesPerTrigger } from '../sources/file-stream-options.js';
import { createLogger } from '../internal/logger.js';
import { childrenOf, containsWindow } from '../expressions/binder.js';
import type { Expr } from '../expressions/expr.js';
import { compilePlan } from '../operators/compile-plan.js';
import { JoinOperator } from '../operators/join.js';
import { ProjectOperator } from '../operators/project.js';
import type { WindowOccurrence } from '../operators/window.js';
import { isStreamingPlan, planChildren, streamingSources, type AggregateNode, type DeduplicateNode, type JoinNode, type LogicalPlan } from '../plan/logical-plan.js';
import type { QueryPlan } from '../plan/query-plan.js';
import { JOIN_NAMES, treeString } from '../plan/tree-string.js';

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
    case 'Join': return plan.condition === undefined ? [] : [plan.condition];
    default: return [];
  }
}

function anyExpr(e: Expr, test: (e: Expr) => boolean): boolean {
  return test(e) || childrenOf(e).some((c) => anyExpr(c, test));
}

/** STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION (QueryCompilationErrors.unsupportedOutputModeForStreamingOperationError). */
function outputModeError(mode: QueryPlan['outputMode'], operation: string): AnalysisException {
  return new AnalysisException(
    `[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: ${mode}. ` +
      `This output mode is not supported for ${operation} on streaming DataFrames/DataSets. SQLSTATE: 42KDE`,
  );
}

/**
 * Spark's UnsupportedOperationChecker.checkForBatch: a batch query (a batch action) must read no
 * streaming source; fails at the first streaming operator, bottom-up.
 */
export function checkForBatch(plan: LogicalPlan): void {
  for (const p of postOrder(plan)) {
    if (isStreamingPlan(p)) fail('Queries with streaming sources must be executed with writeStream.start()', p);
  }
}

/** Children before parents, as Spark's `plan.foreachUp`. */
function postOrder(plan: LogicalPlan): LogicalPlan[] {
  return [...planChildren(plan).flatMap(postOrder), plan];
}

/**
 * Spark's UnsupportedOperationChecker.checkForStreaming (4.x): rejects, at start(), what a
 * streaming query cannot do in its output mode. In Spark's order: the output-mode rules on the
 * first (top-most) streaming aggregation, then each operator bottom-up, then the global-watermark
 * correctness check. Aggregations on static data (e.g. the static side of a stream-static join)
 * are not streaming aggregations.
 */
export function validatePlan(query: QueryPlan): void {
  const root = query.root;
  const mode = query.outputMode;
  if (!isStreamingPlan(root)) fail('Queries without streaming sources cannot be executed with writeStream.start()', root);
  const modeName = mode === 'append' ? 'Append' : mode === 'update' ? 'Update' : 'Complete';
  const aggregates = collect(root, (p) => p.node === 'Aggregate' && isStreamingPlan(p)) as AggregateNode[];
  const first = aggregates[0];

  if (mode === 'append' && first !== undefined && !hasEventTimeKey(first, query.sessionTimeZone)) {
    throw outputModeError(mode, 'streaming aggregations without watermark');
  }
  if (mode === 'update' && first !== undefined && first.grouping.some((g) => anyExpr(g, (x) => x.kind === 'call' && x.name === 'session_window'))) {
    throw outputModeError(mode, 'session window streaming aggregations');
  }
  if (mode === 'complete' && aggregates.length === 0) throw outputModeError(mode, 'no streaming aggregations');
  // FileStreamOptions (checkDisallowedOptions, then maxFilesPerTrigger), as the file source is
  // created when the query starts.
  for (const source of streamingSources(root)) {
    if (!['json', 'csv', 'text'].includes(source.format)) continue;
    const options = new CaseInsensitiveOptions(source.options);
    for (const param of ['modifiedBefore', 'modifiedAfter']) {
      if (options.has(param)) throw new IllegalArgumentError(`option '${param}' is not allowed in file stream sources`);
    }
    maxFilesPerTrigger(options);
  }

  for (const p of postOrder(root)) {
    checkOperator(p, mode, modeName, query.sessionTimeZone);
    if (exprsOf(p).some((e) => anyExpr(e, (x) => x.kind === 'call' && x.name === 'monotonically_increasing_id'))) {
      fail('Expression(s): monotonically_increasing_id() is not supported with streaming DataFrames/Datasets', p);
    }
  }
  try {
    checkStreamingQueryGlobalWatermarkLimit(root, mode, query.sessionTimeZone);
  } catch (e) {
    // With the check disabled Spark only logs the finding, as a warning.
    if (!(e instanceof AnalysisException) || checkCorrectnessEnabled(query.conf)) throw e;
    createLogger({ component: 'UnsupportedOperationChecker' }).warn(e.message);
  }
}

/** The per-operator cases of checkForStreaming's `plan.foreachUp`. */
function checkOperator(p: LogicalPlan, mode: QueryPlan['outputMode'], modeName: string, timeZone: string): void {
  switch (p.node) {
    case 'Project': {
      // A window function below a streaming Project is Spark's Window over a stream: refused.
      const op = isStreamingPlan(p.child) && p.exprs.some(containsWindow) ? compilePlan(p, timeZone) : undefined;
      const group = op instanceof ProjectOperator ? op.windows?.groups[0] : undefined;
      if (group !== undefined) throw nonTimeWindowError(group);
      return;
    }
    case 'Aggregate':
      if (isStreamingPlan(p.child) && [...p.grouping, ...p.aggregates].some((e) => anyExpr(e, (x) => x.kind === 'call' && x.distinct === true))) {
        fail('Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.', p);
      }
      return;
    case 'Join':
      checkJoin(p, modeName, timeZone);
      return;
    case 'Deduplicate':
      if (p.withinWatermark === true && isStreamingPlan(p) && !compilePlan(p.child, timeZone).output.some((f) => f.eventTimeDelayMs !== undefined)) {
        fail('dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without watermark', p);
      }
      return;
    case 'Union':
      if (new Set(p.children.map(isStreamingPlan)).size === 2) fail('Union between streaming and batch DataFrames/Datasets is not supported', p);
      return;
    case 'Limit':
      if (isStreamingPlan(p.child) && mode === 'update') fail('Limits are not supported on streaming DataFrames/Datasets in Update output mode', p);
      return;
    case 'Sort': {
      // containsCompleteData: no streaming source below, or a streaming aggregation in Complete mode.
      const aggs = collect(p, (x) => x.node === 'Aggregate' && isStreamingPlan(x));
      if (isStreamingPlan(p) && !(aggs.length > 0 && mode === 'complete')) {
        fail('Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode', p);
      }
      return;
    }
    default:
      return;
  }
}

/**
 * QueryExecutionErrors.nonTimeWindowNotSupportedInStreamingError for the first Window operator:
 * its functions (upper-cased, as toSQLStmt prints them), their columns and window specifications.
 */
function nonTimeWindowError(group: readonly WindowOccurrence[]): AnalysisException {
  const id = (name: string): string => name.split('.').map((part) => `\`${part.replace(/`/g, '``')}\``).join('.');
  return new AnalysisException(
    `[NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING] Window function is not supported in ${group.map((o) => o.window.functionText.toUpperCase()).join(',')} ` +
      `(as column ${group.map((o) => id(o.name)).join(',')}) on streaming DataFrames/Datasets. Structured Streaming only supports time-window aggregation using the WINDOW function. ` +
      `(window specification: ${group.map((o) => o.window.specSql.toUpperCase()).join(',')}) SQLSTATE: 42KDE`,
  );
}

/** The join rows of Spark's support matrix (SEMANTICS 4.1) with its messages. */
function checkJoin(join: JoinNode, modeName: string, timeZone: string): void {
  const ls = isStreamingPlan(join.left);
  const rs = isStreamingPlan(join.right);
  const t = join.joinType;
  const name = JOIN_NAMES[t];
  // SPARK-56384 (4.2): Inner and LeftSemi stream-stream joins run in Update mode (as in Append);
  // outer ones still need Append, and no stream-stream join runs in Complete mode.
  if (ls && rs && modeName === 'Complete') {
    fail(`Join between two streaming DataFrames/Datasets is not supported in ${modeName} output mode, only in Append output mode`, join);
  }
  if (ls && rs && modeName !== 'Append' && (t === 'left_outer' || t === 'right_outer' || t === 'full_outer')) {
    fail(`${name} join between two streaming DataFrames/Datasets is not supported in ${modeName} output mode, only in Append output mode`, join);
  }
  switch (t) {
    case 'inner':
    case 'cross':
      return;
    case 'full_outer':
      if (ls && !rs) fail('FullOuter joins with streaming DataFrames/Datasets on the left and a static DataFrame/Dataset on the right is not supported', join);
      if (!ls && rs) fail('FullOuter joins with streaming DataFrames/Datasets on the right and a static DataFrame/Dataset on the left is not supported', join);
      if (ls && rs) checkStreamStreamJoinWatermark(join, timeZone);
      return;
    case 'left_anti':
      if (rs) fail('LeftAnti joins with a streaming DataFrame/Dataset on the right are not supported', join);
      return;
    case 'left_outer':
    case 'left_semi':
      if (!ls && rs) fail(`${name} join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported`, join);
      if (ls && rs) checkStreamStreamJoinWatermark(join, timeZone);
      return;
    case 'right_outer':
      if (ls && !rs) fail('RightOuter join with a streaming DataFrame/Dataset on the left and a static DataFrame/DataSet on the right not supported', join);
      if (ls && rs) checkStreamStreamJoinWatermark(join, timeZone);
      return;
  }
}

/** checkForStreamStreamJoinWatermark: the nullable side must be able to evict its state. */
function checkStreamStreamJoinWatermark(join: JoinNode, timeZone: string): void {
  const t = join.joinType;
  const op = compilePlan(join, timeZone);
  const settles = (side: 'left' | 'right'): boolean => op instanceof JoinOperator && op.canEvict(side);
  const ok = t === 'full_outer' ? settles('left') || settles('right') : settles(t === 'right_outer' ? 'right' : 'left');
  if (!ok) {
    fail(`Stream-stream ${JOIN_NAMES[t]} join between two streaming DataFrame/Datasets is not supported without a watermark in the join keys, or a watermark on the nullable side and an appropriate range condition`, join);
  }
}

/** A Deduplicate on an event-time column (isStatefulOperation counts only those). */
function dedupOnEventTime(p: DeduplicateNode, timeZone: string): boolean {
  const marked = eventTimeColumns(p.child, timeZone);
  if (p.withinWatermark === true) return true; // isStatefulOperation: DeduplicateWithinWatermark always
  return p.keys.length === 0 ? marked.size > 0 : p.keys.some((k) => marked.has(k.toLowerCase()));
}

/**
 * checkStreamingQueryGlobalWatermarkLimit: a stateful operator (streaming aggregation,
 * stream-stream join, dropDuplicates on an event-time column) must not follow a streaming
 * aggregation outside Append mode.
 */
export function checkStreamingQueryGlobalWatermarkLimit(root: LogicalPlan, mode: QueryPlan['outputMode'], timeZone: string): void {
  if (mode === 'append') return;
  for (const p of collect(root, () => true)) {
    const stateful = (p.node === 'Aggregate' && isStreamingPlan(p))
      || (p.node === 'Join' && isStreamingPlan(p.left) && isStreamingPlan(p.right))
      || (p.node === 'Deduplicate' && isStreamingPlan(p) && dedupOnEventTime(p, timeZone));
    if (!stateful) continue;
    const below = planChildren(p).flatMap((c) => collect(c, (x) => x.node === 'Aggregate' && isStreamingPlan(x)));
    if (below.length > 0) {
      fail(
        "Detected pattern of possible 'correctness' issue due to global watermark. The query contains stateful operation which can emit rows older than the current watermark plus allowed late record delay, which are \"late rows\" in downstream stateful operations and these rows can be discarded. Please refer the programming guide doc for more details. If you understand the possible risk of correctness issue and still need to run the query, you can disable this check by setting the config `spark.sql.streaming.statefulOperator.checkCorrectness.enabled` to false.",
        root,
      );
    }
  }
}

/** Whether an expression is a watermarked column, a window of one, or an alias of those. */
function markedBy(e: Expr, marked: ReadonlySet<string>): boolean {
  if (e.kind === 'column') return marked.has(e.name.toLowerCase());
  if (e.kind === 'alias') return markedBy(e.child, marked);
  if (e.kind === 'call' && (e.name === 'window' || e.name === 'session_window' || e.name === 'window_time')) return e.args[0] !== undefined && markedBy(e.args[0], marked);
  return false;
}

/** The output name Spark gives a grouping or projected expression. */
function outputName(e: Expr): string {
  if (e.kind === 'alias') return e.name.toLowerCase();
  if (e.kind === 'column') return e.name.toLowerCase();
  return e.kind === 'call' ? e.name.toLowerCase() : '';
}

/**
 * The columns of a plan's output that carry the watermark metadata (`spark.watermarkDelayMs`),
 * as Spark's attributes carry it: through projections of the column, and through an
 * aggregation's grouping keys (the operators here keep the mark up to the first aggregation).
 */
function eventTimeColumns(plan: LogicalPlan, timeZone: string): Set<string> {
  switch (plan.node) {
    case 'Aggregate': {
      const below = eventTimeColumns(plan.child, timeZone);
      return new Set(plan.grouping.filter((g) => markedBy(g, below)).map(outputName));
    }
    case 'Project': {
      const below = eventTimeColumns(plan.child, timeZone);
      const out = new Set<string>();
      for (const e of plan.exprs) {
        if (e.kind === 'star') for (const b of below) out.add(b);
        else if (markedBy(e, below)) out.add(outputName(e));
      }
      return out;
    }
    case 'Filter':
    case 'Sort':
    case 'Limit':
    case 'Deduplicate':
    case 'SubqueryAlias':
      return eventTimeColumns(plan.child, timeZone);
    default:
      return new Set(compilePlan(plan, timeZone).output.filter((f) => f.eventTimeDelayMs !== undefined).map((f) => f.name.toLowerCase()));
  }
}

/** True when an aggregation groups on a watermarked event-time column or a window of one. */
function hasEventTimeKey(agg: AggregateNode, timeZone: string): boolean {
  const marked = eventTimeColumns(agg.child, timeZone);
  return agg.grouping.some((g) => markedBy(g, marked));
}
