import type { SourceOffsets } from '../../checkpoint/offset-log.js';
import type { KafkaConsumer } from '../../kafka/kafka-port.js';
import type { Logger } from '../../internal/logger.js';
import type { SourceBuffer } from './source-buffer.js';
import type { SourceTopicSet } from './source-topics.js';

/** How much one source may hold beyond its planned batch before its partitions pause (0: no bound). */
export interface FetchBound {
  readonly records: number;
  readonly bytes: number;
}

export interface FetchThrottleOptions {
  readonly consumer: Pick<KafkaConsumer, 'pause' | 'resume'>;
  readonly sets: readonly SourceTopicSet[];
  readonly buffers: readonly SourceBuffer[];
  /** Per source; a source with no bound never pauses its partitions. */
  readonly bounds: readonly FetchBound[];
  /** The end of the batch planned last (the last committed one when none is pending), per source. */
  readonly plannedEnd: () => readonly SourceOffsets[];
  readonly log: Logger;
}

/**
 * Back-pressure between the consumer and the batches: a partition stops fetching once it holds
 * its share of a batch's cap beyond the planned batch, and fetches again when the next batch
 * is planned past those records. The consumer otherwise fetches a backlog as fast as the
 * broker sends it, and every record would sit in memory until its batch came.
 *
 * A partition only pauses past the planned end, so the planned batch itself is always fetched
 * whole. A partition read by several sources pauses when every one of them holds enough.
 */
export class FetchThrottle {
  private readonly seen = new Map<string, { readonly topic: string; readonly partition: number }>();
  private readonly paused = new Set<string>();

  constructor(private readonly o: FetchThrottleOptions) {}

  /** After records of a partition were added to the buffers. */
  arrived(topic: string, partition: number): void {
    const id = `${topic}:${partition}`;
    if (!this.seen.has(id)) this.seen.set(id, { topic, partition });
    this.apply(id, topic, partition, this.o.plannedEnd());
  }

  /** After a batch was planned: partitions back under their share fetch again. */
  recheck(): void {
    const ends = this.o.plannedEnd();
    for (const [id, { topic, partition }] of this.seen) this.apply(id, topic, partition, ends);
  }

  /** Whether source `i` holds its share in partition `key` beyond the planned end (it may be paused). */
  full(i: number, key: string, ends: readonly SourceOffsets[] = this.o.plannedEnd()): boolean {
    const bound = this.o.bounds[i];
    const buffer = this.o.buffers[i];
    if (bound === undefined || buffer === undefined || (bound.records === 0 && bound.bytes === 0)) return false;
    // The cap is spread over partitions (as rateLimit spreads it): each holds its share.
    const partitions = Math.max(1, Object.keys(buffer.available()).length);
    const held = buffer.heldFrom(key, ends[i]?.[key] ?? 0);
    return (bound.records > 0 && held.records >= Math.ceil(bound.records / partitions))
      || (bound.bytes > 0 && held.bytes >= bound.bytes / partitions);
  }

  private apply(id: string, topic: string, partition: number, ends: readonly SourceOffsets[]): void {
    const readers = [...this.o.sets.entries()].filter(([, set]) => set.accepts(topic, partition));
    const full = readers.length > 0 && readers.every(([i, set]) => this.full(i, set.key(topic, partition), ends));
    if (full && !this.paused.has(id)) {
      this.paused.add(id);
      this.o.consumer.pause(topic, [partition]);
      this.o.log.debug('source partition paused: enough fetched beyond the planned batch', { topic, partition });
    } else if (!full && this.paused.delete(id)) {
      this.o.consumer.resume(topic, [partition]);
      this.o.log.debug('source partition resumed', { topic, partition });
    }
  }
}
