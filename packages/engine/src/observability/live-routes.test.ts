import type { StreamingQueryProgress } from '../core/streaming-query-progress.js';
import { formatDuration } from './chart-scale.js';
import { liveSignature, type LiveQuery, type LiveQueryJson } from './live-query.js';
import { liveRoute } from './live-routes.js';
import { DURATION_JS } from './live-script.js';
import { SIGNATURE_JS } from './live-query.js';
import { partitionLabel, phasesOf } from './query-charts.js';

const t0 = Date.UTC(2024, 4, 1, 12, 0, 0);

function progress(batchId: number, at: number, rows: number, extra: Partial<StreamingQueryProgress> = {}): StreamingQueryProgress {
  return {
    id: 'q-1', runId: 'run-1', name: 'counts', timestamp: new Date(at).toISOString(), batchId, batchDuration: 100,
    numInputRows: rows, inputRowsPerSecond: rows / 2, processedRowsPerSecond: rows * 10,
    durationMs: { addBatch: 60, commitOffsets: 20, getBatch: 5, latestOffset: 10, triggerExecution: 100, walCommit: 5 },
    eventTime: {}, stateOperators: [],
    sources: [{ description: 'KafkaV2[Subscribe[orders]]', startOffset: null, endOffset: null, latestOffset: null, numInputRows: rows, inputRowsPerSecond: 0, processedRowsPerSecond: 0 }],
    sink: { description: 'ConsoleTable', numOutputRows: rows },
    ...extra,
  };
}

const stateOp = (total: number, dropped: number): Readonly<Record<string, unknown>> =>
  ({ operatorName: 'stateStoreSave', numRowsTotal: total, numRowsUpdated: 2, memoryUsedBytes: 4096, numRowsDroppedByWatermark: dropped });

const watermarked = [
  progress(0, t0, 0),
  progress(1, t0 + 2000, 8, { eventTime: { watermark: new Date(t0 - 10_000).toISOString() }, stateOperators: [stateOp(4, 0)] }),
  progress(2, t0 + 4000, 6, { eventTime: { watermark: new Date(t0 - 4000).toISOString() }, stateOperators: [stateOp(6, 3)] }),
  // An idle record repeats the last batch id with no input.
  progress(2, t0 + 14_000, 0, { durationMs: { latestOffset: 1, triggerExecution: 1 }, stateOperators: [stateOp(6, 0)] }),
];

const running: LiveQuery = {
  id: 'q-1', runId: 'run-1', name: 'counts', status: 'RUNNING', startTimestamp: t0 - 3000, lastError: null,
  recentProgress: watermarked,
  consumerLag: watermarked.map((p, i) => ({
    batchId: p.batchId, timestamp: p.timestamp,
    partitions: [{ source: 0, topic: 'orders', partition: 0, records: 10 - i }, { source: 0, topic: 'orders', partition: 1, records: 0 }],
  })),
};
const failed: LiveQuery = {
  id: 'q-2', runId: 'run-2', name: null, status: 'FAILED', startTimestamp: t0 - 60_000, lastError: 'SourceError: <broker> gone\n  at x',
  recentProgress: [progress(0, t0 - 58_000, 1)], consumerLag: [],
};
const now = t0 + 20_000;

