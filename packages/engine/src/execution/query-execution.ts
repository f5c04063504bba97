import type { Row } from '../core/types.js';
import { compilePlan } from '../operators/compile-plan.js';
import type { EventTimeStats } from '../operators/event-time-stats.js';
import type { PhysicalOperator, StateMetrics } from '../operators/operator.js';
import { checkBatch, executionChecks, type ExecutionChecks } from './execution-checks.js';
import { optimizePlan } from './optimizer.js';
import { kafkaSourceColumns, type KafkaSourceColumns } from '../plan/kafka-source-columns.js';
import type { QueryPlan } from '../plan/query-plan.js';
import type { StateStore } from '../state/state-store.js';
import { MULTIPLE_WATERMARK_POLICY, SHUFFLE_PARTITIONS, allowMultipleStatefulOperators, parsePolicy, shufflePartitionsOf } from '../core/streaming-conf.js';
import { WatermarkTracker } from './watermark-tracker.js';

/**
 * One query's compiled plan with its state and event-time bookkeeping, batch after batch: the
 * part of the micro-batch loop that neither Kafka nor Redis sees (the processor and the
 * in-memory PlanRunner both drive it).
 *
 * Watermarks follow Spark's WatermarkTracker (watermark-tracker.ts), fed by this plan's
 * `withWatermark` operators.
 */
export class QueryExecution {
  readonly operator: PhysicalOperator;
  /** How each Kafka source's records must be decoded for this plan: its key and value as binary or as text, by source index. */
  readonly kafkaColumns: ReadonlyMap<number, KafkaSourceColumns>;
  private readonly stores = new Map<string, StateStore>();
  /** The event-time watermark, from the observations of the plan's `withWatermark` operators. */
  private readonly watermark: WatermarkTracker;
  /** Whether the query declares an event-time watermark. */
  readonly hasWatermark: boolean;
  /** `spark.sql.shuffle.partitions` of the query (the order stateful operators emit rows in). */
  private shufflePartitions: number;
  /** What Spark rejects when a batch is planned or run (not at start()). */
  private readonly checks: ExecutionChecks;

  constructor(private readonly plan: QueryPlan, private readonly newStore: (operatorId: string) => StateStore) {
    // Spark plans each batch from the optimised plan (where filters run moves the watermark).
    const optimized = optimizePlan(plan.root, plan.sessionTimeZone, plan.conf);
    this.kafkaColumns = kafkaSourceColumns(optimized);
    this.operator = compilePlan(optimized, plan.sessionTimeZone, plan.conf, { kafkaColumns: this.kafkaColumns });
    this.checks = executionChecks(optimized, plan.sessionTimeZone, allowMultipleStatefulOperators(plan.conf));
    this.shufflePartitions = shufflePartitionsOf(plan.conf);
    this.watermark = WatermarkTracker.forPlan(plan, this.operator.statefulIds.length > 0);
    this.hasWatermark = this.watermark.hasWatermark;
  }

  /** The watermark the next batch runs at (ms). */
  get watermarkMs(): number {
    return this.watermark.watermarkMs;
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
    return { [SHUFFLE_PARTITIONS]: String(this.shufflePartitions), [MULTIPLE_WATERMARK_POLICY]: this.watermark.policy };
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
    this.watermark.policy = policy === undefined ? 'min' : parsePolicy(policy);
  }

  /** Restores the watermark of a checkpoint (commit log's nextBatchWatermarkMs). */
  restoreWatermark(watermarkMs: number): void {
    this.watermark.restore(watermarkMs);
  }

  /** Runs one batch at `batchWatermarkMs`; state changes stay pending until commitState(). */
  runBatch(
    batchId: number, batchTimestampMs: number, batchWatermarkMs: number, inputs: ReadonlyArray<readonly Row[]>,
  ): { rows: Row[]; metrics: StateMetrics; eventTimeStats: EventTimeStats | null } {
    checkBatch(this.checks, batchWatermarkMs);
    const metrics: StateMetrics = { droppedByWatermark: 0, evicted: 0, updated: 0, custom: {} };
    const eventTimeStats: EventTimeStats[] = [];
    const rows = this.operator.execute(inputs, {
      batchId,
      batchTimestampMs,
      outputMode: this.plan.outputMode,
      stores: (id) => this.store(id),
      watermarkMs: batchWatermarkMs,
      lateEventsWatermarkMs: this.watermark.lateEventsWatermarkMs(batchWatermarkMs),
      eventTime: {
        observe: (id, candidate) => this.watermark.observe(id, candidate),
        register: (_id, stats) => {
          eventTimeStats.push(stats);
        },
      },
      metrics,
      shufflePartitions: this.shufflePartitions,
    });
    this.watermark.endBatch(batchWatermarkMs);
    // The progress's eventTime: the first watermark operator (plan pre-order) that saw rows.
    return { rows, metrics, eventTimeStats: eventTimeStats.find((s) => s.count > 0) ?? null };
  }

  /** Spark's no-data batch rule (WatermarkTracker.needsNoDataBatch). */
  needsNoDataBatch(): boolean {
    return this.watermark.needsNoDataBatch();
  }

  async commitState(): Promise<void> {
    for (const store of this.stores.values()) await store.commit();
  }

  abortState(): void {
    for (const store of this.stores.values()) store.abort();
  }
}
