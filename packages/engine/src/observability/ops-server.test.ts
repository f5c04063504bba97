import { ConfigError } from '../errors/config-error.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../internal/logger.js';
import { registerSecret } from '../internal/secrets.js';
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

/** Where the ops server listens, who may read it, and what it never shows. */
describe('OpsServer access', () => {
  const fetchWith = async (port: number, path: string, authorization?: string): Promise<{ status: number; body: string; challenge: string | null }> => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, authorization === undefined ? {} : { headers: { authorization } });
    return { status: res.status, body: await res.text(), challenge: res.headers.get('www-authenticate') };
  };

  it('listens on loopback unless told otherwise', async () => {
    const server = new OpsServer({ port: 0, checks: {}, log: quiet });
    const port = await server.start();
    try {
      const { createConnection } = await import('node:net');
      const { networkInterfaces } = await import('node:os');
      const external = Object.values(networkInterfaces()).flat().find((i) => i !== undefined && i.family === 'IPv4' && !i.internal)?.address;
      expect((await fetchWith(port, '/healthz')).status).toBe(200);
      if (external !== undefined) {
        const refused = await new Promise<boolean>((resolve) => {
          const socket = createConnection({ host: external, port });
          socket.once('connect', () => { socket.destroy(); resolve(false); });
          socket.once('error', () => resolve(true));
        });
        expect(refused).toBe(true);
      }
    } finally {
      await server.stop();
    }
  });

  it('with a token: every path but /healthz and /readyz asks for it, as Bearer or as a Basic password', async () => {
    const token = 'ops-token-5678';
    const server = new OpsServer({ port: 0, checks: {}, log: quiet, token, live: () => [query], clock });
    const port = await server.start();
    try {
      for (const path of ['/', '/metrics', '/api/queries', '/query/q-1', '/nope']) {
        const res = await fetchWith(port, path);
        expect({ path, status: res.status }).toEqual({ path, status: 401 });
        expect(res.challenge).toContain('Basic realm="sluice"');
        expect(res.body).not.toContain(token);
        expect((await fetchWith(port, path, 'Bearer wrong-token-000')).status).toBe(401);
      }
      expect((await fetchWith(port, '/healthz')).status).toBe(200);
      expect((await fetchWith(port, '/readyz')).status).toBe(200);
      expect((await fetchWith(port, '/api/queries', `Bearer ${token}`)).status).toBe(200);
      const basic = `Basic ${Buffer.from(`anyone:${token}`).toString('base64')}`;
      const page = await fetchWith(port, '/', basic);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<tr data-query="q-1">');
    } finally {
      await server.stop();
    }
  });

  it('a port in use fails the start with one line naming the key and the port', async () => {
    const first = new OpsServer({ port: 0, checks: {}, log: quiet });
    const port = await first.start();
    try {
      const second = new OpsServer({ port, checks: {}, log: quiet });
      const err = await second.start().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toBe(
        `invalid configuration: metrics.port (env SLUICE_METRICS_PORT) = ${port}; allowed: a free port on an address of this machine (127.0.0.1:${port} is in use by another process; port 0 picks a free one)`,
      );
    } finally {
      await first.stop();
    }
  });

  it('shows no secret: a failed query\'s error on the live page has its passwords hidden', async () => {
    registerSecret('page-secret-77');
    const failed: LiveQuery = { ...query, status: 'FAILED', lastError: 'LocalStackError: Redis at redis://app:url-pass-3@h:1 refused page-secret-77' };
    const server = new OpsServer({ port: 0, checks: {}, log: quiet, live: () => [failed], clock });
    const port = await server.start();
    try {
      for (const path of ['/', '/query/q-1', '/api/queries']) {
        const body = (await fetchWith(port, path)).body;
        expect(body).toContain('refused');
        expect(body).not.toContain('page-secret-77');
        expect(body).not.toContain('url-pass-3');
      }
    } finally {
      await server.stop();
    }
  });
});
