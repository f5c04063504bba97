import type { Row } from '../core/types.js';
import { MULTIPLE_WATERMARK_POLICY, SHUFFLE_PARTITIONS, allowMultipleStatefulOperators, parsePolicy, shufflePartitionsOf } from '../core/streaming-conf.js';
import { IllegalStateError } from '../errors/illegal-state-error.js';
import type { ScopeField } from '../expressions/binder.js';
import { compilePlan } from '../operators/compile-plan.js';
import type { EventTimeStats } from '../operators/event-time-stats.js';
import { EventTimeWatermarkOperator } from '../operators/event-time-watermark.js';
import type { OperatorContext, PhysicalOperator, StateMetrics } from '../operators/operator.js';
import { planChildren, type LogicalPlan } from '../plan/logical-plan.js';
import type { QueryPlan } from '../plan/query-plan.js';
import type { StateStoreProvider } from '../state/state-store.js';
import { checkBatch, executionChecks, type ExecutionChecks } from './execution-checks.js';
import { findExchange, sourcesOf } from './exchange-point.js';
import { optimizePlan } from './optimizer.js';
import { kafkaSourceColumns, type KafkaSourceColumns } from '../plan/kafka-source-columns.js';
import { WatermarkTracker } from './watermark-tracker.js';

/** What every task of a batch runs with (the leader decides it, from its WatermarkTracker). */
export interface StageBatch {
  readonly batchId: number;
  readonly batchTimestampMs: number;
  /** The global watermark the batch runs at. */
  readonly watermarkMs: number;
  /** WatermarkTracker.lateEventsWatermarkMs(watermarkMs). */
  readonly lateEventsWatermarkMs: number;
}

/** Where the plan is cut: how many inputs the reduce stage has, and whether K may be above 1. */
export interface Exchange {
  /** 1, 2 for a stream-stream join, or the number of sources when the cut is above them. */
  readonly sides: number;
  readonly splittable: boolean;
}

/** What a stage's watermark operators saw: `max event time − delay` (ms) and statistics, by operator id. */
export interface StageEventTime {
  readonly observed: Record<string, number>;
  readonly eventTimeStats: Record<string, EventTimeStats>;
}

export interface MapOutput extends StageEventTime {
  readonly rows: Row[];
  /**
   * With an exchange, per row the shuffle partitions it goes to (send it once to every task
   * owning one of them); null without an exchange (`rows` are then the query's output).
   */
  readonly partitions: number[][] | null;
}

export interface ReduceOutput extends StageEventTime {
  readonly rows: Row[];
  readonly metrics: StateMetrics;
}

/** The shuffle partitions task `task` of `tasks` owns: [from, to), contiguous, so task order is partition order. */
export function ownedRange(task: number, tasks: number, partitions: number): readonly [from: number, to: number] {
  return [Math.floor((task * partitions) / tasks), Math.floor(((task + 1) * partitions) / tasks)];
}

/** The task of `tasks` that owns shuffle partition `partition`. */
export function taskOfPartition(partition: number, tasks: number, partitions: number): number {
  // The largest task whose range starts at or before the partition.
  let task = Math.min(tasks - 1, Math.floor(((partition + 1) * tasks) / partitions));
  while (task > 0 && ownedRange(task, tasks, partitions)[0] > partition) task -= 1;
  return task;
}

/**
 * A query split into two stages at the exchange before its stateful operator, as Spark runs it:
 * the map stage (the stateless plan below the exchange) runs per source task on that source's
 * rows and tells where each row goes; the reduce stage (the stateful operator and everything
 * above) runs per shuffle task on the rows of the partitions it owns, with its own state. The
 * reduce outputs of tasks 0..K-1, in task order, are what QueryExecution gives on one process,
 * when each side's rows reach a task in source order, then in the order the map tasks made them.
 *
 * Operator ids (state keys) are QueryExecution's: the plan is compiled once, whole. Operators
 * keep per-instance caches of their state's order: one StagedQuery per shuffle task.
 */
