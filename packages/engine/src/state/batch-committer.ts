import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { CheckpointError } from '../errors/checkpoint-error.js';
import { checkpointKeys } from './keys.js';
import type { RedisStateStore } from './redis-state-store.js';

const COMMIT_BATCH = readFileSync(new URL('./lua/commit-batch-2.lua', import.meta.url), 'utf8');

/**
 * Steps (e) and (f) of the micro-batch protocol as one atomic Redis step: the state changes of
 * every store and the commit-log entry of the batch, in one Lua script (one round trip).
 */
export class BatchCommitter {
  private readonly keys;

  constructor(private readonly redis: Redis, checkpointLocation: string) {
    this.keys = checkpointKeys(checkpointLocation);
  }

  /** Resolves true when committed now, false when the batch was already committed. */
  async commit(batchId: number, encodedCommitEntry: string, stores: readonly RedisStateStore[]): Promise<boolean> {
    const args: string[] = [String(batchId), encodedCommitEntry, String(stores.length)];
    for (const store of stores) {
      const { puts, deletes } = store.pendingChanges();
      args.push(store.hashKey, String(puts.length), String(deletes.length));
      for (const [k, v] of puts) args.push(k, v);
      args.push(...deletes);
    }
    try {
      const result = await this.redis.eval(COMMIT_BATCH, 2, this.keys.commits, this.keys.stateVersion, ...args);
      for (const store of stores) await store.commit();
      return result === 1;
    } catch (cause) {
      throw new CheckpointError(`cannot commit batch ${batchId}: ${(cause as Error).message}`, { batchId, cause, retriable: true });
    }
  }
}
