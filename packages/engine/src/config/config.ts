import convict from 'convict';
import { ConfigError } from '../errors/config-error.js';
import { checkIngestLimits, ingestSchema, type IngestConfig } from './ingest-config.js';
import { checkOutageLimits, processorSchema, type ProcessorConfig } from './processor-config.js';
import { redactText, REDACTED, registerSecret } from '../internal/secrets.js';
import { parseRedisUrl, REDIS_URL_ALLOWED } from '../state/redis-address.js';
import { integerFormat } from './integer-format.js';
import {
  kafkaSecuritySchema, metricsAccessSchema, redisAccessSchema, type KafkaSecurityConfig, type MetricsAccessConfig, type RedisAccessConfig,
} from './security-config.js';

/**
 * Configuration: convict schemas with the blocks every part shares (kafka, redis, metrics,
 * log). Environment variables use the names users know (`KAFKA_BROKERS`, `REDIS_URL`) and
 * `SLUICE_*` for the rest. Invalid values stop the part at start with a ConfigError naming
 * the key, the value and what is allowed. The only module of the engine that reads
 * `process.env`.
 */

convict.addFormat({
  name: 'broker-list',
  validate(value: unknown) {
    if (typeof value !== 'string') throw new TypeError('a comma-separated list of host:port');
    if (value === '') return;
    for (const broker of value.split(',')) {
      if (!/^[A-Za-z0-9_.\-[\]:]+:\d{1,5}$/.test(broker.trim())) {
        throw new TypeError('a comma-separated list of host:port (e.g. 127.0.0.1:9092), or empty to start a local broker');
      }
    }
  },
});

convict.addFormat({
  name: 'redis-url',
  validate(value: unknown) {
    if (typeof value !== 'string') throw new TypeError(REDIS_URL_ALLOWED);
    if (value === '') return;
    // Throws a TypeError naming what is wrong and what is allowed (one server or a cluster).
    parseRedisUrl(value);
  },
});

convict.addFormat({
  name: 'log-level',
  validate(value: unknown) {
    if (!['debug', 'info', 'warn', 'error'].includes(String(value))) throw new TypeError('one of debug, info, warn, error');
  },
});

integerFormat('metrics-port', 0, 65535, 'an integer port 0-65535 (0 picks a free port)');

/** The blocks every service's schema includes. */
export const commonSchema = {
  kafka: {
    brokers: {
      doc: 'Kafka bootstrap brokers, comma-separated host:port. Required by the services; when empty, sluice run starts the local broker.',
      format: 'broker-list',
      default: '',
      env: 'KAFKA_BROKERS',
    },
    clientId: {
      doc: 'Kafka client id prefix.',
      format: String,
      default: 'sluice',
      env: 'SLUICE_KAFKA_CLIENT_ID',
    },
    ...kafkaSecuritySchema,
  },
  redis: {
    url: {
      doc: 'Redis URL: redis://host:port (rediss:// for TLS), or a Redis Cluster as redis+cluster://host:port,host:port (rediss+cluster:// for TLS). Empty: use redis://127.0.0.1:6379 if it answers, else start a local redis-server.',
      format: 'redis-url',
      default: '',
      env: 'REDIS_URL',
    },
    ...redisAccessSchema,
  },
  metrics: {
    port: {
      doc: 'Port of the /metrics, /healthz and /readyz endpoints (0 picks a free port).',
      format: 'metrics-port',
      default: 0,
      env: 'SLUICE_METRICS_PORT',
    },
    ...metricsAccessSchema,
  },
  log: {
    level: {
      doc: 'Lowest log level written to stderr.',
      format: 'log-level',
      default: 'info',
      env: 'SLUICE_LOG_LEVEL',
    },
  },
} as const;

export interface KafkaConfig extends KafkaSecurityConfig {
  readonly brokers: string;
  readonly clientId: string;
}

export interface RedisConfig extends RedisAccessConfig {
  readonly url: string;
}

export interface MetricsConfig extends MetricsAccessConfig {
  readonly port: number;
}

export interface CommonConfig {
  readonly kafka: KafkaConfig;
  readonly redis: RedisConfig;
  readonly metrics: MetricsConfig;
  readonly log: { readonly level: 'debug' | 'info' | 'warn' | 'error' };
}

interface SchemaLeaf {
  readonly env?: string;
  readonly format?: unknown;
  readonly default?: unknown;
  readonly doc?: string;
  readonly sensitive?: boolean;
}

function leafOf(schema: unknown, key: string): SchemaLeaf | undefined {
  let node: unknown = schema;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'object' && node !== null ? (node as SchemaLeaf) : undefined;
}

function envNameOf(schema: unknown, key: string): string | undefined {
  return leafOf(schema, key)?.env;
}

