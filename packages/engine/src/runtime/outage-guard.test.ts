import { ConfigError } from '../errors/config-error.js';
import { CheckpointError } from '../errors/checkpoint-error.js';
import { LocalStackError } from '../errors/local-stack-error.js';
import type { Clock } from '../core/clock.js';
import type { Logger, LogFields } from '../internal/logger.js';
import { commonSchema, loadConfig } from '../config/config.js';
import { checkOutageLimits, DEFAULT_BATCH_LIMITS, DEFAULT_OUTAGE_LIMITS, processorSchema, type ProcessorConfig } from '../config/processor-config.js';
import { OutageGuard, transientService } from './outage-guard.js';

/** A clock whose sleep passes at once, moving time on. */
class SteppingClock implements Clock {
  t = 1_000_000;
  readonly sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
  }
}

function recordingLog(): Logger & { lines: Array<{ level: string; msg: string }> } {
  const lines: Array<{ level: string; msg: string }> = [];
  const log = {
    lines,
    debug: (msg: string, _f?: LogFields) => lines.push({ level: 'debug', msg }),
    info: (msg: string, _f?: LogFields) => lines.push({ level: 'info', msg }),
    warn: (msg: string, _f?: LogFields) => lines.push({ level: 'warn', msg }),
    error: (msg: string, _f?: LogFields) => lines.push({ level: 'error', msg }),
    child: () => log,
  };
  return log;
}

function named(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  const e = new Error(message);
  e.name = name;
  return Object.assign(e, extra);
}

describe('transientService', () => {
  it('names Kafka for a broker that does not answer or has no leader yet', () => {
    expect(transientService(named('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED 127.0.0.1:9092'))).toBe('Kafka');
    expect(transientService(named('KafkaJSNumberOfRetriesExceeded', 'retries exceeded'))).toBe('Kafka');
    expect(transientService(named('KafkaJSProtocolError', 'There is no leader for this topic-partition', { type: 'LEADER_NOT_AVAILABLE' }))).toBe('Kafka');
    expect(transientService(named('KafkaJSProtocolError', 'Broker not available', { type: 'BROKER_NOT_AVAILABLE' }))).toBe('Kafka');
    expect(transientService(named('KafkaJSRequestTimeoutError', 'Request Produce(key: 0, version: 7) timed out'))).toBe('Kafka');
    // kafkajs keeps the retried error as originalError.
    const wrapped = named('KafkaJSNonRetriableError', 'gave up', { originalError: named('KafkaJSConnectionClosedError', 'Closed connection') });
    expect(transientService(wrapped)).toBe('Kafka');
  });

  it('names Redis for a lost connection, a server still loading its AOF, a cluster failing over', () => {
    expect(transientService(named('MaxRetriesPerRequestError', 'Reached the max retries per request limit (which is 3).'))).toBe('Redis');
    expect(transientService(new Error('Connection is closed.'))).toBe('Redis');
    expect(transientService(named('ReplyError', 'LOADING Redis is loading the dataset in memory'))).toBe('Redis');
    expect(transientService(named('ReplyError', 'TRYAGAIN Multiple keys request during rehashing of slot'))).toBe('Redis');
    expect(transientService(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }))).toBe('Redis');
    expect(transientService(new CheckpointError('cannot commit batch 2', { cause: new Error('Connection is closed.') }))).toBe('Redis');
  });

  it('leaves alone what a retry cannot mend', () => {
    expect(transientService(named('KafkaJSSASLAuthenticationError', 'SASL SCRAM authentication failed'))).toBeNull();
    expect(transientService(named('KafkaJSProtocolError', 'Producer fenced', { type: 'INVALID_PRODUCER_EPOCH' }))).toBeNull();
    expect(transientService(named('ReplyError', 'WRONGPASS invalid username-password pair'))).toBeNull();
    expect(transientService(new CheckpointError('offset log entry for batch 3 already exists'))).toBeNull();
    expect(transientService(new TypeError('x is undefined'))).toBeNull();
    expect(transientService('a string')).toBeNull();
  });
});

