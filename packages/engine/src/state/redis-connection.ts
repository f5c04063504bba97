import { Redis } from 'ioredis';
import type { Logger } from '../internal/logger.js';

/** Opens a Redis connection and waits until it answers; fails fast when it cannot. */
export async function connectRedis(url: string, log: Logger): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 3,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(times * 100, 2000),
  });
  redis.on('error', (err: Error) => log.warn('redis connection error', { err, url }));
  await redis.connect();
  await redis.ping();
  return redis;
}
