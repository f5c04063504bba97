import type { SourceOffsets } from '../../checkpoint/offset-log.js';
import type { BatchLimits } from '../../config/processor-config.js';
import { rateLimit } from '../../sources/kafka-rate-limit.js';
import type { SourceBuffer } from './source-buffer.js';

/**
 * The processor's own cap on a batch (processor.maxBatchRecords, processor.maxBatchBytes),
 * for a source whose options set no read limit: a backlog then runs as several batches, so
 * memory holds one batch's records and rows, never the whole backlog. Spark needs no such cap
 * (its executors stream a batch); Trigger.Once reads everything, as Spark does.
 *
 * The records cap is spread over partitions as maxOffsetsPerTrigger is (rateLimit); the bytes
 * cap then shrinks it over the records fetched, the only ones whose sizes are known.
 */
export function capBatch(
  limits: BatchLimits,
  source: { readonly maxFiles: number | null; readonly maxOffsets: number | null },
  from: SourceOffsets,
  available: SourceOffsets,
  buffer: Pick<SourceBuffer, 'capByBytes'>,
): SourceOffsets {
  if (source.maxFiles !== null || source.maxOffsets !== null) return available;
  let capped = available;
  if (limits.maxBatchRecords > 0) capped = rateLimit(limits.maxBatchRecords, from, capped);
  if (limits.maxBatchBytes > 0) capped = buffer.capByBytes(from, capped, limits.maxBatchBytes);
  return capped;
}
