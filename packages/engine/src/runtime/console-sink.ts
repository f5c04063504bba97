import type { Redis } from 'ioredis';
import type { Row, Schema } from '../api/types.js';
import type { CaseInsensitiveOptions } from '../api/options.js';
import { consoleBatch, type ShowOptions } from '../console/show-string.js';
import { checkpointKeys } from '../state/keys.js';

/** Spark's console sink options: `numRows` (default 20) and `truncate` (default true = 20). */
export function consoleShowOptions(options: CaseInsensitiveOptions, timeZone: string): ShowOptions {
  return {
    numRows: options.getInt('numRows', 20, 0),
    truncate: options.getBoolean('truncate', true) ? 20 : 0,
    timeZone,
  };
}

export interface BatchSink {
  /**
   * Writes batch `batchId`. A batch id already written is not written again: a replayed batch
   * never duplicates output. Returns false when the batch was dropped as a duplicate.
   */
  addBatch(batchId: number, schema: Schema, rows: readonly Row[]): Promise<boolean>;
}

/**
 * The console sink: prints each batch as Spark does. It remembers the last batch id printed
 * (in Redis, under the query's checkpoint) so a batch delivered again is not printed again.
 */
export class ConsoleSink implements BatchSink {
  private readonly lastKey: string;

  constructor(
    private readonly redis: Redis,
    checkpointLocation: string,
    private readonly show: ShowOptions,
    private readonly write: (text: string) => Promise<void>,
  ) {
    this.lastKey = checkpointKeys(checkpointLocation).sinkLastBatch('console');
  }

  async addBatch(batchId: number, schema: Schema, rows: readonly Row[]): Promise<boolean> {
    const last = await this.redis.get(this.lastKey);
    if (last !== null && Number(last) >= batchId) return false;
    await this.write(consoleBatch(batchId, schema, rows, this.show));
    await this.redis.set(this.lastKey, String(batchId));
    return true;
  }
}

/** Writes to stdout and resolves once the text is handed to the OS. */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}
