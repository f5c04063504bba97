import type { CaseInsensitiveOptions } from '../core/options.js';
import { IllegalArgumentError } from '../errors/illegal-argument-error.js';

/** Offsets by topic, then partition (Spark's Map[TopicPartition, Long] as JsonUtils writes it). */
export type PartitionOffsets = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** In a specific offset: start at the partition's latest / earliest offset. */
export const LATEST = -1;
export const EARLIEST = -2;

/** What a timestamp with no record at or after it starts at (startingOffsetsByTimestampStrategy). */
export type StrategyOnNoMatchStartingOffset = 'ERROR' | 'LATEST';

/** Where a Kafka source starts, as the user said it (Spark's KafkaOffsetRangeLimit). */
export type KafkaOffsetRangeLimit =
  | { readonly kind: 'earliest' }
  | { readonly kind: 'latest' }
  | { readonly kind: 'specificOffsets'; readonly partitionOffsets: PartitionOffsets }
  | { readonly kind: 'specificTimestamps'; readonly topicTimestamps: PartitionOffsets; readonly strategy: StrategyOnNoMatchStartingOffset }
  | { readonly kind: 'globalTimestamp'; readonly timestamp: number; readonly strategy: StrategyOnNoMatchStartingOffset };

export const EarliestOffsetRangeLimit: KafkaOffsetRangeLimit = { kind: 'earliest' };
export const LatestOffsetRangeLimit: KafkaOffsetRangeLimit = { kind: 'latest' };

/** JsonUtils.partitionOffsets: `{"topicA":{"0":23,"1":-1}}`, partitions integers, offsets longs. */
function parsePartitionOffsets(json: string, error: string): PartitionOffsets {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new IllegalArgumentError(error);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new IllegalArgumentError(error);
  const out: Record<string, Record<string, number>> = {};
  for (const [topic, parts] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof parts !== 'object' || parts === null || Array.isArray(parts)) throw new IllegalArgumentError(error);
    const offsets: Record<string, number> = {};
    for (const [partition, offset] of Object.entries(parts as Record<string, unknown>)) {
      if (!/^-?\d+$/.test(partition) || typeof offset !== 'number' || !Number.isInteger(offset)) throw new IllegalArgumentError(error);
      offsets[String(Number(partition))] = offset;
    }
    out[topic] = offsets;
  }
  return out;
}

/**
 * Spark's KafkaSourceProvider.getKafkaOffsetRangeLimit: a global timestamp, else timestamps
 * per partition, else `latest` / `earliest` / offsets per partition, else `fallback`.
 */
export function kafkaOffsetRangeLimit(
  options: CaseInsensitiveOptions, globalTimestampKey: string, byTimestampKey: string, offsetKey: string,
  fallback: KafkaOffsetRangeLimit,
): KafkaOffsetRangeLimit {
  const strategyName = options.get('startingOffsetsByTimestampStrategy');
  let strategy: StrategyOnNoMatchStartingOffset = 'ERROR';
  if (strategyName !== undefined) {
    const upper = strategyName.toUpperCase();
    // Scala's Enumeration.withName
    if (upper !== 'ERROR' && upper !== 'LATEST') throw new IllegalArgumentError(`No value found for '${upper}'`);
    strategy = upper;
  }
  const global = options.get(globalTimestampKey);
  if (global !== undefined) {
    const ts = global.trim();
    if (!/^[+-]?\d+$/.test(ts)) throw new IllegalArgumentError(`Expected a single long value, got ${ts}`);
    return { kind: 'globalTimestamp', timestamp: Number(ts), strategy };
  }
  const byTimestamp = options.get(byTimestampKey);
  if (byTimestamp !== undefined) {
    const json = byTimestamp.trim();
    const error = `Expected e.g. {"topicA": {"0": 123456789, "1": 123456789},\n"topicB": {"0": 123456789, "1": 123456789}}, got ${json}`;
    return { kind: 'specificTimestamps', topicTimestamps: parsePartitionOffsets(json, error), strategy };
  }
  const offset = options.get(offsetKey)?.trim();
  if (offset === undefined) return fallback;
  if (offset.toLowerCase() === 'latest') return LatestOffsetRangeLimit;
  if (offset.toLowerCase() === 'earliest') return EarliestOffsetRangeLimit;
  return {
    kind: 'specificOffsets',
    partitionOffsets: parsePartitionOffsets(offset, `Expected e.g. {"topicA":{"0":23,"1":-1},"topicB":{"0":-2}}, got ${offset}`),
  };
}

/** Where a streaming Kafka source starts: startingTimestamp, startingOffsetsByTimestamp, startingOffsets; default latest. */
export function startingOffsetRangeLimit(options: CaseInsensitiveOptions): KafkaOffsetRangeLimit {
  return kafkaOffsetRangeLimit(options, 'startingTimestamp', 'startingOffsetsByTimestamp', 'startingOffsets', LatestOffsetRangeLimit);
}
