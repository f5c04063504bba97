/**
 * What the micro-batch loop tells about itself: Spark's progress record after each batch (and
 * idle ones), the last 100 of them with the consumer lag at each, the sluice_* metrics, and
 * the query's registration in Redis and record on the progress topic.
 */
import type { Clock } from '../../core/clock.js';
import type { StreamingQueryProgress } from '../../core/streaming-query-progress.js';
import type { Row } from '../../core/types.js';
import type { QueryExecution } from '../../execution/query-execution.js';
import type { Logger } from '../../internal/logger.js';
import { withAdmin, type KafkaPort, type KafkaProducer } from '../../kafka/kafka-port.js';
import type { BatchLag, PartitionLag } from '../../observability/live-query.js';
import { metrics } from '../../observability/metrics.js';
import type { StateMetrics } from '../../operators/operator.js';
import type { QueryPlan } from '../../plan/query-plan.js';
import type { RedisClient } from '../../state/redis-connection.js';
import { PROGRESS_TOPIC, queryRegistryKey } from '../../state/keys.js';
import type { BatchSources, PlannedBatch } from './batch-sources.js';
import { transientService } from '../outage-guard.js';
import { buildProgress } from './progress-builder.js';
import type { SourceBuffer } from './source-buffer.js';

/** How often a running query refreshes its registration even without batches. */
const REGISTRY_HEARTBEAT_MS = 10_000;

/** Spark's spark.sql.streaming.noDataProgressEventInterval. */
const NO_DATA_PROGRESS_INTERVAL_MS = 10_000;

export interface ProgressReporterOptions {
  readonly plan: QueryPlan;
  readonly queryId: string;
  readonly runId: string;
  readonly redis: RedisClient;
  readonly clock: Clock;
  readonly log: Logger;
  readonly sources: BatchSources;
  /** The consumer lag now (measured as each progress record is made). */
  readonly lag: () => PartitionLag[];
  readonly onProgress?: (progress: StreamingQueryProgress) => void;
}

/** A committed batch, as the loop ran it. */
export interface BatchReport {
  readonly batch: PlannedBatch;
  readonly inputs: ReadonlyArray<readonly Row[]>;
  readonly outputRows: number;
  readonly triggerStart: number;
  readonly durations: Record<string, number>;
  readonly execution: QueryExecution;
  readonly stateMetrics: StateMetrics | null;
  readonly buffers: readonly SourceBuffer[];
}

export class ProgressReporter {
  /** The progress topic's producer, made while the query starts (open). */
  private producer: Promise<KafkaProducer | null> = Promise.resolve(null);
  /** The progress publication under way (publish never rejects). */
  private publishing: Promise<void> = Promise.resolve();
  private lastPublishedAt = 0;
  private lastTriggerStart: number | null = null;
  private progress: StreamingQueryProgress | null = null;
  private readonly history: StreamingQueryProgress[] = [];
  /** The consumer lag after each record of `history`, in step with it. */
  private readonly lagHistory: BatchLag[] = [];

  constructor(private readonly o: ProgressReporterOptions) {}

  get last(): StreamingQueryProgress | null {
    return this.progress;
  }

  /** The last (up to 100) progress records, oldest first. */
  get recent(): readonly StreamingQueryProgress[] {
    return [...this.history];
  }

  /** The consumer lag of every source partition after each of `recent`, oldest first. */
  get recentLag(): readonly BatchLag[] {
    return [...this.lagHistory];
  }

  /**
   * The progress topic and its producer, on an admin client of their own while the query starts
   * (a producer's first connection took some 25 ms of a query's start); the first progress
   * record waits for them, and a failure is reported as a failed publication.
   */
  open(kafka: KafkaPort): void {
    const ready = withAdmin(kafka, (admin) => admin.ensureTopic(PROGRESS_TOPIC, 1)).then(() => kafka.producer());
    ready.catch(() => undefined);
    this.producer = ready;
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = Promise.resolve(null);
    await (await producer.catch(() => null))?.close();
  }

  /**
   * The query's registration and last progress in Redis (what `sluice status` lists) and its
   * progress record on the progress topic. Best effort: a failure is logged, not fatal.
   */
  publish(status: 'ACTIVE' | 'TERMINATED'): Promise<void> {
    // One at a time, so that stop() closes the producer after the sends begun before it.
    const next = this.publishing.then(() => this.publishNow(status));
    this.publishing = next;
    return next;
  }

  /** The registration doubles as a heartbeat: `sluice status` trusts it for 30 s. */
  heartbeat(): void {
    if (this.o.clock.now() - this.lastPublishedAt >= REGISTRY_HEARTBEAT_MS) void this.publish('ACTIVE');
  }

