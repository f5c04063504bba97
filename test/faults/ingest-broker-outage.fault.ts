import type { Socket } from 'node:net';
import {
  dropQuery, endClient, ingestPlan, lineClient, logLine, metricValue, readSourceTopic, startIngest, writeAll,
  type IngestPlan, type IngestService,
} from '../support/ingest-service.js';
import { freePort } from '../support/processes.js';
import { waitFor } from '../support/wait-for.js';
import { report, RssWatch } from './support/fault-report.js';
import { SecondBroker } from './support/second-broker.js';

/**
 * The broker stopped for 70 s under a steady line client, on a private broker (the shared one is
 * never stopped): the ingest holds what it reads up to its bounds, then slows the client; it
 * reports the outage in /readyz, metrics and logs; when the broker is back every line read is
 * written, once.
 */

const OUTAGE_MS = 70_000;

let broker: SecondBroker | null = null;
let plan: IngestPlan | null = null;
let service: IngestService | null = null;
let limitedPlan: IngestPlan | null = null;
let limited: IngestService | null = null;

afterEach(async () => {
  if (plan !== null) await dropQuery(service, plan);
  if (limitedPlan !== null) await dropQuery(limited, limitedPlan).catch(() => undefined);
  limitedPlan = null;
  limited = null;
  await broker?.destroy();
  broker = null;
  plan = null;
  service = null;
});

async function readyz(port: number): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: res.status, body: await res.text() };
}

/** Lines `l-<i>` at about `perSecond`, until stopped; resolves with how many were handed to the socket. */
async function steady(socket: Socket, perSecond: number, stop: () => boolean): Promise<number> {
  let i = 0;
  while (!stop()) {
    let batch = '';
    for (let j = 0; j < perSecond / 10; j++) batch += `l-${i++}\n`;
    if (!(await writeAll(socket, batch))) break;
    const due = Date.now() + 100;
    await waitFor(() => Date.now() >= due, 'the next tenth of a second', 1000, 10);
  }
  return i;
}

describe('faults: Kafka outage', () => {
  it(`broker down ${OUTAGE_MS / 1000} s during ingest: retried without limit, visible, no line lost or doubled`, async () => {
    broker = await SecondBroker.start();
    const port = await freePort();
    plan = await ingestPlan(`spark.readStream.format("socket").option("host", "127.0.0.1").option("port", ${port}).option("listen", true).load()`);
    service = await startIngest(plan, { KAFKA_BROKERS: broker.brokers, SLUICE_INGEST_MAX_BUFFERED_RECORDS: '50000' });
    const ingest = service;
    await waitFor(() => logLine(ingest.proc.stderr, 'socket source listening') !== null, 'the ingest listening');
    const rss = new RssWatch(ingest.proc.child.pid);
    const client = await lineClient(port);
    let stopping = false;
    const sending = steady(client, 5000, () => stopping);
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_records_total')) > 20_000, 'lines flowing');
    // A second ingest told to give up after 20 s of failed writes (ingest.deliveryTimeoutMs).
    const limitedPort = await freePort();
    limitedPlan = await ingestPlan(`spark.readStream.format("socket").option("host", "127.0.0.1").option("port", ${limitedPort}).option("listen", true).load()`);
    limited = await startIngest(limitedPlan, { KAFKA_BROKERS: broker.brokers, SLUICE_INGEST_DELIVERY_TIMEOUT_MS: '20000' });
    const giving = limited;
    await waitFor(() => logLine(giving.proc.stderr, 'socket source listening') !== null, 'the second ingest listening');
    const limitedClient = await lineClient(limitedPort);
    limitedClient.on('error', () => undefined);
    let limitedStopping = false;
    const limitedSending = steady(limitedClient, 100, () => limitedStopping);

    const downStartedAt = Date.now();
    await broker.down();
    const downAt = Date.now();
    await waitFor(async () => (await readyz(ingest.metricsPort)).status === 503, '/readyz failing', 60_000, 500);
    const during = await readyz(ingest.metricsPort);
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_source_topic_writable')) === 0, 'the writable gauge at 0', 60_000, 500);
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_backpressure_pauses_total')) > 0, 'reading paused', 60_000, 500);
    const heldDuring = await metricValue(ingest.metricsPort, 'sluice_ingest_buffered_records');
    // The limited ingest gives up within the outage: exit 1, the records it could not write logged with their count.
    const limitedExit = await giving.proc.exited;
    const limitedExitAfter = Date.now() - downStartedAt;
    limitedStopping = true;
    limitedClient.destroy();
    await limitedSending;
    const gaveUp = logLine(giving.proc.stderr, 'giving up writing to the source topic');
    await waitFor(() => Date.now() - downAt >= OUTAGE_MS, 'the end of the outage', OUTAGE_MS + 10_000, 500);
    await broker.up();
    await waitFor(async () => (await readyz(ingest.metricsPort)).status === 200, '/readyz ready again', 180_000, 500);

    // Lines flow again before the client ends.
    const writtenAfter = await metricValue(ingest.metricsPort, 'sluice_ingest_records_total');
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_records_total')) > writtenAfter + 20_000, 'lines flowing again', 120_000, 500);
    stopping = true;
    const sent = await sending;
    await endClient(client);
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_records_total')) === sent, `all ${sent} lines written`, 300_000, 500);
    const peak = rss.stop();
    const retries = await metricValue(ingest.metricsPort, 'sluice_ingest_write_retries_total');
    let next = 0;
    let wrong = 0;
    const out = await readSourceTopic(broker.brokers, ingest.topic, (value) => {
      if (value === `l-${next}`) next += 1;
      else wrong += 1;
    });
    report({
      case: `broker stopped ${OUTAGE_MS / 1000} s during ingest`, sent, out, rejected: 0, peakRss: peak,
      note: `${retries} write retries, ${heldDuring} lines held during the outage`,
    });
    expect(during.body).toMatch(/source topic/);
    expect(retries).toBeGreaterThan(0);
    // Held up to the bound (50,000), then the client was slowed, not dropped.
    expect(heldDuring).toBeGreaterThan(40_000);
    expect(logLine(ingest.proc.stderr, 'cannot write to the source topic; retrying (no read line is dropped)')).not.toBeNull();
    expect(logLine(ingest.proc.stderr, 'writing to the source topic again')).not.toBeNull();
    expect({ out, wrong }).toEqual({ out: sent, wrong: 0 });
    expect(limitedExit.code).toBe(1);
    expect(limitedExitAfter).toBeGreaterThan(20_000);
    expect(Number(gaveUp?.['unwritten'])).toBeGreaterThan(0);
    expect(giving.proc.stderr).toMatch(/SourceError: cannot write to source topic \S+ for \d+ ms \(ingest\.deliveryTimeoutMs 20000\)/);
  });
});
