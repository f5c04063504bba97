import { DEFAULT_INGEST_LIMITS, type IngestLimits } from '../../config/ingest-config.js';
import { SourceError } from '../../errors/source-error.js';
import { systemClock } from '../../core/clock.js';
import type { Logger } from '../../internal/logger.js';
import type { KafkaProducer, OutgoingRecord, ProducerTransaction } from '../../kafka/kafka-port.js';
import { SourceTopicWriter } from './source-topic-writer.js';

interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

function recordingLog(lines: LogLine[]): Logger {
  const log: Logger = {
    debug: (msg, fields = {}) => lines.push({ level: 'debug', msg, fields }),
    info: (msg, fields = {}) => lines.push({ level: 'info', msg, fields }),
    warn: (msg, fields = {}) => lines.push({ level: 'warn', msg, fields }),
    error: (msg, fields = {}) => lines.push({ level: 'error', msg, fields }),
    child: () => log,
  };
  return log;
}

/** A broker's protocol error as kafkajs reports it: a type, maybe wrapped in a retries-exceeded error. */
class ProtocolError extends Error {
  constructor(readonly type: string, readonly retriable: boolean) {
    super(type);
  }
}

/**
 * The producer side of the Kafka port, scripted: each send is answered by `answer` (throw to
 * refuse it); what is accepted is appended to `log`, as a partition would.
 */
class ScriptedProducer implements KafkaProducer {
  readonly topicLog: string[] = [];
  sends = 0;
  hold: Promise<void> = Promise.resolve();

  constructor(private readonly answer: (records: readonly OutgoingRecord[], attempt: number) => void = () => undefined) {}

  async send(_topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    this.sends += 1;
    await this.hold;
    this.answer(records, this.sends);
    for (const r of records) this.topicLog.push(String(r.value));
  }

  transaction(): Promise<ProducerTransaction> {
    throw new SourceError('not transactional');
  }

  async close(): Promise<void> {}
}

function writer(producer: KafkaProducer, limits: Partial<IngestLimits> = {}, lines: LogLine[] = []): SourceTopicWriter {
  return new SourceTopicWriter({
    topic: 'sluice.test.source-0', queryId: 'test', format: 'socket', producer,
    limits: { ...DEFAULT_INGEST_LIMITS, retryBackoffMs: 1, retryBackoffMaxMs: 4, ...limits },
    clock: systemClock, log: recordingLog(lines),
  });
}

const rec = (value: string): OutgoingRecord => ({ value });

