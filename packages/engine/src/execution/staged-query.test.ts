import { SparkSession } from '../api/spark-session.js';
import { col, count, explode, expr, length, max, split, window } from '../api/functions.js';
import type { DataFrame } from '../api/data-frame.js';
import type { Row } from '../core/types.js';
import type { StateMetrics } from '../operators/operator.js';
import type { QueryPlan } from '../plan/query-plan.js';
import { QueryManager } from '../runtime/query-manager.js';
import { InMemoryStateStore } from '../state/in-memory-state-store.js';
import { QueryExecution } from './query-execution.js';
import { StagedQuery, ownedRange, taskOfPartition, type StageBatch } from './staged-query.js';

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');
const lines = (): DataFrame => spark.readStream.format('socket').option('host', 'localhost').option('port', 1).load();
const timed = (): DataFrame =>
  spark.readStream.format('socket').option('host', 'localhost').option('port', 1).option('includeTimestamp', true).load();
const words = (): DataFrame => lines().select(explode(split(col('value'), ' ')).alias('word'));
const plan = (df: DataFrame, mode: string, partitions?: number): QueryPlan => {
  const p = df.writeStream.outputMode(mode).toPlan();
  return partitions === undefined ? p : { ...p, conf: { ...p.conf, 'spark.sql.shuffle.partitions': String(partitions) } };
};

