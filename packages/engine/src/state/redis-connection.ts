import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { systemClock } from '../core/clock.js';
import { ConfigError } from '../errors/config-error.js';
import { LocalStackError } from '../errors/local-stack-error.js';
import type { Logger } from '../internal/logger.js';
import { redactText, registerSecret } from '../internal/secrets.js';
import { parseRedisUrl } from './redis-address.js';

/**
 * A connection to one Redis server or to a Redis Cluster. Both answer the same commands; on
 * a cluster every multi-key command and Lua script must name keys of one slot (keys.ts gives
 * each commit unit one hash tag), and a key scan must visit every master (redis-scan.ts).
 */
export type RedisClient = Redis | Cluster;

/** A file the configuration names, and how a message names that setting. */
export interface RedisFile {
  readonly path: string;
  readonly label: string;
}

/**
 * What the configuration adds to REDIS_URL: an ACL user and password (so that a password can
 * come from a Kubernetes Secret rather than sit in a URL; they override the URL's), and the
 * TLS files of a rediss:// connection.
 */
export interface RedisSettings {
  readonly username: string;
  readonly password: string;
  readonly tlsCa: RedisFile | null;
  readonly tlsCert: RedisFile | null;
  readonly tlsKey: RedisFile | null;
}

export const NO_REDIS_SETTINGS: RedisSettings = { username: '', password: '', tlsCa: null, tlsCert: null, tlsKey: null };

export interface RedisClientOptions {
  /** Retries of a command while the connection is down (ioredis' maxRetriesPerRequest). */
  readonly maxRetriesPerRequest: number;
  readonly settings?: RedisSettings;
}

function readPem(file: RedisFile): string {
  try {
    return readFileSync(file.path, 'utf8');
  } catch (err) {
    throw new ConfigError(file.label, file.path, `a readable PEM file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** The TLS options of a rediss:// connection: the configured CA and client certificate. */
function tlsOptions(settings: RedisSettings): ConnectionOptions {
  const tls: ConnectionOptions = {};
  if (settings.tlsCa !== null) tls.ca = readPem(settings.tlsCa);
  if (settings.tlsCert !== null) tls.cert = readPem(settings.tlsCert);
  if (settings.tlsKey !== null) tls.key = readPem(settings.tlsKey);
  return tls;
}

/** A client for a REDIS_URL value (see redis-address.ts), not yet connected. */
export function createRedisClient(url: string, options: RedisClientOptions): RedisClient {
  const address = parseRedisUrl(url);
  const settings = options.settings ?? NO_REDIS_SETTINGS;
  const tls = address.kind === 'cluster' ? address.tls : url.startsWith('rediss:');
  const file = settings.tlsCa ?? settings.tlsCert ?? settings.tlsKey;
  if (!tls && file !== null) throw new ConfigError(file.label, file.path, 'a TLS file only with a rediss:// (or rediss+cluster://) REDIS_URL');
  registerSecret(settings.password);
  const common: RedisOptions = {
    lazyConnect: true,
    maxRetriesPerRequest: options.maxRetriesPerRequest,
    enableOfflineQueue: true,
    // Reconnects without end: an outage is ridden out above (OutageGuard) or fails there.
    retryStrategy: (times) => Math.min(times * 100, 2000),
    // A command cut off by a lost connection fails rather than being sent again: a batch commit
    // or an offset-log append may have been applied, and the caller recovers from what is stored.
    autoResendUnfulfilledCommands: false,
    ...(settings.username === '' ? {} : { username: settings.username }),
    ...(settings.password === '' ? {} : { password: settings.password }),
    ...(tls ? { tls: tlsOptions(settings) } : {}),
  };
  if (address.kind === 'standalone') {
    // ioredis lets a URL's credentials (even a user without a password) win over options: they
    // leave the URL, and the configured ones win over them.
    const parsed = new URL(url);
    const username = settings.username || decodeURIComponent(parsed.username);
    const password = settings.password || decodeURIComponent(parsed.password);
    registerSecret(password);
    parsed.username = '';
    parsed.password = '';
    return new Redis(parsed.toString(), {
      ...common,
      ...(username === '' ? {} : { username }),
      ...(password === '' ? {} : { password }),
    });
  }
  const redisOptions: RedisOptions = { ...common };
  registerSecret(address.password);
  if (redisOptions.username === undefined && address.username !== '') redisOptions.username = address.username;
  if (redisOptions.password === undefined && address.password !== '') redisOptions.password = address.password;
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

const TLS_TRUST_ERRORS = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_SIGNATURE_FAILURE',
]);

/** A connection failure a person can act on: refused credentials, an untrusted certificate. */
export function explainRedisFailure(err: unknown, url: string): unknown {
  if (!(err instanceof Error)) return err;
  const where = redactText(url);
  if (/^(WRONGPASS|NOAUTH|ERR invalid password|ERR AUTH)/.test(err.message)) {
    return new LocalStackError(
      `Redis at ${where} refused the credentials (${err.message.replace(/\.$/, '')}): check the user and password in REDIS_URL, or SLUICE_REDIS_USERNAME and SLUICE_REDIS_PASSWORD`,
      { cause: err },
    );
  }
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (TLS_TRUST_ERRORS.has(code)) {
    return new LocalStackError(
      `cannot open a TLS connection to Redis at ${where}: ${err.message}: set SLUICE_REDIS_TLS_CA_FILE to the CA certificate (PEM) that signed the server's`,
      { cause: err },
    );
  }
  return err;
}

/** How often a connection that stays lost is reported again. */
const CONNECTION_WARNING_EVERY_MS = 30_000;

/** Opens a Redis (or Redis Cluster) connection and waits until it answers; fails fast when it cannot. */
export async function connectRedis(url: string, log: Logger, settings: RedisSettings = NO_REDIS_SETTINGS): Promise<RedisClient> {
  const redis = createRedisClient(url, { maxRetriesPerRequest: 3, settings });
  // A refused AUTH reaches the 'error' event; connect() then only says the connection closed.
  // Until connected, a failure is thrown (explained), not also logged as a warning.
  let lastError: unknown = null;
  let connected = false;
  // While Redis is down ioredis reports each reconnect attempt (every ≤ 2 s): one warning when
  // the connection is lost, then one every 30 s until it is back; the rest at debug.
  let warnedAt: number | null = null;
  redis.on('ready', () => {
    warnedAt = null;
  });
  redis.on('error', (err: Error) => {
    lastError = err;
    const fields = { err, url: redactText(url) };
    const now = systemClock.now();
    if (connected && (warnedAt === null || now - warnedAt >= CONNECTION_WARNING_EVERY_MS)) {
      warnedAt = now;
      log.warn('redis connection error', fields);
    } else log.debug('redis connection error', fields);
  });
  try {
    await redis.connect();
    await redis.ping();
    connected = true;
  } catch (err) {
    // Else the client keeps reconnecting in the background and holds the process open.
    redis.disconnect();
    const explained = explainRedisFailure(lastError ?? err, url);
    throw explained instanceof LocalStackError ? explained : explainRedisFailure(err, url);
  }
  return redis;
}
