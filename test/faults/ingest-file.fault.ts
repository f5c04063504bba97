import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  dropQuery, ingestPlan, logLine, metricValue, readSourceTopic, startIngest, type IngestPlan, type IngestService,
} from '../support/ingest-service.js';
import { stopProcess } from '../support/processes.js';
import { waitFor } from '../support/wait-for.js';
import { MB, report, RssWatch } from './support/fault-report.js';

/** Large files through the file source: streamed, never loaded whole; a kill -9 part-way finished exactly. */

const RSS_BOUND = 300 * MB;

let plan: IngestPlan | null = null;
let service: IngestService | null = null;

afterEach(async () => {
  if (plan !== null) await dropQuery(service, plan);
  plan = null;
  service = null;
});

/** Writes `lines` numbered lines (`n-<i>:` then `width` bytes of padding) to `path`. */
async function writeLines(path: string, lines: number, width: number): Promise<void> {
  const out = createWriteStream(path);
  const pad = 'x'.repeat(width);
  for (let i = 0; i < lines; i += 1000) {
    let chunk = '';
    for (let j = i; j < Math.min(lines, i + 1000); j++) chunk += `n-${j}:${pad}\n`;
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err == null ? resolve() : reject(err))));
}

/** Reads the topic back: how many records, and how many are not the next line number. */
async function checkLines(ingest: IngestService): Promise<{ out: number; wrong: number }> {
  let next = 0;
  let wrong = 0;
  const out = await readSourceTopic(ingest.brokers, ingest.topic, (value) => {
    if (value.startsWith(`n-${next}:`)) next += 1;
    else wrong += 1;
  });
  return { out, wrong };
}

describe('faults: large files', () => {
  it('a 600 MB file (over the 512 MB a string can hold) is streamed in bounded memory', async () => {
    const lines = 600_000;
    plan = await ingestPlan((folder) => `spark.readStream.text(${JSON.stringify(join(folder, 'in'))})`);
    mkdirSync(join(plan.dir, 'in'));
    const file = join(plan.dir, 'in', 'huge.txt');
    await writeLines(file, lines, 1040);
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(600 * 1000 * 1000);
    service = await startIngest(plan);
    const ingest = service;
    const rss = new RssWatch(ingest.proc.child.pid);
    await waitFor(() => logLine(ingest.proc.stderr, 'took file') !== null, 'the file taken', 1_200_000, 500);
    const peak = rss.stop();
    const rejected = await metricValue(ingest.metricsPort, 'sluice_ingest_rejected_records_total');
    const { out, wrong } = await checkLines(ingest);
    report({ case: `file of ${(size / MB).toFixed(0)} MB`, sent: lines, out, rejected, peakRss: peak });
    expect({ out, wrong, rejected }).toEqual({ out: lines, wrong: 0, rejected: 0 });
    expect(peak).toBeLessThanOrEqual(RSS_BOUND);
  });

  it('kill -9 of the ingest part-way through a file: the restarted ingest writes the rest, each line once', async () => {
    const lines = 400_000;
    plan = await ingestPlan((folder) => `spark.readStream.text(${JSON.stringify(join(folder, 'in'))})`);
    mkdirSync(join(plan.dir, 'in'));
    await writeLines(join(plan.dir, 'in', 'part.txt'), lines, 40);
    const first = await startIngest(plan);
    service = first;
    await waitFor(async () => (await metricValue(first.metricsPort, 'sluice_ingest_records_total')) >= lines / 4, 'a quarter written', 300_000, 100);
    await stopProcess(first.proc, 'SIGKILL');
    const before = await readSourceTopic(first.brokers, first.topic, () => undefined);
    const second = await startIngest(plan);
    service = second;
    const rss = new RssWatch(second.proc.child.pid);
    await waitFor(() => logLine(second.proc.stderr, 'took file') !== null, 'the file taken after the restart', 600_000, 500);
    const peak = rss.stop();
    const resumed = logLine(second.proc.stderr, 'finishing a file a previous run was taking');
    const { out, wrong } = await checkLines(second);
    report({ case: 'kill -9 of the ingest mid-file, restart', sent: lines, out, rejected: 0, peakRss: peak, note: `${before} written before the kill` });
    expect(resumed).toMatchObject({ alreadyWritten: before });
    expect({ out, wrong }).toEqual({ out: lines, wrong: 0 });
  });
});