/** A deterministic stream of pseudo-random numbers. */
function generator(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const VOCABULARY = ['a', 'b', 'c', 'spark', 'stream', 'kafka', 'redis', 'x', 'yy', 'zzz', 'state', 'watermark'];
const MINUTE = 60_000_000;
const T0 = Date.UTC(2024, 0, 1) * 1000;

/** Batches of text lines: per batch one array of rows per source. */
function textBatches(seed: number, batches: number, sources = 1): Row[][][] {
  const next = generator(seed);
  const word = (): string => VOCABULARY[Math.floor(next() * VOCABULARY.length)] as string;
  return Array.from({ length: batches }, () =>
    Array.from({ length: sources }, () => Array.from({ length: 5 + Math.floor(next() * 20) }, () => [`${word()} ${word()} ${word()}`])));
}

/** Batches of (word, event time) whose time moves on ~10 minutes a batch, some rows late. */
function timedBatches(seed: number, batches: number, sources = 1): Row[][][] {
  const next = generator(seed);
  return Array.from({ length: batches }, (_, b) =>
    Array.from({ length: sources }, () => Array.from({ length: 5 + Math.floor(next() * 25) }, () => {
      const minutes = b * 10 + Math.floor(next() * 14) - (next() < 0.15 ? 30 : 0);
      return [VOCABULARY[Math.floor(next() * 6)] as string, T0 + Math.max(0, minutes) * MINUTE + Math.floor(next() * 59) * 1_000_000];
    })));
}

interface Run {
  readonly outputs: Row[][];
  readonly watermarks: number[];
  readonly metrics: Array<Omit<StateMetrics, 'custom'> & { custom: Record<string, Record<string, number>> }>;
}

const TIMESTAMP = (batch: number): number => 1_700_000_000_000 + batch * 1000;

async function runOneProcess(p: QueryPlan, batches: readonly Row[][][]): Promise<Run & { statefulIds: readonly string[] }> {
  const execution = new QueryExecution(p, () => new InMemoryStateStore());
  const run: Run = { outputs: [], watermarks: [], metrics: [] };
  for (const [batchId, inputs] of batches.entries()) {
    const { rows, metrics } = execution.runBatch(batchId, TIMESTAMP(batchId), execution.watermarkMs, inputs);
    await execution.commitState();
    run.outputs.push(rows);
    run.watermarks.push(execution.watermarkMs);
    run.metrics.push({ ...metrics, custom: metrics.custom ?? {} });
  }
  return { ...run, statefulIds: execution.operator.statefulIds };
}

/** A batch's rows of one source cut, in order, into the parts its source partitions would read. */
function chunks(rows: readonly Row[], batchId: number): Row[][] {
  const n = rows.length;
  const cuts = batchId % 2 === 0 ? [0, Math.floor(n / 3), Math.floor((2 * n) / 3), n] : [0, Math.floor(n / 2), n];
  return cuts.slice(1).map((to, i) => rows.slice(cuts[i], to));
}

function addMetrics(into: Run['metrics'][number], m: StateMetrics): void {
  into.droppedByWatermark += m.droppedByWatermark;
  into.evicted += m.evicted;
  into.updated += m.updated;
  for (const [id, own] of Object.entries(m.custom ?? {})) {
    const sum = (into.custom[id] ??= {});
    for (const [name, v] of Object.entries(own)) sum[name] = (sum[name] ?? 0) + v;
  }
}

/**
 * The query over `tasks` shuffle tasks: each source's rows mapped chunk by chunk, each row sent
 * to every task owning one of its partitions (`broadcast`: to every task, which must then skip
 * what it does not own), each task with its own StagedQuery and stores, a leader's
 * WatermarkTracker fed every observation of a batch.
 */
async function runStaged(p: QueryPlan, batches: readonly Row[][][], tasks: number, broadcast: boolean): Promise<Run> {
  const leader = new StagedQuery(p);
  const tracker = leader.watermark;
  const exchange = leader.exchange;
  const k = exchange?.splittable === true ? tasks : 1;
  const partitions = leader.shufflePartitions;
  const shuffleTasks = Array.from({ length: k }, (_, t) => {
    const stores = new Map<string, InMemoryStateStore>();
    const [from, to] = ownedRange(t, k, partitions);
    return {
      query: new StagedQuery(p),
      stores,
      store: (id: string): InMemoryStateStore => {
        let s = stores.get(id);
        if (s === undefined) stores.set(id, (s = new InMemoryStateStore()));
        return s;
      },
      owns: k === 1 ? null : (q: number): boolean => from <= q && q < to,
    };
  });
  const run: Run = { outputs: [], watermarks: [], metrics: [] };
  for (const [batchId, inputs] of batches.entries()) {
    const watermarkMs = tracker.watermarkMs;
    const batch: StageBatch = { batchId, batchTimestampMs: TIMESTAMP(batchId), watermarkMs, lateEventsWatermarkMs: tracker.lateEventsWatermarkMs(watermarkMs) };
    const observe = (observed: Record<string, number>): void => {
      for (const [id, v] of Object.entries(observed)) tracker.observe(id, v);
    };
    const metrics = { droppedByWatermark: 0, evicted: 0, updated: 0, custom: {} };
    const out: Row[] = [];
    const sideInputs: Row[][][] = shuffleTasks.map(() => Array.from({ length: exchange?.sides ?? 0 }, () => []));
    for (const [source, rows] of inputs.entries()) {
      for (const chunk of chunks(rows, batchId)) {
        const mapped = leader.runMap(source, chunk, batch);
        observe(mapped.observed);
        if (mapped.partitions === null) {
          out.push(...mapped.rows);
          continue;
        }
        const side = leader.sideOf(source) as number;
        mapped.rows.forEach((row, i) => {
          const owners = broadcast ? new Set(shuffleTasks.keys()) : new Set((mapped.partitions?.[i] ?? []).map((q) => taskOfPartition(q, k, partitions)));
          for (const t of [...owners].sort((a, b) => a - b)) sideInputs[t]?.[side]?.push(row);
        });
      }
    }
    if (exchange !== null) {
      for (const [t, task] of shuffleTasks.entries()) {
        const reduced = task.query.runReduce(sideInputs[t] ?? [], task.owns, task.store, batch);
        observe(reduced.observed);
        addMetrics(metrics, reduced.metrics);
        out.push(...reduced.rows);
        for (const s of task.stores.values()) await s.commit();
      }
    }
    tracker.endBatch(watermarkMs);
    run.outputs.push(out);
    run.watermarks.push(tracker.watermarkMs);
    run.metrics.push(metrics);
  }
  return run;
}

/**
 * Runs the query on one process and over 1, 2 and 3 tasks, rows routed or broadcast: the same
 * rows in the same order, the same watermarks and the same metrics.
 */
async function expectSameOverTasks(p: QueryPlan, batches: readonly Row[][][], expected: { exchange: { sides: number; splittable: boolean } | null }): Promise<Run> {
  const staged = new StagedQuery(p);
  expect(staged.exchange).toEqual(expected.exchange);
  const one = await runOneProcess(p, batches);
  expect(staged.statefulIds).toEqual(one.statefulIds);
  for (const tasks of [1, 2, 3]) {
    for (const broadcast of [false, true]) {
      const split = await runStaged(p, batches, tasks, broadcast);
      expect(split.outputs).toEqual(one.outputs);
      expect(split.watermarks).toEqual(one.watermarks);
      if (staged.exchange !== null) expect(split.metrics).toEqual(one.metrics);
    }
  }
  return one;
}

const some = (run: Run): number => run.outputs.reduce((n, rows) => n + rows.length, 0);

describe('StagedQuery: a query split at its exchange gives what one process gives', () => {
  it('a stateless filter and explode runs whole in the source tasks (no exchange)', async () => {
    const df = words().filter(length(col('word')).gt(1));
    const run = await expectSameOverTasks(plan(df, 'append'), textBatches(1, 4), { exchange: null });
    expect(some(run)).toBeGreaterThan(10);
  });

  it('a union of two sources (no exchange)', async () => {
    const df = lines().filter(length(col('value')).gt(12)).union(lines().selectExpr('upper(value) AS value'));
    const run = await expectSameOverTasks(plan(df, 'append'), textBatches(2, 4, 2), { exchange: null });
    expect(some(run)).toBeGreaterThan(10);
  });

  it('a stream-static join, the stream on either side (no exchange)', async () => {
    const table = spark.createDataFrame([['a', 1], ['spark', 2], ['kafka', 3], ['a', 4]], 'w STRING, n INT');
    const left = words().join(table, col('word').eqNullSafe(col('w')));
    const right = table.join(words(), col('word').eqNullSafe(col('w')));
    for (const df of [left, right]) {
      const run = await expectSameOverTasks(plan(df, 'append'), textBatches(3, 4), { exchange: null });
      expect(some(run)).toBeGreaterThan(5);
    }
  });

  it('word count (one key, and two), update and complete', async () => {
    for (const df of [words().groupBy('word').count(), words().groupBy(col('word'), length(col('word'))).count()]) {
      for (const mode of ['update', 'complete']) {
        for (const partitions of [200, 5]) {
          const run = await expectSameOverTasks(plan(df, mode, partitions), textBatches(4, 5), { exchange: { sides: 1, splittable: true } });
          expect(some(run)).toBeGreaterThan(10);
        }
      }
    }
  });

  it('a sliding-window count (10 minutes every 5) with a watermark, update and append, with evictions', async () => {
    const events = (): DataFrame => timed().selectExpr('value AS word', 'timestamp').withWatermark('timestamp', '10 minutes');
    const byWindow = events().groupBy(window(col('timestamp'), '10 minutes', '5 minutes')).agg(count('*').alias('n'));
    const byWindowAndWord = events().groupBy(window(col('timestamp'), '10 minutes', '5 minutes'), col('word')).count();
    const byWordAndWindow = events().groupBy(col('word'), window(col('timestamp'), '10 minutes', '5 minutes'), length(col('word'))).count();
    // A string max: a sort-based aggregation (groups sorted in each partition); a filter and a projection above it.
    const sortBased = events().groupBy(window(col('timestamp'), '10 minutes', '5 minutes')).agg(max('word').alias('last'), count('*').alias('n'))
      .filter(col('n').gt(1)).selectExpr('window.start AS start', 'last', 'n * 2 AS twice');
    for (const df of [byWindow, byWindowAndWord, byWordAndWindow, sortBased]) {
      for (const mode of ['update', 'append']) {
        const batches = [...timedBatches(5, 8), [[]], [[]]];
        const run = await expectSameOverTasks(plan(df, mode, 7), batches, { exchange: { sides: 1, splittable: true } });
        expect(some(run)).toBeGreaterThan(5);
        expect(run.metrics.some((m) => m.evicted > 0)).toBe(true);
        expect(run.metrics.some((m) => m.droppedByWatermark > 0)).toBe(true);
      }
    }
  });

  it('dropDuplicates without and with a watermark, and within the watermark', async () => {
    const plain = words().dropDuplicates(['word']);
    const events = (): DataFrame => timed().selectExpr('value AS word', 'timestamp').withWatermark('timestamp', '10 minutes');
    const watermarked = events().dropDuplicates(['word', 'timestamp']);
    const within = events().dropDuplicatesWithinWatermark(['word']);
    await expectSameOverTasks(plan(plain, 'append'), textBatches(6, 4), { exchange: { sides: 1, splittable: true } });
    for (const df of [watermarked, within]) {
      const run = await expectSameOverTasks(plan(df, 'append', 11), timedBatches(7, 8), { exchange: { sides: 1, splittable: true } });
      expect(some(run)).toBeGreaterThan(10);
      expect(run.metrics.some((m) => m.evicted > 0)).toBe(true);
    }
  });

  it('stream-stream inner and left outer joins with watermarks and a time range', async () => {
    const impressions = timed().selectExpr('value AS impressionAd', 'timestamp AS impressionTime').withWatermark('impressionTime', '20 minutes');
    // Clicks on two ads only: the other impressions never match (a left outer join pads them).
    const clicks = timed().filter(expr("value IN ('a', 'spark')")).selectExpr('value AS clickAd', 'timestamp AS clickTime').withWatermark('clickTime', '30 minutes');
    const condition = expr('clickAd = impressionAd AND clickTime >= impressionTime AND clickTime <= impressionTime + interval 15 minutes');
    for (const joinType of ['inner', 'leftOuter']) {
      const joined = impressions.join(clicks, condition, joinType);
      const run = await expectSameOverTasks(plan(joined, 'append', 7), [...timedBatches(8, 8, 2), [[], []]], { exchange: { sides: 2, splittable: true } });
      expect(some(run)).toBeGreaterThan(10);
      if (joinType === 'inner') expect(run.metrics.some((m) => m.evicted > 0)).toBe(true);
      else expect(run.outputs.flat().some((row) => row[2] === null)).toBe(true);
    }
  });

  it('two stateful operators fall back to one task, cut above the sources', async () => {
    const df = words().dropDuplicates(['word']).groupBy(length(col('word'))).count();
    await expectSameOverTasks(plan(df, 'complete'), textBatches(9, 4), { exchange: { sides: 1, splittable: false } });
    const sorted = words().groupBy('word').count().orderBy(col('count').desc());
    await expectSameOverTasks(plan(sorted, 'complete'), textBatches(10, 4), { exchange: { sides: 1, splittable: false } });
  });

  it('a limit, or an aggregation without keys, keeps its exchange but runs as one task', async () => {
    await expectSameOverTasks(plan(words().limit(7), 'append'), textBatches(11, 4), { exchange: { sides: 1, splittable: false } });
    await expectSameOverTasks(plan(words().groupBy().count(), 'complete'), textBatches(12, 4), { exchange: { sides: 1, splittable: false } });
  });
});

describe('ownedRange and taskOfPartition', () => {
  it('cut P partitions into K contiguous ranges in task order, and find each partition\'s task', () => {
    for (const [k, p] of [[1, 200], [2, 200], [3, 200], [3, 5], [7, 3], [4, 4]] as const) {
      const ranges = Array.from({ length: k }, (_, t) => ownedRange(t, k, p));
      expect(ranges[0]?.[0]).toBe(0);
      expect(ranges[k - 1]?.[1]).toBe(p);
      for (let t = 1; t < k; t++) expect(ranges[t]?.[0]).toBe(ranges[t - 1]?.[1]);
      for (let q = 0; q < p; q++) {
        const t = taskOfPartition(q, k, p);
        const [from, to] = ranges[t] ?? [0, 0];
        expect(from <= q && q < to).toBe(true);
      }
    }
    expect(ownedRange(1, 3, 200)).toEqual([66, 133]);
  });
});
