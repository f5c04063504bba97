import { formatDateTime, formatDuration } from './chart-scale.js';
import { averageRate, batchRowPath, latestBatchId, liveSignature, queryPath, uptimeMs, type LiveQuery } from './live-query.js';
import { pageHtml, statusBadge } from './page-layout.js';
import { escapeHtml } from './svg-chart.js';

/**
 * The live page's front (`/`), in the spirit of Spark's Structured Streaming tab: a table of the
 * process's active queries and one of those that ended, each row linking to the query's page
 * (`/query/<id>`) and its latest batch. Drawn on the server; the inline script redraws it when
 * a query moves.
 */

const COLUMNS = ['Name', 'Status', 'ID', 'Run ID', 'Start Time', 'Uptime', 'Avg Input /sec', 'Avg Process /sec', 'Latest Batch', 'Last Error'] as const;

const rate = (v: number | null): string => (v === null ? 'NaN' : v.toFixed(2));

/** A UUID shortened to its first group (the full one in the tooltip and on the query's page). */
const shortId = (id: string): string => `<code title="${escapeHtml(id)}">${escapeHtml(id.length > 13 ? `${id.slice(0, 8)}…` : id)}</code>`;

function row(q: LiveQuery, now: number): string {
  const page = queryPath(q.id);
  const uptime = uptimeMs(q, now);
  const batch = latestBatchId(q);
  const error = q.lastError === null ? '–' : escapeHtml(q.lastError.split('\n')[0] ?? '');
  const cells = [
    `<a class="query-link" href="${escapeHtml(page)}">${escapeHtml(q.name ?? '<no name>')}</a>`,
    statusBadge(q.status),
    `<a href="${escapeHtml(page)}">${shortId(q.id)}</a>`,
    shortId(q.runId),
    formatDateTime(q.startTimestamp),
    q.status === 'RUNNING' ? `<span class="uptime" data-uptime-ms="${uptime}">${formatDuration(uptime)}</span>` : formatDuration(uptime),
    rate(averageRate(q, 'inputRowsPerSecond')),
    rate(averageRate(q, 'processedRowsPerSecond')),
    batch === null ? '–' : `<a class="batch-link" href="${escapeHtml(batchRowPath(q.id, batch))}">${batch}</a>`,
  ];
  const classes = ['', '', '', '', '', 'num', 'num', 'num', 'num'];
  return `<tr data-query="${escapeHtml(q.id)}">${cells.map((c, i) => `<td class="${classes[i] ?? ''}">${c}</td>`).join('')}` +
    `<td class="error"${q.lastError === null ? '' : ` title="${escapeHtml(q.lastError)}"`}>${error}</td></tr>`;
}

function table(id: string, title: string, queries: readonly LiveQuery[], now: number): string {
  return `<section class="card" id="${id}"><h2>${title} <span class="count">(${queries.length})</span></h2>` +
    `<table class="queries"><thead><tr>${COLUMNS.map((c) => `<th scope="col">${c}</th>`).join('')}</tr></thead>` +
    `<tbody>${queries.map((q) => row(q, now)).join('')}</tbody></table></section>`;
}

/** `/`: every query of the process, running ones first, newest first within each table. */
export function renderQueryListPage(queries: readonly LiveQuery[], now: number): string {
  const newest = [...queries].sort((a, b) => b.startTimestamp - a.startTimestamp);
  const active = newest.filter((q) => q.status === 'RUNNING');
  const ended = newest.filter((q) => q.status !== 'RUNNING');
  const parts = [`<h1>Streaming queries</h1>`];
  if (queries.length === 0) parts.push('<section class="card"><p class="empty-note" id="empty">No query is running.</p></section>');
  if (active.length > 0) parts.push(table('active', 'Active streaming queries', active, now));
  if (ended.length > 0) parts.push(table('completed', 'Completed streaming queries', ended, now));
  return pageHtml('Sluice · streaming queries', parts.join(''), { api: '/api/queries', signature: liveSignature(queries) });
}