export class StagedQuery {
  readonly exchange: Exchange | null;
  readonly output: readonly ScopeField[];
  readonly statefulIds: readonly string[];
  /** How each Kafka source's records must be decoded for this plan (as QueryExecution.kafkaColumns). */
  readonly kafkaColumns: ReadonlyMap<number, KafkaSourceColumns>;
  /** The leader's watermark: fed every task's observations of a batch, then endBatch(). */
  readonly watermark: WatermarkTracker;
  /** The watermark operators' ids in plan pre-order (the progress's eventTime: the first that saw rows). */
  readonly watermarkIds: readonly string[];
  private readonly root: PhysicalOperator;
  private readonly sideOperators: PhysicalOperator[] = [];
  private readonly stateful: PhysicalOperator | undefined;
  private readonly sideOfSource = new Map<number, number>();
  private readonly sourceCount: number;
  private readonly checks: ExecutionChecks;
  private partitions: number;

  constructor(private readonly plan: QueryPlan) {
    const optimized = optimizePlan(plan.root, plan.sessionTimeZone, plan.conf);
    const cut = findExchange(optimized);
    const compiled = new Map<LogicalPlan, PhysicalOperator>();
    this.kafkaColumns = kafkaSourceColumns(optimized);
    this.root = compilePlan(optimized, plan.sessionTimeZone, plan.conf, {
      kafkaColumns: this.kafkaColumns,
      exchangeSides: cut?.sides ?? new Map(),
      onCompiled: (node, op) => {
        if (!compiled.has(node)) compiled.set(node, op);
      },
    });
    this.stateful = cut?.stateful === undefined ? undefined : compiled.get(cut.stateful);
    const sideNodes = [...(cut?.sides ?? new Map())].sort(([, a], [, b]) => a - b);
    for (const [node, side] of sideNodes) {
      const op = compiled.get(node);
      if (op === undefined) throw new IllegalStateError(`exchange side ${side} was not compiled`);
      this.sideOperators[side] = op;
      for (const source of sourcesOf(node)) this.sideOfSource.set(source, side);
    }
    this.exchange = cut === null ? null : { sides: cut.sideCount, splittable: cut.splittable && this.stateful?.splittable === true };
    this.sourceCount = Math.max(0, ...sourcesOf(optimized).map((i) => i + 1));
    this.output = this.root.output;
    this.statefulIds = this.root.statefulIds;
    this.checks = executionChecks(optimized, plan.sessionTimeZone, allowMultipleStatefulOperators(plan.conf));
    this.partitions = shufflePartitionsOf(plan.conf);
    this.watermark = WatermarkTracker.forPlan(plan, this.statefulIds.length > 0);
    const preOrder = (node: LogicalPlan): string[] => {
      const op = compiled.get(node);
      return [...(op instanceof EventTimeWatermarkOperator ? [op.operatorId] : []), ...planChildren(node).flatMap(preOrder)];
    };
    this.watermarkIds = preOrder(optimized);
  }

  /** `spark.sql.shuffle.partitions` P of the query (the checkpoint's once restored). */
  get shufflePartitions(): number {
    return this.partitions;
  }

  /** The settings a checkpoint pins (as QueryExecution.pinnedConf). */
  get pinnedConf(): Readonly<Record<string, string>> {
    return { [SHUFFLE_PARTITIONS]: String(this.partitions), [MULTIPLE_WATERMARK_POLICY]: this.watermark.policy };
  }

  /** Restores a checkpoint's pinned settings (as QueryExecution.restorePinnedConf). */
  restorePinnedConf(conf: Readonly<Record<string, string>> | undefined): void {
    if (conf === undefined) return;
    if (conf[SHUFFLE_PARTITIONS] !== undefined) this.partitions = shufflePartitionsOf(conf);
    const policy = conf[MULTIPLE_WATERMARK_POLICY];
    this.watermark.policy = policy === undefined ? 'min' : parsePolicy(policy);
  }

