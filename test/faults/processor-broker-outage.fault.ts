import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkajsPort } from 'sluice/testing';
import { logLine, metricValue } from '../support/ingest-service.js';
import { batches, counts, outageProgram, words } from '../support/outage-query.js';
import { cliPath } from '../support/programs.js';
import { startProcess, stopProcess, type Proc } from '../support/processes.js';
import { waitFor } from '../support/wait-for.js';
import { report, RssWatch } from './support/fault-report.js';
import { SecondBroker } from './support/second-broker.js';

/**
 * The broker stopped for 30 s under a running stateful query (Kafka source, console sink), on a
 * private broker (the shared one is never stopped): the query waits instead of failing, says so
 * in /readyz, metrics and logs, and when the broker is back goes on exactly once — every batch
 * the counts of an exact prefix of the input, the last one the counts of all of it.
 */

const OUTAGE_MS = 30_000;

async function readyz(port: number): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: res.status, body: await res.text() };
}

describe('faults: Kafka outage under a running query', () => {
  it(`broker down ${OUTAGE_MS / 1000} s: the query waits, then resumes exactly once`, async () => {
    const broker = await SecondBroker.start();
    const id = randomUUID().slice(0, 8);
    const topic = `test-outage-${id}`;
    const dir = mkdtempSync(join(tmpdir(), 'sluice-outage-'));
    const kafka = new KafkajsPort({ brokers: [broker.brokers], clientId: `test-${id}` });
    const input: string[] = [];
    const send = async (n: number): Promise<void> => {
      const producer = await kafka.producer();
      try {
        const next = words(input.length, n);
        await producer.send(topic, next.map((value) => ({ key: null, value })));
        input.push(...next);
      } finally {
        await producer.close();
      }
    };
    let run: Proc | null = null;
    try {
      const admin = await kafka.admin();
      await admin.ensureTopic(topic, 1);
      await admin.close();
      await send(60);
      const file = join(dir, 'outage.ts');
      writeFileSync(file, outageProgram(topic, `test-${id}`));
      run = startProcess('node', [cliPath, 'run', file], {
        cwd: dir,
        env: { ...process.env, KAFKA_BROKERS: broker.brokers, SLUICE_LOG_LEVEL: 'info', SLUICE_PROCESSOR_RETRY_BACKOFF_MAX_MS: '2000' },
      });
      const proc = run;
      await waitFor(() => logLine(proc.stderr, 'serving the live page, /metrics, /healthz and /readyz') !== null, 'the ops server', 90_000);
      const opsPort = Number(logLine(proc.stderr, 'serving the live page, /metrics, /healthz and /readyz')?.['port']);
      await waitFor(() => batches(proc.stdout).length >= 2, 'two batches before the outage', 90_000);
      const rss = new RssWatch(proc.child.pid);

      await broker.down();
      const downAt = Date.now();
      // The first batch attempt fails once kafkajs' own retries are spent (~10-20 s).
      await waitFor(async () => (await metricValue(opsPort, 'sluice_outage_waiting', { role: 'processor' })) === 1, 'the processor waiting', OUTAGE_MS, 500);
      const during = await readyz(opsPort);
      await waitFor(() => Date.now() - downAt >= OUTAGE_MS, 'the end of the outage', OUTAGE_MS + 10_000, 500);
      expect(proc.child.exitCode).toBeNull();
      await broker.up();
      await send(60);

      const all = counts(input);
      await waitFor(() => batches(proc.stdout).some((b) => b.rows.join() === all.join()), 'the counts of all the input', 180_000, 500);
      await waitFor(async () => (await readyz(opsPort)).status === 200, '/readyz ready again', 60_000, 500);
      const retries = await metricValue(opsPort, 'sluice_outage_retries_total', { role: 'processor', service: 'Kafka' });
      const peak = rss.stop();
      const printed = batches(proc.stdout);
      report({
        case: `broker stopped ${OUTAGE_MS / 1000} s under a stateful query`, sent: input.length, out: printed.at(-1)?.rows.reduce((n, r) => n + Number(r.split('=')[1]), 0) ?? 0,
        rejected: 0, peakRss: peak, note: `${printed.length} batches, ${retries} batch retries`,
      });
      expect(during.status).toBe(503);
      expect(during.body).toMatch(/processor: Kafka unreachable/);
      expect(retries).toBeGreaterThan(0);
      expect(printed.map((b) => b.id)).toEqual(printed.map((_, i) => i));
      let prefix = 0;
      for (const b of printed) {
        const total = b.rows.reduce((n, r) => n + Number(r.split('=')[1]), 0);
        expect(total).toBeGreaterThan(prefix);
        expect(b.rows).toEqual(counts(input.slice(0, total)));
        prefix = total;
      }
      expect(prefix).toBe(input.length);
      expect(logLine(proc.stderr, 'Kafka is unreachable; the processor waits and retries')).not.toBeNull();
      expect(logLine(proc.stderr, 'Kafka reachable again; the processor goes on')).not.toBeNull();
    } finally {
      if (run !== null) await stopProcess(run, 'SIGINT');
      await broker.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
