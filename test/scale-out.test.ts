import { randomUUID } from 'node:crypto';
import { createLogger } from 'sluice';
import { connectRedis, KafkajsPort } from 'sluice/testing';
import { silentLog } from './support/kafka-test-utils.js';
import { QueryRun, type RunClients } from './support/query-run.js';
import { workloads, type Workload } from './support/scale-out-workloads.js';

/**
 * Scale-out (issue 10): processor processes started with SLUICE_PROCESSOR_SCALE_OUT share one
 * query's work, a Kafka source partition a task. On the real broker, for a stateless filter, a
 * keyed windowed aggregation, a global window aggregation and a stream-stream join over
 * six-partition topics: 1, then 2 processors, a 3rd added mid-run and one killed with SIGKILL
 * while batches run. The output topic, read committed, holds the rows a single classic processor
 * writes for the same input: row for row, none lost, none twice.
 */

/** After the expected row count, how long no row may come before the output is judged. */
const SETTLE_QUIET_MS = 3000;
/** How long a run may take to reach the reference's row count (a kill -9 costs a rebalance). */
const SETTLE_TIMEOUT_MS = 90_000;

let clients: RunClients | undefined;
const runs: QueryRun[] = [];
/** Each workload's output from one classic processor, sorted. */
const reference = new Map<string, string[]>();

async function newRun(workload: Workload, scaleOut: boolean): Promise<QueryRun> {
  if (clients === undefined) throw new Error('the Kafka and Redis clients did not start');
  const run = await QueryRun.create(clients, workload, scaleOut);
  runs.push(run);
  return run;
}

/** What one output holds that the other lacks, counting repeats (a sample of each). */
function difference(expected: readonly string[], actual: readonly string[]): { missing: string[]; extra: string[]; sizes: [number, number] } {
  const left = new Map<string, number>();
  for (const v of expected) left.set(v, (left.get(v) ?? 0) + 1);
  const extra: string[] = [];
  for (const v of actual) {
    const n = left.get(v) ?? 0;
    if (n === 0) extra.push(v);
    else left.set(v, n - 1);
  }
  const missing = [...left].flatMap(([v, n]) => Array.from({ length: n }, () => v));
  return { missing: missing.slice(0, 10), extra: extra.slice(0, 10), sizes: [expected.length, actual.length] };
}

async function expectReferenceOutput(run: QueryRun): Promise<void> {
  const expected = reference.get(run.workload.name);
  if (expected === undefined) throw new Error(`no reference output for ${run.workload.name}`);
  await run.collector.settle(expected.length, SETTLE_QUIET_MS, SETTLE_TIMEOUT_MS, () => run.fleet.failures().length > 0);
  expect(run.fleet.failures()).toEqual([]);
  const actual = [...run.collector.values].sort();
  expect(difference(expected, actual)).toEqual({ missing: [], extra: [], sizes: [expected.length, expected.length] });
  expect(actual).toEqual(expected);
}

beforeAll(async () => {
  const kafka = new KafkajsPort({ brokers: (process.env['KAFKA_BROKERS'] ?? '').split(','), clientId: `test-${randomUUID()}`, logger: silentLog });
  clients = {
    kafka,
    admin: await kafka.admin(),
    producer: await kafka.producer(),
    redis: await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', createLogger()),
  };
});

afterAll(async () => {
  // Every run's processors are stopped here, whatever failed before.
  for (const run of runs) await run.close().catch(() => undefined);
  if (clients === undefined) return;
  await clients.producer.close();
  await clients.admin.close();
  await clients.redis.quit();
}, 120_000);

describe('scale-out: processors sharing a query write what one processor writes', () => {
  it('the reference: one classic processor per query, on the whole input', async () => {
    // The four references run side by side: each is one process on its own topics.
    await Promise.all(workloads.map(async (workload) => {
      const run = await newRun(workload, false);
      await run.produce(0, 1);
      await run.produceClosing();
      await run.fleet.add();
      await run.collector.settle(workload.expectedRows, SETTLE_QUIET_MS, SETTLE_TIMEOUT_MS, () => run.fleet.failures().length > 0);
      expect(run.fleet.failures()).toEqual([]);
      expect({ query: workload.name, rows: run.collector.values.length }).toEqual({ query: workload.name, rows: workload.expectedRows });
      expect(new Set(run.collector.values).size).toBe(workload.expectedRows);
      reference.set(workload.name, [...run.collector.values].sort());
    }));
  }, 180_000);

  it('one scale-out processor runs the stateless filter', async () => {
    const workload = workloads[0] as Workload;
    const run = await newRun(workload, true);
    await run.fleet.add();
    await run.produce(0, 0.5);
    await run.produce(0.5, 1);
    await run.produceClosing();
    await expectReferenceOutput(run);
  }, 150_000);

  it.each(workloads.map((w) => [w.name, w] as const))('%s: 2 processors, a 3rd added, one killed -9, more data', async (_name, workload) => {
    const run = await newRun(workload, true);
    await Promise.all([run.fleet.add(), run.fleet.add()]);
    await run.produce(0, 0.25);
    await run.produce(0.25, 0.5);
    await run.fleet.add();
    await run.produce(0.5, 0.75);
    // Batches of that data are running when one processor dies.
    await run.fleet.killOne();
    await run.produce(0.75, 1);
    await run.produceClosing();
    await expectReferenceOutput(run);
  }, 180_000);
});
