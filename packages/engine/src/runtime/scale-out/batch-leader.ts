import { CommitLog } from '../../checkpoint/commit-log.js';
import { OffsetLog, type OffsetLogEntry, type SourceOffsets } from '../../checkpoint/offset-log.js';
import { CaseInsensitiveOptions } from '../../core/options.js';
import type { StreamingQueryProgress } from '../../core/streaming-query-progress.js';
import type { KafkaAdmin, KafkaProducer } from '../../kafka/kafka-port.js';
import type { BatchLag, PartitionLag } from '../../observability/live-query.js';
import { metrics } from '../../observability/metrics.js';
import { rateLimit } from '../../sources/kafka-rate-limit.js';
import { startingOffsetRangeLimit } from '../../sources/kafka-offset-range-limit.js';
import { resolveStartingOffsets } from '../../sources/kafka-starting-offsets.js';
import { queryRegistryKey } from '../../state/keys.js';
import { buildProgress } from '../processor/progress-builder.js';
import { encodePartedBatchEnd } from '../result-records.js';
import { batchFigures, type BatchFigures } from './batch-parts.js';
import { SHUFFLE_TASKS } from '../../core/streaming-conf.js';
import { lagAfterBatch, lagLabel } from './source-partition-lag.js';
import { shuffleTasksOf, type TaskContext } from './task-context.js';

/** How long an idle leader waits before asking the broker for new offsets again. */
const IDLE_PLAN_MS = 50;

/** A batch planned and not yet committed, with when its trigger started. */
interface Pending {
  readonly batchId: number;
  readonly entry: OffsetLogEntry;
  readonly triggerStart: number;
}


/**
 * The driver of a scaled-out query (Spark's MicroBatchExecution on the driver), run by the
 * replica holding the lease: it plans batch N (end offsets of every source partition, written to
 * the offset log with the start offsets and watermarks every task uses), waits until every task
 * has committed its part of N, then writes the batch's end for the sink and commit-log entry N,
 * and only then plans N+1 — so a batch id covers the same offsets on every replica. It keeps no
 * state of its own: a new leader recovers everything from the offset log, the commit log and
 * the tasks' commits.
 */
export class BatchLeader {
  private readonly offsetLog: OffsetLog;
  private readonly commitLog: CommitLog;
  private pending: Pending | null = null;
  private nextBatchId = 0;
  private committed: SourceOffsets[] = [];
  private recovered = false;
  /** No planning before this time (the last look found nothing new). */
  private quietUntil = 0;
  /** The shuffle task count the checkpoint pinned (null for a new checkpoint). */
  private pinnedTasks: number | null = null;
  private lastTriggerStart: number | null = null;
  private progress: StreamingQueryProgress | null = null;
  private readonly history: StreamingQueryProgress[] = [];
  /** The consumer lag measured as each of `history` was made. */
  private readonly lagHistory: BatchLag[] = [];

  constructor(
    private readonly ctx: TaskContext,
    private readonly admin: () => KafkaAdmin,
    private readonly producer: () => KafkaProducer,
    /** The number of shuffle tasks a new checkpoint is given. */
    private readonly defaultShuffleTasks: number,
  ) {
    this.offsetLog = new OffsetLog(ctx.redis, ctx.plan.checkpointLocation);
    this.commitLog = new CommitLog(ctx.redis, ctx.plan.checkpointLocation);
  }

  get lastProgress(): StreamingQueryProgress | null {
    return this.progress;
  }

  get recentProgress(): readonly StreamingQueryProgress[] {
    return [...this.history];
  }

  /** The lag of every source partition after each of `recentProgress`, oldest first. */
  get recentConsumerLag(): readonly BatchLag[] {
    return [...this.lagHistory];
  }

  /** Forget what this replica knew as leader (another replica led meanwhile). */
  resign(): void {
    this.recovered = false;
    this.pending = null;
    // The lag gauge is the leader's: a replica that stopped leading stops reporting it.
    const query = this.ctx.queryId;
    for (const p of this.lagHistory[this.lagHistory.length - 1]?.partitions ?? []) metrics().consumerLag.remove({ query, source: String(p.source), partition: lagLabel(this.ctx.sourceSets, p) });
  }

  /** One step: finish the pending batch if all its tasks committed, or plan the next; true if a batch was committed. */
  async step(): Promise<boolean> {
    if (!this.recovered) await this.recover();
    if (this.pending !== null) {
      const figures = await batchFigures(this.ctx, this.admin(), this.pending.batchId, this.pending.entry);
      if (figures === null) return false;
      await this.finish(this.pending, figures);
      return true;
    }
    await this.planNext();
    return false;
  }

