import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Logger } from '../internal/logger.js';
import { parseRedisUrl } from './redis-address.js';

/**
 * A connection to one Redis server or to a Redis Cluster. Both answer the same commands; on
 * a cluster every multi-key command and Lua script must name keys of one slot (keys.ts gives
 * each commit unit one hash tag), and a key scan must visit every master (redis-scan.ts).
 */
export type RedisClient = Redis | Cluster;

export interface RedisClientOptions {
  /** Retries of a command while the connection is down (ioredis' maxRetriesPerRequest). */
  readonly maxRetriesPerRequest: number;
}

/** A client for a REDIS_URL value (see redis-address.ts), not yet connected. */
export function createRedisClient(url: string, options: RedisClientOptions): RedisClient {
  const address = parseRedisUrl(url);
  const common: RedisOptions = {
    lazyConnect: true,
    maxRetriesPerRequest: options.maxRetriesPerRequest,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(times * 100, 2000),
  };
  if (address.kind === 'standalone') return new Redis(url, common);
  const redisOptions: RedisOptions = { ...common };
  if (address.username !== '') redisOptions.username = address.username;
  if (address.password !== '') redisOptions.password = address.password;
  if (address.tls) redisOptions.tls = {};
  const clusterOptions: ClusterOptions = {
    lazyConnect: true,
    enableOfflineQueue: true,
    // Every read and write goes to the slot's master: state is read back right after a commit.
    scaleReads: 'master',
    clusterRetryStrategy: (times) => Math.min(times * 100, 2000),
    redisOptions,
  };
  return new Cluster(address.nodes.map((n) => ({ host: n.host, port: n.port })), clusterOptions);
}

/** Opens a Redis (or Redis Cluster) connection and waits until it answers; fails fast when it cannot. */
export async function connectRedis(url: string, log: Logger): Promise<RedisClient> {
  const redis = createRedisClient(url, { maxRetriesPerRequest: 3 });
  redis.on('error', (err: Error) => log.warn('redis connection error', { err, url: url.replace(/(\/\/[^:@/]*:)[^@/]+@/, '$1***@') }));
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    // Else the client keeps reconnecting in the background and holds the process open.
    redis.disconnect();
    throw err;
  }
  return redis;
}
