import type { SourceOffsets } from '../../checkpoint/offset-log.js';
import type { KafkaAdmin } from '../../kafka/kafka-port.js';
import type { PartitionLag } from '../../observability/live-query.js';
import { queryTopics } from '../query-topics.js';
import type { SourceTopicSet } from '../processor/source-topics.js';

/**
 * How far a scaled-out query trails its Kafka source partitions: the records each partition
 * holds beyond a position. The leader measures it after each batch against the batch's end
 * offsets; `sluice status` against the source tasks' group, whose committed offset of a
 * partition is where its task got to (the tasks commit it in their output transaction).
 */

const byPartition = (a: PartitionLag, b: PartitionLag): number => a.source - b.source || a.topic.localeCompare(b.topic) || a.partition - b.partition;

/** The topic and partition of an offset key: the partition for one topic, `topic:partition` for several (SourceTopicSet.key). */
function partitionOfKey(topics: readonly string[], key: string): { topic: string; partition: number } {
  const cut = key.lastIndexOf(':');
  return { topic: cut < 0 ? (topics[0] ?? '') : key.slice(0, cut), partition: Number(key.slice(cut + 1)) };
}

/** Per partition of every source, the broker's end offset (`ends`) past the batch's end (`batchEnd`). */
export function lagBeyond(topics: ReadonlyArray<readonly string[]>, ends: readonly SourceOffsets[], batchEnd: readonly SourceOffsets[]): PartitionLag[] {
  const out: PartitionLag[] = [];
  for (const [source, end] of ends.entries()) {
    for (const [key, offset] of Object.entries(end)) {
      out.push({ source, ...partitionOfKey(topics[source] ?? [], key), records: Math.max(0, offset - (batchEnd[source]?.[key] ?? 0)) });
    }
  }
  return out.sort(byPartition);
}

/** What each partition of every source holds beyond a batch's end offsets, by the broker's end offsets now. */
export async function lagAfterBatch(sets: readonly SourceTopicSet[], admin: KafkaAdmin, batchEnd: readonly SourceOffsets[]): Promise<PartitionLag[]> {
  const ends: SourceOffsets[] = [];
  for (const set of sets) ends.push(await set.endOffsets(admin));
  return lagBeyond(sets.map((s) => s.topics), ends, batchEnd);
}

/** A partition's label in the lag gauge: its offset key (SourceTopicSet.key), as the single processor labels it. */
export function lagLabel(sets: readonly SourceTopicSet[], p: PartitionLag): string {
  return (sets[p.source]?.topics.length ?? 1) > 1 ? `${p.topic}:${p.partition}` : String(p.partition);
}

/**
 * Per partition of the topics each source reads, the end offset past the source tasks'
 * committed offset. A partition no task has committed yet counts from the first offset held.
 */
export async function sourceTaskLag(admin: KafkaAdmin, queryId: string, topics: ReadonlyArray<readonly string[]>): Promise<PartitionLag[]> {
  const group = queryTopics(queryId).sourceTaskGroup;
  const out: PartitionLag[] = [];
  for (const [source, names] of topics.entries()) {
    for (const topic of names) {
      const [ends, starts, commits] = await Promise.all([admin.endOffsets(topic), admin.startOffsets(topic), admin.committedOffsets(group, topic)]);
      for (const { partition, offset } of ends) {
        const committed = commits.find((c) => c.partition === partition)?.offset ?? -1;
        const from = committed >= 0 ? committed : (starts.find((s) => s.partition === partition)?.offset ?? 0);
        out.push({ source, topic, partition, records: Math.max(0, offset - from) });
      }
    }
  }
  return out.sort(byPartition);
}
