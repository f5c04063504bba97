import { randomUUID } from 'node:crypto';
import { createLogger } from 'sluice';
import { connectRedis, KafkajsPort } from 'sluice/testing';
import { silentLog } from '../support/kafka-test-utils.js';
import type { Proc } from '../support/processes.js';
import { QueryRun, type RunClients } from '../support/query-run.js';
import { PARTITIONS, type InputRecord, type Workload } from '../support/scale-out-workloads.js';
import { waitFor } from '../support/wait-for.js';
import { report, RssWatch } from './support/fault-report.js';
import { killSchedule, SeededRandom, sleep } from './support/seeded-random.js';
import { judgeBatches, ROLES, WordCountDeployment, type Role } from './support/word-count-deployment.js';

/**
 * kill -9 at random moments, on a seeded schedule (the seed is printed; SLUICE_FAULT_SEED
 * replays it): 8–12 kills over about two minutes while input flows, each killed process
 * started again, then the input stops and the output settles. No good row may be lost or
 * counted twice.
 *
 * - The three services of a deployment (file source → word count → console sink), any of them
 *   the victim: every batch id printed once (again only with the same text), none skipped, no
 *   count going down, the last batch the counts of every line written.
 * - Two scale-out processors on a six-partition Kafka topic (keyed count in update mode → a
 *   Kafka topic read committed), processors the victims: every key's last count is its count
 *   in the input, and no (key, count) row comes twice — a count only grows, so a repeat is a
 *   batch written twice.
 */

/** How often the services case drops a file, and its lines. */
const FILE_EVERY_MS = 250;
const LINES_PER_FILE = 25;
/** Gap before each kill and time a killed process stays down (ms ranges). */
const GAP_MS: [number, number] = [7000, 13_000];
const KILLS: [number, number] = [8, 12];

describe('faults: kill -9 at random points', () => {
  it('ingest, processor and sink killed at random: every batch once, the counts exact', async () => {
    const random = SeededRandom.forCase('kill -9 of the services at random');
    const schedule = killSchedule<Role>(random, ROLES, KILLS, GAP_MS, [0, 3000]);
    const deployment = await WordCountDeployment.create();
    let feeder: NodeJS.Timeout | undefined;
    try {
      for (const role of ['sink', 'processor', 'ingest'] as const) deployment.start(role);
      for (const role of ROLES) await deployment.started(role);
      feeder = setInterval(() => deployment.dropFile(LINES_PER_FILE), FILE_EVERY_MS);
      await waitFor(() => deployment.printed().batches.some((b) => WordCountDeployment.total(b) > 0), 'a first batch with rows', 90_000, 250);

      for (const [i, kill] of schedule.entries()) {
        await sleep(kill.gapMs);
        process.stdout.write(`FAULT kill ${i + 1}/${schedule.length}: ${kill.victim}, down ${kill.downMs} ms (${deployment.input.length} lines written)\n`);
        await deployment.kill(kill.victim);
        await sleep(kill.downMs);
        deployment.start(kill.victim);
      }
      clearInterval(feeder);
      feeder = undefined;
      for (const role of ROLES) await deployment.started(role);

      const expected = deployment.expectedCounts();
      const last = (): string => deployment.printed().batches.at(-1)?.rows.join() ?? '';
      await waitFor(() => last() === expected.join() || deployment.failures().length > 0, 'the counts of all the input', 180_000, 250).catch(() => undefined);
      // Time for a batch printed twice, or one more, to show.
      await sleep(3000);

      const { batches, cut } = deployment.printed();
      const verdict = judgeBatches(batches, expected);
      const out = WordCountDeployment.total(batches.at(-1) ?? { id: -1, rows: [], text: '' });
      const repeats = batches.length - new Set(batches.map((b) => b.id)).size;
      report({
        case: 'kill -9 of ingest/processor/sink at random', sent: deployment.input.length, out, rejected: 0,
        peakRss: deployment.processorPeakRss(),
        note: `seed ${random.seed}, ${schedule.length} kills (${ROLES.map((r) => `${r} ${schedule.filter((k) => k.victim === r).length}`).join(', ')}), ${batches.at(-1)?.id ?? -1} batches, ${repeats} reprinted identically, ${cut} cut by a kill`,
      });
      expect(deployment.failures()).toEqual([]);
      expect({ ...verdict, out }).toEqual({ changedRepeats: [], skipped: [], decreasing: [], lastIsAll: true, out: deployment.input.length });
    } finally {
      if (feeder !== undefined) clearInterval(feeder);
      await deployment.close();
    }
  });

  it('2 scale-out processors killed at random: the Kafka output holds the input counts exactly', async () => {
    const random = SeededRandom.forCase('kill -9 of scale-out processors at random');
    const schedule = killSchedule(random, [0, 1], KILLS, GAP_MS, [0, 2000]);
    const kafka = new KafkajsPort({ brokers: (process.env['KAFKA_BROKERS'] ?? '').split(','), clientId: `test-${randomUUID()}`, logger: silentLog });
    const clients: RunClients = {
      kafka,
      admin: await kafka.admin(),
      producer: await kafka.producer(),
      redis: await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', createLogger()),
    };
    const run = await QueryRun.create(clients, keyedCount, true);
    const watches: RssWatch[] = [];
    const add = async (): Promise<Proc> => {
      const proc = await run.fleet.add();
      watches.push(new RssWatch(proc.child.pid));
      return proc;
    };
    let feeding = true;
    try {
      const slots = await Promise.all([add(), add()]);
      // The body in FEED_STEPS slices, one every FEED_EVERY_MS, while the kills run; the rest at once after them.
      let step = 0;
      const feeder = (async () => {
        for (; step < FEED_STEPS && feeding; step++) {
          await run.produce(step / FEED_STEPS, (step + 1) / FEED_STEPS);
          await sleep(FEED_EVERY_MS);
        }
      })();
      for (const [i, kill] of schedule.entries()) {
        await sleep(kill.gapMs);
        const victim = slots[kill.victim];
        if (victim === undefined) throw new Error(`no processor in slot ${kill.victim}`);
        process.stdout.write(`FAULT kill ${i + 1}/${schedule.length}: processor ${kill.victim}, down ${kill.downMs} ms (${step}/${FEED_STEPS} of the input sent)\n`);
        victim.child.kill('SIGKILL');
        await victim.exited;
        await sleep(kill.downMs);
        slots[kill.victim] = await add();
      }
      feeding = false;
      await feeder;
      await run.produce(step / FEED_STEPS, 1);

      const expected = inputCounts(keyedRecords);
      const judge = (): ReturnType<typeof judgeCounts> => judgeCounts(run.collector.values, expected);
      await waitFor(() => judge().lastCounts.join() === expected.join() || run.fleet.failures().length > 0, 'the counts of all the input', 180_000, 250).catch(() => undefined);
      // Time for a batch written twice to show.
      await run.collector.settle(run.collector.values.length, 5000, 30_000);

      const verdict = judge();
      const out = verdict.lastCounts.reduce((n, r) => n + Number(r.split('=')[1]), 0);
      report({
        case: 'kill -9 of 2 scale-out processors at random', sent: keyedRecords.length, out, rejected: 0,
        peakRss: Math.max(0, ...watches.map((w) => w.stop())),
        note: `seed ${random.seed}, ${schedule.length} kills, ${run.collector.values.length} output rows, ${verdict.repeated.length} repeated, ${run.collector.redelivered} redelivered to the test's reader`,
      });
      expect(run.fleet.failures()).toEqual([]);
      expect({ repeated: verdict.repeated.slice(0, 10), overCount: verdict.overCount.slice(0, 10) }).toEqual({ repeated: [], overCount: [] });
      expect(verdict.lastCounts).toEqual(expected);
    } finally {
      feeding = false;
      for (const w of watches) w.stop();
      await run.close().catch(() => undefined);
      await clients.producer.close();
      await clients.admin.close();
      await clients.redis.quit();
    }
  });
});

