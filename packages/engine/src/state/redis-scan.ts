import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from './redis-connection.js';

/**
 * Key scans and removals that work on one server and on a Redis Cluster. SCAN walks one
 * node's keyspace, so on a cluster every master is scanned; a multi-key DEL must stay in one
 * slot, so keys are removed one command each.
 */

/** Every key matching a glob pattern (SCAN, never the blocking KEYS). */
export async function scanKeys(redis: RedisClient, pattern: string): Promise<string[]> {
  const nodes: Redis[] = redis instanceof Cluster ? redis.nodes('master') : [redis];
  const found = new Set<string>();
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      for (const key of keys) found.add(key);
      cursor = next;
    } while (cursor !== '0');
  }
  return [...found].sort();
}

/** Removes the keys (UNLINK: freed in the background); resolves with how many existed. */
export async function deleteKeys(redis: RedisClient, keys: readonly string[]): Promise<number> {
  const removed = await Promise.all(keys.map((key) => redis.unlink(key)));
  return removed.reduce((a, b) => a + b, 0);
}
