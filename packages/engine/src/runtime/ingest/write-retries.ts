import type { IngestLimits } from '../../config/ingest-config.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../internal/logger.js';
import { metrics } from '../../observability/metrics.js';

export interface WriteRetriesOptions {
  readonly topic: string;
  readonly limits: IngestLimits;
  readonly clock: Clock;
  readonly log: Logger;
  /** The labels of the writable and retries metrics. */
  readonly labels: { readonly query: string; readonly topic: string };
}

/** While writes keep failing, a reminder is logged this often. */
const FAILING_LOG_EVERY_MS = 30_000;

/** The broker refused a write for its size (kafkajs carries the protocol error's type, maybe wrapped). */
export function isTooLarge(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 4; depth++) {
    const type = (e as { type?: unknown }).type;
    if (type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE') return true;
    e = (e as { originalError?: unknown; cause?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * How a source-topic writer retries a failed produce request: exponential backoff from
 * ingest.retryBackoffMs up to retryBackoffMaxMs, a warning when writes start failing and a
 * reminder every so often while they keep failing, and giving up past
 * ingest.deliveryTimeoutMs (counted, as Kafka's delivery.timeout.ms, from the first failed send).
 */
export class WriteRetries {
  private since: number | null = null;
  private lastFailureLogAt = 0;
  private retriesSinceSuccess = 0;
  private backoffMs: number;
  private readonly stopRetrying = new AbortController();

  constructor(private readonly o: WriteRetriesOptions) {
    this.backoffMs = o.limits.retryBackoffMs;
  }

  /** When the first request of the current run of failures was sent, or null while writes succeed. */
  get failingSince(): number | null {
    return this.since;
  }

  /** After an acknowledged request: logs the recovery if writes were failing, and resets the backoff. */
  succeeded(): void {
    if (this.since !== null) {
      this.o.log.info('writing to the source topic again', {
        topic: this.o.topic, failedForMs: this.o.clock.now() - this.since, retries: this.retriesSinceSuccess,
      });
      metrics().ingestWritable.set(this.o.labels, 1);
    }
    this.since = null;
    this.retriesSinceSuccess = 0;
    this.backoffMs = this.o.limits.retryBackoffMs;
  }

  /**
   * After a failed request sent at `sentAt`, with `held` records waiting: waits to retry it and
   * returns null, or, past ingest.deliveryTimeoutMs, returns at once how long writes have failed.
   */
  async failed(err: unknown, sentAt: number, held: number): Promise<number | null> {
    const { clock, log, topic, limits, labels } = this.o;
    const now = clock.now();
    this.retriesSinceSuccess += 1;
    metrics().ingestWriteRetries.inc(labels);
    if (this.since === null) {
      // As Kafka's delivery.timeout.ms, counted from the send (the client retried inside it).
      this.since = sentAt;
      this.lastFailureLogAt = now;
      metrics().ingestWritable.set(labels, 0);
      log.warn('cannot write to the source topic; retrying (no read line is dropped)', { err, topic, held });
    } else if (now - this.lastFailureLogAt >= FAILING_LOG_EVERY_MS) {
      this.lastFailureLogAt = now;
      log.warn('still cannot write to the source topic; retrying', {
        err, topic, failingForMs: now - this.since, retries: this.retriesSinceSuccess, held,
      });
    }
    if (limits.deliveryTimeoutMs > 0 && now - this.since >= limits.deliveryTimeoutMs) return now - this.since;
    await clock.sleep(this.backoffMs, this.stopRetrying.signal);
    this.backoffMs = Math.min(this.backoffMs * 2, limits.retryBackoffMaxMs);
    return null;
  }

  /** Ends a backoff wait now: the writer is stopping. */
  stop(): void {
    this.stopRetrying.abort();
  }
}
