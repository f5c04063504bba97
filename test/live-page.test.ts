import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { StreamingQueryProgress } from 'sluice';
import { KafkajsPort } from 'sluice/testing';
import { cliPath } from './support/programs.js';
import { freePort, startProcess, stopProcess, type Proc } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
if (CHROMIUM === undefined) {
  console.warn('live page test SKIPPED: no Chromium at /usr/bin/chromium (install it: apt-get install -y chromium)');
}

const NAME = 'live_page_counts';

/** A windowed count with a watermark over a two-partition Kafka topic, read 10 offsets a batch. */
const program = (topic: string): string => `
import { SparkSession, col, window } from "sluice";
const spark = SparkSession.builder.appName("LivePage").getOrCreate();
const events = spark.readStream.format("kafka").option("kafka.bootstrap.servers", process.env.KAFKA_BROKERS ?? "")
  .option("subscribe", "${topic}").option("startingOffsets", "earliest").option("maxOffsetsPerTrigger", 10).load();
const words = events.selectExpr("CAST(value AS STRING) AS word", "timestamp AS ts");
const counts = words.withWatermark("ts", "10 seconds").groupBy(window(col("ts"), "10 seconds"), col("word")).count();
const query = counts.writeStream.queryName("${NAME}").outputMode("update").format("console").start();
await query.awaitTermination();
`;

interface ApiQuery {
  id: string;
  runId: string;
  name: string | null;
  status: string;
  latestBatchId: number | null;
  recentProgress: StreamingQueryProgress[];
  consumerLag: Array<{ batchId: number; partitions: Array<{ topic: string; partition: number; records: number }> }>;
}

const stateSum = (p: StreamingQueryProgress, key: string): number =>
  p.stateOperators.reduce((s, op) => s + (typeof op[key] === 'number' ? (op[key] as number) : 0), 0);

/** The page's signature of a query (see liveSignature): its status and latest progress record. */
const signatureOf = (q: ApiQuery): string =>
  `${q.id}/${q.status}/${q.recentProgress.length}/${q.recentProgress[q.recentProgress.length - 1]?.timestamp ?? ''}`;

/**
 * The query's JSON as of the page's last redraw (a batch or an idle record may land between
 * reading one and loading the other): fetched until its signature is the page's.
 */
async function drawnFrom(page: Page, port: number, id: string): Promise<ApiQuery> {
  let drawn: ApiQuery | null = null;
  await waitFor(async () => {
    const signature = await page.$eval('main', (m) => m.getAttribute('data-signature') ?? '');
    const q = (await (await fetch(`http://127.0.0.1:${port}/api/queries/${id}`)).json()) as ApiQuery;
    if (signatureOf(q) !== signature) return false;
    drawn = q;
    return true;
  }, 'the page and its JSON to agree', 20_000, 200);
  if (drawn === null) throw new Error('no JSON matches the page');
  return drawn;
}

/** The tick labels and title of one axis of the chart `metric` (timeline or side chart). */
async function axis(page: Page, metric: string, which: 'x-axis' | 'y-axis'): Promise<{ ticks: string[]; title: string }> {
  return page.$eval(`svg[data-metric="${metric}"] g.${which}`, (g) => ({
    ticks: [...g.querySelectorAll('text.tick')].map((t) => t.textContent ?? ''),
    title: g.querySelector('text.axis-title')?.textContent ?? '',
  }));
}

/**
 * The live page in a real headless Chromium over a real query (Kafka source with a watermark,
 * state and late rows): the query table, the charts' axes, ticks and units, the batch table,
 * the links between them, and a live update without reloading. Screenshots go to a temp dir.
 */
