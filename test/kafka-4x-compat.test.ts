import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KafkajsPort, type ConsumedRecord } from 'sluice/testing';
import { repoRoot } from './support/programs.js';
import { waitFor } from './support/wait-for.js';

const run = promisify(execFile);
const NEWEST_4X = '4.4.0';
const script = join(repoRoot, 'scripts', 'local', 'kafka.sh');

/**
 * The pinned broker is 3.9.x; this proves the Kafka port (kafkajs 2.2.4) also works against
 * the newest Kafka 4.x, which dropped old protocol versions (KIP-896): topics, a transaction,
 * and a read_committed consumer group.
 */
describe(`compatibility with Kafka ${NEWEST_4X}`, () => {
  const env = { ...process.env, KAFKA_VERSION: NEWEST_4X };
  let brokers = '';

  beforeAll(async () => {
    const { stdout } = await run('bash', [script, 'up'], { env, timeout: 300_000 });
    brokers = stdout.trim().split('\n').reverse().find((l) => l.startsWith('KAFKA_BROKERS='))?.slice('KAFKA_BROKERS='.length) ?? '';
  }, 300_000);

  afterAll(async () => {
    await run('bash', [script, 'down', '--purge'], { env, timeout: 120_000 });
  }, 120_000);

  it('runs a transactional produce and a committed read through the port', async () => {
    const kafka = new KafkajsPort({ brokers: [brokers], clientId: `test-${randomUUID()}` });
    const topic = `test-${randomUUID()}`;
    const admin = await kafka.admin();
    await admin.ensureTopic(topic, 1);
    const producer = await kafka.producer({ transactionalId: `test-${randomUUID()}` });
    const aborted = await producer.transaction();
    await aborted.send(topic, [{ value: 'x' }]);
    await aborted.abort();
    const txn = await producer.transaction();
    await txn.send(topic, [{ value: 'a' }, { value: 'b' }]);
    await txn.commit();
    await producer.close();

    const seen: ConsumedRecord[] = [];
    const consumer = await kafka.consumer({ groupId: `test-${randomUUID()}` });
    await consumer.start([topic], async (batch) => { seen.push(...batch.records); });
    await waitFor(() => seen.length >= 2, 'two committed records');
    await consumer.close();
    expect(seen.map((r) => r.value?.toString())).toEqual(['a', 'b']);
    await admin.deleteTopics([topic]);
    await admin.close();
  });
});
