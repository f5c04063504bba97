import type { Clock } from '../execution/clock.js';
import type { Logger } from '../internal/logger.js';
import type { LiveQuery } from './live-query.js';
import { OpsServer } from './ops-server.js';

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => quiet };
const clock: Clock = { now: () => Date.UTC(2024, 4, 1, 12, 1, 0), sleep: async () => undefined };

const query: LiveQuery = {
  id: 'q-1', runId: 'run-1', name: 'counts', status: 'RUNNING', startTimestamp: Date.UTC(2024, 4, 1, 12, 0, 0), lastError: null, recentProgress: [], consumerLag: [],
};

/** The ops server routes the live page and its JSON where queries run, and only there. */
describe('OpsServer live routes', () => {
  const get = async (port: number, path: string): Promise<{ status: number; type: string; body: string }> => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
  };

  it('serves the query table, a query page and the JSON, with the injected clock', async () => {
    const server = new OpsServer({ port: 0, checks: {}, log: quiet, live: () => [query], clock, json: { '/progress': () => ({ batchId: 1 }) } });
    const port = await server.start();
    try {
      const list = await get(port, '/');
      expect([list.status, list.type]).toEqual([200, 'text/html; charset=utf-8']);
      expect(list.body).toContain('<tr data-query="q-1">');
      const page = await get(port, '/query/q-1');
      expect(page.body).toContain('Running batches for <strong class="uptime" data-uptime-ms="60000">1 min 0 s</strong>');
      expect(page.body).toContain('No batch has run yet');
      const api = await get(port, '/api/queries');
      expect(api.type).toBe('application/json');
      expect(JSON.parse(api.body)).toEqual([expect.objectContaining({ id: 'q-1', uptimeMs: 60_000, startTime: '2024-05-01T12:00:00.000Z', latestBatchId: null })]);
      expect((await get(port, '/query/other')).status).toBe(404);
      expect(JSON.parse((await get(port, '/progress')).body)).toEqual({ batchId: 1 });
      expect((await get(port, '/healthz')).body).toBe('ok\n');
    } finally {
      await server.stop();
    }
  });

  it('serves no page where no query runs', async () => {
    const server = new OpsServer({ port: 0, checks: {}, log: quiet });
    const port = await server.start();
    try {
      expect((await get(port, '/')).status).toBe(404);
      expect((await get(port, '/api/queries')).status).toBe(404);
    } finally {
      await server.stop();
    }
  });
});
