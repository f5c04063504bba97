import { allowMultipleStatefulOperators, streamingConf, type WatermarkPolicy } from '../core/streaming-conf.js';
import { planChildren, type LogicalPlan } from '../plan/logical-plan.js';
import type { QueryPlan } from '../plan/query-plan.js';

function watermarkNodes(plan: LogicalPlan): number {
  return (plan.node === 'EventTimeWatermark' ? 1 : 0) + planChildren(plan).reduce((n, c) => n + watermarkNodes(c), 0);
}

/** What the tracker needs to know of a query. */
export interface WatermarkTrackerOptions {
  /** How many `withWatermark` operators the plan has (those without data count as 0). */
  readonly watermarkOperators: number;
  /** `spark.sql.streaming.multipleWatermarkPolicy`. */
  readonly policy: WatermarkPolicy;
  /** `spark.sql.streaming.statefulOperator.allowMultiple`. */
  readonly allowMultiple: boolean;
  /** A watermark evicts state: the query has one, a stateful operator, and is not in complete mode. */
  readonly evictsOnWatermark: boolean;
  /** `spark.sql.streaming.noDataMicroBatches.enabled`. */
  readonly noDataMicroBatches: boolean;
}

/**
 * Spark's WatermarkTracker: the query's global event-time watermark, from what each
 * `withWatermark` operator observed (`max event time − delay` of a batch, in ms). An operator's
 * value only grows; one that has seen no data yet counts as 0. The global watermark is the policy
 * (min, or max) over them, only ever raised, computed after a batch and used by the next one.
 * After a restart only the global value is restored: each operator starts again with no data.
 *
 * Pure bookkeeping: one process's QueryExecution feeds it its own observations; a query split
 * over tasks feeds it every task's observations of a batch before ending the batch.
 */
export class WatermarkTracker {
  private readonly operators = new Map<string, number>();
  private globalMs = 0;
  /** The watermark the last batch ran at. */
  private lastBatchMs = 0;
  /** The policy: the session's, or the checkpoint's once restored. */
  policy: WatermarkPolicy;

  constructor(private readonly options: WatermarkTrackerOptions) {
    this.policy = options.policy;
  }

  /** The tracker of a query plan; `stateful`: the compiled plan has a stateful operator. */
  static forPlan(plan: QueryPlan, stateful: boolean): WatermarkTracker {
    const conf = streamingConf(plan.conf);
    const watermarkOperators = watermarkNodes(plan.root);
    return new WatermarkTracker({
      watermarkOperators,
      policy: conf.watermarkPolicy,
      allowMultiple: allowMultipleStatefulOperators(plan.conf),
      evictsOnWatermark: watermarkOperators > 0 && plan.outputMode !== 'complete' && stateful,
      noDataMicroBatches: conf.noDataMicroBatches,
    });
  }

  /** Whether the query declares an event-time watermark. */
  get hasWatermark(): boolean {
    return this.options.watermarkOperators > 0;
  }

  /** The watermark the next batch runs at (ms). */
  get watermarkMs(): number {
    return this.globalMs;
  }

  /** An operator's `max event time − delay` of (part of) a batch. */
  observe(operatorId: string, candidateMs: number): void {
    const current = this.operators.get(operatorId);
    if (current === undefined || candidateMs > current) this.operators.set(operatorId, candidateMs);
  }

  /**
   * The watermark below which a batch running at `batchWatermarkMs` drops late rows: the
   * previous batch's (PropagateWatermarkSimulator), or with allowMultiple false the batch's own
   * (UseSingleWatermarkPropagator).
   */
  lateEventsWatermarkMs(batchWatermarkMs: number): number {
    return this.options.allowMultiple ? Math.min(this.lastBatchMs, batchWatermarkMs) : batchWatermarkMs;
  }

  /** Ends a batch that ran at `batchWatermarkMs`, once all its observations are in. */
  endBatch(batchWatermarkMs: number): void {
    this.lastBatchMs = batchWatermarkMs;
    this.globalMs = Math.max(this.globalMs, this.chosen());
  }

  /** Restores the watermark of a checkpoint (commit log's nextBatchWatermarkMs). */
  restore(watermarkMs: number): void {
    this.globalMs = watermarkMs;
    this.lastBatchMs = watermarkMs;
  }

  /**
   * Spark's no-data batch rule: the watermark moved past what the last batch ran at, and
   * `spark.sql.streaming.noDataMicroBatches.enabled` is not false.
   */
  needsNoDataBatch(): boolean {
    return this.options.noDataMicroBatches && this.options.evictsOnWatermark && this.globalMs > this.lastBatchMs;
  }

  /** The policy over every operator's value, 0 for one that has seen no data yet. */
  private chosen(): number {
    if (this.operators.size === 0) return 0;
    const values = [...this.operators.values()];
    if (values.length < this.options.watermarkOperators) values.push(0);
    return this.policy === 'max' ? Math.max(...values) : Math.min(...values);
  }
}