  private async publishNow(status: 'ACTIVE' | 'TERMINATED'): Promise<void> {
    const { plan, queryId, runId, redis, clock } = this.o;
    this.lastPublishedAt = clock.now();
    const record = {
      id: queryId, runId, name: plan.name, status, checkpointLocation: plan.checkpointLocation,
      updatedAt: new Date(clock.now()).toISOString(), lastProgress: this.progress,
    };
    try {
      await redis.hset(queryRegistryKey(), queryId, JSON.stringify(record));
      if (this.progress !== null && status === 'ACTIVE') await (await this.producer)?.send(PROGRESS_TOPIC, [{ key: queryId, value: JSON.stringify(this.progress) }]);
    } catch (err) {
      // An unreachable Kafka or Redis is reported by the connection and the batch retries.
      if (transientService(err) === null) this.o.log.warn('cannot publish progress', { err });
      else this.o.log.debug('cannot publish progress', { err });
    }
  }

  /** Keeps the last 100 progress records, each with the consumer lag measured as it is made. */
  private remember(progress: StreamingQueryProgress): void {
    this.history.push(progress);
    this.lagHistory.push({ batchId: progress.batchId, timestamp: progress.timestamp, partitions: this.o.lag() });
    if (this.history.length > 100) this.history.shift();
    if (this.lagHistory.length > 100) this.lagHistory.shift();
  }

  /** The batch's numbers as Prometheus metrics (sluice_*), labelled by query id. */
  private recordMetrics(p: StreamingQueryProgress, report: BatchReport): void {
    const { batch, execution, stateMetrics, buffers } = report;
    const m = metrics();
    const query = this.o.queryId;
    m.batches.inc({ query });
    m.batchDuration.observe({ query }, p.batchDuration / 1000);
    m.inputRows.inc({ query }, p.numInputRows);
    m.inputRate.set({ query }, p.inputRowsPerSecond);
    m.processedRate.set({ query }, p.processedRowsPerSecond);
    m.stateRows.set({ query }, execution.stateRows);
    m.stateBytes.set({ query }, execution.stateBytes);
    m.watermark.set({ query }, execution.watermarkMs / 1000);
    m.lateRows.inc({ query }, stateMetrics?.droppedByWatermark ?? 0);
    for (const [i, buffer] of buffers.entries()) {
      const end = batch.entry.offsets[i] ?? {};
      for (const [partition, fetched] of Object.entries(buffer.available())) {
        m.consumerLag.set({ query, source: String(i), partition }, Math.max(0, fetched - (end[partition] ?? 0)));
      }
    }
    if (this.o.plan.sink.format === 'kafka') {
      m.sinkBatches.inc({ query, sink: 'kafka' });
      m.sinkRows.inc({ query, sink: 'kafka' }, p.sink.numOutputRows);
    }
  }

  /** After a batch committed: its progress record, kept, handed on, measured and published. */
  report(report: BatchReport): void {
    const { batch, inputs, outputRows, triggerStart, durations, execution, stateMetrics } = report;
    const { clock, plan, queryId, runId, sources } = this.o;
    const stateful = stateMetrics !== null && execution.operator.statefulIds.length > 0;
    this.progress = buildProgress({
      plan, queryId, runId, batchId: batch.batchId, triggerStart, triggerEnd: clock.now(),
      previousTriggerStart: this.lastTriggerStart,
      sources: sources.nodes, sourceTopics: sources.sets.map((s) => s.topics),
      inputRows: inputs.map((rows) => rows.length), start: batch.start, end: batch.entry.offsets, latest: sources.latestAvailable,
      outputRows, durations,
      watermarkMs: execution.hasWatermark ? batch.entry.batchWatermarkMs : null,
      state: stateful && stateMetrics !== null
        ? { metrics: stateMetrics, rows: execution.stateRows, bytes: execution.stateBytes, commitMs: durations['commitOffsets'] ?? 0 }
        : null,
    });
    this.lastTriggerStart = triggerStart;
    this.remember(this.progress);
    this.o.onProgress?.(this.progress);
    this.recordMetrics(this.progress, report);
    void this.publish('ACTIVE');
  }

  /**
   * Spark's idle progress: with no new data, a progress record at most every 10 s
   * (noDataProgressEventInterval) repeating the last batch id with no input.
   */
  maybeReportIdle(triggerStart: number): void {
    const last = this.progress;
    const now = this.o.clock.now();
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
    this.o.onProgress?.(this.progress);
  }
}
