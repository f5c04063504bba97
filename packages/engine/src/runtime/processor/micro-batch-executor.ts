/**
 * The processor's micro-batch loop for one query, following Spark's MicroBatchExecution.
 *
 * The protocol, in this order, each step a named method:
 *   (a) fetch latest offsets                      – latestOffsets()
 *   (b) append offset-log entry N (the WAL)       – writeOffsetLog()
 *   (c) run the plan                              – runPlanOnBatch()
 *   (d) the sink writes batch N idempotently      – writeResults() (one Kafka transaction)
 *   (e) commit state version N                    – commitBatch(): (e) and (f) are one
 *   (f) append commit-log entry N                   atomic Lua step in Redis
 *   (g) purge old entries                         – purgeLogs()
 * Recovery (populateStartOffsets) compares the latest offset-log and commit-log entries: a
 * batch in the offset log but not in the commit log is re-run with the same offsets, and the
 * results topic's consumers drop the batch id they already wrote. The same recovery runs in
 * the process when a batch fails on an unreachable Kafka or Redis (reconnect(), OutageGuard):
 * clients and memory are rebuilt and the uncommitted batch re-run, up to processor.outageTimeoutMs.
 *
 * Batch ids are dense from 0 and only advance when a batch runs. Source offsets are per
 * source-topic partition; an offset-log entry holds the exclusive end offsets of the batch.
 * As in Spark, batch 0 runs as soon as any source has an offset, even with no record yet
 * (see sourceHasOffset and sourceLatest in batch-sources.ts for what each source offers).
 *
 * The loop delegates each role to its own file: what sources offer (batch-sources.ts), their
 * records as rows (batch-decoder.ts), the output transaction (batch-output.ts), and progress,
 * metrics and registration (progress-reporter.ts).
 */
import type { RedisClient } from '../../state/redis-connection.js';
import type { Row } from '../../core/types.js';
import type { StreamingQueryProgress } from '../../core/streaming-query-progress.js';
import type { StreamingQueryStatus } from '../../core/streaming-query.js';
import { CommitLog } from '../../checkpoint/commit-log.js';
import { OffsetLog, type OffsetLogEntry, type SourceOffsets } from '../../checkpoint/offset-log.js';
import { maybeCrash } from '../crash-point.js';
import { CheckpointError } from '../../errors/checkpoint-error.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../internal/logger.js';
import type { KafkaAdmin, KafkaConsumer, KafkaPort } from '../../kafka/kafka-port.js';
import { QueryExecution } from '../../execution/query-execution.js';
import type { BatchLag } from '../../observability/live-query.js';
import type { StateMetrics } from '../../operators/operator.js';
import { BatchCommitter } from '../../state/batch-committer.js';
import { checkpointKeys } from '../../state/keys.js';
import { RedisStateStore } from '../../state/redis-state-store.js';
import type { QueryPlan } from '../../plan/query-plan.js';
import { queryTopics, type QueryTopics } from '../query-topics.js';
import { BACK_PRESSURE_FETCH_WAIT_MS, kafkaConsumerGroup, kafkaConsumerOptions } from '../../sources/kafka-source-options.js';
import { BatchDecoder } from './batch-decoder.js';
import { BatchOutput, checkSameCluster } from './batch-output.js';
import { BatchSources, type PlannedBatch } from './batch-sources.js';
import { processingTimeTiming } from './processing-time.js';
import { ProgressReporter } from './progress-reporter.js';
import { SourceBuffer } from './source-buffer.js';
import { DEFAULT_BATCH_LIMITS, DEFAULT_OUTAGE_LIMITS, type BatchLimits, type OutageLimits } from '../../config/processor-config.js';
import { FetchThrottle } from './fetch-throttle.js';
import { OutageGuard } from '../outage-guard.js';

export interface MicroBatchExecutorOptions {
  readonly plan: QueryPlan;
  readonly queryId: string;
  readonly runId: string;
  readonly kafka: KafkaPort;
  /** The stack's Kafka bootstrap servers (what `kafka` connects to). */
  readonly brokers: string;
  readonly redis: RedisClient;
  readonly clock: Clock;
  readonly log: Logger;
  /** Offset-log and commit-log entries kept (Spark's minBatchesToRetain). */
  readonly minBatchesToRetain?: number;
  readonly onProgress?: (progress: StreamingQueryProgress) => void;
  /** How long an outage of Kafka or Redis is ridden out, and the backoff (defaults when absent). */
  readonly outageLimits?: OutageLimits;
  /** The cap on a batch whose source sets no read limit (defaults when absent). */
  readonly batchLimits?: BatchLimits;
}

