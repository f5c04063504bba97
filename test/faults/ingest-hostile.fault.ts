import type { Socket } from 'node:net';
import {
  dropQuery, endClient, ingestPlan, lineClient, logLine, metricValue, readSourceTopic, startIngest, writeAll,
  type IngestPlan, type IngestService,
} from '../support/ingest-service.js';
import { freePort } from '../support/processes.js';
import { waitFor } from '../support/wait-for.js';
import { MB, report, RssWatch } from './support/fault-report.js';

/** Hostile line clients: endless lines and thousands of connections, against the default limits. */

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

/** Sends `mb` MiB of 'a' with no line terminator. */
async function endless(socket: Socket, mb: number): Promise<void> {
  const chunk = Buffer.alloc(MB, 0x61);
  for (let i = 0; i < mb; i++) if (!(await writeAll(socket, chunk))) return;
}

async function topicValues(ingest: IngestService): Promise<string[]> {
  const values: string[] = [];
  await readSourceTopic(ingest.brokers, ingest.topic, (v) => values.push(v));
  return values;
}

describe('faults: hostile clients', () => {
  it('a 100 MB line between good lines, and 100 clients each sending 5 MB without a newline', async () => {
    const { port, ingest } = await listeningIngest({ SLUICE_INGEST_MAX_CONNECTIONS: '200' });
    const rss = new RssWatch(ingest.proc.child.pid);
    const long = await lineClient(port);
    await writeAll(long, 'good-before\n');
    await endless(long, 100);
    await writeAll(long, '\ngood-after\n');
    const many = await Promise.all(Array.from({ length: 100 }, () => lineClient(port)));
    await Promise.all(many.map((c) => endless(c, 5)));
    await Promise.all(many.map((c, i) => writeAll(c, `\nclient-${i}\n`)));
    await Promise.all([long, ...many].map((c) => endClient(c)));
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_records_total')) === 102, '102 good lines', 300_000, 500);
    const peak = rss.stop();
    const rejected = await metricValue(ingest.metricsPort, 'sluice_ingest_rejected_records_total', { reason: 'line-too-long' });
    const values = await topicValues(ingest);
    report({ case: '100 MB line + 100 clients x 5 MB without newline', sent: 102 + 101, out: values.length, rejected, peakRss: peak });
    expect(rejected).toBe(101);
    expect(values.slice(0, 2)).toEqual(['good-before', 'good-after']);
    expect(new Set(values.slice(2))).toEqual(new Set(Array.from({ length: 100 }, (_, i) => `client-${i}`)));
    expect(peak).toBeLessThanOrEqual(RSS_BOUND);
  });

  it('2,000 clients at once: the first 100 (maxConnections) served, the rest refused and counted', async () => {
    const { port, ingest } = await listeningIngest();
    const rss = new RssWatch(ingest.proc.child.pid);
    const sockets: Socket[] = [];
    for (let i = 0; i < 2000; i++) {
      const s = await lineClient(port);
      s.on('error', () => undefined);
      sockets.push(s);
    }
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_connections_refused_total')) === 1900, '1900 refused', 120_000, 500);
    await waitFor(() => sockets.filter((s) => !s.destroyed && !s.readableEnded).length === 100, 'the refused closed', 60_000, 200);
    const served = sockets.filter((s) => !s.destroyed && !s.readableEnded);
    for (const [i, s] of served.entries()) await writeAll(s, Array.from({ length: 100 }, (_, j) => `s${i}-${j}\n`).join(''));
    await Promise.all(served.map((s) => endClient(s)));
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_records_total')) === 10_000, '10,000 lines', 120_000, 500);
    const peak = rss.stop();
    const refused = await metricValue(ingest.metricsPort, 'sluice_ingest_connections_refused_total');
    const values = await topicValues(ingest);
    for (const s of sockets) s.destroy();
    report({ case: '2,000 clients (maxConnections 100)', sent: 10_000, out: values.length, rejected: 0, peakRss: peak, note: `${refused} clients refused` });
    expect(refused).toBe(1900);
    expect(new Set(values).size).toBe(10_000);
    expect(peak).toBeLessThanOrEqual(RSS_BOUND);
  });
});
