import type { RedisClient } from '../state/redis-connection.js';
import type { Row, Schema } from '../core/types.js';
import { checkpointKeys } from '../state/keys.js';

export interface BatchSink {
  /**
   * Writes batch `batchId`. A batch id already written is not written again: a replayed batch
   * never duplicates output. Returns false when the batch was dropped as a duplicate.
   */
  addBatch(batchId: number, schema: Schema, rows: readonly Row[]): Promise<boolean>;
}

/** Writes one batch somewhere, with no memory of earlier batches. */
export type BatchWriter = (batchId: number, schema: Schema, rows: readonly Row[]) => Promise<void>;

/**
 * Makes a writer idempotent by batch id: the last batch id written is kept in Redis under the
 * query's checkpoint, and a batch at or below it is dropped.
 */
export class IdempotentSink implements BatchSink {
  private readonly lastKey: string;

  constructor(private readonly redis: RedisClient, checkpointLocation: string, sinkId: string, private readonly write: BatchWriter) {
    this.lastKey = checkpointKeys(checkpointLocation).sinkLastBatch(sinkId);
  }

  /** The last batch id this process wrote: a retry after Redis failed to record it does not write it again. */
  private written = -1;

  async addBatch(batchId: number, schema: Schema, rows: readonly Row[]): Promise<boolean> {
    const last = await this.redis.get(this.lastKey);
    if (last !== null && Number(last) >= batchId) return false;
    if (batchId > this.written) {
      await this.write(batchId, schema, rows);
      this.written = batchId;
    }
    await this.redis.set(this.lastKey, String(batchId));
    return true;
  }
}