/**
 * An idle default-trigger loop sleeps until records arrive (Spark polls every 10 ms); this is
 * the longest it waits before looking again anyway.
 */
const IDLE_RECHECK_MS = 1000;

/**
 * How often an idle loop looks again when what it waits for comes through Redis rather than
 * as records: a socket's first offset (its connection), a file source's completed listing.
 */
const OFFER_RECHECK_MS = 100;

/**
 * Fetch sizes when batches are capped: back-pressure pauses a partition only after a fetch has
 * arrived, so a fetch is what a partition can hold beyond its share. Kafka's defaults (1 MiB a
 * partition, 50 MiB a fetch) bring tens of thousands of small records at once.
 */
const BOUNDED_FETCH = { maxBytesPerPartition: 256 * 1024, maxBytes: 1024 * 1024, maxWaitMs: BACK_PRESSURE_FETCH_WAIT_MS } as const;

export class MicroBatchExecutor {
  private readonly topics: QueryTopics;
  private readonly offsetLog: OffsetLog;
  private readonly commitLog: CommitLog;
  private readonly sources: BatchSources;
  private readonly decoder: BatchDecoder;
  private readonly output: BatchOutput;
  private readonly reporter: ProgressReporter;
  private readonly buffers: SourceBuffer[] = [];
  private readonly stopSignal = new AbortController();
  private readonly log: Logger;
  /** Rebuilt from the checkpoint after an outage, as by a restart (newExecution). */
  private execution: QueryExecution;
  private readonly committer: BatchCommitter;
  private stateStores: RedisStateStore[] = [];
  private readonly outage: OutageGuard;
  private admin: KafkaAdmin | null = null;
  private consumer: KafkaConsumer | null = null;
  /** Pauses source partitions that hold enough beyond the planned batch; one per consumer. */
  private throttle: FetchThrottle | null = null;
  /** The consumer's group, and whether this query named it (then it removes it at stop). */
  private consumerGroup: { readonly groupId: string; readonly owned: boolean } = { groupId: '', owned: false };
  private loop: Promise<void> | null = null;

  /** End offsets of the last committed batch, per source. */
  private committed: SourceOffsets[] = [];
  /** Batch constructed but not committed: re-run after recovery. */
  private pending: PlannedBatch | null = null;
  private nextBatchId = 0;
  /** The batch id this run started at (after recovery). */
  private firstBatchOfRun = 0;
  private lastStateMetrics: StateMetrics | null = null;
  private walCommitMs = 0;
  private triggerActive = false;

