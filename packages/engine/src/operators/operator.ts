import type { Row } from '../core/types.js';
import type { ScopeField } from '../expressions/binder.js';
import type { EvalContext } from '../expressions/bound.js';
import type { OutputMode } from '../plan/query-plan.js';
import type { StateStoreProvider } from '../state/state-store.js';
import type { EventTimeStats as BatchEventTimeStats } from './event-time-stats.js';

/** Where watermark operators report `max event time − delay` of the batch (ms), by operator id. */
export interface EventTimeStats {
  observe(operatorId: string, candidateWatermarkMs: number): void;
  /**
   * Registers the batch's event-time statistics of a watermark operator (filled as its rows
   * pass), before its input runs: registrations come in plan pre-order, as Spark collects them.
   */
  register?(operatorId: string, stats: BatchEventTimeStats): void;
}

/** Counts stateful operators report for the batch's progress record. */
export interface StateMetrics {
  droppedByWatermark: number;
  evicted: number;
  updated: number;
  /**
   * An operator's own metrics (Spark's customStatefulOperatorMetrics, summed over the batch),
   * by operator id then name: e.g. a deduplication's `numDroppedDuplicateRows`.
   */
  custom?: Record<string, Record<string, number>>;
}

/** Adds `value` to an operator's custom metric of the batch (reported even when 0). */
export function addCustomMetric(metrics: StateMetrics, operatorId: string, name: string, value: number): void {
  if (metrics.custom === undefined) metrics.custom = {};
  const own = (metrics.custom[operatorId] ??= {});
  own[name] = (own[name] ?? 0) + value;
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
  /**
   * `spark.sql.shuffle.partitions` (streaming-conf.ts: 200 unless set): a stateful operator's rows come out grouped
   * by the shuffle partition of their keys, in partition order (shuffle-order.ts).
   */
  readonly shufflePartitions: number;
  /**
   * Set when the query is split over shuffle tasks: whether this task owns a shuffle partition.
   * A stateful operator skips every row and group whose key falls in a partition it does not
   * own, as if another task had it: no state read or written, no output, no metrics.
   */
  readonly ownsPartition?: (shufflePartition: number) => boolean;
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
  /**
   * A stateful operator that partitions its input by key: the shuffle partitions an input row of
   * `side` (0, or 1 for a join's right input) goes to — several for a row in several sliding
   * windows. Late rows are not filtered here: the operator drops them where it runs.
   */
  shufflePartitionsOf?(side: number, row: Row, ctx: OperatorContext): readonly number[];
  /** Whether the operator has keys to split its input by over tasks (`shufflePartitionsOf`). */
  readonly splittable?: boolean;
}
