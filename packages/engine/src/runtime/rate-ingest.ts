import type { Schema } from '../api/types.js';
import type { Clock } from '../execution/clock.js';
import type { Logger } from '../internal/logger.js';
import type { KafkaProducer, OutgoingRecord } from '../kafka/kafka-port.js';
import { metrics } from '../observability/metrics.js';
import { encodeSourceRow } from './source-records.js';

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

  constructor(private readonly o: RateIngestOptions) {
    this.next = o.startValue;
  }

  start(): void {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const { clock, rowsPerSecond } = this.o;
    const startedAt = clock.now();
    const first = this.next;
    while (!this.stopped) {
      const due = first + Math.floor(((clock.now() - startedAt) * rowsPerSecond) / 1000);
      const records: OutgoingRecord[] = [];
      const now = clock.now() * 1000;
      for (; this.next < due; this.next++) records.push({ value: encodeSourceRow(this.o.schema, [now, this.next]) });
      if (records.length > 0) {
        try {
          await this.o.producer.send(this.o.topic, records);
          metrics().ingestRecords.inc({ query: this.o.queryId, format: 'rate' }, records.length);
        } catch (err) {
          this.o.log.error('rate source cannot write to the source topic', { err });
        }
      }
      await clock.sleep(100, this.abort.signal);
    }
  }

  async awaitSettled(): Promise<void> {
    await this.o.clock.sleep(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.loop;
  }
}
