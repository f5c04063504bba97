import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import {
  dropQuery, endClient, ingestPlan, lineClient, logLine, metricValue, readSourceTopic, startIngest, writeAll,
  type IngestPlan, type IngestService,
} from './support/ingest-service.js';
import { freePort, startProcess, stopProcess } from './support/processes.js';
import { servicePath } from './support/programs.js';
import { waitFor } from './support/wait-for.js';

/**
 * The ingest service's limits against hostile input, on the real broker: over-size and endless
 * lines are rejected on their own (counted, logged) and never take good lines with them; a
 * lone CR ends a line; clients past maxConnections are refused; listen mode binds loopback.
 */

let plan: IngestPlan | null = null;
let service: IngestService | null = null;
const clients: Socket[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  if (plan !== null) await dropQuery(service, plan);
  plan = null;
  service = null;
});

async function listening(env: Readonly<Record<string, string>> = {}, extra = ''): Promise<{ port: number; ingest: IngestService }> {
  const port = await freePort();
  plan = await ingestPlan(`spark.readStream.format("socket").option("host", "127.0.0.1").option("port", ${port}).option("listen", true)${extra}.load()`);
  service = await startIngest(plan, env);
  await waitFor(() => logLine(service?.proc.stderr ?? '', 'socket source listening') !== null, 'the ingest listening');
  return { port, ingest: service };
}

async function client(port: number): Promise<Socket> {
  const c = await lineClient(port);
  clients.push(c);
  return c;
}

async function topicValues(ingest: IngestService): Promise<string[]> {
  const values: string[] = [];
  await readSourceTopic(ingest.brokers, ingest.topic, (v) => values.push(v));
  return values;
}

