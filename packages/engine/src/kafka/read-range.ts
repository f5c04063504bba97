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

/**
 * The last committed record of each of `partitions` of `topic` (read_committed), looking back at
 * most `window` offsets from each partition's end, in one throwaway consumer: null where none is.
 */
export async function readLastRecords(
  kafka: KafkaPort, topic: string, partitions: readonly number[], window: number, groupId: string, clock: Clock,
): Promise<Map<number, ConsumedRecord | null>> {
  const found = new Map<number, ConsumedRecord | null>(partitions.map((p) => [p, null]));
  const admin = await kafka.admin();
  let ends: Map<number, number>;
  try {
    ends = new Map((await admin.endOffsets(topic)).map((p) => [p.partition, p.offset]));
  } finally {
    await admin.close();
  }
  const wanted = partitions.filter((p) => (ends.get(p) ?? 0) > 0);
  if (wanted.length === 0) return found;
  const seen = new Map<number, number>(wanted.map((p) => [p, Math.max(0, (ends.get(p) ?? 0) - window) - 1]));
  const consumer = await kafka.consumer({ groupId });
  await consumer.start([topic], async (batch) => {
    if (!seen.has(batch.partition)) return;
    for (const r of batch.records) {
      const last = found.get(batch.partition);
      if (last === null || last === undefined || r.offset > last.offset) found.set(batch.partition, r);
    }
    seen.set(batch.partition, Math.max(seen.get(batch.partition) ?? -1, batch.nextOffset - 1, ...batch.records.map((r) => r.offset)));
  }, wanted.map((partition) => ({ topic, partition, offset: Math.max(0, (ends.get(partition) ?? 0) - window) })));
  const deadline = clock.now() + 15_000;
  const done = (): boolean => wanted.every((p) => (seen.get(p) ?? -1) >= (ends.get(p) ?? 0) - 1);
  while (!done() && clock.now() < deadline) await clock.sleep(20);
  await consumer.close();
  const a = await kafka.admin();
  await a.deleteGroups([groupId]).catch(() => undefined);
  await a.close();
  if (!done()) throw new Error(`cannot read the end of ${topic} within 15 s`);
  return found;
}
