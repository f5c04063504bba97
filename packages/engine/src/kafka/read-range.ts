import type { Clock } from '../core/clock.js';
import type { ConsumedRecord, KafkaPort } from './kafka-port.js';

/**
 * The committed records of one partition between `from` (inclusive) and the partition's end at
 * call time, read with a throwaway consumer group. For recovery checks, not for streaming.
 */
export async function readRange(kafka: KafkaPort, topic: string, partition: number, from: number, groupId: string, clock: Clock): Promise<ConsumedRecord[]> {
  const admin = await kafka.admin();
  let end = 0;
  try {
    end = (await admin.endOffsets(topic)).find((p) => p.partition === partition)?.offset ?? 0;
  } finally {
    await admin.close();
  }
  if (end <= from) return [];
  const out: ConsumedRecord[] = [];
  let seenUpTo = from - 1;
  const consumer = await kafka.consumer({ groupId });
  await consumer.start([topic], async (batch) => {
    if (batch.partition !== partition) return;
    for (const r of batch.records) if (r.offset >= from) out.push(r);
    seenUpTo = Math.max(seenUpTo, batch.highWatermark - 1, ...batch.records.map((r) => r.offset));
  }, [{ topic, partition, offset: from }]);
  const deadline = clock.now() + 15_000;
  while (seenUpTo < end - 1 && clock.now() < deadline) await clock.sleep(20);
  await consumer.close();
  const a = await kafka.admin();
  await a.deleteGroups([groupId]).catch(() => undefined);
  await a.close();
  return out;
}