const body = (path: string, queries: readonly LiveQuery[] = [failed, running]): string => liveRoute(path, queries, now)?.body ?? '';
const cells = (html: string, row: string): string[] =>
  [...(new RegExp(`<tr ${row}[^>]*>([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, ''));

describe('GET /api/queries', () => {
  it('lists every query with its identity, status, uptime, average rates, latest batch and lag', () => {
    const list = JSON.parse(body('/api/queries')) as LiveQueryJson[];
    expect(list.map((q) => [q.id, q.status])).toEqual([['q-2', 'FAILED'], ['q-1', 'RUNNING']]);
    const q = list[1];
    expect(q).toMatchObject({
      runId: 'run-1', name: 'counts', startTime: new Date(t0 - 3000).toISOString(), uptimeMs: 23_000,
      avgInputRowsPerSecond: 14 / 2 / 4, avgProcessedRowsPerSecond: 140 / 4, latestBatchId: 2, lastError: null,
      links: { page: '/query/q-1', batches: '/api/queries/q-1/batches' },
    });
    expect(q?.recentProgress).toHaveLength(4);
    expect(q?.consumerLag[0]?.partitions).toEqual([{ source: 0, topic: 'orders', partition: 0, records: 10 }, { source: 0, topic: 'orders', partition: 1, records: 0 }]);
    // A stopped query ran from its start to its last progress record.
    expect(list[0]?.uptimeMs).toBe(2000);
  });

  it('serves one query, its recent progress and one batch\'s progress record; 404 for unknown ones', () => {
    expect((JSON.parse(body('/api/queries/q-1')) as LiveQueryJson).id).toBe('q-1');
    expect(JSON.parse(body('/api/queries/q-1/batches'))).toHaveLength(4);
    const batch = liveRoute('/api/queries/q-1/batches/2', [running], now);
    expect(batch?.status).toBe(200);
    expect(JSON.parse(batch?.body ?? '')).toEqual(watermarked[2]);
    expect(liveRoute('/api/queries/q-1/batches/9', [running], now)?.status).toBe(404);
    expect(liveRoute('/api/queries/nope', [running], now)?.status).toBe(404);
    expect(liveRoute('/query/nope', [running], now)?.status).toBe(404);
    expect(liveRoute('/metrics', [running], now)).toBeNull();
  });
});

describe('GET / (the query table)', () => {
  const html = body('/');

  it('has Spark\'s columns and a row per query, active and completed apart', () => {
    const heads = [...html.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(heads.slice(0, 10)).toEqual(['Name', 'Status', 'ID', 'Run ID', 'Start Time', 'Uptime', 'Avg Input /sec', 'Avg Process /sec', 'Latest Batch', 'Last Error']);
    expect(cells(html, 'data-query="q-1"')).toEqual(['counts', 'RUNNING', 'q-1', 'run-1', '2024-05-01 11:59:57 UTC', '23 s', '1.75', '35.00', '2', '–']);
    expect(cells(html, 'data-query="q-2"')).toEqual(['&lt;no name&gt;', 'FAILED', 'q-2', 'run-2', '2024-05-01 11:59:00 UTC', '2 s', '0.50', '10.00', '0', 'SourceError: &lt;broker&gt; gone']);
    expect(html.indexOf('Active streaming queries')).toBeLessThan(html.indexOf('Completed streaming queries'));
  });

  it('links each query to its page and its latest batch to the batch\'s row', () => {
    expect(html).toContain('<a class="query-link" href="/query/q-1">counts</a>');
    expect(html).toContain('<a class="batch-link" href="/query/q-1#batch-2">2</a>');
  });

  it('names the JSON it polls and the signature it was drawn at; says when nothing runs', () => {
    expect(html).toContain(`<main data-api="/api/queries" data-signature="${liveSignature([failed, running]).replace(/"/g, '&quot;')}">`);
    expect(body('/', [])).toContain('No query is running.');
  });
});

