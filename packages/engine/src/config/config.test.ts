import { ConfigError } from '../errors/config-error.js';
import { commonSchema, loadConfig, type CommonConfig } from './config.js';

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
