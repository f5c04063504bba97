import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { KafkajsPort, type ConsumedRecord } from 'sluice/testing';
import { cliPath, exampleIn } from './support/programs.js';
import { startProcess, stopProcess, type Proc } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

const brokers = (): string => process.env['KAFKA_BROKERS'] ?? '';
const N = 200;

async function readAll(kafka: KafkajsPort, topic: string, atLeast: number): Promise<ConsumedRecord[]> {
  const seen: ConsumedRecord[] = [];
  const consumer = await kafka.consumer({ groupId: `test-${randomUUID()}` });
  await consumer.start([topic], async (b) => { seen.push(...b.records); });
  await waitFor(() => seen.length >= atLeast, `${atLeast} records on ${topic}`, 60_000).catch(() => undefined);
  // Let any duplicate arrive too before judging.
  await new Promise((r) => setTimeout(r, 1500));
  await consumer.close();
  return seen;
}

/**
 * Kafka source → Kafka sink with the processor killed (SIGKILL) after each protocol step of
 * a middle batch, then restarted: the output topic, read committed, equals a crash-free run
 * row for row — nothing lost, nothing twice.
 */
describe('exactly-once Kafka output across kill -9', () => {
  it.each(['offset-log', 'results', 'commit'])('processor killed at %s of batch 1', async (step) => {
    const kafka = new KafkajsPort({ brokers: brokers().split(','), clientId: `test-${randomUUID()}` });
    const id = randomUUID().slice(0, 8);
    const inTopic = `test-in-${id}`;
    const outTopic = `test-out-${id}`;
    const admin = await kafka.admin();
    await admin.ensureTopic(inTopic, 2);
    const producer = await kafka.producer();
    const words = Array.from({ length: N }, (_, i) => `word-${i}`);
    await producer.send(inTopic, words.map((w, i) => ({ key: `k${i}`, value: w, partition: i % 2 })));
    await producer.close();

    const program = exampleIn('kafka_to_kafka.ts', {});
    writeFileSync(program.file, readFileSync(program.file, 'utf8')
      .replace('"words-in"', `"${inTopic}"`).replace('"words-out"', `"${outTopic}"`)
      .replace('checkpoints/kafka-to-kafka', `test-${id}`));
    const run = (env: NodeJS.ProcessEnv): Proc =>
      startProcess('node', [cliPath, 'run', program.file], { cwd: program.dir, env: { ...process.env, ...env } });
    let second: Proc | null = null;
    try {
      const first = run({ SLUICE_TEST_CRASH_AT: `${step}:1` });
      const exit = await first.exited;
      expect(exit.signal).toBe('SIGKILL');
      second = run({});
      const out = await readAll(kafka, outTopic, N);
      const values = out.map((r) => r.value?.toString() ?? '');
      expect(values.length).toBe(N);
      expect(new Set(values).size).toBe(N);
      expect([...values].sort()).toEqual(words.map((w) => w.toUpperCase()).sort());
      const keys = new Map(out.map((r) => [r.value?.toString(), r.key?.toString()]));
      expect(keys.get('WORD-7')).toBe('k7');
    } finally {
      if (second !== null) await stopProcess(second, 'SIGINT');
      await admin.deleteTopics([inTopic, outTopic]).catch(() => undefined);
      await admin.close();
      rmSync(program.dir, { recursive: true, force: true });
    }
  });
});
