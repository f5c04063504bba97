import convict from 'convict';
import { KafkaSecuritySettings, SASL_MECHANISMS, SECURITY_PROTOCOLS, type SecuritySetting } from '../kafka/kafka-security.js';
import type { RedisSettings } from '../state/redis-connection.js';

/**
 * The security blocks of the configuration (docs/security.md): Kafka TLS and SASL (as Kafka's
 * client properties), Redis credentials and TLS files, and where the ops endpoints listen and
 * the token they ask for. Secrets are marked `sensitive`: loadConfig never shows them and
 * registers them for redaction.
 */

convict.addFormat({
  name: 'kafka-security-protocol',
  validate(value: unknown) {
    if (!(SECURITY_PROTOCOLS as readonly string[]).includes(String(value).trim().toUpperCase())) throw new TypeError(`one of ${SECURITY_PROTOCOLS.join(', ')}`);
  },
});

convict.addFormat({
  name: 'kafka-sasl-mechanism',
  validate(value: unknown) {
    const v = String(value).trim().toUpperCase();
    if (v !== '' && !(SASL_MECHANISMS as readonly string[]).includes(v)) {
      throw new TypeError(`one of ${SASL_MECHANISMS.join(', ')} (GSSAPI/Kerberos and OAUTHBEARER are not supported)`);
    }
  },
});

convict.addFormat({
  name: 'endpoint-identification',
  validate(value: unknown) {
    if (!['', 'https'].includes(String(value).trim().toLowerCase())) throw new TypeError('https (check the broker\'s host name) or empty (do not)');
  },
});

convict.addFormat({
  name: 'bind-address',
  validate(value: unknown) {
    if (typeof value !== 'string' || !/^(?:[0-9.]+|[0-9A-Fa-f:]+|[A-Za-z0-9.-]+)$/.test(value)) {
      throw new TypeError('an address to listen on: 127.0.0.1 (this machine only), 0.0.0.0 (every interface), or a host name');
    }
  },
});

/** kafka.security.*, kafka.sasl.*, kafka.ssl.*: laid under a query's own kafka.* options. */
export const kafkaSecuritySchema = {
  security: {
    protocol: {
      doc: 'Kafka security.protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.',
      format: 'kafka-security-protocol',
      default: 'PLAINTEXT',
      env: 'SLUICE_KAFKA_SECURITY_PROTOCOL',
    },
  },
  sasl: {
    mechanism: {
      doc: 'Kafka sasl.mechanism for SASL_*: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.',
      format: 'kafka-sasl-mechanism',
      default: '',
      env: 'SLUICE_KAFKA_SASL_MECHANISM',
    },
    username: {
      doc: 'SASL user name (or give a whole sasl.jaas.config line).',
      format: String,
      default: '',
      env: 'SLUICE_KAFKA_SASL_USERNAME',
    },
    password: {
      doc: 'SASL password (a secret: from a Kubernetes Secret; never printed).',
      format: String,
      default: '',
      env: 'SLUICE_KAFKA_SASL_PASSWORD',
      sensitive: true,
    },
    jaasConfig: {
      doc: 'Kafka sasl.jaas.config, e.g. the sasl.jaas.config key of a Strimzi KafkaUser Secret (never printed).',
      format: String,
      default: '',
      env: 'SLUICE_KAFKA_SASL_JAAS_CONFIG',
      sensitive: true,
    },
  },
  ssl: {
    truststoreLocation: {
      doc: 'PEM file of the CA certificates that signed the brokers\' certificates (empty: the system CAs).',
      format: String,
      default: '',
      env: 'SLUICE_KAFKA_SSL_TRUSTSTORE_LOCATION',
    },
    keystoreLocation: {
      doc: 'PEM file of a client key and certificate chain, for brokers that ask for one (ssl.client.auth).',
      format: String,
      default: '',
      env: 'SLUICE_KAFKA_SSL_KEYSTORE_LOCATION',
    },
    keyPassword: {
      doc: 'Password of an encrypted client key (never printed).',
      format: String,
      default: '',
      env: 'SLUICE_KAFKA_SSL_KEY_PASSWORD',
      sensitive: true,
    },
    endpointIdentificationAlgorithm: {
      doc: 'https: check the broker certificate\'s host name (Kafka\'s default); empty: do not.',
      format: 'endpoint-identification',
      default: 'https',
      env: 'SLUICE_KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM',
    },
  },
};