  /** Where the last leader stopped: the watermark, the committed offsets and any pending batch. */
  private async recover(): Promise<void> {
    const latest = await this.offsetLog.getLatest();
    const commit = await this.commitLog.getLatest();
    const staged = this.ctx.staged;
    this.pending = null;
    this.pinnedTasks = latest === null ? null : shuffleTasksOf(latest.entry);
    if (latest === null) {
      this.nextBatchId = 0;
      this.committed = await this.startingOffsets();
    } else {
      staged.restorePinnedConf(latest.entry.conf);
      staged.watermark.restore(commit?.entry.nextBatchWatermarkMs ?? 0);
      if (commit?.batchId === latest.batchId) {
        this.nextBatchId = latest.batchId + 1;
        this.committed = [...latest.entry.offsets];
      } else {
        this.nextBatchId = latest.batchId;
        this.committed = [...(latest.entry.start ?? latest.entry.offsets)];
        this.pending = { batchId: latest.batchId, entry: latest.entry, triggerStart: this.ctx.clock.now() };
      }
    }
    this.recovered = true;
    this.ctx.log.info('leading the query', { nextBatch: this.nextBatchId, pending: this.pending?.batchId ?? null });
  }

  /** Kafka sources of a new query start where startingOffsets says (latest by default). */
  private async startingOffsets(): Promise<SourceOffsets[]> {
    const out: SourceOffsets[] = [];
    for (const [i, source] of this.ctx.sources.entries()) {
      const set = this.ctx.sourceSets[i];
      const chosen: Record<string, number> = {};
      if (set !== undefined && source.format === 'kafka') {
        const limit = startingOffsetRangeLimit(new CaseInsensitiveOptions(source.options));
        for (const p of await resolveStartingOffsets(limit, set.topics, (t, n) => set.accepts(t, n), this.admin())) chosen[set.key(p.topic, p.partition)] = p.offset;
      } else if (set !== undefined) {
        for (const [key] of Object.entries(await set.endOffsets(this.admin()))) chosen[key] = 0;
      }
      out.push(chosen);
    }
    return out;
  }

  private async planNext(): Promise<void> {
    const { ctx } = this;
    const triggerStart = ctx.clock.now();
    // With nothing new last time, ask the broker again only after a pause (it answers every replica).
    if (triggerStart < this.quietUntil) return;
    const interval = ctx.plan.trigger.kind === 'processingTime' ? ctx.plan.trigger.intervalMs : 0;
    if (interval > 0 && this.lastTriggerStart !== null && triggerStart < this.lastTriggerStart + interval) return;
    const latest: SourceOffsets[] = [];
    for (const [i, source] of ctx.sources.entries()) {
      const set = ctx.sourceSets[i];
      const ends = set === undefined ? {} : await set.endOffsets(this.admin());
      const from = this.committed[i] ?? {};
      // A partition that appeared since the start is read from its beginning.
      const start: Record<string, number> = { ...from };
      for (const key of Object.keys(ends)) start[key] ??= 0;
      this.committed[i] = start;
      const o = new CaseInsensitiveOptions(source.options);
      // The source's maxOffsetsPerTrigger, else the processor's own cap (as the single processor's batch-cap.ts).
      const cap = o.has('maxOffsetsPerTrigger') ? o.getInt('maxOffsetsPerTrigger', 1, 1) : ctx.batchLimits.maxBatchRecords;
      latest.push(cap > 0 ? rateLimit(cap, start, ends) : ends);
    }
    const hasNewData = latest.some((end, i) => Object.entries(end).some(([p, offset]) => offset > (this.committed[i]?.[p] ?? 0)));
    const watermark = ctx.staged.watermark;
    if (!hasNewData && this.nextBatchId > 0 && !watermark.needsNoDataBatch()) {
      this.quietUntil = triggerStart + IDLE_PLAN_MS;
      return;
    }
    const batchWatermarkMs = watermark.watermarkMs;
    const entry: OffsetLogEntry = {
      batchWatermarkMs,
      batchTimestampMs: triggerStart,
      offsets: latest,
      start: this.committed,
      lateEventsWatermarkMs: watermark.lateEventsWatermarkMs(batchWatermarkMs),
      conf: { ...ctx.staged.pinnedConf, [SHUFFLE_TASKS]: String(this.shuffleTasks()) },
    };
    if (!(await this.offsetLog.add(this.nextBatchId, entry))) {
      // Another replica led meanwhile and wrote this batch: learn again what it did.
      this.ctx.log.info('offset log entry already written by another leader', { batchId: this.nextBatchId });
      this.recovered = false;
      return;
    }
    this.pending = { batchId: this.nextBatchId, entry, triggerStart };
  }

