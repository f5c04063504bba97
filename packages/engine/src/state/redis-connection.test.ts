import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster, Redis } from 'ioredis';
import { ConfigError } from '../errors/config-error.js';
import { LocalStackError } from '../errors/local-stack-error.js';
import { redactText, REDACTED } from '../internal/secrets.js';
import { createRedisClient, explainRedisFailure, NO_REDIS_SETTINGS, type RedisSettings } from './redis-connection.js';

/** Clients are made, never connected: what matters is what they would connect with. */
describe('createRedisClient', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-redis-tls-'));
  const ca = join(dir, 'ca.pem');
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const settings = (over: Partial<RedisSettings>): RedisSettings => ({ ...NO_REDIS_SETTINGS, ...over });
  const caFile = { path: ca, label: 'redis.tlsCaFile (env SLUICE_REDIS_TLS_CA_FILE)' };

  it('an ACL user and password from the URL, or from the configuration, which wins', () => {
    const fromUrl = createRedisClient('redis://app:url-pass-1@127.0.0.1:6390/2', { maxRetriesPerRequest: 1 }) as Redis;
    expect(fromUrl.options).toMatchObject({ host: '127.0.0.1', port: 6390, db: 2, username: 'app', password: 'url-pass-1' });
    // A user in the URL and the password from a Secret (SLUICE_REDIS_PASSWORD).
    const mixed = createRedisClient('rediss://sluice@127.0.0.1:6390', { maxRetriesPerRequest: 1, settings: settings({ password: 'conf-pass-1', tlsCa: caFile }) }) as Redis;
    expect(mixed.options).toMatchObject({ username: 'sluice', password: 'conf-pass-1' });
    expect(mixed.options.tls).toEqual({ ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' });
    const overridden = createRedisClient('redis://app:url-pass-1@h:1', { maxRetriesPerRequest: 1, settings: settings({ username: 'other', password: 'conf-pass-1' }) }) as Redis;
    expect(overridden.options).toMatchObject({ username: 'other', password: 'conf-pass-1' });
    expect(redactText('url-pass-1 conf-pass-1')).toBe(`${REDACTED} ${REDACTED}`);
  });

  it('rediss:// speaks TLS with the system CAs unless a CA file is configured; redis:// does not', () => {
    expect((createRedisClient('rediss://h:6380', { maxRetriesPerRequest: 1 }) as Redis).options.tls).toEqual({});
    expect((createRedisClient('redis://h:6379', { maxRetriesPerRequest: 1 }) as Redis).options.tls).toBeUndefined();
    const cluster = createRedisClient('rediss+cluster://app:cl-pass-1@h1:7000,h2:7001', { maxRetriesPerRequest: 1, settings: settings({ tlsCa: caFile }) }) as Cluster;
    expect(cluster.options.redisOptions).toMatchObject({ username: 'app', password: 'cl-pass-1', tls: { ca: expect.stringContaining('BEGIN CERTIFICATE') } });
  });

  it('a TLS file with redis://, or one that cannot be read, is a ConfigError naming the key', () => {
    expect(() => createRedisClient('redis://h:6379', { maxRetriesPerRequest: 1, settings: settings({ tlsCa: caFile }) })).toThrow(
      new ConfigError(caFile.label, ca, 'a TLS file only with a rediss:// (or rediss+cluster://) REDIS_URL'),
    );
    const missing = { path: join(dir, 'nope.pem'), label: caFile.label };
    expect(() => createRedisClient('rediss://h:6380', { maxRetriesPerRequest: 1, settings: settings({ tlsCa: missing }) })).toThrow(
      'invalid configuration: redis.tlsCaFile (env SLUICE_REDIS_TLS_CA_FILE) = ',
    );
  });
});

describe('explainRedisFailure', () => {
  it('refused credentials and an untrusted certificate become one actionable line, without the password', () => {
    const auth = explainRedisFailure(new Error('WRONGPASS invalid username-password pair or user is disabled.'), 'rediss://app:wrong-pass-2@h:6380');
    expect(auth).toBeInstanceOf(LocalStackError);
    expect((auth as Error).message).toBe(
      'Redis at rediss://app:***@h:6380 refused the credentials (WRONGPASS invalid username-password pair or user is disabled): check the user and password in REDIS_URL, or SLUICE_REDIS_USERNAME and SLUICE_REDIS_PASSWORD',
    );
    const tls = explainRedisFailure(Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }), 'rediss://h:6380');
    expect((tls as Error).message).toBe(
      "cannot open a TLS connection to Redis at rediss://h:6380: self-signed certificate in certificate chain: set SLUICE_REDIS_TLS_CA_FILE to the CA certificate (PEM) that signed the server's",
    );
    const other = new Error('connect ECONNREFUSED');
    expect(explainRedisFailure(other, 'redis://h:1')).toBe(other);
  });
});
