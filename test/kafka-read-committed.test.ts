import { randomUUID } from 'node:crypto';
import { KafkajsPort, type KafkaAdmin } from 'sluice/testing';
import { silentLog } from './support/kafka-test-utils.js';
import { waitFor } from './support/wait-for.js';

/**
 * read_committed on the real broker, through the engine's Kafka port: records of aborted
 * transactions are never handed out, also when two transactions of one partition overlap and
 * end in the other order (the broker lists aborted transactions by abort, not by first record),
 * as two fenced tasks' transactions do.
 */
describe('Kafka read_committed', () => {
  const kafka = new KafkajsPort({ brokers: (process.env['KAFKA_BROKERS'] ?? '').split(','), clientId: `test-${randomUUID()}`, logger: silentLog });
  let admin: KafkaAdmin;
  /** A topic per case: each case writes its own transactions. */
  const topics = { inThread: `test-read-committed-${randomUUID()}`, onThread: `test-read-committed-${randomUUID()}` };

  beforeAll(async () => {
    admin = await kafka.admin();
    for (const t of Object.values(topics)) await admin.ensureTopic(t, 1);
  });

  afterAll(async () => {
    await admin.deleteTopics(Object.values(topics)).catch(() => undefined);
    await admin.close();
  });

  it.each([false, true])('skips the records of overlapping transactions aborted in the other order (consumer thread: %s)', async (offThread) => {
    const topic = offThread ? topics.onThread : topics.inThread;
    const a = await kafka.producer({ transactionalId: `test-a-${randomUUID()}` });
    const b = await kafka.producer({ transactionalId: `test-b-${randomUUID()}` });
    const c = await kafka.producer({ transactionalId: `test-c-${randomUUID()}` });
    try {
      const ta = await a.transaction();
      await ta.send(topic, [{ partition: 0, key: 'a', value: 'aborted a1' }]);
      const tb = await b.transaction();
      await tb.send(topic, [{ partition: 0, key: 'b', value: 'aborted b1' }]);
      await ta.send(topic, [{ partition: 0, key: 'a', value: 'aborted a2' }]);
      await tb.send(topic, [{ partition: 0, key: 'b', value: 'aborted b2' }]);
      // B ends first: the broker's list of aborted transactions then has B before A.
      await tb.abort();
      await ta.abort();
      const tc = await c.transaction();
      await tc.send(topic, [{ partition: 0, key: 'c', value: 'committed c1' }]);
      await tc.commit();
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }

    const seen: string[] = [];
    const consumer = await kafka.consumer({ groupId: `test-read-committed-${randomUUID()}`, offThread });
    try {
      await consumer.start([topic], async (batch) => {
        for (const r of batch.records) seen.push(r.value?.toString() ?? '');
      }, [{ topic, partition: 0, offset: 0 }]);
      await waitFor(() => seen.includes('committed c1'), 'the committed record', 30_000);
    } finally {
      await consumer.close();
    }
    expect(seen).toEqual(['committed c1']);
  });
});