describe('live query page', () => {
  const maybe = CHROMIUM === undefined ? it.skip : it;

  maybe('shows the query table, per-query charts with axes and units, the batch table and live updates', async () => {
    const kafka = new KafkajsPort({ brokers: (process.env['KAFKA_BROKERS'] ?? '').split(','), clientId: `test-${randomUUID()}` });
    const topic = `live-page-${randomUUID().slice(0, 8)}`;
    const dir = mkdtempSync(join(tmpdir(), 'sluice-live-page-'));
    const admin = await kafka.admin();
    await admin.ensureTopic(topic, 2);
    const producer = await kafka.producer();
    const base = Date.now() - 120_000;
    const send = (records: ReadonlyArray<{ word: string; at: number; partition: number }>): Promise<unknown> =>
      producer.send(topic, records.map((r) => ({ value: r.word, timestamp: r.at, partition: r.partition })));
    // 60 events a second apart over four words, spread over both partitions.
    await send(Array.from({ length: 60 }, (_, i) => ({ word: ['spark', 'kafka', 'redis', 'sluice'][i % 4] ?? '', at: base + i * 1000, partition: i % 2 })));

    const port = await freePort();
    writeFileSync(join(dir, 'program.ts'), program(topic));
    let proc: Proc | null = null;
    let browser: Browser | null = null;
    // Screenshots are kept for a look when SLUICE_KEEP_SCREENSHOTS is set.
    const shots = mkdtempSync(join(tmpdir(), 'sluice-live-page-shots-'));
    try {
      proc = startProcess('node', [cliPath, 'run', join(dir, 'program.ts')], { cwd: dir, env: { ...process.env, SLUICE_METRICS_PORT: String(port) } });
      const running = proc;
      const api = async (): Promise<ApiQuery | undefined> => {
        try {
          const list = (await (await fetch(`http://127.0.0.1:${port}/api/queries`)).json()) as ApiQuery[];
          return list.find((q) => q.name === NAME);
        } catch {
          return undefined;
        }
      };
      const inputRows = (q: ApiQuery | undefined): number => (q?.recentProgress ?? []).reduce((s, p) => s + p.numInputRows, 0);
      await waitFor(async () => running.child.exitCode !== null || inputRows(await api()) >= 60, 'the 60 events to be read', 90_000, 250);
      expect(running.child.exitCode).toBeNull();

      // Late events (the watermark is now 10 s behind the latest): dropped, and counted.
      await send(Array.from({ length: 4 }, (_, i) => ({ word: 'late', at: base + i * 1000, partition: i % 2 })));
      await waitFor(async () => ((await api())?.recentProgress ?? []).some((p) => stateSum(p, 'numRowsDroppedByWatermark') > 0), 'late rows dropped', 60_000, 250);
      const query = await api();
      if (query === undefined) throw new Error('the query is not listed');
      const batches = [...new Set(query.recentProgress.map((p) => p.batchId))];
      expect(batches.length).toBeGreaterThanOrEqual(7);
      // Ten offsets a batch out of 60 waiting: the first batches left records behind on both partitions.
      expect(query.consumerLag[0]?.partitions.map((p) => p.partition)).toEqual([0, 1]);
      expect(query.consumerLag[0]?.partitions.reduce((s, p) => s + p.records, 0)).toBeGreaterThan(0);

      browser = await chromium.launch({ executablePath: CHROMIUM ?? '', args: CHROMIUM_ARGS });
      const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });

      // The query table.
      await page.goto(`http://127.0.0.1:${port}/`);
      const heads = await page.$$eval('#active table.queries thead th', (ths) => ths.map((th) => th.textContent ?? ''));
      expect(heads).toEqual(['Name', 'Status', 'ID', 'Run ID', 'Start Time', 'Uptime', 'Avg Input /sec', 'Avg Process /sec', 'Latest Batch', 'Last Error']);
      const row = await page.$$eval(`tr[data-query="${query.id}"] td`, (tds) => tds.map((td) => td.textContent ?? ''));
      expect(row.slice(0, 2)).toEqual([NAME, 'RUNNING']);
      // Ids show shortened, whole in their tooltip.
      const ids = await page.$$eval(`tr[data-query="${query.id}"] code`, (cs) => cs.map((c) => [c.textContent, c.getAttribute('title')]));
      expect(ids).toEqual([[`${query.id.slice(0, 8)}…`, query.id], [`${query.runId.slice(0, 8)}…`, query.runId]]);
      expect(row[4]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
      expect(row[5]).toMatch(/^\d+ (s|min \d+ s)$/);
      expect(Number(row[6])).toBeGreaterThan(0);
      expect(Number(row[7])).toBeGreaterThan(0);
      expect(Number(row[8])).toBeGreaterThanOrEqual(batches[batches.length - 1] ?? 0);
      await page.screenshot({ path: join(shots, 'queries.png'), fullPage: true });
      expect(statSync(join(shots, 'queries.png')).size).toBeGreaterThan(10_000);

      // From the query to its latest batch's row.
      const latestHref = await page.$eval(`tr[data-query="${query.id}"] a.batch-link`, (a) => a.getAttribute('href') ?? '');
      expect(latestHref).toMatch(new RegExp(`^/query/${query.id}#batch-\\d+$`));
      await page.click(`tr[data-query="${query.id}"] a.batch-link`);
      await page.waitForURL(`**${latestHref}`);
      const anchor = latestHref.slice(latestHref.indexOf('#'));
      expect(await page.$(`table.batches tr${anchor}`)).not.toBeNull();

      const shown = await drawnFrom(page, port, query.id);
      const shownBatches = [...new Set(shown.recentProgress.map((p) => p.batchId))];

      // Basic info and a timeline and histogram per metric.
      expect(await page.textContent('h1')).toContain(NAME);
      expect(await page.textContent('.info')).toContain(`Run id${query.runId}`);
      const metrics = await page.$$eval('table.stats tr[data-metric]', (trs) => trs.map((tr) => tr.getAttribute('data-metric')));
      expect(metrics).toEqual(['input-rate', 'process-rate', 'input-rows', 'batch-duration', 'operation-duration', 'watermark-gap', 'state-rows', 'state-memory', 'late-rows', 'consumer-lag']);
      const units: Record<string, string> = {
        'input-rate': 'rows/s', 'process-rate': 'rows/s', 'input-rows': 'rows', 'batch-duration': 'ms', 'operation-duration': 'ms',
        'watermark-gap': 's', 'state-rows': 'rows', 'state-memory': 'bytes', 'late-rows': 'rows', 'consumer-lag': 'records',
      };
      for (const [metric, unit] of Object.entries(units)) {
        const y = await axis(page, metric, 'y-axis');
        expect([metric, y.title]).toEqual([metric, unit]);
        expect(y.ticks.length).toBeGreaterThanOrEqual(2);
        expect(y.ticks[0]).toMatch(/^0( (ms|s|min|h|B|KiB|MiB))?$/);
        const x = await axis(page, metric, 'x-axis');
        if (metric === 'operation-duration') {
          expect(x.title).toBe('batch');
          expect(x.ticks.every((t) => /^\d+$/.test(t))).toBe(true);
        } else {
          expect(x.title).toBe('time (UTC)');
          expect(x.ticks.length).toBeGreaterThanOrEqual(1);
          expect(x.ticks.every((t) => /^\d\d:\d\d(:\d\d)?$/.test(t))).toBe(true);
        }
      }
      for (const metric of ['input-rate', 'process-rate', 'input-rows', 'batch-duration', 'watermark-gap', 'state-rows', 'state-memory', 'late-rows']) {
        expect(await page.$(`tr[data-metric="${metric}"] svg.histogram`)).not.toBeNull();
        expect((await axis(page, metric, 'x-axis')).title).toBe('time (UTC)');
      }
      // Units show on the tick labels of durations and sizes.
      expect((await axis(page, 'batch-duration', 'y-axis')).ticks.every((t) => /^[\d.]+ (ms|s)$/.test(t))).toBe(true);
      expect((await axis(page, 'state-memory', 'y-axis')).ticks.every((t) => /^[\d.]+ (B|KiB|MiB)$/.test(t))).toBe(true);
      expect((await axis(page, 'watermark-gap', 'y-axis')).ticks.every((t) => /^[\d.]+ (s|min|h)$/.test(t))).toBe(true);
      // One point per progress record; batch durations stacked by phase; a line per partition.
      expect(await page.$$eval('svg[data-metric="input-rate"] circle.point', (c) => c.length)).toBe(shown.recentProgress.length);
      const phases = await page.$$eval('svg[data-metric="operation-duration"] rect.part', (rs) => [...new Set(rs.map((r) => r.getAttribute('data-part')))]);
      expect(phases).toEqual(expect.arrayContaining(['latestOffset', 'walCommit', 'getBatch', 'addBatch', 'commitOffsets']));
      const lagSeries = await page.$$eval('svg[data-metric="consumer-lag"] g.series', (gs) => gs.map((g) => g.getAttribute('data-series')));
      expect(lagSeries).toEqual([`${topic}/0`, `${topic}/1`]);
      const dropped = await page.$$eval('svg[data-metric="late-rows"] circle.point title', (ts) => ts.map((t) => t.textContent ?? ''));
      expect(dropped.some((t) => /· [1-9]\d* rows$/.test(t))).toBe(true);

      // The batch table: a row per batch, newest first, each linking to its progress record.
      const rows = await page.$$eval('table.batches tbody tr[data-batch]', (trs) => trs.map((tr) => Number(tr.getAttribute('data-batch'))));
      expect(rows).toEqual([...shownBatches].reverse());
      const href = await page.$eval(`tr#batch-${batches[1]} a.batch-link`, (a) => a.getAttribute('href') ?? '');
      expect(href).toBe(`/api/queries/${query.id}/batches/${batches[1]}`);
      const cells = await page.$$eval(`tr#batch-${batches[1]} td`, (tds) => tds.map((td) => td.textContent ?? ''));
      const record = shown.recentProgress.find((p) => p.batchId === batches[1]);
      expect(cells[2]).toBe(String(record?.numInputRows));
      expect(cells[6]).toContain('addBatch');
      const served = await page.request.get(`http://127.0.0.1:${port}${href}`);
      expect(await served.json()).toEqual(record);
      // Every timeline point leads to a row of the table.
      const pointHrefs = await page.$$eval('svg[data-metric="input-rows"] a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
      for (const h of new Set(pointHrefs)) expect(await page.$(`table.batches tr${h.slice(h.indexOf('#'))}`)).not.toBeNull();

      // Live: new data shows up without a reload.
      const before = Math.max(...rows);
      await send([{ word: 'fresh', at: Date.now(), partition: 0 }]);
      await page.waitForSelector(`table.batches tr#batch-${before + 1}`, { timeout: 30_000 });
      expect(await page.textContent('#live .text')).toMatch(/^live · \d\d:\d\d:\d\d UTC$/);

      await page.goto(`http://127.0.0.1:${port}/query/${query.id}`);
      await page.screenshot({ path: join(shots, 'query.png'), fullPage: true });
      expect(statSync(join(shots, 'query.png')).size).toBeGreaterThan(50_000);
      if (process.env['SLUICE_KEEP_SCREENSHOTS'] !== undefined) console.info(`live page screenshots: ${shots}`);
    } finally {
      await browser?.close();
      if (proc !== null) await stopProcess(proc, 'SIGINT');
      await producer.close();
      await admin.deleteTopics([topic]).catch(() => undefined);
      await admin.close();
      rmSync(dir, { recursive: true, force: true });
      if (process.env['SLUICE_KEEP_SCREENSHOTS'] === undefined) rmSync(shots, { recursive: true, force: true });
    }
  });
});
