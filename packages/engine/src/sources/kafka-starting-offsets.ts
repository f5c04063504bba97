import { IllegalArgumentError } from '../errors/illegal-argument-error.js';
import { SourceError } from '../errors/source-error.js';
import type { KafkaAdmin, TopicPartitionOffset } from '../kafka/kafka-port.js';
import { EARLIEST, LATEST, type KafkaOffsetRangeLimit, type PartitionOffsets, type StrategyOnNoMatchStartingOffset } from './kafka-offset-range-limit.js';

interface AssignedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly earliest: number;
  readonly latest: number;
}

/** Every partition the source reads now, with its earliest and latest offsets. */
async function assignedPartitions(topics: readonly string[], accepts: (topic: string, partition: number) => boolean, admin: KafkaAdmin): Promise<AssignedPartition[]> {
  const out: AssignedPartition[] = [];
  for (const topic of topics) {
    const starts = await admin.startOffsets(topic);
    for (const end of await admin.endOffsets(topic)) {
      if (!accepts(topic, end.partition)) continue;
      const earliest = starts.find((s) => s.partition === end.partition)?.offset ?? 0;
      out.push({ topic, partition: end.partition, earliest, latest: end.offset });
    }
  }
  return out;
}

/** A Scala Set of TopicPartitions as it prints: `Set(topic-0, topic-1)`. */
function setString(parts: ReadonlyArray<{ readonly topic: string; readonly partition: number | string }>): string {
  return `Set(${parts.map((p) => `${p.topic}-${p.partition}`).join(', ')})`;
}

function specified(offsets: PartitionOffsets): Array<{ topic: string; partition: string; value: number }> {
  return Object.entries(offsets).flatMap(([topic, parts]) => Object.entries(parts).map(([partition, value]) => ({ topic, partition, value })));
}

function sameKeys(assigned: readonly AssignedPartition[], given: ReadonlyArray<{ topic: string; partition: string }>): boolean {
  const a = new Set(assigned.map((p) => `${p.topic}-${p.partition}`));
  const g = new Set(given.map((p) => `${p.topic}-${p.partition}`));
  return a.size === g.size && [...a].every((k) => g.has(k));
}

/** -1 and -2 in specific offsets: the partition's latest / earliest offset. */
function resolve(p: AssignedPartition, offset: number): number {
  if (offset === LATEST) return p.latest;
  if (offset === EARLIEST) return p.earliest;
  return offset;
}

/** The first offset at or after `timestamp` in every assigned partition, by Spark's readTimestampOffsets. */
async function timestampOffsets(
  assigned: readonly AssignedPartition[], timestampOf: (p: AssignedPartition) => number,
  strategy: StrategyOnNoMatchStartingOffset, admin: KafkaAdmin,
): Promise<TopicPartitionOffset[]> {
  const out: TopicPartitionOffset[] = [];
  const found = new Map<string, ReadonlyArray<{ readonly partition: number; readonly offset: number | null }>>();
  for (const p of assigned) {
    const ts = timestampOf(p);
    const key = `${ts}:${p.topic}`;
    let offsets = found.get(key);
    if (offsets === undefined) {
      offsets = await admin.offsetsForTimestamp(p.topic, ts);
      found.set(key, offsets);
    }
    const offset = offsets.find((o) => o.partition === p.partition)?.offset ?? null;
    if (offset !== null) out.push({ topic: p.topic, partition: p.partition, offset });
    else if (strategy === 'LATEST') out.push({ topic: p.topic, partition: p.partition, offset: p.latest });
    else throw new IllegalArgumentError(`No offset matched from request of topic-partition ${p.topic}-${p.partition} and timestamp ${ts}.`);
  }
  return out;
}

/**
 * The offsets a new query starts its Kafka source at (Spark's KafkaMicroBatchStream
 * getOrCreateInitialPartitionOffsets through the offset reader), for the partitions of
 * `topics` that `accepts` keeps.
 */
export async function resolveStartingOffsets(
  limit: KafkaOffsetRangeLimit, topics: readonly string[], accepts: (topic: string, partition: number) => boolean, admin: KafkaAdmin,
): Promise<TopicPartitionOffset[]> {
  const assigned = await assignedPartitions(topics, accepts, admin);
  switch (limit.kind) {
    case 'earliest':
      return assigned.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.earliest }));
    case 'latest':
      return assigned.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.latest }));
    case 'specificOffsets': {
      const given = specified(limit.partitionOffsets);
      if (!sameKeys(assigned, given)) {
        throw new SourceError(
          'assertion failed: If startingOffsets contains specific offsets, you must specify all TopicPartitions.\n' +
          "Use -1 for latest, -2 for earliest, if you don't care.\n" +
          `Specified: ${setString(given)} Assigned: ${setString(assigned)}`,
        );
      }
      return assigned.map((p) => ({ topic: p.topic, partition: p.partition, offset: resolve(p, limit.partitionOffsets[p.topic]?.[String(p.partition)] ?? LATEST) }));
    }
    case 'specificTimestamps': {
      const given = specified(limit.topicTimestamps);
      if (!sameKeys(assigned, given)) {
        throw new SourceError(
          'assertion failed: If starting/endingOffsetsByTimestamp contains specific offsets, you must specify all topics. ' +
          `Specified: ${setString(given)} Assigned: ${setString(assigned)}`,
        );
      }
      return timestampOffsets(assigned, (p) => limit.topicTimestamps[p.topic]?.[String(p.partition)] ?? 0, limit.strategy, admin);
    }
    case 'globalTimestamp':
      return timestampOffsets(assigned, () => limit.timestamp, limit.strategy, admin);
  }
}
