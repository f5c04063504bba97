import type { RedisClient } from '../state/redis-connection.js';
import { checkpointKeys } from '../state/keys.js';
import { RedisMetadataLog } from './redis-metadata-log.js';

/** End offsets of one source: partition → next offset to read (exclusive end of the batch). */
export type SourceOffsets = Readonly<Record<string, number>>;

/** Spark's OffsetSeq: the batch's end offset per source plus the batch's metadata. */
export interface OffsetLogEntry {
  readonly batchWatermarkMs: number;
  readonly batchTimestampMs: number;
  /** One entry per source, by source index. */
  readonly offsets: readonly SourceOffsets[];
  /**
   * OffsetSeqMetadata.conf: settings the checkpoint pins at the first run and a restart keeps
   * whatever the session says (`spark.sql.shuffle.partitions`). Absent in older checkpoints.
   */
  readonly conf?: Readonly<Record<string, string>>;
  /**
   * Start offsets of the batch, by source index (a scaled-out query's leader writes them, so
   * that every task reads the same range; the single processor takes them from entry N-1).
   */
  readonly start?: readonly SourceOffsets[];
  /** The watermark late rows are judged by (a scaled-out query's leader fixes it for every task). */
  readonly lateEventsWatermarkMs?: number;
}

/** The write-ahead log: entry N is written before batch N runs (Spark's `offsets/`). */
export class OffsetLog extends RedisMetadataLog<OffsetLogEntry> {
  constructor(redis: RedisClient, checkpointLocation: string) {
    super(redis, checkpointKeys(checkpointLocation).offsets, 'v1');
  }

  protected serialize(entry: OffsetLogEntry): string {
    return JSON.stringify(entry);
  }

  protected deserialize(body: string): OffsetLogEntry {
    const raw = JSON.parse(body) as OffsetLogEntry;
    if (!Array.isArray(raw.offsets) || typeof raw.batchTimestampMs !== 'number') {
      throw new TypeError('offset log entry lacks offsets or batchTimestampMs');
    }
    return raw;
  }
}