  constructor(private readonly options: MicroBatchExecutorOptions) {
    const { plan, queryId, runId, kafka, redis, clock } = options;
    this.topics = queryTopics(queryId);
    this.offsetLog = new OffsetLog(redis, plan.checkpointLocation);
    this.commitLog = new CommitLog(redis, plan.checkpointLocation);
    this.sources = new BatchSources(plan, redis, options.batchLimits ?? DEFAULT_BATCH_LIMITS);
    for (const s of this.sources.nodes) if (s.format === 'kafka') checkSameCluster(s.options, options.brokers);
    if (plan.sink.format === 'kafka') checkSameCluster(plan.sink.options, options.brokers);
    this.log = options.log.child({ role: 'processor', queryId });
    this.decoder = new BatchDecoder({
      sources: this.sources.nodes, limits: this.sources.limits, queryId, log: this.log, kafkaColumns: () => this.execution.kafkaColumns,
    });
    this.output = new BatchOutput({ plan, queryId, runId, topics: this.topics, kafka, clock, log: this.log });
    this.reporter = new ProgressReporter({
      plan, queryId, runId, redis, clock, log: this.log, sources: this.sources,
      lag: () => this.sources.partitionLag(this.buffers, this.committed),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
    this.committer = new BatchCommitter(redis, plan.checkpointLocation);
    this.execution = this.newExecution();
    this.outage = new OutageGuard({
      limits: options.outageLimits ?? DEFAULT_OUTAGE_LIMITS, clock, log: this.log, queryId, role: 'processor',
    });
  }

  /** The plan's operators with empty state stores (loadState fills them from Redis). */
  private newExecution(): QueryExecution {
    const { plan, redis } = this.options;
    const keys = checkpointKeys(plan.checkpointLocation);
    this.stateStores = [];
    return new QueryExecution(plan, (operatorId) => {
      const store = new RedisStateStore(redis, keys.state(operatorId, 0));
      this.stateStores.push(store);
      return store;
    });
  }

  /** Why the processor is not making progress now (waiting for Kafka or Redis), or null. */
  problem(): string | null {
    return this.outage.problem();
  }

  /** Rows held in state, over all stateful operators. */
  get stateRows(): number {
    return this.execution.stateRows;
  }

  get lastProgress(): StreamingQueryProgress | null {
    return this.reporter.last;
  }

  /** The last (up to 100) progress records, oldest first. */
  get recentProgress(): readonly StreamingQueryProgress[] {
    return this.reporter.recent;
  }

  /** The consumer lag of every source partition after each of `recentProgress`, oldest first. */
  get recentConsumerLag(): readonly BatchLag[] {
    return this.reporter.recentLag;
  }

  /** Id of the last batch committed, or -1. */
  get lastCommittedBatchId(): number {
    return this.nextBatchId - 1;
  }

  /** Id of the last batch this run committed, or -1 when it has committed none. */
  get lastBatchOfRun(): number {
    return this.nextBatchId > this.firstBatchOfRun ? this.nextBatchId - 1 : -1;
  }

  /** Recovers from the checkpoint, starts the consumer and runs the loop in the background. */
  async start(): Promise<void> {
    await this.connect();
    this.firstBatchOfRun = this.nextBatchId;
    this.loop = this.runActivatedStream();
    // A re-run batch can fail before anyone awaits termination (the roles still starting):
    // reported through awaitTermination, never as an unhandled rejection that kills the process.
    this.loop.catch(() => undefined);
  }

  /**
   * Opens the Kafka clients, recovers from the checkpoint (populateStartOffsets) and starts the
   * consumer at the end of the last committed batch: at start, and again after an outage.
   */
  private async connect(): Promise<void> {
    const { kafka } = this.options;
    this.admin = await kafka.admin();
    const admin = this.admin;
    await this.sources.resolveTopics(this.topics, admin);
    await this.populateStartOffsets();
    await this.output.prepare(admin, this.nextBatchId > 0 || this.pending !== null);
    await this.sources.applyStartingOffsets(this.admin, this.committed);
    await this.loadState();
    const positions = await this.sources.startPositions(this.admin, this.committed);

    await this.output.open();
    this.reporter.open(kafka);
    await this.reporter.publish('ACTIVE');
    this.consumerGroup = kafkaConsumerGroup(this.sources.nodes, this.topics.processorGroup(this.options.runId), this.options.runId);
    const bounds = this.sources.fetchBounds();
    const bounded = bounds.some((b) => b.records > 0 || b.bytes > 0);
    this.consumer = await kafka.consumer({
      groupId: this.consumerGroup.groupId, ...kafkaConsumerOptions(this.sources.nodes), ...(bounded ? BOUNDED_FETCH : {}),
      // Fetched and decoded on another thread while batches run, when its fetches are small.
      offThread: bounded,
    });
    this.buffers.length = 0;
    this.sources.sets.forEach((_, i) => this.buffers.push(new SourceBuffer(this.committed[i] ?? {})));
    const throttle = new FetchThrottle({
      consumer: this.consumer, sets: this.sources.sets, buffers: this.buffers, bounds,
      plannedEnd: () => this.pending?.entry.offsets ?? this.committed, log: this.log,
    });
    this.throttle = throttle;
    const topics = [...new Set(this.sources.sets.flatMap((s) => s.topics))];
    await this.consumer.start(topics, async (batch) => {
      this.log.debug('fetched source records', { topic: batch.topic, partition: batch.partition, records: batch.records.length });
      for (const [i, set] of this.sources.sets.entries()) {
        if (set.accepts(batch.topic, batch.partition)) await this.buffers[i]?.add(batch, set.key(batch.topic, batch.partition));
      }
      throttle.arrived(batch.topic, batch.partition);
    }, positions);
  }

  /**
   * After a batch failed on an unreachable Kafka or Redis: drops the clients and what this run
   * holds in memory (fetched records, uncommitted state), then connects again and recovers from
   * the checkpoint as a restart would. The uncommitted batch is re-run with the offsets of its
   * offset-log entry; its output, if it was committed, is dropped by batch id.
   */
  private async reconnect(): Promise<void> {
    await this.closeClients();
    this.pending = null;
    this.execution = this.newExecution();
    await this.connect();
  }

  /** Closes the Kafka clients; a client of a broker that is down may fail to close cleanly. */
  private async closeClients(): Promise<void> {
    const quietly = async (close: (() => Promise<void>) | undefined): Promise<void> => {
      await close?.().catch((err: unknown) => this.log.debug('cannot close a Kafka client cleanly', { err }));
    };
    await quietly(this.consumer?.close);
    await quietly(() => this.output.close());
    await quietly(() => this.reporter.close());
    await quietly(this.admin?.close);
    this.consumer = null;
    this.admin = null;
  }

  /** Resolves when the loop ends by itself (once / availableNow) or after stop(). */
  async awaitTermination(): Promise<void> {
    await this.loop;
  }

  /** Lets the batch in flight finish, then ends the loop and closes every connection. */
  async stop(): Promise<void> {
    this.stopSignal.abort();
    try {
      // A failed loop has reported its error through awaitTermination already.
      await this.loop?.catch(() => undefined);
    } finally {
      await this.reporter.publish('TERMINATED');
      await this.reporter.close();
      await this.consumer?.close();
      if (this.consumerGroup.owned) await this.admin?.deleteGroups([this.consumerGroup.groupId]).catch(() => undefined);
      await this.output.close();
      await this.admin?.close();
      this.consumer = null;
      this.admin = null;
    }
  }

  private async runActivatedStream(): Promise<void> {
    const { plan, clock } = this.options;
    const trigger = plan.trigger;
    const signal = this.stopSignal.signal;
    const snapshot = trigger.kind === 'processingTime' ? null : await this.sources.snapshotLatestOffsets(this.admin, this.committed);
    while (!signal.aborted) {
      const triggerStart = clock.now();
      // A trigger that fails on an unreachable Kafka or Redis is run again, after a reconnect.
      const ran = (await this.outage.run(() => this.runTrigger(clock.now(), snapshot), signal, () => this.reconnect())) ?? false;
      if (!ran) this.reporter.maybeReportIdle(triggerStart);
      this.reporter.heartbeat();
      if (snapshot !== null) {
        // once: a single batch; availableNow: until the snapshot taken at start is processed.
        if (trigger.kind === 'once' || !ran || this.reached(snapshot)) break;
        continue;
      }
      if (trigger.kind === 'processingTime' && trigger.intervalMs > 0) {
        const interval = trigger.intervalMs;
        const timing = processingTimeTiming(triggerStart, clock.now(), interval);
        if (timing.behindMs !== null) {
          this.log.warn(`Current batch is falling behind. The trigger interval is ${interval} milliseconds, but spent ${timing.behindMs} milliseconds`);
        }
        if (timing.sleepMs > 0) await clock.sleep(timing.sleepMs, signal);
      } else if (!ran) {
        const viaRedis = this.nextBatchId === 0 || this.sources.readsFiles;
        await this.waitForAnyData(viaRedis ? OFFER_RECHECK_MS : IDLE_RECHECK_MS);
      }
    }
  }

  /** Waits for records on any source, at most `timeoutMs`; returns early on stop. */
  private async waitForAnyData(timeoutMs: number): Promise<void> {
    const failure = this.consumer?.failure?.() ?? null;
    if (failure !== null) throw failure;
    const signal = this.stopSignal.signal;
    const sleep = (ms: number, s: AbortSignal): Promise<void> => this.options.clock.sleep(ms, s);
    const done = new AbortController();
    const onStop = (): void => done.abort();
    signal.addEventListener('abort', onStop, { once: true });
    try {
      await Promise.race(this.buffers.map((b) => b.waitForData(done.signal, sleep, timeoutMs)));
    } finally {
      done.abort();
      signal.removeEventListener('abort', onStop);
    }
  }

  private reached(snapshot: readonly SourceOffsets[]): boolean {
    return snapshot.every((end, i) =>
      Object.entries(end).every(([p, offset]) => (this.committed[i]?.[p] ?? 0) >= offset));
  }

  /** Spark's StreamingQueryStatus of this loop. */
  get status(): StreamingQueryStatus {
    if (this.triggerActive) return { message: 'Processing new data', isDataAvailable: true, isTriggerActive: true };
    if (this.loop === null) return { message: 'Initializing StreamExecution', isDataAvailable: false, isTriggerActive: false };
    return { message: 'Waiting for data to arrive', isDataAvailable: false, isTriggerActive: false };
  }

  /** One trigger: construct the next batch (or take the pending one) and run it. */
  private async runTrigger(triggerStart: number, snapshot: readonly SourceOffsets[] | null): Promise<boolean> {
    const t0 = this.options.clock.now();
    const planned = this.pending ?? (await this.constructNextBatch(triggerStart, snapshot));
    if (planned === null) return false;
    this.triggerActive = true;
    try {
      await this.runPlannedTrigger(planned, triggerStart, t0);
    } finally {
      this.triggerActive = false;
    }
    return true;
  }

  private async runPlannedTrigger(planned: PlannedBatch, triggerStart: number, t0: number): Promise<void> {
    const durations: Record<string, number> = { latestOffset: this.options.clock.now() - t0 - this.walCommitMs, walCommit: this.walCommitMs };
    this.walCommitMs = 0;
    await this.runBatch(planned, triggerStart, durations);
  }


  /** Loads every stateful operator's committed state from Redis (state of the last commit). */
  private async loadState(): Promise<void> {
    for (const id of this.execution.operator.statefulIds) this.execution.store(id);
    for (const store of this.stateStores) await store.load();
  }

  /** Recovery: where the last run stopped, and which batch (if any) must be re-run. */
  private async populateStartOffsets(): Promise<void> {
    const latestOffsets = await this.offsetLog.getLatest();
    const latestCommit = await this.commitLog.getLatest();
    if (latestOffsets === null) {
      this.committed = this.sources.nodes.map(() => ({}));
      this.nextBatchId = 0;
      return;
    }
    const n = latestOffsets.batchId;
    const committedId = latestCommit?.batchId ?? -1;
    this.execution.restoreWatermark(latestCommit?.entry.nextBatchWatermarkMs ?? 0);
    this.execution.restorePinnedConf(latestOffsets.entry.conf);
    if (committedId === n) {
      this.committed = [...latestOffsets.entry.offsets];
      this.nextBatchId = n + 1;
      this.log.info('resuming from checkpoint', { lastCommittedBatch: n });
      return;
    }
    if (committedId !== n - 1) {
      throw new CheckpointError(
        `checkpoint ${this.options.plan.checkpointLocation}: offset log is at batch ${n} but commit log at ${committedId}`,
        { batchId: n },
      );
    }
    const previous = n > 0 ? await this.offsetLog.get(n - 1) : null;
    this.committed = previous === null ? this.sources.nodes.map(() => ({})) : [...previous.offsets];
    this.pending = { batchId: n, start: this.committed, entry: latestOffsets.entry };
    this.nextBatchId = n;
    this.log.info('re-running the uncommitted batch from the checkpoint', { batchId: n });
  }

  /** (a) The latest offsets every source can offer now (or the run's snapshot, if bounded). */
  private latestOffsets(snapshot: readonly SourceOffsets[] | null): Promise<SourceOffsets[]> {
    const state = { admin: this.admin, buffers: this.buffers, committed: this.committed, firstBatch: this.nextBatchId === 0 };
    return this.sources.latestOffsets(state, snapshot);
  }

  private async constructNextBatch(triggerStart: number, snapshot: readonly SourceOffsets[] | null): Promise<PlannedBatch | null> {
    if (snapshot !== null) await this.waitForSnapshot(snapshot);
    const latest = await this.latestOffsets(snapshot);
    const hasNewData = latest.some((end, i) =>
      Object.entries(end).some(([p, offset]) => offset > (this.committed[i]?.[p] ?? 0)));
    // Batch 0 also runs, maybe empty, once a source has its first offset.
    const firstOffset = this.nextBatchId === 0 && !hasNewData && (await this.sources.anySourceHasOffset());
    if (!hasNewData && !firstOffset && !this.execution.needsNoDataBatch()) return null;
    const entry: OffsetLogEntry = { batchWatermarkMs: this.execution.watermarkMs, batchTimestampMs: triggerStart, offsets: latest, conf: this.execution.pinnedConf };
    const planned: PlannedBatch = { batchId: this.nextBatchId, start: this.committed, entry };
    await this.writeOffsetLog(planned);
    maybeCrash('offset-log', planned.batchId);
    this.log.debug('batch planned', { batchId: planned.batchId, start: planned.start, end: latest });
    this.pending = planned;
    // The planned end moved past what was held: those partitions fetch again.
    this.throttle?.recheck();
    return planned;
  }

  private async waitForSnapshot(snapshot: readonly SourceOffsets[]): Promise<void> {
    const signal = this.stopSignal.signal;
    while (!signal.aborted && !snapshot.every((end, i) => this.holdsSnapshot(i, end))) {
      await this.waitForAnyData(100);
    }
  }

  /** Whether source `i` has fetched the snapshot's end, or as much of it as a batch takes. */
  private holdsSnapshot(i: number, end: SourceOffsets): boolean {
    const buffer = this.buffers[i];
    if (buffer === undefined) return true;
    return Object.entries(end).every(([p, offset]) => buffer.hasReached({ [p]: offset }) || this.throttle?.full(i, p) === true);
  }

  /** (b) The write-ahead log entry, before the batch runs. */
  private async writeOffsetLog(batch: PlannedBatch): Promise<void> {
    const t = this.options.clock.now();
    const added = await this.offsetLog.add(batch.batchId, batch.entry);
    this.walCommitMs = this.options.clock.now() - t;
    if (!added) {
      throw new CheckpointError(
        `offset log entry for batch ${batch.batchId} already exists: another run of this query is writing to ${this.options.plan.checkpointLocation}`,
        { batchId: batch.batchId },
      );
    }
  }

  private async runBatch(batch: PlannedBatch, triggerStart: number, durations: Record<string, number>): Promise<void> {
    const { clock } = this.options;
    const signal = this.stopSignal.signal;
    let t = clock.now();
    while (!this.buffers.every((b, i) => b.hasReached(batch.entry.offsets[i] ?? {}))) {
      if (signal.aborted) return;
      await this.waitForAnyData(100);
    }
    const inputs = this.decoder.read(batch, this.buffers);
    durations['getBatch'] = clock.now() - t;

    t = clock.now();
    let rows: Row[];
    try {
      rows = this.runPlanOnBatch(batch, inputs);
      await this.writeResults(batch.batchId, rows);
      maybeCrash('results', batch.batchId);
    } catch (err) {
      this.execution.abortState();
      throw err;
    }
    durations['addBatch'] = clock.now() - t;

    t = clock.now();
    await this.commitBatch(batch.batchId);
    maybeCrash('commit', batch.batchId);
    durations['commitOffsets'] = clock.now() - t;
    this.committed = [...batch.entry.offsets];
    this.pending = null;
    this.nextBatchId = batch.batchId + 1;
    await this.purgeLogs(batch.batchId);
    this.reporter.report({
      batch, inputs, outputRows: rows.length, triggerStart, durations,
      execution: this.execution, stateMetrics: this.lastStateMetrics, buffers: this.buffers,
    });
    this.log.debug('batch committed', { batchId: batch.batchId, inputRows: this.reporter.last?.numInputRows, outputRows: rows.length });
  }

  /** (c) */
  private runPlanOnBatch(batch: PlannedBatch, inputs: ReadonlyArray<readonly Row[]>): Row[] {
    const { entry } = batch;
    const { rows, metrics } = this.execution.runBatch(batch.batchId, entry.batchTimestampMs, entry.batchWatermarkMs, inputs);
    this.lastStateMetrics = metrics;
    return rows;
  }

  /** (e) + (f): the state changes and the commit-log entry, in one atomic Redis step. */
  private async commitBatch(batchId: number): Promise<void> {
    const entry = this.commitLog.encode({ nextBatchWatermarkMs: this.execution.watermarkMs });
    const committed = await this.committer.commit(batchId, entry, this.stateStores);
    if (!committed) {
      throw new CheckpointError(
        `batch ${batchId} is already in the commit log of ${this.options.plan.checkpointLocation}: another run of this query is active`,
        { batchId },
      );
    }
  }

  /** (d) Batch N's rows and its end marker, in one transaction on the results topic. */
  private writeResults(batchId: number, rows: readonly Row[]): Promise<void> {
    return this.output.write(batchId, this.execution.operator.output, rows);
  }

  /** (g) */
  private async purgeLogs(batchId: number): Promise<void> {
    const retain = this.options.minBatchesToRetain ?? 100;
    const threshold = batchId - retain + 1;
    if (threshold > 0) {
      await this.offsetLog.purge(threshold);
      await this.commitLog.purge(threshold);
    }
  }
}
