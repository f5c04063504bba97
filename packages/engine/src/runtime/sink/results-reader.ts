import type { RedisClient } from '../../state/redis-connection.js';
import type { Row, Schema } from '../../core/types.js';
import type { Logger } from '../../internal/logger.js';
import type { KafkaConsumer, KafkaPort } from '../../kafka/kafka-port.js';
import type { BatchSink } from '../../sinks/batch-sink.js';
import { queryTopics } from '../query-topics.js';
import { metrics } from '../../observability/metrics.js';
import { decodeResult } from '../result-records.js';
import type { Clock } from '../../core/clock.js';
import { DEFAULT_OUTAGE_LIMITS, type OutageLimits } from '../../config/processor-config.js';
import { OutageGuard } from '../outage-guard.js';

export interface ResultsReaderOptions {
  readonly queryId: string;
  readonly runId: string;
  readonly redis: RedisClient;
  /** Redis key holding the results-topic offset to resume from. */
  readonly offsetKey: string;
  /** The sink's format, for metric labels. */
  readonly sinkName: string;
  readonly kafka: KafkaPort;
  readonly sink: BatchSink;
  readonly log: Logger;
  readonly clock: Clock;
  /** How long an outage of Redis is ridden out while writing a batch (defaults when absent). */
  readonly outageLimits?: OutageLimits;
}


/**
 * The sink side: reads the results topic (committed transactions only), reassembles each
 * batch from its row records and end marker, hands it to the sink, then records in Redis the
 * offset to resume from (only at batch boundaries).
 */
export class ResultsReader {
  /** The last batch id handled (written or dropped as a duplicate); counts are in metrics. */
  private lastBatchId = -1;
  private consumer: KafkaConsumer | null = null;
  private groupId: string | null = null;
  private readonly assembling = new Map<number, Row[]>();
  /** Parts of scaled-out batches: batch id → part id → its rows once its end has arrived. */
  private readonly parts = new Map<number, Map<string, { rows: Row[]; ended: boolean }>>();
  private readonly log: Logger;
  private waiters: Array<() => void> = [];
  /** The next results-topic offset to take: records the consumer delivers again are skipped. */
  private position = 0;
  private readonly outage: OutageGuard;
  private readonly stopSignal = new AbortController();
  private rejectFailed: (err: unknown) => void = () => undefined;
  /** Rejects when the sink cannot go on (Redis unreachable past processor.outageTimeoutMs). */
  readonly failed: Promise<never>;

  constructor(private readonly options: ResultsReaderOptions) {
    this.log = options.log.child({ role: 'sink', queryId: options.queryId });
    this.outage = new OutageGuard({
      limits: options.outageLimits ?? DEFAULT_OUTAGE_LIMITS, clock: options.clock, log: this.log, queryId: options.queryId, role: 'sink',
    });
    this.failed = new Promise<never>((_, reject) => {
      this.rejectFailed = reject;
    });
    this.failed.catch(() => undefined);
  }

  /** Why the sink is not writing now (waiting for Redis), or null. */
  problem(): string | null {
    return this.outage.problem();
  }

  async start(): Promise<void> {
    const topics = queryTopics(this.options.queryId);
    const groupId = topics.sinkGroup(this.options.runId);
    this.groupId = groupId;
    const admin = await this.options.kafka.admin();
    try {
      await admin.ensureTopic(topics.results, 1);
    } finally {
      await admin.close();
    }
    const resume = Number((await this.options.redis.get(this.options.offsetKey)) ?? 0);
    this.position = resume;
    this.consumer = await this.options.kafka.consumer({ groupId });
    await this.consumer.start([topics.results], async (batch) => {
      this.log.debug('fetched results records', { partition: batch.partition, records: batch.records.length });
      for (const record of batch.records) {
        // A consumer that lost its group (a long outage) may fetch records it delivered before.
        if (record.offset < this.position || this.stopSignal.signal.aborted) continue;
        try {
          // Commit only at batch boundaries: a restart must re-read a half-assembled batch.
          if (await this.accept(record.headers, record.value)) {
            await this.retrying(() => this.options.redis.set(this.options.offsetKey, String(record.offset + 1)));
          }
        } catch (err) {
          this.rejectFailed(err);
          return;
        }
        this.position = record.offset + 1;
      }
    }, [{ topic: topics.results, partition: 0, offset: resume }]);
  }