  /** Shuffle tasks: pinned by the checkpoint's first batch; 1 when the plan's keys cannot be split. */
  private shuffleTasks(): number {
    const staged = this.ctx.staged;
    if (staged.exchange === null || !staged.exchange.splittable) return 1;
    return this.pinnedTasks ?? this.defaultShuffleTasks;
  }

  /** Batch N is done everywhere: its end for the sink, the watermark, commit-log entry N, progress. */
  private async finish(pending: Pending, figures: BatchFigures): Promise<void> {
    const { ctx } = this;
    const { batchId, entry } = pending;
    const staged = ctx.staged;
    if (ctx.plan.sink.format !== 'kafka') {
      const schema = staged.output.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable }));
      const parts = staged.exchange === null
        ? entry.offsets.flatMap((o, i) => Object.keys(o).sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).map((key) => `a:${i}:${key}`))
        : Array.from({ length: shuffleTasksOf(entry) }, (_, k) => `b:${k}`);
      await this.producer().send(ctx.topics.results, [encodePartedBatchEnd(ctx.queryId, batchId, ctx.plan.outputMode, schema, parts, figures.outputRows)]);
    }
    for (const observed of figures.observed) for (const [id, v] of Object.entries(observed)) staged.watermark.observe(id, v);
    staged.watermark.endBatch(entry.batchWatermarkMs);
    if (!(await this.commitLog.add(batchId, { nextBatchWatermarkMs: staged.watermark.watermarkMs }))) {
      // Another replica led meanwhile and committed this batch: learn again what it did.
      this.ctx.log.info('commit log entry already written by another leader', { batchId });
      this.recovered = false;
      return;
    }
    this.committed = [...entry.offsets];
    this.pending = null;
    this.nextBatchId = batchId + 1;
    const retain = 100;
    if (batchId - retain + 1 > 0) {
      await this.offsetLog.purge(batchId - retain + 1);
      await this.commitLog.purge(batchId - retain + 1);
    }
    this.report(pending, figures, await this.lagAfter(entry));
  }

  /** Best effort: the batch is committed either way, and the next one measures again. */
  private async lagAfter(entry: OffsetLogEntry): Promise<PartitionLag[]> {
    try {
      return await lagAfterBatch(this.ctx.sourceSets, this.admin(), entry.offsets);
    } catch (err) {
      this.ctx.log.debug('cannot measure the consumer lag', { err });
      return [];
    }
  }

  private report(pending: Pending, figures: BatchFigures, lag: readonly PartitionLag[]): void {
    const { ctx } = this;
    const now = ctx.clock.now();
    const { entry } = pending;
    this.progress = buildProgress({
      plan: ctx.plan, queryId: ctx.queryId, runId: ctx.runId, batchId: pending.batchId,
      triggerStart: pending.triggerStart, triggerEnd: now, previousTriggerStart: this.lastTriggerStart,
      sources: ctx.sources, sourceTopics: ctx.sourceSets.map((s) => s.topics),
      inputRows: figures.inputRows, start: entry.start ?? [], end: entry.offsets,
      outputRows: figures.outputRows, durations: { triggerExecution: now - pending.triggerStart },
      watermarkMs: ctx.staged.watermark.hasWatermark ? entry.batchWatermarkMs : null,
      state: figures.metrics === null ? null : { metrics: figures.metrics, rows: figures.stateRows, bytes: 0, commitMs: 0 },
    });
    this.lastTriggerStart = pending.triggerStart;
    this.history.push(this.progress);
    this.lagHistory.push({ batchId: this.progress.batchId, timestamp: this.progress.timestamp, partitions: lag });
    if (this.history.length > 100) this.history.shift();
    if (this.lagHistory.length > 100) this.lagHistory.shift();
    // For an autoscaler: the leader's view of every partition's lag (sluice_consumer_lag_records).
    for (const p of lag) metrics().consumerLag.set({ query: ctx.queryId, source: String(p.source), partition: lagLabel(ctx.sourceSets, p) }, p.records);
    void this.publish();
  }

  /**
   * The query's registration with the last progress (what `sluice status` lists): after every
   * batch, and from the replica's lease loop as a heartbeat while the query idles.
   */
  async publish(): Promise<void> {
    const { ctx } = this;
    const record = {
      id: ctx.queryId, runId: ctx.runId, name: ctx.plan.name, status: 'ACTIVE', checkpointLocation: ctx.plan.checkpointLocation,
      updatedAt: new Date(ctx.clock.now()).toISOString(), lastProgress: this.progress,
    };
    await ctx.redis.hset(queryRegistryKey(), ctx.queryId, JSON.stringify(record)).catch((err: unknown) => ctx.log.debug('cannot publish progress', { err }));
  }
}
