import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkajsPort } from 'sluice/testing';
import { cliPath, consoleTable } from './support/programs.js';
import { startProcess } from './support/processes.js';

const program = (options: string): string => `
import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("KafkaTopics").getOrCreate();
const df = spark.readStream.format("kafka").option("kafka.bootstrap.servers", process.env.KAFKA_BROKERS ?? "")
  ${options}.load();
const query = df.selectExpr("CAST(value AS STRING)", "topic").writeStream.trigger({ availableNow: true }).format("console").start();
await query.awaitTermination();
`;

/** The Kafka source's ways to name topics: subscribePattern and assign, with availableNow. */
describe('kafka source: subscribePattern and assign', () => {
  const kafka = new KafkajsPort({ brokers: (process.env['KAFKA_BROKERS'] ?? '').split(','), clientId: `test-${randomUUID()}` });
  const id = randomUUID().slice(0, 8);
  const a = `pat-${id}-a`;
  const b = `pat-${id}-b`;

  beforeAll(async () => {
    const admin = await kafka.admin();
    await admin.ensureTopic(a, 1);
    await admin.ensureTopic(b, 2);
    await admin.close();
    const producer = await kafka.producer();
    await producer.send(a, [{ value: 'a1' }, { value: 'a2' }]);
    await producer.send(b, [{ value: 'b1', partition: 0 }, { value: 'b2', partition: 1 }]);
    await producer.close();
  });

  afterAll(async () => {
    const admin = await kafka.admin();
    await admin.deleteTopics([a, b]);
    await admin.close();
  });

  it.each([
    ['subscribePattern', `.option("subscribePattern", "pat-${'ID'}-.*").option("startingOffsets", "earliest")`, [['a1', 'A'], ['a2', 'A'], ['b1', 'B'], ['b2', 'B']]],
    ['assign', `.option("assign", JSON.stringify({ "pat-${'ID'}-b": [1] })).option("startingOffsets", "earliest")`, [['b2', 'B']]],
    ['startingOffsets as JSON', `.option("subscribe", "pat-${'ID'}-a").option("startingOffsets", JSON.stringify({ "pat-${'ID'}-a": { "0": 1 } }))`, [['a2', 'A']]],
  ])('%s reads what it names, then availableNow ends', async (_name, options, expected) => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-kafka-'));
    try {
      writeFileSync(join(dir, 'program.ts'), program(options.replaceAll('ID', id)));
      const proc = startProcess('node', [cliPath, 'run', join(dir, 'program.ts')], { cwd: dir });
      const exit = await proc.exited;
      expect(exit.code).toBe(0);
      const rows = (expected as string[][]).map(([v, t]) => [v ?? '', t === 'A' ? a : b]);
      expect(proc.stdout).toBe(consoleTable(0, ['value', 'topic'], rows));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
