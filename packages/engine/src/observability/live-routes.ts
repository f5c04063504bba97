import { findBatch, liveQueryJson, type LiveQuery } from './live-query.js';
import { renderQueryListPage } from './live-page.js';
import { renderQueryNotFound, renderQueryPage } from './query-page.js';

export interface RouteResponse {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json';

const json = (status: number, value: unknown): RouteResponse => ({ status, type: JSON_TYPE, body: `${JSON.stringify(value, null, 2)}\n` });

/** The query of that id: its running run if there is one, else its latest. */
function byId(queries: readonly LiveQuery[], id: string): LiveQuery | null {
  const runs = queries.filter((q) => q.id === id);
  return runs.find((q) => q.status === 'RUNNING') ?? runs.sort((a, b) => b.startTimestamp - a.startTimestamp)[0] ?? null;
}

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

/**
 * The live page's routes: `/` (the query table), `/query/<id>` (one query), and their JSON:
 * `/api/queries`, `/api/queries/<id>`, `/api/queries/<id>/batches` and
 * `/api/queries/<id>/batches/<batchId>` (that batch's progress record). Null for other paths.
 */
export function liveRoute(path: string, queries: readonly LiveQuery[], now: number): RouteResponse | null {
  if (path === '/') return { status: 200, type: HTML, body: renderQueryListPage(queries, now) };
  if (path === '/api/queries') return json(200, queries.map((q) => liveQueryJson(q, now)));
  const page = /^\/query\/([^/]+)\/?$/.exec(path);
  if (page !== null) {
    const id = decode(page[1] ?? '') ?? '';
    const q = byId(queries, id);
    return q === null ? { status: 404, type: HTML, body: renderQueryNotFound(id) } : { status: 200, type: HTML, body: renderQueryPage(q, now) };
  }
  const api = /^\/api\/queries\/([^/]+)(\/batches(?:\/(\d+))?)?\/?$/.exec(path);
  if (api === null) return null;
  const id = decode(api[1] ?? '') ?? '';
  const q = byId(queries, id);
  if (q === null) return json(404, { error: `no query with id ${id}` });
  if (api[2] === undefined) return json(200, liveQueryJson(q, now));
  if (api[3] === undefined) return json(200, q.recentProgress);
  const batch = findBatch(q, Number(api[3]));
  return batch === null ? json(404, { error: `batch ${api[3]} is not among the recent progress of query ${id}` }) : json(200, batch);
}