/** redis.*: what REDIS_URL does not say, or should not (a password). */
export const redisAccessSchema = {
  username: {
    doc: 'Redis ACL user (overrides a user in REDIS_URL).',
    format: String,
    default: '',
    env: 'SLUICE_REDIS_USERNAME',
  },
  password: {
    doc: 'Redis password (overrides one in REDIS_URL; a secret: from a Kubernetes Secret; never printed).',
    format: String,
    default: '',
    env: 'SLUICE_REDIS_PASSWORD',
    sensitive: true,
  },
  tlsCaFile: {
    doc: 'PEM file of the CA that signed the Redis server certificate, for rediss:// (empty: the system CAs).',
    format: String,
    default: '',
    env: 'SLUICE_REDIS_TLS_CA_FILE',
  },
  tlsCertFile: {
    doc: 'PEM client certificate, for a Redis that asks for one (tls-auth-clients yes).',
    format: String,
    default: '',
    env: 'SLUICE_REDIS_TLS_CERT_FILE',
  },
  tlsKeyFile: {
    doc: 'PEM key of that client certificate.',
    format: String,
    default: '',
    env: 'SLUICE_REDIS_TLS_KEY_FILE',
  },
};

/** metrics.*: where the ops endpoints listen, and their token. */
export const metricsAccessSchema = {
  host: {
    doc: 'Address the ops endpoints listen on: 127.0.0.1 (this machine only); 0.0.0.0 in a container or pod, where probes and Prometheus connect from outside.',
    format: 'bind-address',
    default: '127.0.0.1',
    env: 'SLUICE_METRICS_HOST',
  },
  token: {
    doc: 'When set, every ops endpoint but /healthz and /readyz asks for "Authorization: Bearer <token>" (a browser: any user name, the token as password). Never printed.',
    format: String,
    default: '',
    env: 'SLUICE_METRICS_TOKEN',
    sensitive: true,
  },
};

export interface KafkaSecurityConfig {
  readonly security: { readonly protocol: string };
  readonly sasl: { readonly mechanism: string; readonly username: string; readonly password: string; readonly jaasConfig: string };
  readonly ssl: {
    readonly truststoreLocation: string;
    readonly keystoreLocation: string;
    readonly keyPassword: string;
    readonly endpointIdentificationAlgorithm: string;
  };
}

export interface RedisAccessConfig {
  readonly username: string;
  readonly password: string;
  readonly tlsCaFile: string;
  readonly tlsCertFile: string;
  readonly tlsKeyFile: string;
}

export interface MetricsAccessConfig {
  readonly host: string;
  readonly token: string;
}

/** The env variable of a key of a schema block. */
function envOf(block: object, key: string): string {
  let node: unknown = block;
  for (const part of key.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  const env = typeof node === 'object' && node !== null ? (node as { env?: unknown }).env : undefined;
  return typeof env === 'string' ? env : '';
}

/**
 * The Kafka client security the configuration gives, as Kafka properties; a query's own
 * `kafka.*` options are laid over it. Unset keys are left out.
 */
export function kafkaSecuritySettings(kafka: KafkaSecurityConfig): KafkaSecuritySettings {
  const fields: ReadonlyArray<readonly [string, string, string, string]> = [
    ['security.protocol', 'kafka.security.protocol', kafka.security.protocol, 'PLAINTEXT'],
    ['sasl.mechanism', 'kafka.sasl.mechanism', kafka.sasl.mechanism, ''],
    ['sasl.jaas.config', 'kafka.sasl.jaasConfig', kafka.sasl.jaasConfig, ''],
    ['sasl.username', 'kafka.sasl.username', kafka.sasl.username, ''],
    ['sasl.password', 'kafka.sasl.password', kafka.sasl.password, ''],
    ['ssl.truststore.location', 'kafka.ssl.truststoreLocation', kafka.ssl.truststoreLocation, ''],
    ['ssl.keystore.location', 'kafka.ssl.keystoreLocation', kafka.ssl.keystoreLocation, ''],
    ['ssl.key.password', 'kafka.ssl.keyPassword', kafka.ssl.keyPassword, ''],
    ['ssl.endpoint.identification.algorithm', 'kafka.ssl.endpointIdentificationAlgorithm', kafka.ssl.endpointIdentificationAlgorithm, 'https'],
  ];
  const label = (configKey: string): string => `${configKey} (env ${envOf(kafkaSecuritySchema, configKey.replace(/^kafka\./, ''))})`;
  const entries = new Map<string, SecuritySetting>();
  for (const [key, configKey, value, unset] of fields) {
    if (value !== unset) entries.set(key, { key, value, label: label(configKey), origin: 'config' });
  }
  return new KafkaSecuritySettings(entries, (key) => {
    const configKey = fields.find((f) => f[0] === key)?.[1];
    return { key, value: '', label: configKey === undefined ? `kafka.${key}` : label(configKey), origin: 'config' };
  });
}

/** The Redis credentials and TLS files the configuration gives besides REDIS_URL. */
export function redisSettings(redis: RedisAccessConfig): RedisSettings {
  const file = (key: string, path: string): { readonly path: string; readonly label: string } | null =>
    path === '' ? null : { path, label: `redis.${key} (env ${envOf(redisAccessSchema, key)})` };
  return {
    username: redis.username,
    password: redis.password,
    tlsCa: file('tlsCaFile', redis.tlsCaFile),
    tlsCert: file('tlsCertFile', redis.tlsCertFile),
    tlsKey: file('tlsKeyFile', redis.tlsKeyFile),
  };
}

