import type { Row } from '../api/types.js';
import type { ScopeField } from '../expressions/binder.js';
import type { EvalContext } from '../expressions/bound.js';
import type { OutputMode } from '../plan/query-plan.js';
import type { StateStoreProvider } from '../state/state-store.js';

/** Where watermark operators report `max event time − delay` of the batch (ms), by operator id. */
export interface EventTimeStats {
  observe(operatorId: string, candidateWatermarkMs: number): void;
}

/** Counts stateful operators report for the batch's progress record. */
export interface StateMetrics {
  droppedByWatermark: number;
  evicted: number;
  updated: number;
}

/** What a batch gives every operator: its time, watermark, output mode and state stores. */
export interface OperatorContext extends EvalContext {
  readonly batchId: number;
  readonly outputMode: OutputMode;
  readonly stores: StateStoreProvider;
  /** The global watermark this batch runs at (ms); rows at or before it may be evicted. */
  readonly watermarkMs: number;
  /** The previous batch's watermark: rows at or before it are late and dropped (Spark 3.4+). */
  readonly lateEventsWatermarkMs: number;
  readonly eventTime: EventTimeStats;
  readonly metrics: StateMetrics;
}

/**
 * A compiled plan node: its output columns, and how it turns one batch of input rows (one
 * array per source) into its output rows. Pure: no I/O, no clock; state only through the
 * context's stores.
 */
export interface PhysicalOperator {
  readonly output: readonly ScopeField[];
  execute(inputs: ReadonlyArray<readonly Row[]>, ctx: OperatorContext): Row[];
  /** The operator ids of the stateful operators in this subtree. */
  readonly statefulIds: readonly string[];
}
