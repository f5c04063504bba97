import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { checkpointKeys } from '../state/keys.js';

/**
 * The query id lives in the checkpoint (Spark's `metadata` file): the first part to start a
 * query with a given checkpoint location fixes it, every later start and every other service
 * reads the same id.
 */
export async function resolveQueryId(redis: Redis, checkpointLocation: string): Promise<string> {
  const key = checkpointKeys(checkpointLocation).metadata;
  await redis.hsetnx(key, 'id', randomUUID());
  const id = await redis.hget(key, 'id');
  if (id === null) throw new TypeError(`checkpoint metadata ${key} has no id`);
  return id;
}
