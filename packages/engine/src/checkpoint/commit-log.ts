import type { RedisClient } from '../state/redis-connection.js';
import { checkpointKeys } from '../state/keys.js';
import { RedisMetadataLog } from './redis-metadata-log.js';

/** Spark's CommitMetadata: the watermark the next batch starts with. */
export interface CommitLogEntry {
  readonly nextBatchWatermarkMs: number;
}

/** Entry N is written once batch N's output and state are durable (Spark's `commits/`). */
export class CommitLog extends RedisMetadataLog<CommitLogEntry> {
  constructor(redis: RedisClient, checkpointLocation: string) {
    super(redis, checkpointKeys(checkpointLocation).commits, 'v1');
  }

  protected serialize(entry: CommitLogEntry): string {
    return JSON.stringify(entry);
  }

  protected deserialize(body: string): CommitLogEntry {
    const raw = JSON.parse(body) as CommitLogEntry;
    if (typeof raw.nextBatchWatermarkMs !== 'number') throw new TypeError('commit log entry lacks nextBatchWatermarkMs');
    return raw;
  }
}
