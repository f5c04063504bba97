import type { IngestLimits } from '../../config/ingest-config.js';
import { SourceError } from '../../errors/source-error.js';
import type { Clock } from '../../core/clock.js';
import type { Logger, LogFields } from '../../internal/logger.js';
import type { KafkaProducer, OutgoingRecord } from '../../kafka/kafka-port.js';
import { metrics } from '../../observability/metrics.js';
import { HeldRecords, recordBytes } from './held-records.js';
import { isTooLarge, WriteRetries } from './write-retries.js';

export { recordBytes } from './held-records.js';

export interface SourceTopicWriterOptions {
  readonly topic: string;
  readonly queryId: string;
  /** The `format` label of the records-written metric: socket, json, csv, text, rate. */
  readonly format: string;
  readonly producer: KafkaProducer;
  readonly limits: IngestLimits;
  readonly clock: Clock;
  readonly log: Logger;
}

/** Why the ingest rejected a line or record (the `reason` label of the rejection metric). */
export type RejectReason = 'line-too-long' | 'record-too-large';

/** A request unanswered this long makes /readyz fail before the client gives it up. */
const UNANSWERED_MS = 5_000;
/** The held-records gauges follow new records at most this often (they follow acknowledgements at once). */
const GAUGE_EVERY_MS = 100;

/**
 * The one writer of a source topic: records read by a source wait here, in order, until
 * Kafka acknowledges them. Bounded (ingest.maxBufferedRecords / maxBufferedBytes): a source
 * stops reading while `isFull` and resumes at `whenWritable()` (half the bounds). A write
 * that fails is retried, the same records in the same produce request, with backoff and
 * without limit unless ingest.deliveryTimeoutMs says otherwise, so the idempotent producer
 * drops a retried request the broker had already appended: a record read is written once.
 * A record over ingest.maxRecordBytes is rejected on its own, counted and logged; if the
 * broker still refuses a request for its size, it is split until the one record it refuses
 * is rejected alone, never its neighbours. The queue itself is `HeldRecords`; the backoff,
 * failure logs and delivery timeout are `WriteRetries`.
 */
