// Issue 12's latency run (workload C): lines from a socket to the console with the default
// trigger at 1,000 lines/s, each line timed from the moment this process writes it to the socket
// to the moment its row reaches this process on the system's stdout (the console table).
//   Sluice: `sluice run` of socket → console (ingest → Kafka → processor → Kafka → sink, one process);
//   Spark:  real Spark 4.2.0 local[2], socket source → console sink (bench/spark, workload C);
//   baseline: the same two Kafka hops by hand in this process — each line produced to a topic, a
//   consumer that copies each fetched batch to a second topic in one transaction, a read_committed
//   consumer of that topic — what the two hops and a transaction per batch cost with kafkajs.
// Both consoles print every row (numRows 1,000,000; Spark's default shows 20 a batch).
// Each system gets WARMUP_S seconds of lines first (not counted), then MEASURE_S seconds counted.
// Prints one table and one JSON line. Env: BENCH_LATENCY_RATE (1000 lines/s),
// BENCH_LATENCY_SECONDS (10), BENCH_SPARK=0 skips Spark.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KafkajsPort } from 'sluice/testing';
import { sluiceNodeArgs } from './sluice-command.js';

type System = 'sluice' | 'spark' | 'baseline';

const RATE = Number(process.env['BENCH_LATENCY_RATE'] ?? 1000);
const MEASURE_S = Number(process.env['BENCH_LATENCY_SECONDS'] ?? 10);
const WARMUP_S = 5;
const SPARK = process.env['BENCH_SPARK'] !== '0';
/** Lines go out in ticks of this many ms (RATE × TICK_MS / 1000 lines a tick). */
const TICK_MS = 10;
/** How long a system may take to connect to the socket (Spark's JVM start). */
const CONNECT_TIMEOUT_MS = 120_000;
/** After the last line, how long its row may take to show. */
const DRAIN_MS = 5000;
const brokers = process.env['KAFKA_BROKERS'] ?? '';
const root = join(import.meta.dirname, '..');
const sparkScript = join(root, 'bench', 'spark', 'spark-ab.sh');

interface Result {
  readonly system: System;
  readonly sent: number;
  readonly printed: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** Send times of the lines, by sequence number; the latencies of those printed. */
class Clocking {
  private readonly sentAt = new Map<number, number>();
  readonly latencies: number[] = [];
  /** Lines numbered below this are warm-up: printed, not counted. */
  firstCounted = Number.POSITIVE_INFINITY;
  sent = 0;

  markSent(seq: number): void {
    this.sentAt.set(seq, performance.now());
    if (seq >= this.firstCounted) this.sent++;
  }

  markPrinted(seq: number, at: number): void {
    const t = this.sentAt.get(seq);
    if (t === undefined) return;
    this.sentAt.delete(seq);
    if (seq >= this.firstCounted) this.latencies.push(at - t);
  }

  result(system: System): Result {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const q = (p: number): number => Number((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN).toFixed(1));
    return { system, sent: this.sent, printed: sorted.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1) };
  }
}

/** Console rows `|<seq>|` in a chunk of a system's stdout, timed at arrival. */
function rowReader(clocking: Clocking): (chunk: Buffer) => void {
  let rest = '';
  return (chunk) => {
    const at = performance.now();
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const m = /^\|(\d+)\s*\|$/.exec(line);
      if (m !== null) clocking.markPrinted(Number(m[1]), at);
    }
  };
}

/** Writes numbered lines at RATE to `write` for warm-up and measurement, then waits for the tail. */
async function feed(clocking: Clocking, write: (line: string, seq: number) => void): Promise<void> {
  const perTick = Math.max(1, Math.round((RATE * TICK_MS) / 1000));
  const ticks = Math.round(((WARMUP_S + MEASURE_S) * 1000) / TICK_MS);
  clocking.firstCounted = Math.round((WARMUP_S * 1000) / TICK_MS) * perTick;
  const t0 = performance.now();
  let seq = 0;
  for (let tick = 0; tick < ticks; tick++) {
    const due = t0 + tick * TICK_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    for (let k = 0; k < perTick; k++, seq++) {
      clocking.markSent(seq);
      write(`${seq}\n`, seq);
    }
  }
  await new Promise((r) => setTimeout(r, DRAIN_MS));
}