  /** Takes one results record; true when it closed a batch (a safe point to commit). */
  private async accept(headers: Readonly<Record<string, string>>, value: Buffer | null): Promise<boolean> {
    const decoded = decodeResult(headers, value);
    switch (decoded.kind) {
      case 'invalid':
        metrics().skippedRecords.inc({ query: this.options.queryId, where: 'sink' });
        this.log.warn('skipping an invalid results record', { reason: decoded.reason });
        return false;
      case 'rows': {
        if (decoded.part !== undefined) {
          this.part(decoded.batchId, decoded.part, true).rows.push(...decoded.rows);
          return false;
        }
        const rows = this.assembling.get(decoded.batchId) ?? [];
        rows.push(...decoded.rows);
        this.assembling.set(decoded.batchId, rows);
        return false;
      }
      case 'end': {
        if (decoded.part !== undefined) {
          const part = this.part(decoded.batchId, decoded.part, false);
          part.ended = true;
          if (part.rows.length !== decoded.end.rowCount) this.log.error('batch part arrived incomplete', { batchId: decoded.batchId, part: decoded.part });
          return false;
        }
        if (decoded.end.parts !== undefined) {
          const rows = this.assembleParts(decoded.batchId, decoded.end.parts);
          await this.retrying(() => this.deliver(decoded.batchId, decoded.end.schema, rows, decoded.end.rowCount));
          return true;
        }
        const rows = this.assembling.get(decoded.batchId) ?? [];
        this.assembling.delete(decoded.batchId);
        // The sink writes a batch id once; a retry after Redis failed only records it.
        await this.retrying(() => this.deliver(decoded.batchId, decoded.end.schema, rows, decoded.end.rowCount));
        return true;
      }
    }
  }

  private part(batchId: number, id: string, rows: boolean): { rows: Row[]; ended: boolean } {
    let byId = this.parts.get(batchId);
    if (byId === undefined) {
      byId = new Map();
      this.parts.set(batchId, byId);
    }
    let part = byId.get(id);
    // A part written again (its task re-run after a crash) replaces the first, never adds to it.
    if (part === undefined || (rows && part.ended)) {
      part = { rows: [], ended: false };
      byId.set(id, part);
    }
    return part;
  }

  /** A scaled-out batch's rows: its parts' rows in the listed order (missing parts leave a short count). */
  private assembleParts(batchId: number, ids: readonly string[]): Row[] {
    const byId = this.parts.get(batchId);
    this.parts.delete(batchId);
    const rows: Row[] = [];
    for (const id of ids) {
      const part = byId?.get(id);
      if (part?.ended === true) rows.push(...part.rows);
    }
    return rows;
  }

  private async deliver(batchId: number, schema: Schema, rows: Row[], expected: number): Promise<void> {
    if (rows.length !== expected) {
      metrics().skippedRecords.inc({ query: this.options.queryId, where: 'sink' });
      this.log.error('batch arrived incomplete; not writing it', { batchId, expected, received: rows.length });
      return;
    }
    const written = await this.options.sink.addBatch(batchId, schema, rows);
    if (written) {
      metrics().sinkBatches.inc({ query: this.options.queryId, sink: this.options.sinkName });
      metrics().sinkRows.inc({ query: this.options.queryId, sink: this.options.sinkName }, rows.length);
    } else {
      metrics().sinkDuplicates.inc({ query: this.options.queryId, sink: this.options.sinkName });
      this.log.info('dropped a batch already written', { batchId });
    }
    this.lastBatchId = Math.max(this.lastBatchId, batchId);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Runs a Redis step, riding out an outage of Redis (OutageGuard). */
  private async retrying(step: () => Promise<unknown>): Promise<void> {
    await this.outage.run(step, this.stopSignal.signal);
  }

  /** Resolves once batch `batchId` (or a later one) has been handled, or after `timeoutMs`. */
  async waitForBatch(batchId: number, timeoutMs: number, sleep: (ms: number) => Promise<void>): Promise<boolean> {
    const deadline = sleep(timeoutMs).then(() => false);
    while (this.lastBatchId < batchId) {
      const arrived = new Promise<boolean>((resolve) => this.waiters.push(() => resolve(true)));
      if (!(await Promise.race([arrived, deadline]))) return false;
    }
    return true;
  }

  async stop(): Promise<void> {
    this.stopSignal.abort();
    await this.consumer?.close();
    this.consumer = null;
    if (this.groupId !== null) {
      const admin = await this.options.kafka.admin();
      await admin.deleteGroups([this.groupId]).catch(() => undefined);
      await admin.close();
    }
  }
}