  /** The exchange side a source's rows feed (null without an exchange). */
  sideOf(sourceIndex: number): number | null {
    if (this.exchange === null) return null;
    const side = this.sideOfSource.get(sourceIndex);
    if (side === undefined) throw new IllegalStateError(`source ${sourceIndex} feeds no side of the exchange`);
    return side;
  }

  /**
   * The map stage on some rows of one source (a whole batch, or one source partition's part of
   * it): with an exchange, its side's stateless plan and each row's partitions; without one, the
   * whole plan (the other sources' inputs empty).
   */
  runMap(sourceIndex: number, rows: readonly Row[], batch: StageBatch): MapOutput {
    checkBatch(this.checks, batch.watermarkMs);
    const inputs: Array<readonly Row[]> = Array.from({ length: Math.max(this.sourceCount, sourceIndex + 1) }, () => []);
    inputs[sourceIndex] = rows;
    const eventTime = { observed: {}, eventTimeStats: {} };
    const ctx = this.context(batch, eventTime, noState, { droppedByWatermark: 0, evicted: 0, updated: 0, custom: {} });
    const side = this.sideOf(sourceIndex);
    if (side === null) return { rows: this.root.execute(inputs, ctx), partitions: null, ...eventTime };
    const out = (this.sideOperators[side] as PhysicalOperator).execute(inputs, ctx);
    const stateful = this.stateful;
    const route = this.exchange?.splittable === true && stateful?.shufflePartitionsOf !== undefined
      ? (row: Row): number[] => [...(stateful.shufflePartitionsOf?.(side, row, ctx) ?? [])]
      : (): number[] => [0];
    return { rows: out, partitions: out.map(route), ...eventTime };
  }

  /**
   * The reduce stage of one shuffle task: `sideInputs[side]` the rows routed to it (per side in
   * source order, then map order), `owns` its partitions (null: all of them, K = 1), `stores`
   * its own state stores. State changes stay pending in the stores until the runtime commits.
   */
  runReduce(sideInputs: ReadonlyArray<readonly Row[]>, owns: ((partition: number) => boolean) | null, stores: StateStoreProvider, batch: StageBatch): ReduceOutput {
    if (this.exchange === null) throw new IllegalStateError('a query without an exchange has no reduce stage');
    checkBatch(this.checks, batch.watermarkMs);
    const eventTime = { observed: {}, eventTimeStats: {} };
    const metrics: StateMetrics = { droppedByWatermark: 0, evicted: 0, updated: 0, custom: {} };
    const ctx = this.context(batch, eventTime, stores, metrics, owns);
    return { rows: this.root.execute(sideInputs, ctx), metrics, ...eventTime };
  }

  private context(
    batch: StageBatch, eventTime: StageEventTime, stores: StateStoreProvider, metrics: StateMetrics, owns?: ((p: number) => boolean) | null,
  ): OperatorContext {
    return {
      batchId: batch.batchId,
      batchTimestampMs: batch.batchTimestampMs,
      outputMode: this.plan.outputMode,
      stores,
      watermarkMs: batch.watermarkMs,
      lateEventsWatermarkMs: batch.lateEventsWatermarkMs,
      eventTime: {
        observe: (id, candidate) => {
          const current = eventTime.observed[id];
          if (current === undefined || candidate > current) eventTime.observed[id] = candidate;
        },
        register: (id, stats) => {
          eventTime.eventTimeStats[id] = stats;
        },
      },
      metrics,
      shufflePartitions: this.partitions,
      ...(owns === null || owns === undefined ? {} : { ownsPartition: owns }),
    };
  }
}

/** The map stage keeps no state: a stateful operator there is a bug in the cut. */
const noState: StateStoreProvider = (operatorId) => {
  throw new IllegalStateError(`operator ${operatorId} asked for state in the map stage`);
};
