import type { Row } from '../core/types.js';
import { compilePlan } from '../operators/compile-plan.js';
import type { EventTimeStats } from '../operators/event-time-stats.js';
import type { PhysicalOperator, StateMetrics } from '../operators/operator.js';
import { planChildren, type LogicalPlan } from '../plan/logical-plan.js';
import { checkBatch, executionChecks, type ExecutionChecks } from './execution-checks.js';
import { optimizePlan } from './optimizer.js';
import type { QueryPlan } from '../plan/query-plan.js';
import type { StateStore } from '../state/state-store.js';
import {
  MULTIPLE_WATERMARK_POLICY, SHUFFLE_PARTITIONS, allowMultipleStatefulOperators, parsePolicy, shufflePartitionsOf, streamingConf,
  type StreamingConf, type WatermarkPolicy,
} from '../core/streaming-conf.js';

function watermarkNodes(plan: LogicalPlan): number {
  return (plan.node === 'EventTimeWatermark' ? 1 : 0) + planChildren(plan).reduce((n, c) => n + watermarkNodes(c), 0);
}

/**
 * One query's compiled plan with its state and event-time bookkeeping, batch after batch: the
 * part of the micro-batch loop that neither Kafka nor Redis sees (the processor and the
 * in-memory PlanRunner both drive it).
 *
 * Watermarks follow Spark's WatermarkTracker: each `withWatermark` reports `max event time −
 * delay` of the batch; its value only grows; one that has seen no data yet counts as 0. The
 * global watermark is the policy (`spark.sql.streaming.multipleWatermarkPolicy`: min, or max)
 * over them, only ever raised, computed after the batch and used by the next one. After a
 * restart only the global value is restored: each `withWatermark` starts again with no data.
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
  /** How many `withWatermark` operators the plan has (those without data count as 0). */
  private readonly watermarkOperators: number;
  private readonly conf: StreamingConf;
  /** `spark.sql.shuffle.partitions` of the query (the order stateful operators emit rows in). */
  private shufflePartitions: number;
  /** `spark.sql.streaming.multipleWatermarkPolicy`: the session's, or the checkpoint's once restored. */
  private watermarkPolicy: WatermarkPolicy;
  /** What Spark rejects when a batch is planned or run (not at start()). */
  private readonly checks: ExecutionChecks;
  /**
   * spark.sql.streaming.statefulOperator.allowMultiple: late rows are those at or before the
   * previous batch's watermark (PropagateWatermarkSimulator); false, the batch's own
   * (UseSingleWatermarkPropagator).
   */
  private readonly allowMultiple: boolean;

  constructor(private readonly plan: QueryPlan, private readonly newStore: (operatorId: string) => StateStore) {
    // Spark plans each batch from the optimised plan (where filters run moves the watermark).
    const optimized = optimizePlan(plan.root, plan.sessionTimeZone, plan.conf);
    this.operator = compilePlan(optimized, plan.sessionTimeZone, plan.conf);
    this.allowMultiple = allowMultipleStatefulOperators(plan.conf);
    this.checks = executionChecks(optimized, plan.sessionTimeZone, this.allowMultiple);
    this.conf = streamingConf(plan.conf);
    this.shufflePartitions = shufflePartitionsOf(plan.conf);
    this.watermarkPolicy = this.conf.watermarkPolicy;
    this.watermarkOperators = watermarkNodes(plan.root);
    this.hasWatermark = this.watermarkOperators > 0;
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

  /** The settings a checkpoint pins (OffsetSeqMetadata.conf): written with every batch's offsets. */
  get pinnedConf(): Readonly<Record<string, string>> {
    return { [SHUFFLE_PARTITIONS]: String(this.shufflePartitions), [MULTIPLE_WATERMARK_POLICY]: this.watermarkPolicy };
  }

  /**
   * Restores the settings of a checkpoint's offset log: they win over the session's
   * (OffsetSeqMetadata.setSessionConf), as the state is partitioned by the shuffle partitions and
   * the watermark was chosen by the policy. A policy the log does not record (written before it
   * was pinned) is Spark's default for such logs, min (relevantSQLConfDefaultValues).
   */
  restorePinnedConf(conf: Readonly<Record<string, string>> | undefined): void {
    if (conf === undefined) return;
    if (conf[SHUFFLE_PARTITIONS] !== undefined) this.shufflePartitions = shufflePartitionsOf(conf);
    const policy = conf[MULTIPLE_WATERMARK_POLICY];
    this.watermarkPolicy = policy === undefined ? 'min' : parsePolicy(policy);
  }

  /** Restores the watermark of a checkpoint (commit log's nextBatchWatermarkMs). */
  restoreWatermark(watermarkMs: number): void {
    this.watermarkMs = watermarkMs;
    this.lastBatchWatermarkMs = watermarkMs;
  }

  /** Runs one batch at `batchWatermarkMs`; state changes stay pending until commitState(). */
  runBatch(
    batchId: number, batchTimestampMs: number, batchWatermarkMs: number, inputs: ReadonlyArray<readonly Row[]>,
  ): { rows: Row[]; metrics: StateMetrics; eventTimeStats: EventTimeStats | null } {
    checkBatch(this.checks, batchWatermarkMs);
    const metrics: StateMetrics = { droppedByWatermark: 0, evicted: 0, updated: 0, custom: {} };
    const eventTimeStats: EventTimeStats[] = [];
    const previous = this.lastBatchWatermarkMs;
    const rows = this.operator.execute(inputs, {
      batchId,
      batchTimestampMs,
      outputMode: this.plan.outputMode,
      stores: (id) => this.store(id),
      watermarkMs: batchWatermarkMs,
      lateEventsWatermarkMs: this.allowMultiple ? Math.min(previous, batchWatermarkMs) : batchWatermarkMs,
      eventTime: {
        observe: (id, candidate) => {
          const current = this.operatorWatermarks.get(id);
          if (current === undefined || candidate > current) this.operatorWatermarks.set(id, candidate);
        },
        register: (_id, stats) => {
          eventTimeStats.push(stats);
        },
      },
      metrics,
      shufflePartitions: this.shufflePartitions,
    });
    this.lastBatchWatermarkMs = batchWatermarkMs;
    this.watermarkMs = Math.max(this.watermarkMs, this.chosenWatermark());
    // The progress's eventTime: the first watermark operator (plan pre-order) that saw rows.
    return { rows, metrics, eventTimeStats: eventTimeStats.find((s) => s.count > 0) ?? null };
  }

  /** The policy over every `withWatermark`'s value, 0 for one that has seen no data yet. */
  private chosenWatermark(): number {
    if (this.operatorWatermarks.size === 0) return 0;
    const values = [...this.operatorWatermarks.values()];
    if (values.length < this.watermarkOperators) values.push(0);
    return this.watermarkPolicy === 'max' ? Math.max(...values) : Math.min(...values);
  }

  /**
   * Spark's no-data batch rule: the watermark moved past what the last batch ran at, and
   * `spark.sql.streaming.noDataMicroBatches.enabled` is not false.
   */
  needsNoDataBatch(): boolean {
    return this.conf.noDataMicroBatches && this.evictsOnWatermark && this.watermarkMs > this.lastBatchWatermarkMs;
  }

  async commitState(): Promise<void> {
    for (const store of this.stores.values()) await store.commit();
  }

  abortState(): void {
    for (const store of this.stores.values()) store.abort();
  }
}
