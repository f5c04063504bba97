import type { KafkaAdmin } from '../kafka/kafka-port.js';

/**
 * Spark's latestOffset of a Kafka source (KafkaMicroBatchStream asks the broker at every
 * trigger): the broker's latest offset of each partition the source reads, or how far the
 * consumer has fetched when that is further (records of an open transaction, read
 * uncommitted). Only partitions in `fetched` count: a partition the consumer has not been
 * given yet would hold a batch back until it is. A topic gone from the broker keeps what was
 * fetched.
 */
export async function latestKafkaOffsets(
  topics: readonly string[],
  accepts: (topic: string, partition: number) => boolean,
  key: (topic: string, partition: number) => string,
  fetched: Readonly<Record<string, number>>,
  admin: KafkaAdmin,
): Promise<Record<string, number>> {
  const out: Record<string, number> = { ...fetched };
  const existing = new Set(await admin.listTopics());
  for (const topic of topics) {
    if (!existing.has(topic)) continue;
    for (const p of await admin.endOffsets(topic)) {
      const k = key(topic, p.partition);
      const known = out[k];
      if (accepts(topic, p.partition) && known !== undefined && p.offset > known) out[k] = p.offset;
    }
  }
  return out;
}
