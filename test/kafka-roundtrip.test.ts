import { randomUUID } from 'node:crypto';
import { KafkajsPort, type ConsumedRecord, type KafkaAdmin } from 'sluice/testing';
import { waitFor } from './support/wait-for.js';

/** The Kafka port against the real broker: topics, plain and transactional produce, consume. */
describe('Kafka round trip (real broker)', () => {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',');
  const kafka = new KafkajsPort({ brokers, clientId: `test-${randomUUID()}` });
  const topic = `test-${randomUUID()}`;
  let admin: KafkaAdmin;

  beforeAll(async () => {
    admin = await kafka.admin();
    await admin.ensureTopic(topic, 2);
  });

  afterAll(async () => {
    await admin.deleteTopics([topic]);
    await admin.close();
  });

  it('produces records and a transaction, and a consumer group reads the committed ones in order', async () => {
    const plain = await kafka.producer();
    await plain.send(topic, [{ value: 'a', partition: 0 }, { value: 'b', partition: 0 }]);
    await plain.close();

    const txProducer = await kafka.producer({ transactionalId: `test-${randomUUID()}` });
    const aborted = await txProducer.transaction();
    await aborted.send(topic, [{ value: 'never', partition: 0 }]);
    await aborted.abort();
    const committed = await txProducer.transaction();
    await committed.send(topic, [{ value: 'c', partition: 0, headers: { h: '1' } }, { value: 'd', partition: 1 }]);
    await committed.commit();
    await txProducer.close();

    const seen: ConsumedRecord[] = [];
    const consumer = await kafka.consumer({ groupId: `test-${randomUUID()}` });
    await consumer.start([topic], async (batch) => { seen.push(...batch.records); });
    await waitFor(() => seen.length >= 4, 'four committed records');
    await consumer.close();

    const p0 = seen.filter((r) => r.partition === 0).map((r) => r.value?.toString());
    expect(p0).toEqual(['a', 'b', 'c']);
    expect(seen.find((r) => r.value?.toString() === 'c')?.headers).toEqual({ h: '1' });
    expect(seen.filter((r) => r.partition === 1).map((r) => r.value?.toString())).toEqual(['d']);
    const ends = await admin.endOffsets(topic);
    expect(ends.find((e) => e.partition === 0)?.offset).toBeGreaterThanOrEqual(3);
  });
});
