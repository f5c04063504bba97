import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointKeys, connectRedis, deleteKeys, KafkajsPort, scanKeys } from 'sluice/testing';
import { silentLog } from './kafka-test-utils.js';
import { cliPath, servicePath } from './programs.js';
import { freePort, startProcess, stopProcess, type Proc } from './processes.js';
import { waitFor } from './wait-for.js';

/**
 * The ingest service on its own, as a deployment runs it, over the real broker and Redis: a
 * plan made by `sluice plan` from a one-line source definition, the service started with
 * chosen SLUICE_INGEST_* limits, and what it wrote read back from its source topic.
 */

export interface IngestPlan {
  readonly dir: string;
  readonly planFile: string;
  readonly checkpoint: string;
}

/** A plan whose only source is `source` (a readStream expression, maybe of the plan's folder), written to the console. */
export async function ingestPlan(source: string | ((dir: string) => string)): Promise<IngestPlan> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-ingest-'));
  const program = join(dir, 'program.ts');
  writeFileSync(program, `import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("Ingest").getOrCreate();
const lines = ${typeof source === 'string' ? source : source(dir)};
await lines.writeStream.format("console").start().awaitTermination();
`);
  const planFile = join(dir, 'plan.json');
  const plan = startProcess('node', [cliPath, 'plan', program, '-o', planFile], { cwd: dir });
  const exit = await plan.exited;
  if (exit.code !== 0) throw new Error(`sluice plan failed: ${plan.stderr}`);
  const checkpoint = `test-${randomUUID()}`;
  const doc = JSON.parse(readFileSync(planFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(planFile, JSON.stringify({ ...doc, checkpointLocation: checkpoint, temporaryCheckpoint: false }));
  return { dir, planFile, checkpoint };
}

export interface IngestService {
  readonly proc: Proc;
  readonly queryId: string;
  readonly topic: string;
  readonly metricsPort: number;
  readonly brokers: string;
}

/** One JSON log line of a service's stderr with this `msg`, or null. */
export function logLine(stderr: string, msg: string): Record<string, unknown> | null {
  for (const line of stderr.split('\n')) {
    if (!line.includes(`"msg":${JSON.stringify(msg)}`)) continue;
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
  }
  return null;
}

/** Starts the ingest service on `plan` and waits until it serves. */
export async function startIngest(plan: IngestPlan, env: Readonly<Record<string, string>> = {}): Promise<IngestService> {
  const metricsPort = await freePort();
  const brokers = env['KAFKA_BROKERS'] ?? process.env['KAFKA_BROKERS'] ?? '';
  const proc = startProcess('node', [servicePath('ingest')], {
    env: { ...process.env, SLUICE_QUERY_PLAN: plan.planFile, SLUICE_METRICS_PORT: String(metricsPort), ...env },
  });
  await waitFor(() => logLine(proc.stderr, 'service started') !== null || proc.child.exitCode !== null, 'the ingest service started', 90_000);
  const started = logLine(proc.stderr, 'service started');
  if (started === null) throw new Error(`the ingest service did not start: ${proc.stderr}`);
  const queryId = String(started['queryId']);
  return { proc, queryId, topic: `sluice.${queryId}.source-0`, metricsPort, brokers };
}

/** A metric of a service's /metrics (summed over the series matching `labels`); 0 when absent. */
export async function metricValue(port: number, name: string, labels: Readonly<Record<string, string>> = {}): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  const text = await res.text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/**
 * Every value of the source topic (its `value` column, as the ingest encodes a line), from the
 * start to its end now, given to `each` in order. Returns how many there were.
 */
export async function readSourceTopic(brokers: string, topic: string, each: (value: string) => void): Promise<number> {
  const kafka = new KafkajsPort({ brokers: brokers.split(','), clientId: `test-${randomUUID()}`, logger: silentLog });
  const admin = await kafka.admin();
  let end = 0;
  try {
    end = (await admin.endOffsets(topic)).find((p) => p.partition === 0)?.offset ?? 0;
  } finally {
    await admin.close();
  }
  let next = 0;
  let count = 0;
  if (end > 0) {
    const groupId = `test-${randomUUID()}`;
    const consumer = await kafka.consumer({ groupId });
    await consumer.start([topic], async (batch) => {
      for (const r of batch.records) {
        if (r.offset < next || r.offset >= end) continue;
        next = r.offset + 1;
        count += 1;
        each((JSON.parse(r.value?.toString('utf8') ?? 'null') as { value: string }).value);
      }
      if (batch.nextOffset > next) next = Math.min(batch.nextOffset, end);
    }, [{ topic, partition: 0, offset: 0 }]);
    await waitFor(() => next >= end, `${topic} read to offset ${end}`, 600_000);
    await consumer.close();
    const a = await kafka.admin();
    await a.deleteGroups([groupId]).catch(() => undefined);
    await a.close();
  }
  return count;
}

/** Deletes the query's source topic and checkpoint keys. */
export async function dropQuery(service: IngestService | null, plan: IngestPlan): Promise<void> {
  if (service !== null) {
    await stopProcess(service.proc, 'SIGKILL');
    const kafka = new KafkajsPort({ brokers: service.brokers.split(','), clientId: `test-${randomUUID()}`, logger: silentLog });
    const admin = await kafka.admin();
    await admin.deleteTopics([service.topic]).catch(() => undefined);
    await admin.close();
  }
  const redis = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', silentLog);
  await deleteKeys(redis, await scanKeys(redis, checkpointKeys(plan.checkpoint).all));
  await redis.quit();
  rmSync(plan.dir, { recursive: true, force: true });
}

/** Peak resident set size of a live process (VmHWM), in bytes; 0 once it has exited. */
export function peakRss(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? 0 : Number(m[1]) * 1024;
  } catch {
    return 0;
  }
}

/** A line client of a listening ingest. */
export function lineClient(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Writes `data` honouring the socket's back-pressure (waits for 'drain'); false if the socket closed. */
export async function writeAll(socket: Socket, data: string | Buffer): Promise<boolean> {
  if (socket.destroyed) return false;
  if (socket.write(data)) return true;
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      socket.off('drain', onDrain);
      socket.off('close', onClose);
      resolve(ok);
    };
    const onDrain = (): void => done(true);
    const onClose = (): void => done(false);
    socket.on('drain', onDrain);
    socket.on('close', onClose);
  });
}

/** Ends a client's stream and waits until the connection is closed. */
export async function endClient(socket: Socket): Promise<void> {
  if (socket.destroyed) return;
  await new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.end();
  });
}