describe('SourceTopicWriter', () => {
  it('writes records in order, in requests of at most 1000, and counts only acknowledged ones', async () => {
    const producer = new ScriptedProducer();
    const w = writer(producer);
    for (let i = 0; i < 2500; i++) w.offer(rec(`r${i}`));
    expect(w.stats.written).toBe(0);
    await w.flushed();
    expect(producer.topicLog).toEqual(Array.from({ length: 2500 }, (_, i) => `r${i}`));
    expect(producer.sends).toBe(3);
    expect(w.stats).toEqual({ written: 2500, rejected: 0, unwritten: 0 });
    expect(w.bufferedRecords).toBe(0);
    expect(w.bufferedBytes).toBe(0);
  });

  it('retries a failed request without limit, the same records again, and drops none', async () => {
    const lines: LogLine[] = [];
    const producer = new ScriptedProducer((_, attempt) => {
      if (attempt <= 6) throw new ProtocolError('LEADER_NOT_AVAILABLE', true);
    });
    const w = writer(producer, {}, lines);
    for (let i = 0; i < 10; i++) w.offer(rec(`r${i}`));
    await new Promise((resolve) => setImmediate(resolve));
    await w.flushed();
    expect(producer.topicLog).toEqual(Array.from({ length: 10 }, (_, i) => `r${i}`));
    expect(w.stats.written).toBe(10);
    expect(lines.filter((l) => l.msg.startsWith('cannot write to the source topic'))).toHaveLength(1);
    expect(lines.some((l) => l.msg === 'writing to the source topic again' && l.fields['retries'] === 6)).toBe(true);
    expect(w.problem()).toBeNull();
  });

  it('reports the failure to /readyz while it retries', async () => {
    let refuse = true;
    const producer = new ScriptedProducer(() => {
      if (refuse) throw new ProtocolError('NOT_LEADER_FOR_PARTITION', true);
    });
    const w = writer(producer);
    w.offer(rec('x'));
    const deadline = Date.now() + 5000;
    while (w.problem() === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(w.problem()).toMatch(/^cannot write to source topic sluice\.test\.source-0 for \d+ ms \(retrying; 1 records held\)$/);
    refuse = false;
    await w.flushed();
    expect(w.problem()).toBeNull();
  });

  it('gives up after ingest.deliveryTimeoutMs when one is set, with a coded error and the count not written', async () => {
    const producer = new ScriptedProducer(() => {
      throw new ProtocolError('REQUEST_TIMED_OUT', true);
    });
    const w = writer(producer, { deliveryTimeoutMs: 30 });
    for (let i = 0; i < 5; i++) w.offer(rec(`r${i}`));
    const err = await w.failed.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).code).toBe('SOURCE_ERROR');
    expect((err as SourceError).message).toMatch(/5 read records not written$/);
    expect(w.stats.unwritten).toBe(5);
    expect(w.offer(rec('late'))).toBe(false);
  });

  it('rejects a record over maxRecordBytes alone: counted, logged, its neighbours written', async () => {
    const lines: LogLine[] = [];
    const producer = new ScriptedProducer();
    const w = writer(producer, { maxRecordBytes: 1024 }, lines);
    expect(w.offer(rec('before'))).toBe(true);
    expect(w.offer(rec('x'.repeat(2048)), { client: 'c1' })).toBe(false);
    expect(w.offer(rec('after'))).toBe(true);
    await w.flushed();
    expect(producer.topicLog).toEqual(['before', 'after']);
    expect(w.stats).toEqual({ written: 2, rejected: 1, unwritten: 0 });
    expect(lines.find((l) => l.level === 'warn')?.fields).toMatchObject({ reason: 'record-too-large', client: 'c1', bytes: 2048 });
  });

  it('splits a request the broker refuses for its size until only the refused record is rejected', async () => {
    // A broker whose message.max.bytes is below what the writer was told: any request over 100 bytes fails.
    const producer = new ScriptedProducer((records) => {
      const bytes = records.reduce((n, r) => n + String(r.value).length, 0);
      if (bytes > 100) throw Object.assign(new Error('retries exceeded'), { cause: new ProtocolError('MESSAGE_TOO_LARGE', false) });
    });
    const w = writer(producer);
    const values = ['a'.repeat(30), 'b'.repeat(30), 'c'.repeat(150), 'd'.repeat(30), 'e'.repeat(30), 'f'.repeat(30)];
    for (const v of values) w.offer(rec(v));
    await w.flushed();
    expect(producer.topicLog).toEqual(values.filter((v) => v.length < 100));
    expect(w.stats).toEqual({ written: 5, rejected: 1, unwritten: 0 });
  });

  it('is full at its bounds and writable again at half of them', async () => {
    const producer = new ScriptedProducer();
    let release: () => void = () => undefined;
    producer.hold = new Promise((resolve) => {
      release = resolve;
    });
    const w = writer(producer, { maxBufferedRecords: 10 });
    for (let i = 0; i < 9; i++) w.offer(rec(`r${i}`));
    expect(w.isFull).toBe(false);
    w.offer(rec('r9'));
    expect(w.isFull).toBe(true);
    let writable = false;
    const waiting = w.whenWritable().then(() => {
      writable = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(writable).toBe(false);
    release();
    await waiting;
    expect(w.bufferedRecords).toBeLessThanOrEqual(5);
  });

  it('bounds bytes as well as records', () => {
    const w = writer(new ScriptedProducer(), { maxBufferedBytes: 4096, maxRecordBytes: 2048 });
    w.offer(rec('x'.repeat(2000)));
    expect(w.isFull).toBe(false);
    w.offer(rec('y'.repeat(2000)));
    w.offer(rec('z'.repeat(100)));
    expect(w.isFull).toBe(true);
  });

  it('on close writes what it holds; past the drain time it gives up, logs and counts the rest', async () => {
    const lines: LogLine[] = [];
    const drains = writer(new ScriptedProducer(), {}, lines);
    for (let i = 0; i < 3; i++) drains.offer(rec(`r${i}`));
    expect(await drains.close(5000)).toBe(0);
    expect(drains.stats.written).toBe(3);
    expect(drains.offer(rec('after close'))).toBe(false);

    const refusing = new ScriptedProducer(() => {
      throw new ProtocolError('REQUEST_TIMED_OUT', true);
    });
    const stuck = writer(refusing, {}, lines);
    for (let i = 0; i < 7; i++) stuck.offer(rec(`r${i}`));
    expect(await stuck.close(50)).toBe(7);
    expect(stuck.stats.unwritten).toBe(7);
    expect(lines.find((l) => l.msg === 'stopping with read records not written to the source topic')?.fields)
      .toMatchObject({ unwritten: 7, drainTimeoutMs: 50 });
  });
});
