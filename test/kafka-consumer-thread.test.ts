import { randomUUID } from 'node:crypto';
import { consumersOnThread, KafkajsPort, type ConsumedRecord, type KafkaAdmin, type KafkaConsumer } from 'sluice/testing';
import { silentLog } from './support/kafka-test-utils.js';
import { waitFor } from './support/wait-for.js';

/**
 * The processor's source consumer fetches on a thread of its own (threaded-consumer.ts): on the
 * real broker, it hands over what a consumer on the calling thread hands over, record for record,
 * stops and starts again with pause and resume, and reports a broker it cannot reach as one on
 * the calling thread does.
 */
describe('a Kafka consumer on the consumer thread', () => {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',');
  const kafka = new KafkajsPort({ brokers, clientId: `test-${randomUUID()}`, logger: silentLog });
  let admin: KafkaAdmin;
  const topic = `test-consumer-thread-${randomUUID()}`;
  const N = 3000;

  beforeAll(async () => {
    admin = await kafka.admin();
    await admin.ensureTopic(topic, 2);
    const producer = await kafka.producer();
    try {
      // Sent 100 at a time: record batches small enough for a fetch of 1 KiB to stop between them.
      for (let from = 0; from < N; from += 100) {
        await producer.send(topic, Array.from({ length: 100 }, (_, k) => from + k).map((i) => ({
        partition: i % 2,
        key: i % 3 === 0 ? null : `k${i}`,
        value: i % 7 === 0 ? null : i % 11 === 0 ? '' : `{"value":"v${i}","é":${i}}`,
        timestamp: 1_764_000_000_000 + i,
          ...(i % 5 === 0 ? { headers: { file: `f${i}.csv`, n: String(i) } } : {}),
        })));
      }
    } finally {
      await producer.close();
    }
  });

  afterAll(async () => {
    await admin.deleteTopics([topic]).catch(() => undefined);
    await admin.close();
  });

  /** Every record of the topic as one consumer hands them over, in partition then offset order. */
  async function readAll(offThread: boolean): Promise<{ records: ConsumedRecord[]; onThread: number }> {
    const records: ConsumedRecord[] = [];
    const consumer = await kafka.consumer({ groupId: `test-consumer-thread-${randomUUID()}`, offThread });
    const onThread = consumersOnThread();
    try {
      await consumer.start([topic], async (batch) => {
        records.push(...batch.records);
      }, [{ topic, partition: 0, offset: 0 }, { topic, partition: 1, offset: 0 }]);
      await waitFor(() => records.length >= N, 'every record', 30_000);
    } finally {
      await consumer.close();
    }
    return { records: records.sort((a, b) => a.partition - b.partition || a.offset - b.offset), onThread };
  }

  const comparable = (r: ConsumedRecord): unknown => ({
    ...r, key: r.key?.toString('hex') ?? null, value: r.value?.toString('hex') ?? null,
    headerList: r.headerList.map((h) => [h.key, h.value?.toString('hex') ?? null]),
  });

  it('hands over the records a consumer on the calling thread hands over', async () => {
    const before = consumersOnThread();
    const threaded = await readAll(true);
    const local = await readAll(false);
    expect(threaded.onThread).toBe(before + 1);
    expect(local.onThread).toBe(before);
    expect(consumersOnThread()).toBe(before);
    expect(threaded.records).toHaveLength(N);
    expect(threaded.records.map(comparable)).toEqual(local.records.map(comparable));
    const withHeaders = threaded.records.find((r) => r.headerList.length > 0);
    expect(withHeaders?.headers['file']).toMatch(/^f\d+\.csv$/);
  });

  it('stops fetching a paused partition and fetches it again once resumed', async () => {
    const seen = new Map<number, number>();
    let consumer: KafkaConsumer | null = null;
    const paused = { done: false };
    consumer = await kafka.consumer({ groupId: `test-consumer-thread-${randomUUID()}`, offThread: true, maxBytesPerPartition: 1024, maxBytes: 4096 });
    try {
      const c = consumer;
      await c.start([topic], async (batch) => {
        seen.set(batch.partition, (seen.get(batch.partition) ?? 0) + batch.records.length);
        if (batch.partition === 1 && !paused.done) {
          paused.done = true;
          c.pause(topic, [1]);
        }
      }, [{ topic, partition: 0, offset: 0 }, { topic, partition: 1, offset: 0 }]);
      await waitFor(() => (seen.get(0) ?? 0) >= N / 2, 'partition 0 read whole', 30_000);
      const held = seen.get(1) ?? 0;
      expect(held).toBeLessThan(N / 2);
      c.resume(topic, [1]);
      await waitFor(() => (seen.get(1) ?? 0) >= N / 2, 'partition 1 read whole after its resume', 30_000);
    } finally {
      await consumer.close();
    }
  });

  it('says what a consumer on the calling thread says of a broker it cannot reach', async () => {
    const unreachable = new KafkajsPort({ brokers: ['127.0.0.1:1'], clientId: `test-${randomUUID()}`, logger: silentLog });
    const failure = async (offThread: boolean): Promise<Error> => unreachable.consumer({ groupId: 'g', offThread }).then(
      () => new Error('connected'),
      (err: unknown) => err as Error,
    );
    const [threaded, local] = await Promise.all([failure(true), failure(false)]);
    // What the outage guard and the CLI read: the name, the text, the causes' names.
    const chain = (e: unknown): string[] => (e instanceof Error ? [`${e.name}: ${e.message}`, ...chain(e.cause ?? (e as { originalError?: unknown }).originalError)] : []);
    expect(chain(threaded)).toEqual(chain(local));
    expect(chain(local).length).toBeGreaterThan(0);
  }, 120_000);
});
