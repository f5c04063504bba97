import type { Socket } from 'node:net';
import {
  dropQuery, ingestPlan, lineClient, logLine, metricValue, readSourceTopic, startIngest, writeAll,
  type IngestPlan, type IngestService,
} from './support/ingest-service.js';
import { freePort } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

/**
 * SIGTERM under a flood: clients send as fast as the ingest lets them; the ingest reads no
 * faster than Kafka acknowledges (back-pressure, bounded buffer), and on SIGTERM stops reading,
 * writes what it holds and exits. Every line it read is in the source topic exactly once, and
 * in each client's order.
 */

let plan: IngestPlan | null = null;
let service: IngestService | null = null;

afterEach(async () => {
  if (plan !== null) await dropQuery(service, plan);
  plan = null;
  service = null;
});

/** Sends `c<k>-<i>` lines until stopped or the ingest closes the connection; resolves with how many were handed to the socket. */
function flood(socket: Socket, k: number, stop: () => boolean): Promise<number> {
  return (async () => {
    let i = 0;
    while (!stop()) {
      let batch = '';
      for (let j = 0; j < 500; j++) batch += `c${k}-${i++}\n`;
      if (!(await writeAll(socket, batch))) break;
    }
    return i;
  })();
}

describe('ingest SIGTERM under a flood', () => {
  it('every line read reaches the source topic exactly once, in order; none is lost on stop', async () => {
    const port = await freePort();
    plan = await ingestPlan(`spark.readStream.format("socket").option("host", "127.0.0.1").option("port", ${port}).option("listen", true).load()`);
    service = await startIngest(plan, { SLUICE_INGEST_MAX_BUFFERED_RECORDS: '2000', SLUICE_INGEST_DRAIN_TIMEOUT_MS: '30000' });
    const ingest = service;
    await waitFor(() => logLine(ingest.proc.stderr, 'socket source listening') !== null, 'the ingest listening');
    const clients = await Promise.all([0, 1, 2, 3].map(() => lineClient(port)));
    for (const c of clients) c.on('error', () => undefined);
    let stopping = false;
    const floods = clients.map((c, k) => flood(c, k, () => stopping));
    // Until the buffer has filled and reading paused at least once, with many lines written.
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_backpressure_pauses_total')) > 0
      && (await metricValue(ingest.metricsPort, 'sluice_ingest_records_total')) > 50_000, 'back-pressure under the flood', 120_000);
    const held = await metricValue(ingest.metricsPort, 'sluice_ingest_buffered_records');
    // The bound is checked after each read: at most one read (64 KiB, lines of 5 bytes or more) over it per client.
    expect(held).toBeLessThanOrEqual(2000 + 4 * Math.ceil(65536 / 5));
    ingest.proc.child.kill('SIGTERM');
    const exit = await ingest.proc.exited;
    stopping = true;
    for (const c of clients) c.destroy();
    const sent = await Promise.all(floods);
    expect(exit.code).toBe(143);

    const stopped = logLine(ingest.proc.stderr, 'socket source stopped');
    expect(stopped).not.toBeNull();
    const { lines, written, rejected, unwritten } = stopped as { lines: number; written: number; rejected: number; unwritten: number };
    expect({ written, rejected, unwritten }).toEqual({ written: lines, rejected: 0, unwritten: 0 });

    const next = [0, 0, 0, 0];
    let wrong = 0;
    const count = await readSourceTopic(ingest.brokers, ingest.topic, (value) => {
      const m = /^c(\d)-(\d+)$/.exec(value);
      const k = Number(m?.[1] ?? -1);
      if (m === null || Number(m[2]) !== next[k]) wrong += 1;
      else next[k] = (next[k] ?? 0) + 1;
    });
    expect({ count, wrong }).toEqual({ count: lines, wrong: 0 });
    // What the ingest read is a prefix of what each client sent.
    next.forEach((n, k) => expect(n).toBeLessThanOrEqual(sent[k] ?? 0));
  });
});
