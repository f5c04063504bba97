import { AnalysisException } from '../errors/analysis-exception.js';
import { childrenOf, type ScopeField } from '../expressions/binder.js';
import type { Expr } from '../expressions/expr.js';
import { compilePlan } from '../operators/compile-plan.js';
import { isStreamingPlan, planChildren, type AggregateNode, type LogicalPlan } from '../plan/logical-plan.js';

/**
 * What Spark rejects only once a streaming query runs, not at start(): the query fails in its
 * first batch (or the first whose watermark is set), as Spark's planner, watermark propagation
 * and stateful operators raise these while a micro-batch is planned and executed.
 *
 * - AggUtils.planStreamingAggregationForSession: a session window with no other grouping key
 *   (_LEGACY_ERROR_TEMP_3068).
 * - PropagateWatermarkSimulator: a `withWatermark` over another one in the same lineage, once
 *   the watermark is not 0 (_LEGACY_ERROR_TEMP_3076).
 * - WatermarkSupport.findEventTimeColumn: a stateful operator whose input holds more than one
 *   event-time column (_LEGACY_ERROR_TEMP_3077).
 */
export interface ExecutionChecks {
  /** Raised when the first batch is planned. */
  readonly planning: AnalysisException | null;
  /** Raised by the first batch that runs at a watermark other than 0. */
  readonly redefinedWatermark: AnalysisException | null;
  /** Raised when the first batch executes. */
  readonly execution: AnalysisException | null;
}

function anyExpr(e: Expr, test: (e: Expr) => boolean): boolean {
  return test(e) || childrenOf(e).some((c) => anyExpr(c, test));
}

function preOrder(plan: LogicalPlan): LogicalPlan[] {
  return [plan, ...planChildren(plan).flatMap(preOrder)];
}

const isSession = (agg: AggregateNode): boolean[] =>
  agg.grouping.map((g) => anyExpr(g, (x) => x.kind === 'call' && x.name === 'session_window'));

/** Attribute.toString of an event-time column: `name-T<delay>ms` (Spark adds `#<exprId>`, which has no counterpart here). */
const eventTimeColumn = (f: ScopeField): string => `${f.name}-T${f.eventTimeDelayMs ?? 0}ms`;

function moreThanOneEventTime(fields: readonly ScopeField[]): AnalysisException | null {
  const marked = fields.filter((f) => f.eventTimeDelayMs !== undefined);
  const distinct = new Set(marked.map((f) => `${f.qualifier ?? ''}.${f.name.toLowerCase()}`));
  if (distinct.size <= 1) return null;
  return new AnalysisException(
    'More than one event time columns are available. Please ensure there is at most one event time column per stream. ' +
      `event time columns: (${marked.map(eventTimeColumn).join(',')})`,
  );
}

/**
 * The checks of a plan; `allowMultiple` false (spark.sql.streaming.statefulOperator.allowMultiple,
 * the compatibility mode) leaves out the two the watermark propagation of multiple stateful
 * operators brings: a redefined watermark, and more than one event-time column (the first is taken).
 */
export function executionChecks(root: LogicalPlan, timeZone: string, allowMultiple = true): ExecutionChecks {
  let planning: AnalysisException | null = null;
  let redefinedWatermark: AnalysisException | null = null;
  let execution: AnalysisException | null = null;
  for (const p of preOrder(root)) {
    if (!isStreamingPlan(p)) continue;
    if (p.node === 'Aggregate') {
      const sessions = isSession(p);
      if (planning === null && sessions.some(Boolean) && sessions.every(Boolean)) {
        planning = new AnalysisException('Global aggregation with session window in streaming query is not supported.');
      }
      // StateStoreSaveExec's input: the grouping keys (and the aggregation buffers).
      if (allowMultiple) execution ??= moreThanOneEventTime(compilePlan(p, timeZone).output.slice(0, p.grouping.length));
    }
    if (p.node === 'Deduplicate' && allowMultiple) execution ??= moreThanOneEventTime(compilePlan(p.child, timeZone).output);
    if (p.node === 'EventTimeWatermark' && allowMultiple && redefinedWatermark === null && preOrder(p.child).some((c) => c.node === 'EventTimeWatermark')) {
      redefinedWatermark = new AnalysisException(
        "Redefining watermark is disallowed. You can set the config 'spark.sql.streaming.statefulOperator.allowMultiple' to 'false' " +
          'to restore the previous behavior. Note that multiple stateful operators will be disallowed.',
      );
    }
  }
  return { planning, redefinedWatermark, execution };
}

/** Throws what Spark would raise for a batch that runs at `batchWatermarkMs`. */
export function checkBatch(checks: ExecutionChecks, batchWatermarkMs: number): void {
  if (checks.planning !== null) throw checks.planning;
  // PropagateWatermarkSimulator skips the propagation while the origin watermark is 0.
  if (checks.redefinedWatermark !== null && batchWatermarkMs !== 0) throw checks.redefinedWatermark;
  if (checks.execution !== null) throw checks.execution;
}
