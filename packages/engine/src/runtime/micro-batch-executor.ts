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
 * (see sourceHasOffset and sourceLatest for what each source offers).
 */
import { availableParallelism } from 'node:os';
import type { RedisClient } from '../state/redis-connection.js';
import type { Row } from '../core/types.js';
import type { StreamingQueryProgress } from '../core/streaming-query-progress.js';
import type { StreamingQueryStatus } from '../core/streaming-query.js';
import { CommitLog } from '../checkpoint/commit-log.js';
import { OffsetLog, type OffsetLogEntry, type SourceOffsets } from '../checkpoint/offset-log.js';
import { maybeCrash } from './crash-point.js';
import { CheckpointError } from '../errors/checkpoint-error.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../internal/logger.js';
import type { KafkaAdmin, KafkaConsumer, KafkaPort, KafkaProducer, TopicPartitionOffset } from '../kafka/kafka-port.js';
import { QueryExecution } from '../execution/query-execution.js';
import type { BatchLag, PartitionLag } from '../observability/live-query.js';
import { metrics } from '../observability/metrics.js';
import type { StateMetrics } from '../operators/operator.js';
import { streamingSources } from '../plan/logical-plan.js';
import { BatchCommitter } from '../state/batch-committer.js';
import { checkpointKeys, PROGRESS_TOPIC, queryRegistryKey } from '../state/keys.js';
import { RedisStateStore } from '../state/redis-state-store.js';
import type { QueryPlan } from '../plan/query-plan.js';
import { queryTopics, type QueryTopics } from './query-topics.js';
import { SourceError } from '../errors/source-error.js';
import type { OutgoingRecord } from '../kafka/kafka-port.js';
import type { StreamingSourceNode } from '../plan/logical-plan.js';
import { kafkaSinkRecords, lastCommittedSinkBatch } from '../sinks/kafka-sink.js';
import { hasHeaders, kafkaRecordRow } from '../sources/kafka-records.js';
import { rateLimit } from '../sources/kafka-rate-limit.js';
import { kafkaConsumerGroup, kafkaConsumerOptions } from '../sources/kafka-source-options.js';
import { latestKafkaOffsets } from '../sources/kafka-latest-offsets.js';
import { startingOffsetRangeLimit } from '../sources/kafka-offset-range-limit.js';
import { resolveStartingOffsets } from '../sources/kafka-starting-offsets.js';
import { CaseInsensitiveOptions } from '../core/options.js';
import { maxFilesPerTrigger } from '../sources/file-stream-options.js';
import { HEADER_FILE } from './file-drop-ingest.js';
import { buildProgress } from './progress-builder.js';
import { processingTimeTiming } from './processing-time.js';
import { resolveSourceTopics, type SourceTopicSet } from './source-topics.js';
import { encodeBatch } from './result-records.js';
import { SourceBuffer } from './source-buffer.js';
import { readOffered } from './source-offered.js';
import { decodeSourceRow } from './source-records.js';
import { DEFAULT_OUTAGE_LIMITS, type OutageLimits } from '../config/processor-config.js';
import { OutageGuard, transientService } from './outage-guard.js';