describe('OutageGuard', () => {
  const signal = new AbortController().signal;

  it('retries a transient failure with a doubling backoff, rebuilding before each retry', async () => {
    const clock = new SteppingClock();
    const log = recordingLog();
    const guard = new OutageGuard({ limits: { outageTimeoutMs: 60_000, retryBackoffMs: 100, retryBackoffMaxMs: 350 }, clock, log, queryId: 'q-guard-1', role: 'processor' });
    let calls = 0;
    let recovered = 0;
    const result = await guard.run(async () => {
      calls++;
      if (calls <= 4) throw new Error('Connection is closed.');
      return 'done';
    }, signal, async () => {
      recovered++;
      expect(guard.problem()).toMatch(/^processor: Redis unreachable for \d+ s \(retrying\): Connection is closed\.$/);
    });
    expect(result).toBe('done');
    expect(calls).toBe(5);
    expect(recovered).toBe(4);
    expect(clock.sleeps).toEqual([100, 200, 350, 350]);
    expect(guard.problem()).toBeNull();
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual(['Redis is unreachable; the processor waits and retries']);
    expect(log.lines.at(-1)?.msg).toBe('Redis reachable again; the processor goes on');
  });

  it('warns again every 30 s while the outage lasts', async () => {
    const clock = new SteppingClock();
    const log = recordingLog();
    const guard = new OutageGuard({ limits: { outageTimeoutMs: 0, retryBackoffMs: 10_000, retryBackoffMaxMs: 10_000 }, clock, log, queryId: 'q-guard-2', role: 'sink' });
    let calls = 0;
    await guard.run(async () => {
      if (++calls <= 10) throw named('KafkaJSConnectionError', 'Connection error');
    }, signal);
    // Failures at 0, 10, … 90 s: the first warning, then one at 30, 60 and 90 s.
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([
      'Kafka is unreachable; the sink waits and retries',
      'Kafka still unreachable; the sink keeps retrying',
      'Kafka still unreachable; the sink keeps retrying',
      'Kafka still unreachable; the sink keeps retrying',
    ]);
  });

  it('gives up past outageTimeoutMs with one line naming the service and the setting', async () => {
    const clock = new SteppingClock();
    const guard = new OutageGuard({ limits: { outageTimeoutMs: 5_000, retryBackoffMs: 1_000, retryBackoffMaxMs: 1_000 }, clock, log: recordingLog(), queryId: 'q-guard-3', role: 'processor' });
    const cause = named('KafkaJSNumberOfRetriesExceeded', 'Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    const err = await guard.run(async () => {
      clock.t += 500;
      throw cause;
    }, signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LocalStackError);
    expect((err as LocalStackError).code).toBe('LOCAL_STACK_ERROR');
    expect((err as LocalStackError).message).toBe(
      'Kafka unreachable for 6 s, longer than processor.outageTimeoutMs = 5000 (env SLUICE_PROCESSOR_OUTAGE_TIMEOUT_MS): Connection error: connect ECONNREFUSED 127.0.0.1:9092',
    );
    expect((err as LocalStackError).cause).toBe(cause);
    expect(guard.problem()).toBeNull();
  });

  it('throws any other failure at once, and resolves null when stopped while waiting', async () => {
    const clock = new SteppingClock();
    const guard = new OutageGuard({ limits: DEFAULT_OUTAGE_LIMITS, clock, log: recordingLog(), queryId: 'q-guard-4', role: 'processor' });
    const fatal = new CheckpointError('batch 3 is already in the commit log');
    await expect(guard.run(async () => { throw fatal; }, signal)).rejects.toBe(fatal);
    const stop = new AbortController();
    const result = await guard.run(async () => {
      stop.abort();
      throw new Error('Connection is closed.');
    }, stop.signal);
    expect(result).toBeNull();
    expect(guard.problem()).toBeNull();
  });
});

describe('processor outage configuration', () => {
  const schema = { ...commonSchema, ...processorSchema };

  it('defaults to riding out five minutes, and reads its SLUICE_PROCESSOR_* variables', () => {
    expect(loadConfig<ProcessorConfig>(schema, {}).processor).toEqual({ ...DEFAULT_OUTAGE_LIMITS, ...DEFAULT_BATCH_LIMITS, scaleOut: false });
    expect(DEFAULT_OUTAGE_LIMITS.outageTimeoutMs).toBe(300_000);
    const c = loadConfig<ProcessorConfig>(schema, {
      SLUICE_PROCESSOR_OUTAGE_TIMEOUT_MS: '0', SLUICE_PROCESSOR_RETRY_BACKOFF_MS: '50', SLUICE_PROCESSOR_RETRY_BACKOFF_MAX_MS: '800',
      SLUICE_PROCESSOR_SCALE_OUT: 'true', SLUICE_PROCESSOR_MAX_BATCH_RECORDS: '0', SLUICE_PROCESSOR_MAX_BATCH_BYTES: '1048576',
    });
    expect(c.processor).toEqual({
      outageTimeoutMs: 0, retryBackoffMs: 50, retryBackoffMaxMs: 800, maxBatchRecords: 0, maxBatchBytes: 1_048_576, scaleOut: true,
    });
  });

  it('refuses a bad value at start, naming the key, the value and what is allowed', () => {
    let caught: unknown = null;
    try {
      loadConfig<ProcessorConfig>(schema, { SLUICE_PROCESSOR_OUTAGE_TIMEOUT_MS: 'soon' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toBe(
      'invalid configuration: processor.outageTimeoutMs (env SLUICE_PROCESSOR_OUTAGE_TIMEOUT_MS) = "soon"; allowed: an integer number of milliseconds from 0 (no limit) to 604800000 (7 days)',
    );
    expect(() => checkOutageLimits({ outageTimeoutMs: 1000, retryBackoffMs: 500, retryBackoffMaxMs: 100 })).toThrow(
      'invalid configuration: processor.retryBackoffMaxMs (env SLUICE_PROCESSOR_RETRY_BACKOFF_MAX_MS) = 100; allowed: at least processor.retryBackoffMs (500)',
    );
  });
});
