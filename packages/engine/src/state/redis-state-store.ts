import type { Redis } from 'ioredis';
import type { Value } from '../api/types.js';
import { InMemoryStateStore } from './in-memory-state-store.js';

/**
 * A StateStore whose committed contents live in a Redis hash (field = key, value = JSON). It
 * is loaded once, then served from memory; a batch's changes are collected and written by the
 * batch commit (`BatchCommitter`), atomically with the commit-log entry.
 */
export class RedisStateStore extends InMemoryStateStore {
  private readonly changed = new Set<string>();

  constructor(private readonly redis: Redis, readonly hashKey: string) {
    super();
  }

  async load(): Promise<void> {
    const all = await this.redis.hgetall(this.hashKey);
    for (const [k, v] of Object.entries(all)) super.put(k, JSON.parse(v) as Value);
    await super.commit();
  }

  override put(key: string, value: Value): void {
    this.changed.add(key);
    super.put(key, value);
  }

  override delete(key: string): void {
    this.changed.add(key);
    super.delete(key);
  }

  /** This batch's writes: fields to set (JSON) and fields to delete. */
  pendingChanges(): { puts: Array<[string, string]>; deletes: string[] } {
    const puts: Array<[string, string]> = [];
    const deletes: string[] = [];
    for (const key of this.changed) {
      const v = this.get(key);
      if (v === undefined) deletes.push(key);
      else puts.push([key, JSON.stringify(v)]);
    }
    return { puts, deletes };
  }

  override async commit(): Promise<number> {
    this.changed.clear();
    return super.commit();
  }

  override abort(): void {
    this.changed.clear();
    super.abort();
  }
}
