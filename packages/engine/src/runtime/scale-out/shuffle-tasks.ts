import type { OffsetLogEntry } from '../../checkpoint/offset-log.js';
import { shufflePartitionsOf } from '../../core/streaming-conf.js';
import type { Row } from '../../core/types.js';
import { ownedRange, StagedQuery } from '../../execution/staged-query.js';
import type { ConsumedBatch, KafkaConsumer, KafkaProducer, TopicPartition, TopicPartitionOffset } from '../../kafka/kafka-port.js';
import type { StateMetrics } from '../../operators/operator.js';
import { BatchCommitter } from '../../state/batch-committer.js';
import { checkpointKeys } from '../../state/keys.js';
import { RedisStateStore } from '../../state/redis-state-store.js';
import { settleAll } from './source-tasks.js';
import { lastMarkedBatches, markerRecord } from './task-markers.js';
import { compareTaskIds, decodeShuffleRecord, taskIdText, type SourceTaskEnd, type SourceTaskId } from './shuffle-records.js';
import { isFenced, sendOutput, shuffleTasksOf, type TaskBatch, type TaskContext } from './task-context.js';

/** A shuffle task's commit record in Redis, written atomically with its state. */
export interface ShuffleTaskCommit {
  readonly batchId: number;
  /** The shuffle-topic offset after the batch's records: where the next batch is read from. */
  readonly position: number;
  readonly inputRows: number;
  readonly outputRows: number;
  /** Watermark observations of the batch: the source tasks' and the reduce stage's. */
  readonly observed: Readonly<Record<string, number>>;
  readonly metrics: StateMetrics;
  readonly stateRows: number;
}

/** What a shuffle task has received of one batch, per source task. */
interface Received {
  readonly from: Map<string, { id: SourceTaskId; sides: Map<number, Row[]>; end: SourceTaskEnd | null }>;
  /** Offset after the batch's last record in the task's partition. */
  position: number;
}

interface OwnedShuffleTask {
  readonly task: number;
  readonly producer: KafkaProducer;
  /** Last batch whose output committed (the group's position metadata) and whose state is stored. */
  outputDone: number;
  stateDone: number;
  readonly stores: Map<string, RedisStateStore>;
  /** The task's own compiled plan (operators keep per-instance caches of their state's order). */
  readonly staged: StagedQuery;
  readonly batches: Map<number, Received>;
  /** Records below it were taken by a committed batch (re-deliveries are skipped). */
  next: number;
}

/**
 * The shuffle tasks this replica owns: one per partition of the query's shuffle topic (the
 * consumer-group protocol hands them out), each owning a contiguous range of Spark's shuffle
 * partitions and the state of the keys in it. Batch N runs once every source task's end of N
 * has arrived; its output and the group position go in one transaction, then its state and its
 * read position in one atomic Redis step. After a crash between the two, the new owner runs N
 * again from the stored position to rebuild the state, without writing the output twice.
 */
export class ShuffleTasks {
  private consumer: KafkaConsumer | null = null;
  private readonly owned = new Map<number, OwnedShuffleTask>();
  private turn: Promise<unknown> = Promise.resolve();
  private readonly committer: BatchCommitter;

  constructor(private readonly ctx: TaskContext) {
    this.committer = new BatchCommitter(ctx.redis, ctx.plan.checkpointLocation);
  }

  async start(): Promise<void> {
    this.consumer = await this.ctx.kafka.consumer({ groupId: this.ctx.topics.shuffleTaskGroup });
    await this.consumer.join([this.ctx.topics.shuffle], (batch) => this.received(batch), (owned) => this.serially(() => this.assigned(owned)));
  }

  ownedTasks(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }

  /** Rows held in the state of the owned tasks. */
  get stateRows(): number {
    let n = 0;
    for (const t of this.owned.values()) for (const s of t.stores.values()) n += s.size;
    return n;
  }

  private serially<T>(step: () => Promise<T>): Promise<T> {
    const next = this.turn.then(step, step);
    this.turn = next.catch(() => undefined);
    return next;
  }