export interface MicroBatchExecutorOptions {
  readonly plan: QueryPlan;
  readonly queryId: string;
  readonly runId: string;
  readonly kafka: KafkaPort;
  readonly brokers: string;
  readonly redis: RedisClient;
  readonly clock: Clock;
  readonly log: Logger;
  /** Offset-log and commit-log entries kept (Spark's minBatchesToRetain). */
  readonly minBatchesToRetain?: number;
  readonly onProgress?: (progress: StreamingQueryProgress) => void;
  /** How long an outage of Kafka or Redis is ridden out, and the backoff (defaults when absent). */
  readonly outageLimits?: OutageLimits;
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

/** The file formats of Spark's file source (DataStreamReader.json/csv/text). */
const FILE_FORMATS: readonly string[] = ['json', 'csv', 'text'];

/** How often a running query refreshes its registration even without batches. */
const REGISTRY_HEARTBEAT_MS = 10_000;

/** Spark's spark.sql.streaming.noDataProgressEventInterval. */
const NO_DATA_PROGRESS_INTERVAL_MS = 10_000;

interface PlannedBatch {
  readonly batchId: number;
  readonly start: readonly SourceOffsets[];
  readonly entry: OffsetLogEntry;
}

/**
 * Spark's socket source deals a batch's lines round-robin over `numPartitions` partitions and
 * the result lists partition 0's rows, then partition 1's… (lines a..e over 2 partitions print
 * a, c, e, b, d). The default is Spark's local default parallelism: the number of cores.
 */
export function dealRoundRobin<T>(rows: readonly T[], partitions: number): T[] {
  if (partitions <= 1 || rows.length <= partitions) return [...rows];
  const out: T[] = [];
  for (let p = 0; p < partitions; p++) for (let i = p; i < rows.length; i += partitions) out.push(rows[i] as T);
  return out;
}

/**
 * Kafka sources and sinks are read and written through the stack's own cluster (one client,
 * one transaction for output and checkpoint marker); another cluster is refused clearly.
 */
function checkSameCluster(options: Readonly<Record<string, string>>, brokers: string): void {
  const wanted = new CaseInsensitiveOptions(options).get('kafka.bootstrap.servers');
  if (wanted === undefined) return;
  const norm = (list: string): string[] => list.split(',').map((b) => b.trim().replace(/^localhost:/, '127.0.0.1:')).filter(Boolean).sort();
  const stack = norm(brokers);
  if (!norm(wanted).some((b) => stack.includes(b))) {
    throw new SourceError(`kafka.bootstrap.servers '${wanted}' is not the cluster this stack runs on (${brokers}): Sluice reads and writes Kafka topics of its own cluster`);
  }
}

/** What a source's options say about batches, read once per query. */
interface SourceLimits {
  readonly maxFiles: number | null;
  readonly maxOffsets: number | null;
  /** Spark's socket numPartitions (default: the cores, as local[*]). */
  readonly socketPartitions: number;
}

function sourceLimits(source: StreamingSourceNode): SourceLimits {
  const o = new CaseInsensitiveOptions(source.options);
  const n = o.getInt('numPartitions', availableParallelism(), 1);
  return {
    maxFiles: maxFilesPerTrigger(o),
    maxOffsets: o.has('maxOffsetsPerTrigger') ? o.getInt('maxOffsetsPerTrigger', 1, 1) : null,
    socketPartitions: n,
  };
}

export class MicroBatchExecutor {
  private readonly topics: QueryTopics;
  private readonly offsetLog: OffsetLog;
  private readonly commitLog: CommitLog;
  /** The topics each source reads, resolved at start. */
  private sourceSets: SourceTopicSet[] = [];
  private readonly sources: StreamingSourceNode[];
  private readonly limits: SourceLimits[];
  /** Kafka sink: the last batch id whose output transaction committed (-1 for none). */
  private lastSinkBatch = -1;
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
  /** The consumer's group, and whether this query named it (then it removes it at stop). */
  private consumerGroup: { readonly groupId: string; readonly owned: boolean } = { groupId: '', owned: false };
  private producer: KafkaProducer | null = null;
  private progressProducer: KafkaProducer | null = null;
  /** The progress publication under way (publishProgress never rejects). */
  private publishing: Promise<void> = Promise.resolve();
  private loop: Promise<void> | null = null;

  /** What each source offered when the last batch was planned, before read limits. */
  private latestAvailable: SourceOffsets[] = [];
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
  private lastPublishedAt = 0;
  private lastTriggerStart: number | null = null;
  private progress: StreamingQueryProgress | null = null;
  private readonly history: StreamingQueryProgress[] = [];
  /** The consumer lag after each record of `history`, in step with it. */
  private readonly lagHistory: BatchLag[] = [];

