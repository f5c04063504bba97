import { javaDoubleToString } from '../console/java-double-to-string.js';

/** Offsets keyed by partition, as the executor keeps a source's offsets. */
type Offsets = Readonly<Record<string, number>>;

/**
 * Spark's KafkaMicroBatchStream.metrics, a Kafka source's custom metrics in progress: how many
 * offsets each partition's latest available offset is ahead of the consumed one (a partition
 * not consumed yet counts from 0). Empty without both.
 */
export function kafkaSourceMetrics(latestConsumed: Offsets | null, latestAvailable: Offsets | null): Record<string, string> {
  if (latestConsumed === null || latestAvailable === null) return {};
  const behind = Object.entries(latestAvailable).map(([p, latest]) => latest - (latestConsumed[p] ?? 0));
  if (behind.length === 0) return {};
  const avg = behind.reduce((a, b) => a + b, 0) / behind.length;
  return {
    minOffsetsBehindLatest: String(Math.min(...behind)),
    maxOffsetsBehindLatest: String(Math.max(...behind)),
    avgOffsetsBehindLatest: javaDoubleToString(avg),
  };
}
