import { ConfigError } from '../errors/config-error.js';
import { redactText, REDACTED } from '../internal/secrets.js';
import { commonSchema, loadConfig, type CommonConfig } from './config.js';
import { kafkaSecuritySettings, redisSettings } from './security-config.js';

describe('loadConfig', () => {
  it('reads the shared blocks from the environment names users know', () => {
    const c = loadConfig<CommonConfig>(commonSchema, { KAFKA_BROKERS: '127.0.0.1:9092', REDIS_URL: 'redis://h:1', SLUICE_METRICS_PORT: '9464' });
    expect(c.kafka.brokers).toBe('127.0.0.1:9092');
    expect(c.redis.url).toBe('redis://h:1');
    expect(c.metrics.port).toBe(9464);
    expect(Object.isFrozen(c.kafka)).toBe(true);
  });

  it('takes a Redis Cluster in REDIS_URL: redis+cluster:// (or rediss+cluster://) and its seed nodes', () => {
    for (const url of ['redis+cluster://10.0.0.1:7000,10.0.0.2:7001', 'rediss+cluster://user:pw@redis-cluster.redis.svc:6379', 'redis+cluster://[::1]:7000/0']) {
      expect(loadConfig<CommonConfig>(commonSchema, { REDIS_URL: url }).redis.url).toBe(url);
    }
  });

  it.each([
    ['SLUICE_METRICS_PORT', 'abc', 'metrics.port', 'an integer port 0-65535'],
    ['SLUICE_METRICS_PORT', '70000', 'metrics.port', 'an integer port 0-65535'],
    ['KAFKA_BROKERS', 'localhost', 'kafka.brokers', 'host:port'],
    ['REDIS_URL', 'http://x', 'redis.url', 'redis://'],
    ['REDIS_URL', 'redis+cluster://h1:7000,h2:port', 'redis.url', "'h2:port' is not host:port"],
    ['REDIS_URL', 'redis+cluster://', 'redis.url', 'redis+cluster://[user:password@]host:port[,host:port…]'],
    ['REDIS_URL', 'redis+cluster://h1:7000/2', 'redis.url', 'a Redis Cluster has only database 0'],
    ['SLUICE_LOG_LEVEL', 'loud', 'log.level', 'debug, info, warn, error'],
  ])('fails on %s=%s naming the key, the value and what is allowed', (env, value, key, allowed) => {
    let caught: unknown;
    try {
      loadConfig<CommonConfig>(commonSchema, { [env]: value });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const e = caught as ConfigError;
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.configKey).toBe(`${key} (env ${env})`);
    expect(e.value).toBe(value);
    expect(e.message).toContain(JSON.stringify(value));
    expect(e.allowed).toContain(allowed);
  });
});