  private async received(batch: ConsumedBatch): Promise<void> {
    const task = this.owned.get(batch.partition);
    if (task === undefined) return;
    for (const record of batch.records) {
      if (record.offset < task.next) continue;
      const decoded = decodeShuffleRecord(record);
      task.next = record.offset + 1;
      if (decoded.batchId <= task.stateDone) continue;
      let got = task.batches.get(decoded.batchId);
      if (got === undefined) {
        got = { from: new Map(), position: 0 };
        task.batches.set(decoded.batchId, got);
      }
      got.position = record.offset + 1;
      const key = taskIdText(decoded.from);
      let from = got.from.get(key);
      if (from === undefined) {
        from = { id: decoded.from, sides: new Map(), end: null };
        got.from.set(key, from);
      }
      if (decoded.kind === 'end') from.end = decoded.end;
      else {
        const rows = from.sides.get(decoded.side);
        if (rows === undefined) from.sides.set(decoded.side, decoded.rows);
        else rows.push(...decoded.rows);
      }
    }
  }

  private async assigned(list: readonly TopicPartition[]): Promise<TopicPartitionOffset[]> {
    const wanted = new Set(list.map((tp) => tp.partition));
    for (const [k, task] of this.owned) {
      if (wanted.has(k)) continue;
      this.owned.delete(k);
      await task.producer.close().catch(() => undefined);
    }
    const positions: TopicPartitionOffset[] = [];
    const keys = checkpointKeys(this.ctx.plan.checkpointLocation);
    const admin = await this.ctx.kafka.admin();
    try {
      for (const tp of list) {
        const existing = this.owned.get(tp.partition);
        if (existing !== undefined) {
          positions.push({ ...tp, offset: existing.next });
          continue;
        }
        const k = tp.partition;
        const producer = await this.ctx.kafka.producer({ transactionalId: this.ctx.topics.shuffleTaskTransactionalId(k) });
        const fence = await producer.transaction();
        await fence.abort();
        // Read back after the fence: the marker of the last batch whose output committed.
        const outputDone = (await lastMarkedBatches(this.ctx.kafka, this.ctx.topics.shuffleTaskMarkers, [k], this.ctx.clock)).get(k) ?? -1;
        const { stateDone, stores } = await this.loadState(k);
        const record = stateDone < 0 ? null : await this.ctx.redis.hget(keys.taskCommits(k), String(stateDone));
        const position = record === null ? 0 : (JSON.parse(record) as ShuffleTaskCommit).position;
        const staged = new StagedQuery(this.ctx.plan);
        staged.restorePinnedConf(this.ctx.staged.pinnedConf);
        this.owned.set(k, { task: k, producer, outputDone, stateDone, stores, staged, batches: new Map(), next: position });
        positions.push({ ...tp, offset: position });
        this.ctx.log.info('shuffle task taken', { task: k, stateBatch: stateDone, outputBatch: outputDone, position });
      }
    } finally {
      await admin.close();
    }
    return positions;
  }

  /**
   * A task's state and the batch it is the state of, read in one MULTI: the previous owner's Lua
   * commit may land while the new owner loads (its Kafka transaction completed before the fence,
   * its Redis step did not), and a version read apart from the state could then be older than it.
   */
  private async loadState(k: number): Promise<{ stateDone: number; stores: Map<string, RedisStateStore> }> {
    const keys = checkpointKeys(this.ctx.plan.checkpointLocation);
    const ids = this.ctx.staged.statefulIds;
    const multi = this.ctx.redis.multi().get(keys.taskStateVersion(k));
    for (const id of ids) multi.hgetall(keys.state(id, k));
    const replies = (await multi.exec()) ?? [];
    const failed = replies.find(([err]) => err !== null);
    if (failed !== undefined) throw failed[0] as Error;
    const version = replies[0]?.[1] as string | null | undefined;
    const stores = new Map<string, RedisStateStore>();
    ids.forEach((id, i) => {
      const store = new RedisStateStore(this.ctx.redis, keys.state(id, k));
      store.fill((replies[i + 1]?.[1] ?? {}) as Record<string, string>);
      stores.set(id, store);
    });
    return { stateDone: version === null || version === undefined ? -1 : Number(version), stores };
  }

