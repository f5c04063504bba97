import { randomUUID } from 'node:crypto';
import { createLogger } from 'sluice';
import { connectRedis, KafkajsPort } from 'sluice/testing';
import { silentLog } from './support/kafka-test-utils.js';
import { cliPath } from './support/programs.js';
import { startProcess, type Proc } from './support/processes.js';
import { QueryRun, type RunClients } from './support/query-run.js';
import { PARTITIONS, workloads, type Workload } from './support/scale-out-workloads.js';
import { waitFor } from './support/wait-for.js';

/**
 * Issue 10: `sluice status`, the live page and /metrics of a scaled-out query show its
 * replicas with their tasks and the lag of every source partition. Two scale-out processors run
 * a keyed windowed aggregation over a six-partition topic; once the output is complete, status
 * lists both replicas (one leading), the six source tasks and the shuffle tasks split between
 * them, and lag 0 in all six partitions.
 */

interface Replica {
  runId: string;
  leader: boolean;
  sourceTasks: string[];
  shuffleTasks: number[];
}

interface Lag {
  source: number;
  topic: string;
  partition: number;
  records: number;
}

interface StatusEntry {
  id: string;
  status: string;
  replicas?: { members: Replica[]; lag: Lag[] };
}

const workload = workloads.find((w) => w.name === 'keyed windowed aggregation') as Workload;

let clients: RunClients | undefined;
let run: QueryRun | undefined;

async function statusOf(queryId: string): Promise<StatusEntry | undefined> {
  const proc = startProcess('node', [cliPath, 'status', '--json']);
  expect((await proc.exited).code).toBe(0);
  return (JSON.parse(proc.stdout) as StatusEntry[]).find((q) => q.id === queryId);
}

/** Both replicas hold tasks, every source partition has a task, and no partition lags. */
function settled(q: StatusEntry | undefined): boolean {
  const r = q?.replicas;
  if (r === undefined || r.members.length !== 2) return false;
  const sourceTasks = r.members.flatMap((m) => m.sourceTasks);
  return r.members.every((m) => m.sourceTasks.length > 0) && sourceTasks.length === PARTITIONS &&
    r.lag.length === PARTITIONS && r.lag.every((p) => p.records === 0);
}

/** The port a processor's ops server listens on (SLUICE_METRICS_PORT=0 picks a free one). */
function opsPort(proc: Proc): number {
  const line = proc.stderr.split('\n').find((l) => l.includes('"msg":"serving the live page'));
  return Number((JSON.parse(line ?? '{}') as { port?: number }).port ?? 0);
}

beforeAll(async () => {
  const kafka = new KafkajsPort({ brokers: (process.env['KAFKA_BROKERS'] ?? '').split(','), clientId: `test-${randomUUID()}`, logger: silentLog });
  clients = { kafka, admin: await kafka.admin(), producer: await kafka.producer(), redis: await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', createLogger()) };
});

afterAll(async () => {
  await run?.close().catch(() => undefined);
  if (clients === undefined) return;
  await clients.producer.close();
  await clients.admin.close();
  await clients.redis.quit();
}, 60_000);

describe('status of a scaled-out query', () => {
  it('lists both replicas with their tasks and every source partition with its lag', async () => {
    if (clients === undefined) throw new Error('the Kafka and Redis clients did not start');
    run = await QueryRun.create(clients, workload, true);
    const [first, second] = await Promise.all([run.fleet.add(), run.fleet.add()]);
    await run.produce(0, 1);
    await run.produceClosing();
    await run.collector.settle(workload.expectedRows, 1000, 90_000, () => run?.fleet.failures().length !== 0);
    expect(run.fleet.failures()).toEqual([]);
    expect(run.collector.values.length).toBe(workload.expectedRows);
    const queryId = run.fleet.queryId() ?? '';

    // JSON: the replicas, their tasks and the lag per partition.
    await waitFor(async () => settled(await statusOf(queryId)), 'status to show 2 replicas and 6 partitions at lag 0', 60_000, 500);
    const q = await statusOf(queryId);
    const replicas = q?.replicas?.members ?? [];
    expect(q?.status).toBe('ACTIVE');
    expect(replicas.filter((m) => m.leader)).toHaveLength(1);
    expect(replicas.flatMap((m) => m.sourceTasks).sort()).toEqual(Array.from({ length: PARTITIONS }, (_, p) => `0|${p}`));
    // A new checkpoint gets as many shuffle tasks as the widest source has partitions.
    expect(replicas.flatMap((m) => m.shuffleTasks).sort()).toEqual(Array.from({ length: PARTITIONS }, (_, k) => k));
    const [input] = q?.replicas?.lag.map((p) => p.topic) ?? [];
    expect(q?.replicas?.lag).toEqual(Array.from({ length: PARTITIONS }, (_, partition) => ({ source: 0, topic: input, partition, records: 0 })));
    expect(input).toMatch(/^test-scale-.*-in0$/);

    // Text: the replica table names both run ids, the lag table all six partitions.
    const table = startProcess('node', [cliPath, 'status']);
    expect((await table.exited).code).toBe(0);
    expect(table.stdout).toContain(`Query ${queryId} runs on 2 processor replicas:`);
    for (const m of replicas) expect(table.stdout).toMatch(new RegExp(`\\|${m.runId}\\|${m.leader ? 'yes' : 'no '}`));
    expect(table.stdout).toMatch(/\|source\|topic +\|partition\|lag\|/);
    for (let p = 0; p < PARTITIONS; p++) expect(table.stdout).toMatch(new RegExp(`\\|0 +\\|${input ?? ''}\\|${p} +\\|0 +\\|`));

    // The live page and its JSON on each replica; the lag chart and gauge on the leader.
    const leaderRunId = replicas.find((m) => m.leader)?.runId;
    let leaderPages = 0;
    for (const proc of [first, second]) {
      const base = `http://127.0.0.1:${opsPort(proc)}`;
      const api = (await (await fetch(`${base}/api/queries/${queryId}`)).json()) as { runId: string; replicas?: { members: Replica[]; lag: Lag[] }; consumerLag: unknown[] };
      expect(api.replicas?.members.map((m) => m.runId).sort()).toEqual(replicas.map((m) => m.runId).sort());
      const page = await (await fetch(`${base}/query/${queryId}`)).text();
      expect(page).toContain('<section class="card" id="replicas"><h2>Replicas');
      for (const m of replicas) expect(page).toContain(`data-replica="${m.runId}"`);
      if (api.runId !== leaderRunId) continue;
      leaderPages++;
      expect(api.replicas?.lag).toHaveLength(PARTITIONS);
      expect(api.consumerLag.length).toBeGreaterThan(0);
      expect(page).toContain('data-metric="consumer-lag"');
      const scraped = await (await fetch(`${base}/metrics`)).text();
      for (let p = 0; p < PARTITIONS; p++) expect(scraped).toContain(`sluice_consumer_lag_records{query="${queryId}",source="0",partition="${p}"} 0`);
    }
    expect(leaderPages).toBe(1);
  }, 180_000);
});
