import type { Value } from '../core/types.js';
import { parseValue } from '../core/value-json.js';
import { InMemoryStateStore } from './in-memory-state-store.js';
import type { RedisClient } from './redis-connection.js';

/**
 * A StateStore whose committed contents live in a Redis hash (field = key, value = JSON). It
 * is loaded once, then served from memory; a batch's changes (serialised once, at put) are
 * written by the batch commit (`BatchCommitter`), atomically with the commit-log entry.
 */
export class RedisStateStore extends InMemoryStateStore {
  /** This batch's writes: field → JSON, or null for a delete. */
  private readonly pending = new Map<string, string | null>();

  constructor(private readonly redis: RedisClient, readonly hashKey: string) {
    super();
  }

  async load(): Promise<void> {
    this.fill(await this.redis.hgetall(this.hashKey));
  }

  /** Takes the committed contents read elsewhere (with other keys, in one MULTI). */
  fill(all: Readonly<Record<string, string>>): void {
    for (const [k, v] of Object.entries(all)) super.put(k, parseValue(v) as Value);
    this.pending.clear();
    void super.commit();
  }

  protected override written(key: string, json: string | null): void {
    this.pending.set(key, json);
  }

  /** This batch's writes: fields to set (JSON) and fields to delete. */
  pendingChanges(): { puts: Array<[string, string]>; deletes: string[] } {
    const puts: Array<[string, string]> = [];
    const deletes: string[] = [];
    for (const [key, json] of this.pending) {
      if (json === null) deletes.push(key);
      else puts.push([key, json]);
    }
    return { puts, deletes };
  }

  override async commit(): Promise<number> {
    this.pending.clear();
    return super.commit();
  }

  override abort(): void {
    this.pending.clear();
    super.abort();
  }
}