  /** Runs every owned task that holds all of batch N; true if any ran. */
  run(batchId: number, entry: OffsetLogEntry, batch: TaskBatch): Promise<boolean> {
    return this.serially(async () => {
      const expected = expectedSourceTasks(entry);
      const runs: Array<Promise<void>> = [];
      for (const [k, task] of this.owned) {
        if (task.stateDone >= batchId) continue;
        const got = task.batches.get(batchId);
        if (expected.length > 0 && (got === undefined || !expected.every((id) => got.from.get(id)?.end != null))) continue;
        runs.push(this.runTask(task, batchId, entry, batch, got).catch(async (err: unknown) => {
          if (!isFenced(err)) throw err;
          this.ctx.log.info('shuffle task fenced by its new owner', { task: k });
          this.owned.delete(k);
          await task.producer.close().catch(() => undefined);
        }));
      }
      await settleAll(runs);
      return runs.length > 0;
    });
  }

  private async runTask(task: OwnedShuffleTask, batchId: number, entry: OffsetLogEntry, batch: TaskBatch, got: Received | undefined): Promise<void> {
    const { ctx } = this;
    const sides = ctx.staged.exchange?.sides ?? 1;
    const senders = [...(got?.from.values() ?? [])].sort((a, b) => compareTaskIds(a.id, b.id));
    const inputs: Row[][] = Array.from({ length: sides }, (_, side) => senders.flatMap((s) => s.sides.get(side) ?? []));
    const [from, to] = ownedRange(task.task, shuffleTasksOf(entry), shufflePartitionsOf(entry.conf ?? ctx.plan.conf));
    const reduced = task.staged.runReduce(inputs, (p) => p >= from && p < to, (id) => {
      const store = task.stores.get(id);
      if (store === undefined) throw new TypeError(`no state store for operator ${id}`);
      return store;
    }, batch);
    const position = Math.max(got?.position ?? task.next, task.next);
    try {
      if (task.outputDone < batchId) {
        const txn = await task.producer.transaction();
        try {
          await sendOutput(ctx, txn, batchId, `b:${task.task}`, reduced.rows);
          await txn.send(ctx.topics.shuffleTaskMarkers, [markerRecord(task.task, batchId)]);
          await txn.sendOffsets(ctx.topics.shuffleTaskGroup, [{ topic: ctx.topics.shuffle, partition: task.task, offset: position, metadata: JSON.stringify({ batchId }) }]);
          await txn.commit();
        } catch (err) {
          await txn.abort().catch(() => undefined);
          throw err;
        }
        task.outputDone = batchId;
      }
      const observed: Record<string, number> = { ...reduced.observed };
      let inputRows = 0;
      for (const s of senders) {
        inputRows += s.end?.inputRows ?? 0;
        for (const [id, v] of Object.entries(s.end?.observed ?? {})) observed[id] = Math.max(observed[id] ?? v, v);
      }
      const stores = [...task.stores.values()];
      const commit: ShuffleTaskCommit = {
        batchId, position, inputRows, outputRows: reduced.rows.length, observed, metrics: reduced.metrics,
        stateRows: stores.reduce((n, s) => n + s.size, 0),
      };
      await this.committer.commitTask(task.task, batchId, JSON.stringify(commit), stores);
    } catch (err) {
      for (const s of task.stores.values()) s.abort();
      throw err;
    }
    task.stateDone = batchId;
    ctx.log.debug('shuffle task ran', { task: task.task, batchId, position, outputDone: task.outputDone, senders: senders.length, rows: inputs.map((r) => r.length) });
    task.batches.delete(batchId);
    task.next = Math.max(task.next, position);
  }

  async stop(): Promise<void> {
    await this.consumer?.close().catch(() => undefined);
    this.consumer = null;
    for (const task of this.owned.values()) await task.producer.close().catch(() => undefined);
    this.owned.clear();
  }
}

/** The source tasks of a batch: every partition of every source in its offsets. */
export function expectedSourceTasks(entry: OffsetLogEntry): string[] {
  return entry.offsets.flatMap((offsets, source) => Object.keys(offsets).map((partitionKey) => taskIdText({ source, partitionKey })));
}
