import type { Socket } from 'node:net';
import {
  dropQuery, endClient, ingestPlan, lineClient, logLine, metricValue, readSourceTopic, startIngest, writeAll,
  type IngestPlan, type IngestService,
} from '../support/ingest-service.js';
import { freePort } from '../support/processes.js';
import { waitFor } from '../support/wait-for.js';
import { MB, report, RssWatch } from './support/fault-report.js';

/** Floods of millions of lines into a listening ingest (default limits), with and without SIGTERM. */

const CLIENTS = 4;
const RSS_BOUND = 300 * MB;

let plan: IngestPlan | null = null;
let service: IngestService | null = null;

afterEach(async () => {
  if (plan !== null) await dropQuery(service, plan);
  plan = null;
  service = null;
});

async function listeningIngest(env: Readonly<Record<string, string>> = {}): Promise<{ port: number; ingest: IngestService }> {
  const port = await freePort();
  plan = await ingestPlan(`spark.readStream.format("socket").option("host", "127.0.0.1").option("port", ${port}).option("listen", true).load()`);
  service = await startIngest(plan, env);
  const ingest = service;
  await waitFor(() => logLine(ingest.proc.stderr, 'socket source listening') !== null, 'the ingest listening');
  return { port, ingest };
}

/** Sends `c<k>-<i>` lines up to `limit` (or until `stop`); resolves with how many were handed to the socket. */
async function flood(socket: Socket, k: number, limit: number, stop: () => boolean): Promise<number> {
  let i = 0;
  while (i < limit && !stop()) {
    let batch = '';
    for (let j = 0; j < 1000 && i < limit; j++) batch += `c${k}-${i++}\n`;
    if (!(await writeAll(socket, batch))) return i - 1000;
  }
  return i;
}

/** Reads the topic back: how many records, and how many break a client's sequence (duplicate, gap or order). */
async function checkSequences(ingest: IngestService): Promise<{ out: number; wrong: number; perClient: number[] }> {
  const next = new Array<number>(CLIENTS).fill(0);
  let wrong = 0;
  const out = await readSourceTopic(ingest.brokers, ingest.topic, (value) => {
    const dash = value.indexOf('-');
    const k = Number(value.slice(1, dash));
    if (Number(value.slice(dash + 1)) === next[k]) next[k] = (next[k] ?? 0) + 1;
    else wrong += 1;
  });
  return { out, wrong, perClient: next };
}

describe('faults: floods', () => {
  it('4 M lines from 4 clients: all delivered exactly once, in order, in bounded memory', async () => {
    const total = 4_000_000;
    const { port, ingest } = await listeningIngest();
    const rss = new RssWatch(ingest.proc.child.pid);
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => lineClient(port)));
    const sent = await Promise.all(clients.map((c, k) => flood(c, k, total / CLIENTS, () => false)));
    await Promise.all(clients.map((c) => endClient(c)));
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_records_total')) === total, `${total} lines written`, 1_200_000, 1000);
    const peak = rss.stop();
    const rejected = await metricValue(ingest.metricsPort, 'sluice_ingest_rejected_records_total');
    const { out, wrong } = await checkSequences(ingest);
    report({ case: 'flood 4M lines, 4 clients', sent: sent.reduce((a, b) => a + b, 0), out, rejected, peakRss: peak });
    expect({ out, wrong, rejected }).toEqual({ out: total, wrong: 0, rejected: 0 });
    expect(peak).toBeLessThanOrEqual(RSS_BOUND);
  });

  it('SIGTERM under a 4 M-line flood: every line read is written once; nothing is dropped on stop', async () => {
    const { port, ingest } = await listeningIngest();
    const rss = new RssWatch(ingest.proc.child.pid);
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => lineClient(port)));
    for (const c of clients) c.on('error', () => undefined);
    let stopping = false;
    const floods = clients.map((c, k) => flood(c, k, 1_000_000, () => stopping));
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_records_total')) >= 1_500_000, '1.5 M lines written', 600_000, 500);
    ingest.proc.child.kill('SIGTERM');
    const exit = await ingest.proc.exited;
    const peak = rss.stop();
    stopping = true;
    for (const c of clients) c.destroy();
    const sent = (await Promise.all(floods)).reduce((a, b) => a + b, 0);
    const stopped = logLine(ingest.proc.stderr, 'socket source stopped') as { lines: number; written: number; rejected: number; unwritten: number };
    const drained = logLine(ingest.proc.stderr, 'socket source stopped reading; writing what it holds');
    const { out, wrong } = await checkSequences(ingest);
    report({
      case: 'SIGTERM under a 4M-line flood', sent, out, rejected: stopped.rejected, peakRss: peak,
      note: `read ${stopped.lines}, held at SIGTERM ${String(drained?.['records'] ?? 0)}, unwritten ${stopped.unwritten}, exit ${String(exit.code)}`,
    });
    expect(exit.code).toBe(143);
    expect({ out, wrong, unwritten: stopped.unwritten }).toEqual({ out: stopped.lines, wrong: 0, unwritten: 0 });
    expect(peak).toBeLessThanOrEqual(RSS_BOUND);
  });
});
