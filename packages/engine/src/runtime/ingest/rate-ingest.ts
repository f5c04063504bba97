import type { Schema } from '../../core/types.js';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from '../../config/ingest-config.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../internal/logger.js';
import type { KafkaProducer } from '../../kafka/kafka-port.js';
import { encodeSourceRow } from '../source-records.js';
import { SourceTopicWriter } from './source-topic-writer.js';

export interface RateIngestOptions {
  readonly rowsPerSecond: number;
  readonly schema: Schema;
  readonly topic: string;
  readonly queryId: string;
  readonly producer: KafkaProducer;
  readonly clock: Clock;
  readonly log: Logger;
  /** The next value to generate (continues after a restart). */
  readonly startValue: number;
  readonly limits?: IngestLimits;
}

/**
 * Spark's rate source (testing): `rowsPerSecond` rows a second, `value` counting from 0 and
 * `timestamp` the time each row was made, written every 100 ms.
 */
export class RateIngest {
  private stopped = false;
  private readonly abort = new AbortController();
  private loop: Promise<void> = Promise.resolve();
  private next: number;
  private readonly writer: SourceTopicWriter;
  private readonly limits: IngestLimits;

  constructor(private readonly o: RateIngestOptions) {
    this.next = o.startValue;
    this.limits = o.limits ?? DEFAULT_INGEST_LIMITS;
    this.writer = new SourceTopicWriter({
      topic: o.topic, queryId: o.queryId, format: 'rate', producer: o.producer, limits: this.limits, clock: o.clock, log: o.log,
    });
  }

  /** Rejects when the source topic could not be written for longer than ingest.deliveryTimeoutMs. */
  get failed(): Promise<never> {
    return this.writer.failed;
  }

  problem(): string | null {
    return this.writer.problem();
  }

  start(): void {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const { clock, rowsPerSecond } = this.o;
    const startedAt = clock.now();
    const first = this.next;
    while (!this.stopped && !this.writer.isClosed) {
      const due = first + Math.floor(((clock.now() - startedAt) * rowsPerSecond) / 1000);
      const now = clock.now() * 1000;
      // Rows wait in the writer while Kafka is away (retried, never dropped); at its bound the source waits too.
      for (; this.next < due && !this.writer.isFull; this.next++) this.writer.offer({ value: encodeSourceRow(this.o.schema, [now, this.next]) });
      if (this.writer.isFull) await this.writer.whenWritable();
      await clock.sleep(100, this.abort.signal);
    }
  }

  async awaitSettled(): Promise<void> {
    await this.o.clock.sleep(0);
  }

  async stop(drainTimeoutMs = this.limits.drainTimeoutMs): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    const closing = this.writer.close(drainTimeoutMs);
    await this.loop;
    await closing;
  }
}