export class SourceTopicWriter {
  readonly stats = { written: 0, rejected: 0, unwritten: 0 };
  private readonly held = new HeldRecords();
  private running = false;
  private closed = false;
  private abandoned = false;
  private failure: SourceError | null = null;
  private gaugedAt = 0;
  /** When the request in flight was sent, or null. */
  private sendingSince: number | null = null;
  private writableWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];
  private rejectFailed: (err: SourceError) => void = () => undefined;
  /** Rejects when writes have failed for longer than ingest.deliveryTimeoutMs. */
  readonly failed: Promise<never>;
  private readonly labels: { query: string; topic: string };
  private readonly retries: WriteRetries;

  constructor(private readonly o: SourceTopicWriterOptions) {
    this.labels = { query: o.queryId, topic: o.topic };
    this.retries = new WriteRetries({ topic: o.topic, limits: o.limits, clock: o.clock, log: o.log, labels: this.labels });
    this.failed = new Promise<never>((_, reject) => {
      this.rejectFailed = reject;
    });
    this.failed.catch(() => undefined);
    metrics().ingestWritable.set(this.labels, 1);
    this.gauge();
  }

  /** Records read and not yet acknowledged. */
  get bufferedRecords(): number {
    return this.held.count;
  }

  get bufferedBytes(): number {
    return this.held.bytes;
  }

  /** Sources stop reading while this holds. */
  get isFull(): boolean {
    const { maxBufferedRecords, maxBufferedBytes } = this.o.limits;
    return this.bufferedRecords >= maxBufferedRecords || this.held.bytes >= maxBufferedBytes;
  }

  /** Whether the writer takes no more records: closed, or given up (delivery timeout). */
  get isClosed(): boolean {
    return this.closed || this.failure !== null;
  }

  /** Whether records it took will not be written: delivery timeout, or closed before they were. */
  get gaveUp(): boolean {
    return this.failure !== null || this.abandoned;
  }

  /**
   * Takes a record to write. False when it is rejected for its size (counted and logged, with
   * `where` in the log line) or the writer no longer takes records.
   */
  offer(record: OutgoingRecord, where: LogFields = {}): boolean {
    if (this.isClosed) return false;
    const bytes = recordBytes(record);
    if (bytes > this.o.limits.maxRecordBytes) {
      this.reject('record-too-large', { ...where, bytes, maxRecordBytes: this.o.limits.maxRecordBytes });
      return false;
    }
    this.held.push(record, bytes);
    if (this.o.clock.now() - this.gaugedAt >= GAUGE_EVERY_MS) this.gauge();
    if (!this.running) {
      this.running = true;
      // After the current read: the records of one read go out in one request.
      queueMicrotask(() => void this.run());
    }
    return true;
  }

  /** Counts and logs a line or record the ingest will not write. */
  reject(reason: RejectReason, fields: LogFields): void {
    this.stats.rejected += 1;
    metrics().ingestRejected.inc({ query: this.o.queryId, reason });
    this.o.log.warn(reason === 'line-too-long' ? 'rejected a line over ingest.maxLineBytes' : 'rejected a record over ingest.maxRecordBytes', {
      topic: this.o.topic, reason, ...fields,
    });
  }

  /** Resolves once the buffer is at most half full (at once if it is), or the writer stops. */
  whenWritable(): Promise<void> {
    if (this.belowLowWater() || this.isClosed || this.abandoned) return Promise.resolve();
    metrics().ingestPauses.inc(this.labels);
    return new Promise((resolve) => this.writableWaiters.push(resolve));
  }

  /** Resolves once every record taken so far is acknowledged (or the writer gave up). */
  flushed(): Promise<void> {
    if (this.bufferedRecords === 0 || this.failure !== null || this.abandoned) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** For /readyz: why writes are failing now, or null while they succeed. */
  problem(): string | null {
    if (this.failure !== null) return this.failure.message;
    const now = this.o.clock.now();
    const failingSince = this.retries.failingSince;
    if (failingSince !== null) {
      return `cannot write to source topic ${this.o.topic} for ${now - failingSince} ms (retrying; ${this.bufferedRecords} records held)`;
    }
    // The client retries inside one send for a while before it reports a failure.
    if (this.sendingSince !== null && now - this.sendingSince >= UNANSWERED_MS) {
      return `no acknowledgement from Kafka for source topic ${this.o.topic} in ${now - this.sendingSince} ms (${this.bufferedRecords} records held)`;
    }
    return null;
  }

  /**
   * Takes no more records and waits up to `timeoutMs` for those held to be acknowledged. What
   * is still held then is given up, logged with its count, and counted; returns that count.
   */
  async close(timeoutMs: number): Promise<number> {
    this.closed = true;
    // Sources waiting for room stop waiting: they read no more.
    this.wakeWritable();
    if (this.bufferedRecords > 0 && this.failure === null) {
      const timer = new AbortController();
      await Promise.race([this.flushed(), this.o.clock.sleep(timeoutMs, timer.signal)]);
      timer.abort();
    }
    const left = this.failure !== null ? 0 : this.bufferedRecords;
    if (left > 0) {
      this.abandoned = true;
      this.stats.unwritten += left;
      metrics().ingestUnwritten.inc({ query: this.o.queryId }, left);
      this.o.log.error('stopping with read records not written to the source topic', {
        topic: this.o.topic, unwritten: left, drainTimeoutMs: timeoutMs,
      });
    }
    this.retries.stop();
    this.wake();
    return left;
  }

  private belowLowWater(): boolean {
    const { maxBufferedRecords, maxBufferedBytes } = this.o.limits;
    return this.bufferedRecords <= maxBufferedRecords / 2 && this.held.bytes <= maxBufferedBytes / 2;
  }

  private async run(): Promise<void> {
    try {
      while (this.bufferedRecords > 0 && !this.abandoned && this.failure === null) {
        await this.deliver(this.held.nextChunkSize(this.o.limits.maxRecordBytes));
      }
    } finally {
      this.running = false;
      this.wake();
    }
  }

  /** Writes the first `count` held records, retrying until they are acknowledged or the writer stops. */
  private async deliver(count: number): Promise<void> {
    const records = this.held.first(count);
    for (;;) {
      if (this.abandoned || this.failure !== null) return;
      const sentAt = this.o.clock.now();
      this.sendingSince = sentAt;
      try {
        await this.o.producer.send(this.o.topic, records);
        this.sendingSince = null;
        if (!this.abandoned) this.acknowledged(count);
        return;
      } catch (err) {
        this.sendingSince = null;
        if (this.abandoned) return;
        if (isTooLarge(err)) {
          if (count === 1) {
            this.reject('record-too-large', { bytes: this.held.headBytes, brokerError: String(err) });
            this.advance(1);
            return;
          }
          const half = Math.ceil(count / 2);
          await this.deliver(half);
          await this.deliver(count - half);
          return;
        }
        const failingForMs = await this.retries.failed(err, sentAt, this.bufferedRecords);
        if (failingForMs !== null) this.fail(err, failingForMs);
      }
    }
  }

  private acknowledged(count: number): void {
    this.stats.written += count;
    metrics().ingestRecords.inc({ query: this.o.queryId, format: this.o.format }, count);
    this.retries.succeeded();
    this.advance(count);
  }

  private advance(count: number): void {
    this.held.drop(count);
    this.gauge();
    if (this.belowLowWater()) this.wakeWritable();
  }

  private fail(err: unknown, failingForMs: number): void {
    const left = this.bufferedRecords;
    this.failure = new SourceError(
      `cannot write to source topic ${this.o.topic} for ${failingForMs} ms (ingest.deliveryTimeoutMs ${this.o.limits.deliveryTimeoutMs}): `
      + `${err instanceof Error ? err.message : String(err)}; ${left} read records not written`,
      { cause: err },
    );
    this.stats.unwritten += left;
    metrics().ingestUnwritten.inc({ query: this.o.queryId }, left);
    this.o.log.error('giving up writing to the source topic', { topic: this.o.topic, unwritten: left, failingForMs, err });
    this.rejectFailed(this.failure);
    this.wake();
  }

  private gauge(): void {
    this.gaugedAt = this.o.clock.now();
    const m = metrics();
    m.ingestBufferedRecords.set(this.labels, this.bufferedRecords);
    m.ingestBufferedBytes.set(this.labels, this.held.bytes);
  }

  private wakeWritable(): void {
    const waiters = this.writableWaiters;
    this.writableWaiters = [];
    for (const w of waiters) w();
  }

  private wake(): void {
    this.wakeWritable();
    if (this.bufferedRecords === 0 || this.failure !== null || this.abandoned) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