describe('GET /query/<id>', () => {
  const html = body('/query/q-1');
  const metrics = [...html.matchAll(/<tr data-metric="([^"]+)"/g)].map((m) => m[1]);

  it('has a timeline and a histogram row per metric, with the watermark, state and lag rows when they apply', () => {
    expect(metrics).toEqual(['input-rate', 'process-rate', 'input-rows', 'batch-duration', 'operation-duration', 'watermark-gap', 'state-rows', 'state-memory', 'late-rows', 'consumer-lag']);
    expect(html.match(/<svg class="chart timeline"/g)).toHaveLength(9);
    expect(html.match(/<svg class="chart histogram"/g)).toHaveLength(8);
    expect(html).toContain('<ul class="legend"><li><span class="swatch" style="background:#2563eb"></span>orders/0</li>');
  });

  it('leaves out, and names, the rows that do not apply', () => {
    const stateless: LiveQuery = { ...running, recentProgress: [progress(0, t0, 3)], consumerLag: [] };
    const page = body('/query/q-1', [stateless]);
    expect([...page.matchAll(/<tr data-metric="([^"]+)"/g)].map((m) => m[1])).toEqual(['input-rate', 'process-rate', 'input-rows', 'batch-duration', 'operation-duration']);
    expect(page).toContain('Not shown: watermark gap (no watermark); state rows, state memory and late rows (no stateful operator); consumer lag (no partition measured yet).');
  });

  it('plots the watermark gap in seconds (batch time minus watermark)', () => {
    const row = /<tr data-metric="watermark-gap">.*?<\/tr>/.exec(html)?.[0] ?? '';
    expect(row).toContain('<title>batch 1 · 12:00:02 UTC · 12 s</title>');
    expect(row).toContain('<title>batch 2 · 12:00:04 UTC · 8 s</title>');
  });

  it('lists each batch once, newest first, linking to its progress record, with its phases', () => {
    const ids = [...html.matchAll(/<tr id="batch-(\d+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['2', '1', '0']);
    expect(cells(html, 'id="batch-2"')).toEqual([
      '2', '12:00:04', '6', '3', '60', '100', 'latestOffset\u00a010 · walCommit\u00a05 · getBatch\u00a05 · addBatch\u00a060 · commitOffsets\u00a020', '6', '6', '11:59:56', 'JSON',
    ]);
    expect(html).toContain('<a class="batch-link" href="/api/queries/q-1/batches/2">2</a>');
    // Timeline points link back to the rows.
    expect(html).toContain('<a href="/query/q-1#batch-1"><circle class="point" data-batch="1"');
  });

  it('tells who the query is and how long it has run', () => {
    expect(html).toContain('Running batches for <strong class="uptime" data-uptime-ms="23000">23 s</strong> since <strong>2024-05-01 11:59:57 UTC</strong>');
    expect(html).toContain('<dt>Run id</dt><dd><code>run-1</code></dd>');
    expect(html).toContain('<dt>Sources</dt><dd><code>KafkaV2[Subscribe[orders]]</code></dd>');
    expect(body('/query/q-2')).toContain('<dt>Last error</dt><dd><pre class="error">SourceError: &lt;broker&gt; gone\n  at x</pre></dd>');
  });
});

/** A replica of a scaled-out query: its page lists the replicas, their tasks and the partitions' lag. */
const scaledOut: LiveQuery = {
  ...running, id: 'q-3', runId: 'run-b',
  replicas: {
    members: [
      { runId: 'run-a', leader: false, sourceTasks: ['0|0', '0|2'], shuffleTasks: [0], updatedAt: new Date(now - 500).toISOString() },
      { runId: 'run-b', leader: true, sourceTasks: ['0|1'], shuffleTasks: [1, 2], updatedAt: new Date(now - 200).toISOString() },
    ],
    lag: [{ source: 0, topic: 'orders', partition: 0, records: 0 }, { source: 0, topic: 'orders', partition: 1, records: 1200 }],
  },
};

describe('a scaled-out query', () => {
  it('has a Replicas section listing each replica with its tasks, then the lag per partition', () => {
    const html = body('/query/q-3', [scaledOut]);
    expect(cells(html, 'data-replica="run-a"')).toEqual(['run-a', 'task runner', '2', '0|0 0|2', '1', '0', '12:00:19']);
    expect(cells(html, 'data-replica="run-b"')).toEqual(['run-b', 'LEADER', '1', '0|1', '2', '1 2', '12:00:19']);
    expect(cells(html, 'data-partition="orders:1"')).toEqual(['0', 'orders', '1', '1,200']);
    expect(html).toContain('<tfoot><tr><th scope="row" colspan="3">Total</th><td class="num">1,200</td></tr></tfoot>');
    expect(html.indexOf('id="replicas"')).toBeLessThan(html.indexOf('<h2>Statistics</h2>'));
  });

  it('on a replica that does not lead, says the leader measures the lag', () => {
    const follower: LiveQuery = { ...scaledOut, replicas: { members: scaledOut.replicas?.members ?? [], lag: [] } };
    expect(body('/query/q-3', [follower])).toContain('The leader measures the lag after each batch');
  });

  it('serves the replicas in /api/queries/<id>; a query one process runs has none', () => {
    expect((JSON.parse(body('/api/queries/q-3', [scaledOut])) as LiveQueryJson).replicas).toEqual(scaledOut.replicas);
    expect(JSON.parse(body('/api/queries/q-1'))).not.toHaveProperty('replicas');
    expect(body('/query/q-1')).not.toContain('id="replicas"');
  });

  it('redraws when a replica joins or takes other tasks', () => {
    const joined: LiveQuery = { ...scaledOut, replicas: { members: [...(scaledOut.replicas?.members ?? []), { runId: 'run-c', leader: false, sourceTasks: [], shuffleTasks: [], updatedAt: '' }], lag: [] } };
    expect(liveSignature([joined])).not.toBe(liveSignature([scaledOut]));
    const signature = new Function(`${SIGNATURE_JS}; return signature;`)() as (data: unknown) => string;
    expect(signature(JSON.parse(body('/api/queries/q-3', [scaledOut])))).toBe(liveSignature([scaledOut]));
  });
});

describe('chart data', () => {
  it('orders phases as they run and names partitions', () => {
    expect(phasesOf(watermarked)).toEqual(['latestOffset', 'walCommit', 'getBatch', 'addBatch', 'commitOffsets']);
    expect(partitionLabel('orders', 3)).toBe('orders/3');
    expect(partitionLabel('sluice.0b5e.source-1', 0)).toBe('source-1/0');
  });
});

describe('the page script', () => {
  it('computes the signature the server draws pages at, from the JSON it polls', () => {
    const signature = new Function(`${SIGNATURE_JS}; return signature;`)() as (data: unknown) => string;
    const list = JSON.parse(body('/api/queries')) as unknown;
    expect(signature(list)).toBe(liveSignature([failed, running]));
    expect(signature(JSON.parse(body('/api/queries/q-1')))).toBe(liveSignature([running]));
  });

  it('formats uptimes as the server does', () => {
    const format = new Function(`${DURATION_JS}; return formatDuration;`)() as (ms: number) => string;
    for (const ms of [0, 999, 1000, 59_999, 60_000, 3_599_999, 3_600_000, 86_399_999, 90_000_000]) expect(format(ms)).toBe(formatDuration(ms));
  });
});