/** Every key of a schema whose leaf is marked `sensitive`. */
function sensitiveKeys(schema: unknown, path = ''): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  if ('doc' in schema && 'default' in schema) return (schema as SchemaLeaf).sensitive === true ? [path] : [];
  return Object.entries(schema).flatMap(([k, v]) => sensitiveKeys(v, path === '' ? k : `${path}.${k}`));
}

/** Registers the configuration's secrets (sensitive keys, a password in REDIS_URL): never printed. */
function registerConfigSecrets(schema: object, get: (key: string) => unknown): void {
  for (const key of sensitiveKeys(schema)) {
    const value = get(key);
    if (typeof value === 'string') registerSecret(value);
  }
  const url = leafOf(schema, 'redis.url') === undefined ? '' : get('redis.url');
  if (typeof url === 'string' && url !== '') {
    try {
      const address = parseRedisUrl(url);
      registerSecret(address.kind === 'cluster' ? address.password : decodeURIComponent(new URL(url).password));
    } catch {
      // An invalid URL is reported by validation, with its password hidden.
    }
  }
}

/**
 * Loads a schema from its defaults, the file named by `SLUICE_CONFIG` (JSON), and the
 * environment, validates it strictly, and returns a frozen object.
 */
export function loadConfig<T>(schema: object, env: NodeJS.ProcessEnv = process.env): T {
  const config = convict(schema as convict.Schema<T>, { env: env as Record<string, string> });
  // Before validation, so that an error about another key shows none of them.
  registerConfigSecrets(schema, (key) => {
    try {
      return config.get(key as never);
    } catch {
      return undefined;
    }
  });
  const file = env['SLUICE_CONFIG'];
  if (file !== undefined && file !== '') {
    try {
      config.loadFile(file);
    } catch (cause) {
      throw new ConfigError('SLUICE_CONFIG', file, 'a readable JSON config file', { cause });
    }
  }
  try {
    config.validate({ allowed: 'strict' });
  } catch (err) {
    const first = (err as Error).message.split('\n')[0] ?? '';
    const m = /^([\w.]+): (.*?)(?:: value was (.*))?$/.exec(first);
    if (m === null) throw new ConfigError('config', redactText(first), 'a valid configuration');
    const key = m[1] ?? 'config';
    const envName = envNameOf(schema, key);
    const raw: unknown = envName !== undefined && env[envName] !== undefined ? env[envName] : config.get(key as never);
    const where = envName !== undefined ? `${key} (env ${envName})` : key;
    const shown = leafOf(schema, key)?.sensitive === true ? REDACTED : typeof raw === 'string' ? redactText(raw) : raw;
    throw new ConfigError(where, shown, m[2] ?? 'a valid value');
  }
  return deepFreeze(config.getProperties()) as T;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The settings of the engine's own local runs (`query.start()`): connections, the ingest's limits, the outage limits. */
export function loadEngineConfig(): CommonConfig & IngestConfig & ProcessorConfig {
  const config = loadConfig<CommonConfig & IngestConfig & ProcessorConfig>({ ...commonSchema, ...ingestSchema, ...processorSchema });
  checkIngestLimits(config.ingest);
  checkOutageLimits(config.processor);
  return config;
}

/** The environment variable a `${env:NAME}` reference names (resolved when a query connects). */
export function environmentVariable(name: string): string | undefined {
  return process.env[name];
}

/** Passes the chosen connections to child processes and to later loads in this process. */
export function exportConnections(brokers: string, redisUrl: string): void {
  process.env['KAFKA_BROKERS'] = brokers;
  process.env['REDIS_URL'] = redisUrl;
}

/** What `scripts/local/` is told by the environment: its state root and the Kafka version ('' = its default). */
export function localStackSettings(): { readonly dir: string; readonly kafkaVersion: string } {
  return { dir: process.env['SLUICE_LOCAL_DIR'] ?? '', kafkaVersion: process.env['KAFKA_VERSION'] ?? '' };
}

/** Whether SLUICE_LOG_LEVEL is set (the CLI quiets a terminal to warnings only when it is not). */
export function logLevelConfigured(): boolean {
  return (process.env['SLUICE_LOG_LEVEL'] ?? '') !== '';
}

/**
 * Fault injection for crash tests: `SLUICE_TEST_CRASH_AT=<step>:<batchId>` makes the processor
 * kill itself (SIGKILL) right after that step of that batch. Unset in normal runs.
 */
export function crashPointFromEnv(): { step: string; batchId: number } | null {
  const raw = process.env['SLUICE_TEST_CRASH_AT'];
  if (raw === undefined || raw === '') return null;
  const [step = '', batch = ''] = raw.split(':');
  return { step, batchId: Number(batch) };
}