describe('ingest limits', () => {
  it('an over-size line between good lines: the good lines are all delivered, one rejection counted', async () => {
    const { port, ingest } = await listening();
    const c = await client(port);
    await writeAll(c, 'good-1\n');
    await writeAll(c, `${'x'.repeat(2_000_000)}\n`);
    // Under the line limit, but its record (JSON, every quote escaped) is over maxRecordBytes.
    await writeAll(c, `good-2\n${'"'.repeat(600_000)}\ngood-3\n`);
    await endClient(c);
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_records_total')) === 3, '3 lines written');
    expect(await metricValue(ingest.metricsPort, 'sluice_ingest_rejected_records_total', { reason: 'line-too-long' })).toBe(1);
    expect(await metricValue(ingest.metricsPort, 'sluice_ingest_rejected_records_total', { reason: 'record-too-large' })).toBe(1);
    expect(await topicValues(ingest)).toEqual(['good-1', 'good-2', 'good-3']);
    expect(logLine(ingest.proc.stderr, 'rejected a line over ingest.maxLineBytes')).toMatchObject({ bytes: 2_000_000, maxLineBytes: 1_000_000 });
    expect(logLine(ingest.proc.stderr, 'rejected a record over ingest.maxRecordBytes')).toMatchObject({ reason: 'record-too-large' });
  });

  it('a 30 MB line without a newline is skipped as it arrives and rejected; the lines around it are written', async () => {
    const { port, ingest } = await listening();
    const endless = await client(port);
    await writeAll(endless, 'before\n');
    const mb = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < 30; i++) expect(await writeAll(endless, mb)).toBe(true);
    await writeAll(endless, '\nafter\n');
    // A second client ends its stream in the middle of another endless line: rejected at its end too.
    const unended = await client(port);
    for (let i = 0; i < 30; i++) expect(await writeAll(unended, mb)).toBe(true);
    await endClient(unended);
    await endClient(endless);
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_rejected_records_total')) === 2, 'two rejections', 120_000);
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_records_total')) === 2, 'two lines written');
    expect(await topicValues(ingest)).toEqual(['before', 'after']);
    expect(await metricValue(ingest.metricsPort, 'sluice_ingest_bytes_total', { format: 'socket' })).toBe(60 * 1024 * 1024 + 'before\n\nafter\n'.length);
  });

  it('a lone CR ends a line, as Spark\'s socket source (BufferedReader.readLine) reads it', async () => {
    const { port, ingest } = await listening();
    const c = await client(port);
    await writeAll(c, 'a\rb\r\nc\nd\r');
    await writeAll(c, '\ne');
    await endClient(c);
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_records_total')) === 5, '5 lines written');
    expect(await topicValues(ingest)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('refuses clients past maxConnections, counts them, and serves a new client once one leaves', async () => {
    const { port, ingest } = await listening({ SLUICE_INGEST_MAX_CONNECTIONS: '2' });
    const first = await client(port);
    const second = await client(port);
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_connections_total')) === 2, 'two clients served');
    const third = await client(port);
    await waitFor(() => third.destroyed || third.readableEnded, 'the third client closed by the ingest');
    expect(await metricValue(ingest.metricsPort, 'sluice_ingest_connections_refused_total')).toBe(1);
    expect(logLine(ingest.proc.stderr, 'refused a line client: ingest.maxConnections reached')).toMatchObject({ maxConnections: 2 });
    await writeAll(second, 'from-second\n');
    await endClient(first);
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_records_total')) === 1, 'the second client\'s line');
    const fourth = await client(port);
    await writeAll(fourth, 'from-fourth\n');
    await endClient(fourth);
    await waitFor(async () => (await metricValue(ingest.metricsPort, 'sluice_ingest_records_total')) === 2, 'the fourth client\'s line');
    expect(await topicValues(ingest)).toEqual(['from-second', 'from-fourth']);
    expect(await metricValue(ingest.metricsPort, 'sluice_ingest_connections_total')).toBe(3);
  });

  it('listen mode binds loopback unless option bindAddress says otherwise', async () => {
    const bound = (port: number): string => execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' });
    const { port, ingest } = await listening({}, '');
    expect(bound(port)).toContain(`127.0.0.1:${port}`);
    await stopProcess(ingest.proc, 'SIGTERM');
    if (plan !== null) await dropQuery(service, plan);

    const wide = await listening({}, '.option("bindAddress", "0.0.0.0")');
    expect(bound(wide.port)).toContain(`0.0.0.0:${wide.port}`);
  });

  it('a bad limit stops the service at start, naming the key, the value and what is allowed', async () => {
    const proc = startProcess('node', [servicePath('ingest')], {
      env: { ...process.env, SLUICE_QUERY_PLAN: '/nonexistent/plan.json', SLUICE_INGEST_MAX_BUFFERED_RECORDS: 'plenty' },
    });
    expect((await proc.exited).code).toBe(1);
    expect(proc.stderr).toContain('ConfigError: invalid configuration: ingest.maxBufferedRecords (env SLUICE_INGEST_MAX_BUFFERED_RECORDS) = "plenty"; allowed: an integer from 1 to 100000000');
  });
});

describe('file source ingest', () => {
  it('streams a file (LF, CR LF and CR lines) within its buffer bounds, rejecting an over-long line alone', async () => {
    const lines = 200_000;
    plan = await ingestPlan((folder) => `spark.readStream.text(${JSON.stringify(join(folder, 'in'))})`);
    const dir = join(plan.dir, 'in');
    mkdirSync(dir);
    const parts: string[] = [];
    const ends = ['\n', '\r\n', '\r'];
    for (let i = 0; i < lines; i++) {
      parts.push(`line-${i}${ends[i % 3]}`);
      if (i === 1000) parts.push(`${'y'.repeat(1_200_000)}\n`);
    }
    writeFileSync(join(dir, 'big.txt'), parts.join(''));
    service = await startIngest(plan, {
      SLUICE_INGEST_MAX_BUFFERED_RECORDS: '2000',
    });
    const ingest = service;
    await waitFor(() => logLine(ingest.proc.stderr, 'took file') !== null, 'the file taken', 300_000);
    expect(logLine(ingest.proc.stderr, 'took file')).toMatchObject({ records: lines, rejected: 1 });
    expect(await metricValue(ingest.metricsPort, 'sluice_ingest_backpressure_pauses_total')).toBeGreaterThan(0);
    expect(await metricValue(ingest.metricsPort, 'sluice_ingest_records_total', { format: 'text' })).toBe(lines);
    let next = 0;
    let outOfOrder = 0;
    const count = await readSourceTopic(ingest.brokers, ingest.topic, (v) => {
      if (v !== `line-${next}`) outOfOrder += 1;
      next += 1;
    });
    expect({ count, outOfOrder }).toEqual({ count: lines, outOfOrder: 0 });
  });
});
