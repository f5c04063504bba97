import { join } from 'node:path';
import { ConfigError } from '../errors/config-error.js';
import { commonSchema, loadConfig, type CommonConfig } from './config.js';
import { serviceSchema } from '../runtime/role-service.js';
import { checkIngestLimits, DEFAULT_INGEST_LIMITS, ingestSchema, type IngestConfig } from './ingest-config.js';

type Config = CommonConfig & IngestConfig;
const schema = { ...commonSchema, ...ingestSchema };

function configError(run: () => unknown): ConfigError {
  let caught: unknown = null;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  return caught as ConfigError;
}

describe('ingest limits configuration', () => {
  it('has defaults below the broker\'s default message.max.bytes (1048588) and an unlimited Kafka retry', () => {
    const c = loadConfig<Config>(schema, {});
    expect(c.ingest).toEqual(DEFAULT_INGEST_LIMITS);
    expect(c.ingest.maxRecordBytes).toBeLessThan(1048588);
    expect(c.ingest.deliveryTimeoutMs).toBe(0);
  });

  it('reads every limit from its SLUICE_INGEST_* variable', () => {
    const c = loadConfig<Config>(schema, {
      SLUICE_INGEST_MAX_BUFFERED_RECORDS: '500',
      SLUICE_INGEST_MAX_BUFFERED_BYTES: '2097152',
      SLUICE_INGEST_MAX_LINE_BYTES: '4096',
      SLUICE_INGEST_MAX_RECORD_BYTES: '8192',
      SLUICE_INGEST_MAX_CONNECTIONS: '3',
      SLUICE_INGEST_DELIVERY_TIMEOUT_MS: '120000',
      SLUICE_INGEST_RETRY_BACKOFF_MS: '50',
      SLUICE_INGEST_RETRY_BACKOFF_MAX_MS: '1000',
      SLUICE_INGEST_DRAIN_TIMEOUT_MS: '5000',
    });
    expect(c.ingest).toEqual({
      maxBufferedRecords: 500, maxBufferedBytes: 2097152, maxLineBytes: 4096, maxRecordBytes: 8192, maxConnections: 3,
      deliveryTimeoutMs: 120000, retryBackoffMs: 50, retryBackoffMaxMs: 1000, drainTimeoutMs: 5000,
    });
    expect(Object.isFrozen(c.ingest)).toBe(true);
  });

  it.each([
    ['SLUICE_INGEST_MAX_BUFFERED_RECORDS', 'lots', 'ingest.maxBufferedRecords', 'an integer from 1 to 100000000'],
    ['SLUICE_INGEST_MAX_BUFFERED_RECORDS', '0', 'ingest.maxBufferedRecords', 'an integer from 1 to 100000000'],
    ['SLUICE_INGEST_MAX_BUFFERED_BYTES', '100', 'ingest.maxBufferedBytes', 'an integer number of bytes from 1024 to'],
    ['SLUICE_INGEST_MAX_LINE_BYTES', '1e6', 'ingest.maxLineBytes', 'an integer number of bytes'],
    ['SLUICE_INGEST_MAX_CONNECTIONS', '-1', 'ingest.maxConnections', 'an integer from 1 to 100000000'],
    ['SLUICE_INGEST_DELIVERY_TIMEOUT_MS', 'forever', 'ingest.deliveryTimeoutMs', 'an integer number of milliseconds from 0'],
    ['SLUICE_INGEST_RETRY_BACKOFF_MS', '0', 'ingest.retryBackoffMs', 'an integer number of milliseconds from 1'],
  ])('%s=%s stops at start naming the key, the value and what is allowed', (env, value, key, allowed) => {
    const e = configError(() => loadConfig<Config>(schema, { [env]: value }));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.configKey).toBe(`${key} (env ${env})`);
    expect(e.value).toBe(value);
    expect(e.allowed).toContain(allowed);
  });

  it('takes config/ingest.example.json as SLUICE_CONFIG', () => {
    // The ingest service's schema: the service blocks and the ingest block.
    const c = loadConfig<Config>({ ...serviceSchema, ...ingestSchema }, { SLUICE_CONFIG: join(process.cwd(), 'config', 'ingest.example.json') });
    expect(c.ingest).toEqual(DEFAULT_INGEST_LIMITS);
  });

  it('refuses limits that contradict each other', () => {
    const backoff = configError(() => checkIngestLimits({ ...DEFAULT_INGEST_LIMITS, retryBackoffMs: 2000, retryBackoffMaxMs: 1000 }));
    expect(backoff.configKey).toBe('ingest.retryBackoffMaxMs (env SLUICE_INGEST_RETRY_BACKOFF_MAX_MS)');
    expect(backoff.allowed).toBe('at least ingest.retryBackoffMs (2000)');
    const bytes = configError(() => checkIngestLimits({ ...DEFAULT_INGEST_LIMITS, maxBufferedBytes: 4096, maxRecordBytes: 8192 }));
    expect(bytes.configKey).toBe('ingest.maxBufferedBytes (env SLUICE_INGEST_MAX_BUFFERED_BYTES)');
    expect(checkIngestLimits(DEFAULT_INGEST_LIMITS)).toBe(DEFAULT_INGEST_LIMITS);
  });
});