/** A netcat-style server (`nc -lk`): the system connects, then the lines go to it. Null when Spark is skipped. */
async function socketRun(system: System, start: (port: number) => ChildProcess): Promise<Result | null> {
  const clocking = new Clocking();
  const server = createServer();
  const connected = new Promise<Socket>((resolve) => {
    server.once('connection', (s: Socket) => {
      s.setNoDelay(true);
      resolve(s);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const child = start((server.address() as AddressInfo).port);
  let stderr = '';
  child.stdout?.on('data', rowReader(clocking));
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let socket: Socket | null = null;
  try {
    socket = await Promise.race([
      connected,
      exited.then((code) => {
        // spark-ab.sh exits 3 when there is no JDK 17 or no Maven.
        if (system === 'spark' && code === 3) return null;
        throw new Error(`${system} exited ${code} before it connected: ${stderr}`);
      }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${system} did not connect within ${CONNECT_TIMEOUT_MS} ms: ${stderr}`)), CONNECT_TIMEOUT_MS).unref()),
    ]);
    if (socket === null) return null;
    const to = socket;
    await feed(clocking, (line) => to.write(line));
    return clocking.result(system);
  } finally {
    socket?.destroy();
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
    child.kill('SIGKILL');
    server.close();
  }
}

function sluice(port: number): ChildProcess {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-latency-'));
  writeFileSync(join(dir, 'bench.ts'), `
import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("bench-latency").getOrCreate();
const lines = spark.readStream.format("socket").option("host", "127.0.0.1").option("port", ${port}).load();
await lines.writeStream.format("console").outputMode("append").option("numRows", 1000000).option("truncate", false).start().awaitTermination();
`);
  const child = spawn('node', sluiceNodeArgs(['run', join(dir, 'bench.ts')]), { cwd: dir, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return child;
}

function spark(port: number): ChildProcess {
  return spawn('bash', [sparkScript, '--workload', 'C', '--socket', `127.0.0.1:${port}`], { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The two Kafka hops by hand, with kafkajs: produce, copy each batch in a transaction, read committed. */
async function baseline(): Promise<Result> {
  const kafka = new KafkajsPort({ brokers: brokers.split(','), clientId: `bench-latency-${randomUUID()}` });
  const id = randomUUID().slice(0, 8);
  const [hop1, hop2] = [`latency-in-${id}`, `latency-out-${id}`];
  const admin = await kafka.admin();
  for (const t of [hop1, hop2]) await admin.ensureTopic(t, 1);
  const producer = await kafka.producer();
  const copier = await kafka.producer({ transactionalId: `bench-latency-${id}` });
  const copy = await kafka.consumer({ groupId: `bench-latency-copy-${id}` });
  const read = await kafka.consumer({ groupId: `bench-latency-read-${id}` });
  const clocking = new Clocking();
  try {
    await copy.start([hop1], async (b) => {
      if (b.records.length === 0) return;
      const txn = await copier.transaction();
      await txn.send(hop2, b.records.map((r) => ({ partition: 0, value: r.value })));
      await txn.commit();
    });
    await read.start([hop2], async (b) => {
      const at = performance.now();
      for (const r of b.records) clocking.markPrinted(Number(r.value?.toString()), at);
    });
    // Lines of one tick go out as one send, as an ingest batches what one read gave it.
    let pending: string[] = [];
    await feed(clocking, (line) => {
      pending.push(line.trim());
      if (pending.length >= Math.max(1, Math.round((RATE * TICK_MS) / 1000))) {
        const values = pending;
        pending = [];
        void producer.send(hop1, values.map((value) => ({ partition: 0, value })));
      }
    });
    return clocking.result('baseline');
  } finally {
    await read.close();
    await copy.close();
    await copier.close();
    await producer.close();
    await admin.deleteTopics([hop1, hop2]).catch(() => undefined);
    await admin.close();
  }
}

const results: Result[] = [];
results.push(await baseline());
const sluiceResult = await socketRun('sluice', sluice);
if (sluiceResult !== null) results.push(sluiceResult);
if (SPARK) {
  const sparkResult = await socketRun('spark', spark);
  if (sparkResult === null) process.stderr.write('latency: Spark skipped (no JDK 17 or Maven)\n');
  else results.push(sparkResult);
}

const note = 'latency = line written to the socket → its row read from the system\'s stdout (baseline: from the second topic), both timed in the bench process; '
  + `${RATE} lines/s in ticks of ${TICK_MS} ms, ${WARMUP_S} s warm-up not counted, ${MEASURE_S} s counted. `
  + 'Sluice: `sluice run`, default trigger, the socket line crosses Kafka twice (ingest → processor, processor → sink, a transaction per batch); '
  + 'Spark: local[2], default trigger, socket source read in the driver, no Kafka; baseline: the two Kafka hops alone, a transaction per fetched batch.';
const pad = (s: string, n: number): string => s.padEnd(n);
console.log(`cores: ${availableParallelism()}, ${RATE} lines/s, ${MEASURE_S} s counted`);
console.log(`${pad('system', 10)}${pad('sent', 8)}${pad('printed', 9)}${pad('p50 ms', 9)}${pad('p90 ms', 9)}${pad('p99 ms', 9)}max ms`);
for (const r of results) console.log(`${pad(r.system, 10)}${pad(String(r.sent), 8)}${pad(String(r.printed), 9)}${pad(String(r.p50), 9)}${pad(String(r.p90), 9)}${pad(String(r.p99), 9)}${r.max}`);
console.log(`note: ${note}`);
console.log(JSON.stringify({ benchmark: 'issue 12 workload C: socket → console latency', cores: availableParallelism(), rate: RATE, seconds: MEASURE_S, results, note }));
process.exit(results.every((r) => r.printed === r.sent) ? 0 : 1);
