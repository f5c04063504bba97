import type { OffsetLogEntry } from '../../checkpoint/offset-log.js';
import type { Row } from '../../core/types.js';
import type { ConsumedBatch, ConsumedRecord, KafkaAdmin, KafkaConsumer, KafkaProducer, TopicPartition, TopicPartitionOffset } from '../../kafka/kafka-port.js';
import { ensureMarkerTopic, lastMarkedBatches, markerRecord } from './task-markers.js';
import { BACK_PRESSURE_FETCH_WAIT_MS, kafkaConsumerOptions } from '../../sources/kafka-source-options.js';
import { sourceRows } from '../processor/batch-decoder.js';
import { IllegalStateError } from '../../errors/illegal-state-error.js';
import { shuffleEndRecord, shuffleRowRecords, taskIdText, type SourceTaskId } from './shuffle-records.js';
import { isFenced, sendOutput, shuffleTasksOf, type TaskBatch, type TaskContext } from './task-context.js';
import { taskOfPartition } from '../../execution/staged-query.js';
import { shufflePartitionsOf } from '../../core/streaming-conf.js';

/** Waits for every run, then rethrows the first failure (none is left running behind the caller). */
export async function settleAll(runs: ReadonlyArray<Promise<void>>): Promise<void> {
  const results = await Promise.allSettled(runs);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

/** What a source task's commit (its consumer-group offset's metadata) says about its last batch. */
export interface SourceTaskCommit {
  readonly batchId: number;
  readonly inputRows: number;
  /** Rows it wrote to the output (a query without a shuffle), else 0. */
  readonly outputRows: number;
  readonly observed: Readonly<Record<string, number>>;
}

export function parseSourceTaskCommit(metadata: string | null): SourceTaskCommit | null {
  if (metadata === null || metadata === '') return null;
  try {
    const c = JSON.parse(metadata) as Partial<SourceTaskCommit>;
    return typeof c.batchId === 'number' ? { batchId: c.batchId, inputRows: c.inputRows ?? 0, outputRows: c.outputRows ?? 0, observed: c.observed ?? {} } : null;
  } catch {
    return null;
  }
}

/** One owned source partition: its transactional producer, last batch done and fetched records. */
interface OwnedSourceTask {
  readonly id: SourceTaskId;
  readonly topic: string;
  readonly partition: number;
  readonly producer: KafkaProducer;
  done: number;
  records: ConsumedRecord[];
  /** Offset after the last record received (-1: nothing received and no position known). */
  next: number;
  /** Fetching stopped: the task holds a batch's worth of records. */
  paused: boolean;
}

/**
 * The source tasks this replica owns: one per partition of the query's source topics, handed
 * out by Kafka's consumer-group protocol among the replicas. A task's run of batch N reads its
 * partition's range of the batch, runs the plan's map stage, and in ONE transaction writes its
 * rows (to the shuffle topic, or the output when the query has no shuffle) and commits the
 * group's position with the batch id as metadata: a task is done with N exactly when that
 * transaction committed, so a new owner after a crash or a rebalance knows where to go on.
 */
export class SourceTasks {
  private consumer: KafkaConsumer | null = null;
  private readonly owned = new Map<string, OwnedSourceTask>();
  /** Assignment changes and task runs take turns. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly ctx: TaskContext, private readonly latestEntry: () => Promise<{ batchId: number; entry: OffsetLogEntry } | null>) {}

  async start(): Promise<void> {
    const topics = [...new Set(this.ctx.sourceSets.flatMap((s) => s.topics))];
    this.consumer = await this.ctx.kafka.consumer({
      groupId: this.ctx.topics.sourceTaskGroup, ...kafkaConsumerOptions(this.ctx.sources), maxWaitMs: BACK_PRESSURE_FETCH_WAIT_MS,
    });
    await this.consumer.join(topics, (batch) => this.received(batch), (owned) => this.serially(() => this.assigned(owned)));
  }

  /** The tasks this replica owns now, as `source|partition`. */
  ownedTasks(): string[] {
    return [...this.owned.values()].map((t) => `${t.id.source}|${t.id.partitionKey}`).sort();
  }

  private serially<T>(step: () => Promise<T>): Promise<T> {
    const next = this.turn.then(step, step);
    this.turn = next.catch(() => undefined);
    return next;
  }

  private async received(batch: ConsumedBatch): Promise<void> {
    const task = this.owned.get(`${batch.topic}:${batch.partition}`);
    if (task === undefined) return;
    for (const r of batch.records) {
      if (task.next >= 0 && r.offset < task.next) continue;
      task.records.push(r);
      task.next = r.offset + 1;
    }
    if (batch.nextOffset > task.next) task.next = batch.nextOffset;
    // Back-pressure: a task holding a whole batch's worth stops fetching until a batch takes it.
    const cap = this.ctx.batchLimits.maxBatchRecords;
    if (cap > 0 && !task.paused && task.records.length >= cap) {
      task.paused = true;
      this.consumer?.pause(task.topic, [task.partition]);
    }
  }

  /** After a rebalance: fence and take over the new partitions, drop the ones given away. */
  private async assigned(list: readonly TopicPartition[]): Promise<TopicPartitionOffset[]> {
    const wanted = new Set(list.map((tp) => `${tp.topic}:${tp.partition}`));
    for (const [key, task] of this.owned) {
      if (wanted.has(key)) continue;
      this.owned.delete(key);
      await task.producer.close().catch(() => undefined);
    }
    const positions: TopicPartitionOffset[] = [];
    const admin = await this.ctx.kafka.admin();
    try {
      const latest = await this.latestEntry();
      const fresh: Array<{ tp: TopicPartition; id: SourceTaskId; producer: KafkaProducer }> = [];
      for (const tp of list) {
        const key = `${tp.topic}:${tp.partition}`;
        const existing = this.owned.get(key);
        if (existing !== undefined) {
          if (existing.next >= 0) positions.push({ ...tp, offset: existing.next });
          continue;
        }
        const source = this.ctx.sourceSets.findIndex((s) => s.accepts(tp.topic, tp.partition));
        if (source < 0) continue;
        const id: SourceTaskId = { source, partitionKey: this.ctx.sourceSets[source]?.key(tp.topic, tp.partition) ?? String(tp.partition) };
        const producer = await this.ctx.kafka.producer({ transactionalId: this.ctx.topics.sourceTaskTransactionalId(id.source, id.partitionKey) });
        // Opening the transactional id fences a previous owner (its open transaction is aborted
        // or completed) before what it finished is read back.
        const fence = await producer.transaction();
        await fence.abort();
        fresh.push({ tp, id, producer });
      }
      const done = await this.markedDone(admin, fresh.map((f) => ({ source: f.id.source, topic: f.tp.topic, partition: f.tp.partition })));
      for (const { tp, id, producer } of fresh) {
        const committed = (await admin.committedOffsets(this.ctx.topics.sourceTaskGroup, tp.topic)).find((c) => c.partition === tp.partition);
        // The group's position may trail the marker (applied asynchronously): records below a
        // batch's start are skipped when it runs.
        const start = committed !== undefined && committed.offset >= 0
          ? committed.offset
          : (latest?.entry.start?.[id.source]?.[id.partitionKey] ?? -1);
        const task: OwnedSourceTask = {
          id, topic: tp.topic, partition: tp.partition, producer, done: done.get(`${id.source}|${tp.topic}:${tp.partition}`) ?? -1,
          records: [], next: start, paused: false,
        };
        this.owned.set(`${tp.topic}:${tp.partition}`, task);
        // A partition paused by an earlier owner here (before a rebalance) fetches again.
        this.consumer?.resume(tp.topic, [tp.partition]);
        if (start >= 0) positions.push({ ...tp, offset: start });
        this.ctx.log.info('source task taken', { task: `${id.source}|${id.partitionKey}`, doneBatch: task.done, position: start });
      }
    } finally {
      await admin.close();
    }
    return positions;
  }

  /** The last batch each newly owned partition's task finished, by `source|topic:partition`. */
  private async markedDone(admin: KafkaAdmin, tasks: ReadonlyArray<{ source: number; topic: string; partition: number }>): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const groups = new Map<string, { source: number; topic: string; partitions: number[] }>();
    for (const t of tasks) {
      const key = `${t.source}|${t.topic}`;
      const g = groups.get(key) ?? { source: t.source, topic: t.topic, partitions: [] };
      g.partitions.push(t.partition);
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      const markers = this.ctx.topics.sourceTaskMarkers(g.source, g.topic);
      await ensureMarkerTopic(admin, markers, (await admin.endOffsets(g.topic)).length);
      const marked = await lastMarkedBatches(this.ctx.kafka, markers, g.partitions, this.ctx.clock);
      for (const [partition, batchId] of marked) out.set(`${g.source}|${g.topic}:${partition}`, batchId);
    }
    return out;
  }

  /** Runs every owned task that has not done batch N and holds its records; true if any ran. */
  run(batchId: number, entry: OffsetLogEntry, batch: TaskBatch): Promise<boolean> {
    return this.serially(async () => {
      // The ready tasks' transactions overlap: each task has its own producer.
      const runs: Array<Promise<void>> = [];
      for (const [key, task] of this.owned) {
        if (task.done >= batchId) continue;
        const start = entry.start?.[task.id.source]?.[task.id.partitionKey] ?? 0;
        const end = entry.offsets[task.id.source]?.[task.id.partitionKey] ?? start;
        if (end > start && (task.next < end)) continue;
        runs.push(this.runTask(task, batchId, entry, batch, start, end).catch(async (err: unknown) => {
          if (!isFenced(err)) throw err;
          this.ctx.log.info('source task fenced by its new owner', { task: key });
          this.owned.delete(key);
          await task.producer.close().catch(() => undefined);
        }));
      }
      await settleAll(runs);
      return runs.length > 0;
    });
  }

  private async runTask(task: OwnedSourceTask, batchId: number, entry: OffsetLogEntry, batch: TaskBatch, start: number, end: number): Promise<void> {
    const { ctx } = this;
    const source = ctx.sources[task.id.source];
    const records = task.records.filter((r) => r.offset >= start && r.offset < end);

    if (source === undefined) throw new IllegalStateError(`source task ${taskIdText(task.id)} reads no source of the query`);
    const rows = sourceRows(source, records, ctx.staged.kafkaColumns.get(task.id.source), ctx.queryId, ctx.log);
    const mapped = ctx.staged.runMap(task.id.source, rows, batch);
    const txn = await task.producer.transaction();
    let outputRows = 0;
    try {
      if (ctx.staged.exchange === null) {
        outputRows = mapped.rows.length;
        await sendOutput(ctx, txn, batchId, `a:${task.id.source}:${task.id.partitionKey}`, mapped.rows);
      } else {
        await this.sendShuffled(txn, task.id, batchId, entry, mapped.rows, mapped.partitions ?? [], rows.length, mapped.observed);
      }
      await txn.send(ctx.topics.sourceTaskMarkers(task.id.source, task.topic), [markerRecord(task.partition, batchId)]);
      const metadata = JSON.stringify({ batchId, inputRows: rows.length, outputRows, observed: mapped.observed } satisfies SourceTaskCommit);
      await txn.sendOffsets(ctx.topics.sourceTaskGroup, [{ topic: task.topic, partition: task.partition, offset: end, metadata }]);
      await txn.commit();
    } catch (err) {
      await txn.abort().catch(() => undefined);
      throw err;
    }
    task.done = batchId;
    ctx.log.debug('source task ran', { task: taskIdText(task.id), batchId, start, end, rows: rows.length, first: records[0]?.offset ?? null, last: records.at(-1)?.offset ?? null });
    task.records = task.records.filter((r) => r.offset >= end);
    if (task.paused && task.records.length < this.ctx.batchLimits.maxBatchRecords) {
      task.paused = false;
      this.consumer?.resume(task.topic, [task.partition]);
    }
  }

  /** Each row to the shuffle tasks owning its keys' partitions, then the end to every shuffle task. */
  private async sendShuffled(
    txn: { send: (topic: string, records: ReturnType<typeof shuffleRowRecords>) => Promise<void> },
    id: SourceTaskId, batchId: number, entry: OffsetLogEntry, rows: readonly Row[], partitions: ReadonlyArray<readonly number[]>,
    inputRows: number, observed: Readonly<Record<string, number>>,
  ): Promise<void> {
    const tasks = shuffleTasksOf(entry);
    const sparkPartitions = shufflePartitionsOf(entry.conf ?? this.ctx.plan.conf);
    const side = this.ctx.staged.sideOf(id.source) ?? 0;
    const byTask: Row[][] = Array.from({ length: tasks }, () => []);
    rows.forEach((row, i) => {
      const targets = new Set((partitions[i] ?? [0]).map((p) => taskOfPartition(p, tasks, sparkPartitions)));
      for (const t of targets) byTask[t]?.push(row);
    });
    const out = byTask.flatMap((taskRows, k) => [
      ...shuffleRowRecords(batchId, id, side, k, taskRows),
      shuffleEndRecord(batchId, id, k, { inputRows, observed }),
    ]);
    await txn.send(this.ctx.topics.shuffle, out);
  }

  async stop(): Promise<void> {
    await this.consumer?.close().catch(() => undefined);
    this.consumer = null;
    for (const task of this.owned.values()) await task.producer.close().catch(() => undefined);
    this.owned.clear();
  }
}
