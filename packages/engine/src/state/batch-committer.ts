import { readFileSync } from 'node:fs';
import { CheckpointError } from '../errors/checkpoint-error.js';
import { checkpointKeys, hashTagOf } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisStateStore } from './redis-state-store.js';

const COMMIT_BATCH = readFileSync(new URL('./lua/commit-batch-n.lua', import.meta.url), 'utf8');

/**
 * Steps (e) and (f) of the micro-batch protocol as one atomic Redis step: the state changes of
 * every store and the commit-log entry of the batch, in one Lua script (one round trip). Its
 * keys are one commit unit's, so they share a slot on a Redis Cluster.
 */
export class BatchCommitter {
  private readonly keys;

  constructor(private readonly redis: RedisClient, checkpointLocation: string) {
    this.keys = checkpointKeys(checkpointLocation);
  }

  /** Resolves true when committed now, false when the batch was already committed. */
  commit(batchId: number, encodedCommitEntry: string, stores: readonly RedisStateStore[]): Promise<boolean> {
    return this.commitUnder(this.keys.commits, this.keys.stateVersion, batchId, encodedCommitEntry, stores);
  }

  /**
   * The same atomic step for one shuffle task of a scaled-out query: its stores and its own
   * commit record (with its read position), under the task's keys.
   */
  commitTask(task: number, batchId: number, encodedTaskEntry: string, stores: readonly RedisStateStore[]): Promise<boolean> {
    return this.commitUnder(this.keys.taskCommits(task), this.keys.taskStateVersion(task), batchId, encodedTaskEntry, stores);
  }

  private async commitUnder(
    commitsKey: string, versionKey: string, batchId: number, encodedCommitEntry: string, stores: readonly RedisStateStore[],
  ): Promise<boolean> {
    const keys = [commitsKey, versionKey, ...stores.map((s) => s.hashKey)];
    const tag = hashTagOf(keys[0] ?? '');
    const stray = keys.find((k) => hashTagOf(k) !== tag);
    if (stray !== undefined) {
      // A store outside the commit unit would make the script fail on a cluster (CROSSSLOT).
      throw new CheckpointError(`cannot commit batch ${batchId}: state key ${stray} is outside the commit unit {${tag}}`, { batchId });
    }
    const args: string[] = [String(batchId), encodedCommitEntry];
    for (const store of stores) {
      const { puts, deletes } = store.pendingChanges();
      args.push(String(puts.length), String(deletes.length));
      for (const [k, v] of puts) args.push(k, v);
      args.push(...deletes);
    }
    try {
      const result = await this.redis.eval(COMMIT_BATCH, keys.length, ...keys, ...args);
      for (const store of stores) await store.commit();
      return result === 1;
    } catch (cause) {
      throw new CheckpointError(`cannot commit batch ${batchId}: ${(cause as Error).message}`, { batchId, cause, retriable: true });
    }
  }
}
