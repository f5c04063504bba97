import type { RedisClient } from '../state/redis-connection.js';
import type { SourceOffsets } from '../checkpoint/offset-log.js';
import type { KafkaPort } from '../kafka/kafka-port.js';

/**
 * A source's latest offset as its ingest reports it (CheckpointKeys.sourceOffered): the
 * ingest records how far into the source topic batches may read — Spark asks the source for
 * this when it plans a batch — and the processor reads it then. Until it is recorded the
 * source has no offset, and no batch runs for it.
 */
export async function offerTopicEnd(redis: RedisClient, key: string, kafka: KafkaPort, topic: string): Promise<void> {
  const admin = await kafka.admin();
  try {
    const ends = await admin.endOffsets(topic);
    await redis.set(key, JSON.stringify(Object.fromEntries(ends.map((p) => [String(p.partition), p.offset]))));
  } finally {
    await admin.close();
  }
}

/** The offsets offered so far, keyed by partition; null while the source has none. */
export async function readOffered(redis: RedisClient, key: string): Promise<SourceOffsets | null> {
  const raw = await redis.get(key);
  if (raw === null) return null;
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null) return null;
  const out: Record<string, number> = {};
  for (const [p, offset] of Object.entries(parsed)) if (typeof offset === 'number') out[p] = offset;
  return out;
}
