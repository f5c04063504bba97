import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { KafkaAdmin, KafkaPort, OutgoingRecord } from '../../kafka/kafka-port.js';
import { readLastRecords } from '../../kafka/read-range.js';

/** How far back from a marker partition's end the last marker is looked for first. */
const FIRST_WINDOW = 64;

/**
 * Which batch a task has finished, as a record in the task's own partition of a marker topic,
 * written in the task's transaction. A new owner reads it back read_committed after fencing the
 * old one: once its transactional id is opened, every transaction of the old owner is complete,
 * and a committed record is then visible, which a consumer group's committed offset may not yet
 * be (the broker applies transactional offset commits asynchronously; kafkajs cannot ask for
 * stable offsets). The group offsets still move with each transaction, for lag and positions.
 */
export function markerRecord(partition: number, batchId: number): OutgoingRecord {
  return { partition, key: null, value: String(batchId) };
}

/** Creates the marker topic with at least `partitions` partitions. */
export async function ensureMarkerTopic(admin: KafkaAdmin, topic: string, partitions: number): Promise<void> {
  await admin.ensureTopic(topic, partitions);
  const have = (await admin.endOffsets(topic)).length;
  if (have < partitions) await admin.createPartitions(topic, partitions);
}

/** The last batch each partition's task has marked done (-1 for none). */
export async function lastMarkedBatches(kafka: KafkaPort, topic: string, partitions: readonly number[], clock: Clock): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  let pending = [...partitions];
  // Aborted attempts (a fenced owner's) leave records no committed reader sees: look further back.
  for (let window = FIRST_WINDOW; pending.length > 0; window *= 8) {
    const found = await readLastRecords(kafka, topic, pending, window, `sluice-markers-${randomUUID()}`, clock);
    const admin = await kafka.admin();
    const ends = new Map((await admin.endOffsets(topic).finally(() => admin.close())).map((p) => [p.partition, p.offset]));
    const next: number[] = [];
    for (const p of pending) {
      const record = found.get(p);
      if (record !== null && record !== undefined) out.set(p, Number(record.value?.toString() ?? -1));
      else if ((ends.get(p) ?? 0) > window) next.push(p);
      else out.set(p, -1);
    }
    pending = next;
  }
  return out;
}