const FEED_STEPS = 900;
const FEED_EVERY_MS = 150;
const KEYS = 24;

/** 36 000 keyed records, key k<n> in partition n mod 6, the keys in an uneven but fixed order. */
const keyedRecords: readonly InputRecord[] = Array.from({ length: 36_000 }, (_, i) => {
  const k = (i * 5 + Math.floor(i / 7)) % KEYS;
  return { key: `k${k}`, value: String(i), partition: k % PARTITIONS };
});

const keyedCount: Workload = {
  name: 'keyed count',
  program: (topics, checkpoint) => `import { SparkSession, col, count } from "sluice";
const spark = SparkSession.builder.appName("FaultKeyedCount").getOrCreate();
const counts = spark.readStream.format("kafka")
  .option("kafka.bootstrap.servers", process.env.KAFKA_BROKERS ?? "localhost:9092")
  .option("subscribe", "${topics.inputs[0]}")
  .option("startingOffsets", "earliest")
  .load()
  .select(col("key").cast("string").alias("k"))
  .groupBy("k").agg(count("*").alias("n"))
  .selectExpr("k AS key", "concat_ws('=', k, CAST(n AS STRING)) AS value");
const query = counts.writeStream.outputMode("update").format("kafka")
  .option("kafka.bootstrap.servers", process.env.KAFKA_BROKERS ?? "localhost:9092")
  .option("topic", "${topics.output}")
  .option("checkpointLocation", "${checkpoint}")
  .start();
await query.awaitTermination();
`,
  inputs: [{ body: keyedRecords, closing: [] }],
  expectedRows: 0,
};

/** Each key's count in the input, as `k=n`, sorted. */
function inputCounts(records: readonly InputRecord[]): string[] {
  const m = new Map<string, number>();
  for (const r of records) m.set(r.key, (m.get(r.key) ?? 0) + 1);
  return [...m].map(([k, n]) => `${k}=${n}`).sort();
}

/**
 * The update-mode output against the input's counts: each key's highest count so far, the
 * rows that came more than once, and the rows counting past the input.
 */
function judgeCounts(values: readonly string[], expected: readonly string[]): { lastCounts: string[]; repeated: string[]; overCount: string[] } {
  const want = new Map(expected.map((e) => [e.split('=')[0] ?? '', Number(e.split('=')[1])]));
  const highest = new Map<string, number>();
  const seen = new Set<string>();
  const repeated: string[] = [];
  const overCount: string[] = [];
  for (const v of values) {
    if (seen.has(v)) repeated.push(v);
    seen.add(v);
    const [k = '', n = '0'] = v.split('=');
    highest.set(k, Math.max(highest.get(k) ?? 0, Number(n)));
    if (Number(n) > (want.get(k) ?? 0)) overCount.push(v);
  }
  return { lastCounts: [...highest].map(([k, n]) => `${k}=${n}`).sort(), repeated, overCount };
}