describe('security configuration', () => {
  it('reads Kafka TLS/SASL, Redis credentials and TLS files, and the ops server address and token', () => {
    const c = loadConfig<CommonConfig>(commonSchema, {
      SLUICE_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', SLUICE_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', SLUICE_KAFKA_SASL_USERNAME: 'app',
      SLUICE_KAFKA_SASL_PASSWORD: 'kafka-pw-1', SLUICE_KAFKA_SSL_TRUSTSTORE_LOCATION: '/ca.pem', SLUICE_KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM: '',
      SLUICE_REDIS_USERNAME: 'sluice', SLUICE_REDIS_PASSWORD: 'redis-pw-1', SLUICE_REDIS_TLS_CA_FILE: '/ca.pem',
      SLUICE_METRICS_HOST: '0.0.0.0', SLUICE_METRICS_TOKEN: 'token-1234',
    });
    expect(c.kafka.security.protocol).toBe('SASL_SSL');
    expect(c.kafka.sasl).toEqual({ mechanism: 'SCRAM-SHA-512', username: 'app', password: 'kafka-pw-1', jaasConfig: '' });
    expect(c.kafka.ssl).toEqual({ truststoreLocation: '/ca.pem', keystoreLocation: '', keyPassword: '', endpointIdentificationAlgorithm: '' });
    expect(c.redis).toMatchObject({ username: 'sluice', password: 'redis-pw-1', tlsCaFile: '/ca.pem', tlsCertFile: '', tlsKeyFile: '' });
    expect(c.metrics).toEqual({ port: 0, host: '0.0.0.0', token: 'token-1234' });
    const settings = kafkaSecuritySettings(c.kafka);
    expect([...settings.entries.values()].map((s) => [s.key, s.label])).toEqual([
      ['security.protocol', 'kafka.security.protocol (env SLUICE_KAFKA_SECURITY_PROTOCOL)'],
      ['sasl.mechanism', 'kafka.sasl.mechanism (env SLUICE_KAFKA_SASL_MECHANISM)'],
      ['sasl.username', 'kafka.sasl.username (env SLUICE_KAFKA_SASL_USERNAME)'],
      ['sasl.password', 'kafka.sasl.password (env SLUICE_KAFKA_SASL_PASSWORD)'],
      ['ssl.truststore.location', 'kafka.ssl.truststoreLocation (env SLUICE_KAFKA_SSL_TRUSTSTORE_LOCATION)'],
      ['ssl.endpoint.identification.algorithm', 'kafka.ssl.endpointIdentificationAlgorithm (env SLUICE_KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM)'],
    ]);
    expect(redisSettings(c.redis)).toEqual({
      username: 'sluice', password: 'redis-pw-1', tlsCa: { path: '/ca.pem', label: 'redis.tlsCaFile (env SLUICE_REDIS_TLS_CA_FILE)' }, tlsCert: null, tlsKey: null,
    });
    // Loaded secrets are never printed afterwards.
    expect(redactText('kafka-pw-1 redis-pw-1 token-1234')).toBe(`${REDACTED} ${REDACTED} ${REDACTED}`);
  });

  it('defaults: PLAINTEXT, the ops server on loopback without a token', () => {
    const c = loadConfig<CommonConfig>(commonSchema, {});
    expect(c.kafka.security.protocol).toBe('PLAINTEXT');
    expect(c.metrics).toEqual({ port: 0, host: '127.0.0.1', token: '' });
    expect(kafkaSecuritySettings(c.kafka).entries.size).toBe(0);
  });

  it.each([
    ['SLUICE_KAFKA_SECURITY_PROTOCOL', 'TLS', 'kafka.security.protocol', 'one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL'],
    ['SLUICE_KAFKA_SASL_MECHANISM', 'GSSAPI', 'kafka.sasl.mechanism', 'one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (GSSAPI/Kerberos and OAUTHBEARER are not supported)'],
    ['SLUICE_KAFKA_SASL_MECHANISM', 'OAUTHBEARER', 'kafka.sasl.mechanism', 'not supported'],
    ['SLUICE_KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM', 'dns', 'kafka.ssl.endpointIdentificationAlgorithm', 'https'],
    ['SLUICE_METRICS_HOST', 'not an address!', 'metrics.host', 'an address to listen on'],
  ])('refuses %s=%s naming the key, the value and what is allowed', (env, value, key, allowed) => {
    const err = (() => {
      try {
        loadConfig<CommonConfig>(commonSchema, { [env]: value });
      } catch (e) {
        return e as ConfigError;
      }
      throw new RangeError('accepted');
    })();
    expect(err.configKey).toBe(`${key} (env ${env})`);
    expect(err.value).toBe(value);
    expect(err.allowed).toContain(allowed);
  });

  it('a configuration error never shows a password: not REDIS_URL\'s, nor a sensitive key\'s', () => {
    const refused = (env: NodeJS.ProcessEnv): ConfigError => {
      try {
        loadConfig<CommonConfig>(commonSchema, env);
      } catch (e) {
        return e as ConfigError;
      }
      throw new RangeError('accepted');
    };
    const url = refused({ REDIS_URL: 'redis+cluster://app:url-secret-9@h1:7000,h2:x' });
    expect(url.value).toBe('redis+cluster://app:***@h1:7000,h2:x');
    expect(`${url.message} ${String(url.cause)}`).not.toContain('url-secret-9');
    const other = refused({ REDIS_URL: 'redis://:url-secret-8@h:1', SLUICE_METRICS_PORT: 'x' });
    expect(other.message).not.toContain('url-secret-8');
    expect(redactText('auth url-secret-8')).toBe(`auth ${REDACTED}`);
  });
});
