import type { Clock } from '../../core/clock.js';
import { SourceError } from '../../errors/source-error.js';
import type { KafkaPort } from '../../kafka/kafka-port.js';

const READ_TIMEOUT_MS = 60_000;

/**
 * How many records of partition 0, from offset `from` to the partition's end at call time,
 * carry header `header` = `value`: what an interrupted file take already wrote. Counts as it
 * reads (a large file's records are never held), with a throwaway consumer group; throws if
 * the end is not reached in time, since a short count would write records twice.
 */
export async function countTopicRecords(
  kafka: KafkaPort, topic: string, from: number, header: string, value: string, groupId: string, clock: Clock,
): Promise<number> {
  const admin = await kafka.admin();
  let end = 0;
  try {
    end = (await admin.endOffsets(topic)).find((p) => p.partition === 0)?.offset ?? 0;
  } finally {
    await admin.close();
  }
  if (end <= from) return 0;
  let count = 0;
  let seenUpTo = from - 1;
  const consumer = await kafka.consumer({ groupId });
  try {
    await consumer.start([topic], async (batch) => {
      if (batch.partition !== 0) return;
      for (const r of batch.records) {
        if (r.offset >= from && r.offset < end && r.offset > seenUpTo && r.headers[header] === value) count += 1;
        if (r.offset > seenUpTo) seenUpTo = r.offset;
      }
      seenUpTo = Math.max(seenUpTo, batch.nextOffset - 1);
    }, [{ topic, partition: 0, offset: from }]);
    const deadline = clock.now() + READ_TIMEOUT_MS;
    while (seenUpTo < end - 1 && clock.now() < deadline) await clock.sleep(20);
  } finally {
    await consumer.close();
    const a = await kafka.admin();
    await a.deleteGroups([groupId]).catch(() => undefined);
    await a.close();
  }
  if (seenUpTo < end - 1) {
    throw new SourceError(`cannot read ${topic} from offset ${from} to ${end} within ${READ_TIMEOUT_MS} ms to finish an interrupted file`, { topic, partition: 0 });
  }
  return count;
}
