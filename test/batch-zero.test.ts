import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkajsPort } from 'sluice/testing';
import { cliPath, consoleTable } from './support/programs.js';
import { startProcess, stopProcess, type Proc } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

/**
 * When batch 0 runs, per source, as in Spark 4.2: MicroBatchExecution.constructNextBatch runs a
 * batch as soon as any source reports an offset while none is committed, even with no record.
 * (Socket and file sources: segment tests.)
 */
describe('batch 0', () => {
  const kafka = new KafkajsPort({ brokers: (process.env['KAFKA_BROKERS'] ?? '').split(','), clientId: `test-${randomUUID()}` });
  const topics: string[] = [];
  let dir = '';
  let proc: Proc | null = null;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-batch0-'));
  });

  afterEach(async () => {
    if (proc !== null) await stopProcess(proc, 'SIGINT');
    proc = null;
    rmSync(dir, { recursive: true, force: true });
    const admin = await kafka.admin();
    await admin.deleteTopics(topics.splice(0));
    await admin.close();
  });

  const run = (body: string): Proc => {
    writeFileSync(join(dir, 'program.ts'), `
import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("BatchZero").getOrCreate();
${body}
`);
    proc = startProcess('node', [cliPath, 'run', join(dir, 'program.ts')], { cwd: dir });
    return proc;
  };

  const stdoutIs = async (p: Proc, expected: string, what: string): Promise<void> => {
    await waitFor(() => p.stdout.length >= expected.length, what, 90_000).catch((err: unknown) => {
      throw new Error(`${String(err)}\n--- stdout so far ---\n${p.stdout}`);
    });
    expect(p.stdout).toBe(expected);
  };

  const kafkaProgram = (topic: string, options: string): string => `
const df = spark.readStream.format("kafka").option("kafka.bootstrap.servers", process.env.KAFKA_BROKERS ?? "")
  .option("subscribe", "${topic}")${options}.load();
await df.selectExpr("CAST(value AS STRING)").writeStream.format("console").start().awaitTermination();
`;

  it('kafka, startingOffsets latest on an empty topic: batch 0 runs at once, empty; records follow in batch 1', async () => {
    // KafkaMicroBatchStream.latestOffset reports the partitions' offsets from the first trigger on.
    const topic = `test-b0-${randomUUID()}`;
    topics.push(topic);
    const p = run(kafkaProgram(topic, ''));
    const b0 = consoleTable(0, ['value'], []);
    await stdoutIs(p, b0, 'the empty batch 0, before any record');
    const producer = await kafka.producer();
    await producer.send(topic, [{ value: 'first' }]);
    await producer.close();
    await stdoutIs(p, b0 + consoleTable(1, ['value'], [['first']]), 'batch 1');
  });

  it('kafka, startingOffsets earliest: batch 0 holds every record already in the topic', async () => {
    const topic = `test-b0-${randomUUID()}`;
    topics.push(topic);
    const admin = await kafka.admin();
    await admin.ensureTopic(topic, 1);
    await admin.close();
    const producer = await kafka.producer();
    for (const value of ['r1', 'r2', 'r3']) await producer.send(topic, [{ value }]);
    await producer.close();
    const p = run(kafkaProgram(topic, '.option("startingOffsets", "earliest")'));
    await stdoutIs(p, consoleTable(0, ['value'], [['r1'], ['r2'], ['r3']]), 'batch 0 with the three records');
  });

  it('rate: batch 0 is empty (second 0), the values follow from batch 1 on', async () => {
    // RateStreamMicroBatchStream.latestOffset is the whole seconds since start: 0 at the first trigger.
    const p = run(`
await spark.readStream.format("rate").option("rowsPerSecond", 5).load().select("value")
  .writeStream.format("console").trigger({ processingTime: "1 second" }).start().awaitTermination();
`);
    await waitFor(() => p.stdout.includes('Batch: 1\n'), 'batch 1', 90_000);
    expect(p.stdout.startsWith(consoleTable(0, ['value'], []))).toBe(true);
    expect(p.stdout.slice(consoleTable(0, ['value'], []).length)).toMatch(/^-+\nBatch: 1\n-+\n\+-----\+\n\|value\|\n\+-----\+\n\|    0\|\n/);
  });
});