  constructor(private readonly options: MicroBatchExecutorOptions) {
    this.topics = queryTopics(options.queryId);
    this.offsetLog = new OffsetLog(options.redis, options.plan.checkpointLocation);
    this.commitLog = new CommitLog(options.redis, options.plan.checkpointLocation);
    this.sources = streamingSources(options.plan.root);
    this.limits = this.sources.map(sourceLimits);
    for (const s of this.sources) if (s.format === 'kafka') checkSameCluster(s.options, options.brokers);
    if (options.plan.sink.format === 'kafka') checkSameCluster(options.plan.sink.options, options.brokers);
    this.log = options.log.child({ role: 'processor', queryId: options.queryId });
    this.committer = new BatchCommitter(options.redis, options.plan.checkpointLocation);
    this.execution = this.newExecution();
    this.outage = new OutageGuard({
      limits: options.outageLimits ?? DEFAULT_OUTAGE_LIMITS, clock: options.clock, log: this.log, queryId: options.queryId, role: 'processor',
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
    return this.progress;
  }

  /** The last (up to 100) progress records, oldest first. */
  get recentProgress(): readonly StreamingQueryProgress[] {
    return [...this.history];
  }

  /** The consumer lag of every source partition after each of `recentProgress`, oldest first. */
  get recentConsumerLag(): readonly BatchLag[] {
    return [...this.lagHistory];
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
    this.sourceSets = [];
    for (const s of this.sources) this.sourceSets.push(await resolveSourceTopics(s, this.topics.source(s.index), admin));
    if (this.options.plan.sink.format === 'kafka' && this.options.plan.sink.options['topic'] !== undefined) {
      await this.admin.ensureTopic(this.options.plan.sink.options['topic'], 1);
    }
    await this.admin.ensureTopic(this.topics.results, 1);
    await this.populateStartOffsets();
    await this.applyStartingOffsets();
    await this.loadState();
    if (this.options.plan.sink.format === 'kafka') {
      this.lastSinkBatch = await lastCommittedSinkBatch(kafka, this.topics.sinkCommits, `${this.topics.processorGroup(this.options.runId)}.marker`, this.options.clock);
    }
    const positions = await this.startPositions();

    this.producer = await kafka.producer({ transactionalId: this.topics.processorTransactionalId });
    await admin.ensureTopic(PROGRESS_TOPIC, 1);
    this.progressProducer = await kafka.producer();
    await this.publishProgress('ACTIVE');
    this.consumerGroup = kafkaConsumerGroup(this.sources, this.topics.processorGroup(this.options.runId), this.options.runId);
    this.consumer = await kafka.consumer({ groupId: this.consumerGroup.groupId, ...kafkaConsumerOptions(this.sources) });
    this.buffers.length = 0;
    this.sourceSets.forEach((_, i) => this.buffers.push(new SourceBuffer(this.committed[i] ?? {})));
    const topics = [...new Set(this.sourceSets.flatMap((s) => s.topics))];
    await this.consumer.start(topics, async (batch) => {
      this.log.debug('fetched source records', { topic: batch.topic, partition: batch.partition, records: batch.records.length });
      for (const [i, set] of this.sourceSets.entries()) {
        if (set.accepts(batch.topic, batch.partition)) await this.buffers[i]?.add(batch, set.key(batch.topic, batch.partition));
      }
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
    await quietly(this.producer?.close);
    await quietly(this.progressProducer?.close);
    await quietly(this.admin?.close);
    this.consumer = null;
    this.producer = null;
    this.progressProducer = null;
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
      await this.publishProgress('TERMINATED');
      await this.progressProducer?.close();
      this.progressProducer = null;
      await this.consumer?.close();
      if (this.consumerGroup.owned) await this.admin?.deleteGroups([this.consumerGroup.groupId]).catch(() => undefined);
      await this.producer?.close();
      await this.admin?.close();
      this.consumer = null;
      this.producer = null;
      this.admin = null;
    }
  }

  private async runActivatedStream(): Promise<void> {
    const { plan, clock } = this.options;
    const trigger = plan.trigger;
    const signal = this.stopSignal.signal;
    const snapshot = trigger.kind === 'processingTime' ? null : await this.snapshotLatestOffsets();
    while (!signal.aborted) {
      const triggerStart = clock.now();
      // A trigger that fails on an unreachable Kafka or Redis is run again, after a reconnect.
      const ran = (await this.outage.run(() => this.runTrigger(clock.now(), snapshot), signal, () => this.reconnect())) ?? false;
      if (!ran) this.maybeReportIdle(triggerStart);
      // The registration doubles as a heartbeat: `sluice status` trusts it for 30 s.
      if (clock.now() - this.lastPublishedAt >= REGISTRY_HEARTBEAT_MS) void this.publishProgress('ACTIVE');
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
        const viaRedis = this.nextBatchId === 0 || this.sources.some((s) => FILE_FORMATS.includes(s.format));
        await this.waitForAnyData(viaRedis ? OFFER_RECHECK_MS : IDLE_RECHECK_MS);
      }
    }
  }

  /**
   * Spark's idle progress: with no new data, a progress record at most every 10 s
   * (noDataProgressEventInterval) repeating the last batch id with no input.
   */
  private maybeReportIdle(triggerStart: number): void {
    const last = this.progress;
    const now = this.options.clock.now();
    if (last === null || now - Date.parse(last.timestamp) < NO_DATA_PROGRESS_INTERVAL_MS) return;
    this.progress = {
      ...last,
      timestamp: new Date(triggerStart).toISOString(),
      batchDuration: now - triggerStart,
      numInputRows: 0,
      inputRowsPerSecond: 0,
      processedRowsPerSecond: 0,
      durationMs: { latestOffset: now - triggerStart, triggerExecution: now - triggerStart },
      sources: last.sources.map((src) => ({ ...src, startOffset: src.endOffset, numInputRows: 0, inputRowsPerSecond: 0, processedRowsPerSecond: 0 })),
      sink: { ...last.sink, numOutputRows: 0 },
    };
    this.remember(this.progress);
    this.options.onProgress?.(this.progress);
  }

  /** Waits for records on any source, at most `timeoutMs`; returns early on stop. */
  private async waitForAnyData(timeoutMs: number): Promise<void> {
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

  /**
   * Kafka sources of a new query start where startingOffsets (`latest` by default, `earliest`,
   * or JSON offsets), startingOffsetsByTimestamp or startingTimestamp say.
   */
  private async applyStartingOffsets(): Promise<void> {
    const admin = this.admin;
    if (admin === null) return;
    for (const [i, source] of this.sources.entries()) {
      const set = this.sourceSets[i];
      if (source.format !== 'kafka' || set === undefined || Object.keys(this.committed[i] ?? {}).length > 0) continue;
      const limit = startingOffsetRangeLimit(new CaseInsensitiveOptions(source.options));
      const chosen: Record<string, number> = {};
      for (const p of await resolveStartingOffsets(limit, set.topics, (t, n) => set.accepts(t, n), admin)) chosen[set.key(p.topic, p.partition)] = p.offset;
      this.committed[i] = chosen;
    }
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
      this.committed = this.sources.map(() => ({}));
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
    this.committed = previous === null ? this.sources.map(() => ({})) : [...previous.offsets];
    this.pending = { batchId: n, start: this.committed, entry: latestOffsets.entry };
    this.nextBatchId = n;
    this.log.info('re-running the uncommitted batch from the checkpoint', { batchId: n });
  }

  /** Where the consumer starts: the end of the last committed batch, per source partition. */
  private async startPositions(): Promise<TopicPartitionOffset[]> {
    const admin = this.admin;
    if (admin === null) return [];
    const out: TopicPartitionOffset[] = [];
    for (const [i, set] of this.sourceSets.entries()) out.push(...(await set.positions(admin, this.committed[i] ?? {})));
    return out;
  }

  /**
   * What once / availableNow read, fixed at start. A socket and the rate source offer nothing:
   * Spark runs Trigger.Once as a single batch and wraps them for availableNow with the offset
   * they report at start (AvailableNowMicroBatchStreamWrapper), before the socket has connected
   * (-1) and while the rate source is at second 0 — so their one batch is empty.
   */
  private async snapshotLatestOffsets(): Promise<SourceOffsets[]> {
    const admin = this.admin;
    if (admin === null) return [];
    const out: SourceOffsets[] = [];
    for (const [i, set] of this.sourceSets.entries()) {
      const format = this.sources[i]?.format;
      out.push(format === 'socket' || format === 'rate' ? (this.committed[i] ?? {}) : await set.endOffsets(admin));
    }
    return out;
  }

  /** (a) The latest offsets every source can offer now (or the run's snapshot, if bounded). */
  private async latestOffsets(snapshot: readonly SourceOffsets[] | null): Promise<SourceOffsets[]> {
    const out: SourceOffsets[] = [];
    for (const [i, buffer] of this.buffers.entries()) {
      const { maxFiles, maxOffsets } = this.limits[i] as SourceLimits;
      const from = this.committed[i] ?? {};
      let available = await this.sourceLatest(i, buffer, snapshot !== null);
      this.latestAvailable[i] = available;
      if (maxFiles !== null) available = buffer.capByFiles(from, available, maxFiles, HEADER_FILE);
      // Trigger.Once reads all that is there, whatever the read limit (Spark: ReadAllAvailable).
      if (maxOffsets !== null && this.options.plan.trigger.kind !== 'once') available = rateLimit(maxOffsets, from, available);
      const bound = snapshot?.[i];
      if (bound === undefined) {
        out.push(available);
        continue;
      }
      const capped: Record<string, number> = {};
      for (const [p, offset] of Object.entries(available)) capped[p] = Math.min(offset, bound[p] ?? offset);
      out.push(capped);
    }
    return out;
  }

  /**
   * What source `i` offers now, before read limits (Spark's latestOffset of the source):
   * - socket: nothing in batch 0. Spark connects while it plans batch 0, whose range is
   *   (-1, -1] (TextSocketMicroBatchStream: initialOffset and latestOffset -1 until a line is
   *   read; initialize() runs in planInputPartitions); lines follow in batches 1, 2, …
   * - rate: nothing in batch 0, which reads seconds (0, 0] (RateStreamMicroBatchStream:
   *   latestOffset is the whole seconds since the query started, 0 at its first trigger).
   * - kafka: the broker's end offsets (KafkaMicroBatchStream.latestOffset fetches them), e.g.
   *   all that is there with startingOffsets earliest; after batch 0 those of the partitions
   *   the consumer reads (latestKafkaOffsets).
   * - file: the records of complete directory listings, once all have arrived (Spark lists the
   *   directory when it plans a batch and takes every new file: FileStreamSource.fetchMaxOffset).
   * After batch 0, socket and rate offer what has arrived.
   */
  private async sourceLatest(i: number, buffer: SourceBuffer, bounded: boolean): Promise<SourceOffsets> {
    const from = this.committed[i] ?? {};
    const firstBatch = this.nextBatchId === 0;
    const format = this.sources[i]?.format ?? '';
    if (format === 'socket' || format === 'rate') return firstBatch ? from : buffer.available();
    if (format === 'kafka') {
      const set = this.sourceSets[i];
      if (bounded || this.admin === null || set === undefined) return buffer.available();
      if (firstBatch) return set.endOffsets(this.admin);
      return latestKafkaOffsets(set.topics, (t, p) => set.accepts(t, p), (t, p) => set.key(t, p), buffer.available(), this.admin);
    }
    // A bounded run's snapshot was taken after a complete listing.
    if (bounded) return buffer.available();
    const offered = await this.offered(i);
    return offered !== null && buffer.hasReached(offered) ? offered : from;
  }

  /** What the ingest of source `i` (socket or file) has offered so far; null before it has an offset. */
  private offered(i: number): Promise<SourceOffsets | null> {
    const index = this.sources[i]?.index ?? i;
    return readOffered(this.options.redis, checkpointKeys(this.options.plan.checkpointLocation).sourceOffered(index));
  }

  /**
   * Whether source `i` has an offset yet. With nothing committed, Spark runs batch 0 as soon as
   * any source reports one (MicroBatchExecution.isNewDataAvailable: a source with an end offset
   * and no start offset has new data): the rate source and a kafka source at once, a socket
   * once it connects, a file source once files are listed.
   */
  private async sourceHasOffset(i: number): Promise<boolean> {
    const source = this.sources[i];
    if (source === undefined) return false;
    if (source.format === 'rate') return true;
    if (source.format === 'kafka') return (this.sourceSets[i]?.topics.length ?? 0) > 0;
    return (await this.offered(i)) !== null;
  }

  private async anySourceHasOffset(): Promise<boolean> {
    for (const i of this.sources.keys()) if (await this.sourceHasOffset(i)) return true;
    return false;
  }

  private async constructNextBatch(triggerStart: number, snapshot: readonly SourceOffsets[] | null): Promise<PlannedBatch | null> {
    if (snapshot !== null) await this.waitForSnapshot(snapshot);
    const latest = await this.latestOffsets(snapshot);
    const hasNewData = latest.some((end, i) =>
      Object.entries(end).some(([p, offset]) => offset > (this.committed[i]?.[p] ?? 0)));
    // Batch 0 also runs, maybe empty, once a source has its first offset.
    const firstOffset = this.nextBatchId === 0 && !hasNewData && (await this.anySourceHasOffset());
    if (!hasNewData && !firstOffset && !this.execution.needsNoDataBatch()) return null;
    const entry: OffsetLogEntry = { batchWatermarkMs: this.execution.watermarkMs, batchTimestampMs: triggerStart, offsets: latest, conf: this.execution.pinnedConf };
    const planned: PlannedBatch = { batchId: this.nextBatchId, start: this.committed, entry };
    await this.writeOffsetLog(planned);
    maybeCrash('offset-log', planned.batchId);
    this.log.debug('batch planned', { batchId: planned.batchId, start: planned.start, end: latest });
    this.pending = planned;
    return planned;
  }

  private async waitForSnapshot(snapshot: readonly SourceOffsets[]): Promise<void> {
    const signal = this.stopSignal.signal;
    while (!signal.aborted && !this.buffers.every((b, i) => b.hasReached(snapshot[i] ?? {}))) {
      await this.waitForAnyData(100);
    }
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
    const inputs = this.readBatch(batch);
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
    this.reportProgress(batch, inputs, rows.length, triggerStart, durations);
    this.log.debug('batch committed', { batchId: batch.batchId, inputRows: this.progress?.numInputRows, outputRows: rows.length });
  }

  private readBatch(batch: PlannedBatch): Row[][] {
    return this.sources.map((source, i) => {
      const records = this.buffers[i]?.take(batch.start[i] ?? {}, batch.entry.offsets[i] ?? {}) ?? [];
      const rows: Row[] = [];
      for (const record of records) {
        if (source.format === 'kafka') {
          rows.push(kafkaRecordRow(record, hasHeaders(source.schema)));
          continue;
        }
        const decoded = decodeSourceRow(source.schema, record.value);
        if (decoded.ok) rows.push(decoded.row);
        else {
          metrics().skippedRecords.inc({ query: this.options.queryId, where: 'processor' });
          this.log.warn('skipping a malformed source record', {
            topic: record.topic, partition: record.partition, offset: record.offset, reason: decoded.reason,
          });
        }
      }
      return source.format === 'socket' ? dealRoundRobin(rows, this.limits[i]?.socketPartitions ?? 1) : rows;
    });
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
  private async writeResults(batchId: number, rows: readonly Row[]): Promise<void> {
    const producer = this.producer;
    if (producer === null) return;
    const { plan, queryId } = this.options;
    const schema = this.execution.operator.output.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable }));
    if (plan.sink.format === 'kafka' && batchId <= this.lastSinkBatch) {
      this.log.info('batch output already committed to Kafka; not written again', { batchId });
      return;
    }
    const txn = await producer.transaction();
    try {
      if (plan.sink.format === 'kafka') {
        // The user's topic and the batch marker in one transaction: exactly once, by batch id.
        const byTopic = new Map<string, OutgoingRecord[]>();
        for (const { topic, record } of kafkaSinkRecords(schema, rows, plan.sink.options['topic'])) {
          const list = byTopic.get(topic);
          if (list === undefined) byTopic.set(topic, [record]);
          else list.push(record);
        }
        for (const [topic, records] of byTopic) await txn.send(topic, records);
        await txn.send(this.topics.sinkCommits, [{ key: queryId, value: String(batchId) }]);
      } else {
        await txn.send(this.topics.results, encodeBatch(queryId, batchId, plan.outputMode, schema, rows));
      }
      await txn.commit();
      if (plan.sink.format === 'kafka') this.lastSinkBatch = batchId;
    } catch (err) {
      await txn.abort().catch(() => undefined);
      throw err;
    }
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

  /**
   * The query's registration and last progress in Redis (what `sluice status` lists) and its
   * progress record on the progress topic. Best effort: a failure is logged, not fatal.
   */
  private publishProgress(status: 'ACTIVE' | 'TERMINATED'): Promise<void> {
    // One at a time, so that stop() closes the producer after the sends begun before it.
    const next = this.publishing.then(() => this.publishNow(status));
    this.publishing = next;
    return next;
  }

  private async publishNow(status: 'ACTIVE' | 'TERMINATED'): Promise<void> {
    const { plan, queryId, runId, redis, clock } = this.options;
    this.lastPublishedAt = clock.now();
    const record = {
      id: queryId, runId, name: plan.name, status, checkpointLocation: plan.checkpointLocation,
      updatedAt: new Date(clock.now()).toISOString(), lastProgress: this.progress,
    };
    try {
      await redis.hset(queryRegistryKey(), queryId, JSON.stringify(record));
      if (this.progress !== null && status === 'ACTIVE') await this.progressProducer?.send(PROGRESS_TOPIC, [{ key: queryId, value: JSON.stringify(this.progress) }]);
    } catch (err) {
      // An unreachable Kafka or Redis is reported by the connection and the batch retries.
      if (transientService(err) === null) this.log.warn('cannot publish progress', { err });
      else this.log.debug('cannot publish progress', { err });
    }
  }

  /** Keeps the last 100 progress records, each with the consumer lag measured as it is made. */
  private remember(progress: StreamingQueryProgress): void {
    this.history.push(progress);
    this.lagHistory.push({ batchId: progress.batchId, timestamp: progress.timestamp, partitions: this.partitionLag() });
    if (this.history.length > 100) this.history.shift();
    if (this.lagHistory.length > 100) this.lagHistory.shift();
  }

  /**
   * Records each source partition holds beyond the last committed batch: fetched from Kafka and
   * waiting for a batch (Spark's Kafka source reports the same as offsetsBehindLatest).
   */
  private partitionLag(): PartitionLag[] {
    const out: PartitionLag[] = [];
    for (const [i, buffer] of this.buffers.entries()) {
      const end = this.committed[i] ?? {};
      for (const [key, fetched] of Object.entries(buffer.available())) {
        // Keys are the partition for one topic, `topic:partition` for several (SourceTopicSet.key).
        const cut = key.lastIndexOf(':');
        const topic = cut < 0 ? (this.sourceSets[i]?.topics[0] ?? '') : key.slice(0, cut);
        out.push({ source: i, topic, partition: Number(key.slice(cut + 1)), records: Math.max(0, fetched - (end[key] ?? 0)) });
      }
    }
    return out.sort((a, b) => a.source - b.source || a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  /** The batch's numbers as Prometheus metrics (sluice_*), labelled by query id. */
  private recordMetrics(p: StreamingQueryProgress, batch: PlannedBatch): void {
    const m = metrics();
    const query = this.options.queryId;
    m.batches.inc({ query });
    m.batchDuration.observe({ query }, p.batchDuration / 1000);
    m.inputRows.inc({ query }, p.numInputRows);
    m.inputRate.set({ query }, p.inputRowsPerSecond);
    m.processedRate.set({ query }, p.processedRowsPerSecond);
    m.stateRows.set({ query }, this.execution.stateRows);
    m.stateBytes.set({ query }, this.execution.stateBytes);
    m.watermark.set({ query }, this.execution.watermarkMs / 1000);
    m.lateRows.inc({ query }, this.lastStateMetrics?.droppedByWatermark ?? 0);
    for (const [i, buffer] of this.buffers.entries()) {
      const end = batch.entry.offsets[i] ?? {};
      for (const [partition, fetched] of Object.entries(buffer.available())) {
        m.consumerLag.set({ query, source: String(i), partition }, Math.max(0, fetched - (end[partition] ?? 0)));
      }
    }
    if (this.options.plan.sink.format === 'kafka') {
      m.sinkBatches.inc({ query, sink: 'kafka' });
      m.sinkRows.inc({ query, sink: 'kafka' }, p.sink.numOutputRows);
    }
  }

  private reportProgress(
    batch: PlannedBatch, inputs: ReadonlyArray<readonly Row[]>, outputRows: number,
    triggerStart: number, durations: Record<string, number>,
  ): void {
    const { clock, plan, queryId, runId } = this.options;
    const stateful = this.lastStateMetrics !== null && this.execution.operator.statefulIds.length > 0;
    this.progress = buildProgress({
      plan, queryId, runId, batchId: batch.batchId, triggerStart, triggerEnd: clock.now(),
      previousTriggerStart: this.lastTriggerStart,
      sources: this.sources, sourceTopics: this.sourceSets.map((s) => s.topics),
      inputRows: inputs.map((rows) => rows.length), start: batch.start, end: batch.entry.offsets, latest: this.latestAvailable,
      outputRows, durations,
      watermarkMs: this.execution.hasWatermark ? batch.entry.batchWatermarkMs : null,
      state: stateful && this.lastStateMetrics !== null
        ? { metrics: this.lastStateMetrics, rows: this.execution.stateRows, bytes: this.execution.stateBytes, commitMs: durations['commitOffsets'] ?? 0 }
        : null,
    });
    this.lastTriggerStart = triggerStart;
    this.remember(this.progress);
    this.options.onProgress?.(this.progress);
    this.recordMetrics(this.progress, batch);
    void this.publishProgress('ACTIVE');
  }
}
