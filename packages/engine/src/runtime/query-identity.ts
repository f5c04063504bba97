import { randomUUID } from 'node:crypto';
import { prepareCheckpointLayout } from '../checkpoint/checkpoint-layout.js';
import type { Logger } from '../internal/logger.js';
import { checkpointKeys } from '../state/keys.js';
import type { RedisClient } from '../state/redis-connection.js';

/**
 * The query id lives in the checkpoint (Spark's `metadata` file): the first part to start a
 * query with a given checkpoint location fixes it, every later start and every other service
 * reads the same id. The checkpoint's key layout is checked (or migrated) first.
 */
export async function resolveQueryId(redis: RedisClient, checkpointLocation: string, log: Logger): Promise<string> {
  await prepareCheckpointLayout(redis, checkpointLocation, log);
  const key = checkpointKeys(checkpointLocation).metadata;
  await redis.hsetnx(key, 'id', randomUUID());
  const id = await redis.hget(key, 'id');
  if (id === null) throw new TypeError(`checkpoint metadata ${key} has no id`);
  return id;
}
