import type { Row } from '../api/types.js';
import { compilePlan } from '../operators/compile-plan.js';
import type { PhysicalOperator, StateMetrics } from '../operators/operator.js';
import { planChildren, type LogicalPlan } from '../plan/logical-plan.js';
import type { QueryPlan } from '../plan/query-plan.js';
import type { StateStore } from '../state/state-store.js';

function hasWatermark(plan: LogicalPlan): boolean {
  return plan.node === 'EventTimeWatermark' || planChildren(plan).some(hasWatermark);
}

/**
 * One query's compiled plan with its state and event-time bookkeeping, batch after batch: the
 * part of the micro-batch loop that neither Kafka nor Redis sees (the processor and the
 * in-memory PlanRunner both drive it).
 *
 * Watermarks follow Spark's WatermarkTracker: each `withWatermark` reports `max event time −
 * delay` of the batch; its value only grows; the global watermark is the minimum over those
 * that have seen data (0 before any), computed after the batch and used by the next one.
 */
export class QueryExecution {
  readonly operator: PhysicalOperator;
  private readonly stores = new Map<string, StateStore>();
  private readonly operatorWatermarks = new Map<string, number>();
  /** The watermark the next batch runs at (ms). */
  watermarkMs = 0;
  /** The watermark the last batch ran at. */
  private lastBatchWatermarkMs = 0;
  private readonly evictsOnWatermark: boolean;
  /** Whether the query declares an event-time watermark. */
  readonly hasWatermark: boolean;

  constructor(private readonly plan: QueryPlan, private readonly newStore: (operatorId: string) => StateStore) {
    this.operator = compilePlan(plan.root, plan.sessionTimeZone);
    this.hasWatermark = hasWatermark(plan.root);
    this.evictsOnWatermark = this.hasWatermark && plan.outputMode !== 'complete' && this.operator.statefulIds.length > 0;
  }

  store(operatorId: string): StateStore {
    let store = this.stores.get(operatorId);
    if (store === undefined) {
      store = this.newStore(operatorId);
      this.stores.set(operatorId, store);
    }
    return store;
  }

  get stateRows(): number {
    let n = 0;
    for (const s of this.stores.values()) n += s.size;
    return n;
  }

  /** Approximate size of the state: its JSON, over every store. */
  get stateBytes(): number {
    let n = 0;
    for (const s of this.stores.values()) n += s.bytes;
    return n;
  }

  /** Restores the watermark of a checkpoint (commit log's nextBatchWatermarkMs). */
  restoreWatermark(watermarkMs: number): void {
    this.watermarkMs = watermarkMs;
    this.lastBatchWatermarkMs = watermarkMs;
  }

  /** Runs one batch at `batchWatermarkMs`; state changes stay pending until commitState(). */
  runBatch(batchId: number, batchTimestampMs: number, batchWatermarkMs: number, inputs: ReadonlyArray<readonly Row[]>): { rows: Row[]; metrics: StateMetrics } {
    const metrics: StateMetrics = { droppedByWatermark: 0, evicted: 0, updated: 0 };
    const previous = this.lastBatchWatermarkMs;
    const rows = this.operator.execute(inputs, {
      batchId,
      batchTimestampMs,
      outputMode: this.plan.outputMode,
      stores: (id) => this.store(id),
      watermarkMs: batchWatermarkMs,
      lateEventsWatermarkMs: Math.min(previous, batchWatermarkMs),
      eventTime: {
        observe: (id, candidate) => {
          const current = this.operatorWatermarks.get(id);
          if (current === undefined || candidate > current) this.operatorWatermarks.set(id, candidate);
        },
      },
      metrics,
    });
    this.lastBatchWatermarkMs = batchWatermarkMs;
    const values = [...this.operatorWatermarks.values()];
    if (values.length > 0) this.watermarkMs = Math.max(this.watermarkMs, Math.min(...values));
    return { rows, metrics };
  }

  /** Spark's no-data batch rule: the watermark moved past what the last batch ran at. */
  needsNoDataBatch(): boolean {
    return this.evictsOnWatermark && this.watermarkMs > this.lastBatchWatermarkMs;
  }

  async commitState(): Promise<void> {
    for (const store of this.stores.values()) await store.commit();
  }

  abortState(): void {
    for (const store of this.stores.values()) store.abort();
  }
}
