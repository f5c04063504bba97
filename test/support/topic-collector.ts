import { randomUUID } from 'node:crypto';
import type { KafkaConsumer, KafkaPort } from 'sluice/testing';
import { waitFor } from './wait-for.js';

/**
 * Follows a topic from its start with a read_committed consumer, keeping every record value
 * as it comes: what a downstream reader of a transactional sink sees.
 */
export class TopicCollector {
  readonly values: string[] = [];
  /**
   * Records the test's own consumer received again (kafkajs fetches a batch again when its
   * heartbeat fails mid-batch): the topic holds them once, so they are not values twice.
   */
  redelivered = 0;
  private readonly seen = new Set<string>();
  private lastArrival = Date.now();

  private constructor(private readonly consumer: KafkaConsumer) {}

  static async start(kafka: KafkaPort, topic: string): Promise<TopicCollector> {
    const consumer = await kafka.consumer({ groupId: `test-${randomUUID()}`, fromBeginning: true });
    const collector = new TopicCollector(consumer);
    await consumer.start([topic], async (batch) => {
      if (batch.records.length === 0) return;
      for (const r of batch.records) {
        const at = `${r.partition}:${r.offset}`;
        if (collector.seen.has(at)) {
          collector.redelivered += 1;
          continue;
        }
        collector.seen.add(at);
        collector.values.push(r.value?.toString() ?? '');
      }
      collector.lastArrival = Date.now();
    });
    return collector;
  }

  /**
   * Waits until at least `count` values came and then none for `quietMs` (a duplicate or an
   * extra row would have time to show), or until `giveUp` holds. Resolves on timeout too: the
   * caller compares what came.
   */
  async settle(count: number, quietMs: number, timeoutMs: number, giveUp: () => boolean = () => false): Promise<void> {
    const settled = (): boolean => this.values.length >= count && Date.now() - this.lastArrival >= quietMs;
    await waitFor(() => giveUp() || settled(), `${count} values, then ${quietMs} ms of quiet`, timeoutMs, 100).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.consumer.close();
  }
}
