import type { StreamingQueryProgress } from '../core/streaming-query-progress.js';
import { formatClock, formatDateTime, formatDuration } from './chart-scale.js';
import { batchApiPath, batchesOf, liveSignature, queryApiPath, uptimeMs, type LiveQuery } from './live-query.js';
import { pageHtml, statusBadge } from './page-layout.js';
import { metricRows, phasesOf } from './query-charts.js';
import { replicasSection } from './replicas-section.js';
import { colorAt, escapeHtml } from './svg-chart.js';

/**
 * One query's page (`/query/<id>`), after Spark's Streaming Query Statistics page: who the query
 * is and how long it has run, a timeline and a histogram per metric, then a table of its recent
 * batches, each linking to its progress record and each chart point linking to its row.
 */

function basicInfo(q: LiveQuery, now: number): string {
  const batches = batchesOf(q).length;
  const last = q.recentProgress[q.recentProgress.length - 1];
  const uptime = uptimeMs(q, now);
  const running = q.status === 'RUNNING';
  const ran = running
    ? `Running batches for <strong class="uptime" data-uptime-ms="${uptime}">${formatDuration(uptime)}</strong>`
    : `Ran for <strong>${formatDuration(uptime)}</strong>`;
  const facts: Array<[string, string]> = [
    ['Name', escapeHtml(q.name ?? '<no name>')],
    ['Status', statusBadge(q.status)],
    ['Id', `<code>${escapeHtml(q.id)}</code>`],
    ['Run id', `<code>${escapeHtml(q.runId)}</code>`],
    ['Sources', last === undefined ? '–' : last.sources.map((s) => `<code>${escapeHtml(s.description)}</code>`).join('<br>')],
    ['Sink', last === undefined ? '–' : `<code>${escapeHtml(last.sink.description)}</code>`],
  ];
  if (q.lastError !== null) facts.push(['Last error', `<pre class="error">${escapeHtml(q.lastError)}</pre>`]);
  return `<section class="card info"><p class="summary">${ran} since <strong>${formatDateTime(q.startTimestamp)}</strong> ` +
    `(<strong>${batches}</strong> ${batches === 1 ? 'batch' : 'batches'} shown, latest <strong>${last?.batchId ?? '–'}</strong>)</p>` +
    `<dl>${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl></section>`;
}

function statTable(q: LiveQuery): string {
  if (q.recentProgress.length === 0) return '<section class="card"><p class="empty-note">No batch has run yet: the charts appear with the first one.</p></section>';
  const { rows, omitted } = metricRows(q);
  const body = rows.map((r) => `<tr data-metric="${r.id}"><th scope="row"><div class="metric">${escapeHtml(r.label)}</div><div class="help">${escapeHtml(r.help)}</div></th>` +
    `<td class="timeline">${r.timeline}</td><td class="side">${r.side}</td></tr>`).join('');
  const note = omitted.length === 0 ? '' : `<p class="note">Not shown: ${omitted.map(escapeHtml).join('; ')}.</p>`;
  return `<section class="card"><h2>Statistics</h2><table class="stats"><thead><tr><th></th><th>Timelines</th><th>Histograms</th></tr></thead>` +
    `<tbody>${body}</tbody></table>${note}</section>`;
}

const stateSum = (p: StreamingQueryProgress, key: string): number =>
  p.stateOperators.reduce((s, op) => s + (typeof op[key] === 'number' ? (op[key] as number) : 0), 0);

const phaseTotal = (p: StreamingQueryProgress, keys: readonly string[]): number => keys.reduce((s, k) => s + Math.max(0, p.durationMs[k] ?? 0), 0);

/**
 * The phases of one batch as a stacked bar (its length against the longest batch shown, so the
 * column reads as a chart) over the milliseconds of each phase, in `keys` order.
 */
function phaseCell(p: StreamingQueryProgress, keys: readonly string[], longest: number): string {
  const segments = keys.map((k, i) => {
    const v = p.durationMs[k] ?? 0;
    return v > 0 ? `<span data-phase="${escapeHtml(k)}" style="width:${((v / Math.max(1, longest)) * 100).toFixed(1)}%;background:${colorAt(i)}" title="${escapeHtml(`${k}: ${v} ms`)}"></span>` : '';
  }).join('');
  const text = keys.filter((k) => (p.durationMs[k] ?? 0) > 0).map((k) => `${k}\u00a0${p.durationMs[k]}`).join(' · ');
  return `<div class="phase-bar">${segments}</div><div class="phase-text">${escapeHtml(text === '' ? 'every phase under 1 ms' : text)}</div>`;
}

function batchTable(q: LiveQuery): string {
  const batches = batchesOf(q).reverse();
  const keys = phasesOf(batches);
  const stateful = batches.some((b) => b.stateOperators.length > 0);
  const longest = Math.max(1, ...batches.map((b) => phaseTotal(b, keys)));
  const head = [
    'Batch', 'Time (UTC)', 'Input rows', 'Input rate (rows/s)', 'Process rate (rows/s)', 'Duration (ms)', 'Duration by phase (ms)',
    'Output rows', ...(stateful ? ['State rows'] : []), 'Watermark (UTC)', 'Progress',
  ];
  const n = (v: number): string => (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(2));
  const rows = batches.map((b) => {
    const wm = b.eventTime['watermark'];
    const cells = [
      `<a class="batch-link" href="${escapeHtml(batchApiPath(q.id, b.batchId))}">${b.batchId}</a>`,
      `<time datetime="${escapeHtml(b.timestamp)}">${formatClock(Date.parse(b.timestamp))}</time>`,
      n(b.numInputRows),
      n(b.inputRowsPerSecond),
      n(b.processedRowsPerSecond),
      n(b.batchDuration),
      phaseCell(b, keys, longest),
      n(b.sink.numOutputRows),
      ...(stateful ? [n(stateSum(b, 'numRowsTotal'))] : []),
      wm === undefined || !(Date.parse(wm) > 0) ? '–' : `<time datetime="${escapeHtml(wm)}" title="${escapeHtml(formatDateTime(Date.parse(wm)))}">${formatClock(Date.parse(wm))}</time>`,
      `<a href="${escapeHtml(batchApiPath(q.id, b.batchId))}">JSON</a>`,
    ];
    const classes = ['', '', 'num', 'num', 'num', 'num', 'phases', 'num', ...(stateful ? ['num'] : []), '', ''];
    return `<tr id="batch-${b.batchId}" data-batch="${b.batchId}">${cells.map((c, i) => `<td class="${classes[i] ?? ''}">${c}</td>`).join('')}</tr>`;
  }).join('');
  const empty = batches.length === 0 ? `<tr><td colspan="${head.length}" class="empty-note">No batch yet.</td></tr>` : '';
  const headClasses = ['', '', 'num', 'num', 'num', 'num', '', 'num', ...(stateful ? ['num'] : []), '', ''];
  return `<section class="card"><h2>Batches <span class="count">(${batches.length}, newest first)</span></h2>` +
    `<table class="batches"><thead><tr>${head.map((h, i) => `<th scope="col" class="${headClasses[i] ?? ''}">${h}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows}${empty}</tbody></table></section>`;
}

export function renderQueryPage(q: LiveQuery, now: number): string {
  const title = q.name ?? q.id;
  const body = `<nav class="crumbs"><a href="/">Streaming queries</a> › <span>${escapeHtml(title)}</span></nav>` +
    `<h1>${escapeHtml(title)} ${statusBadge(q.status)}</h1>${basicInfo(q, now)}` +
    `${q.replicas === undefined ? '' : replicasSection(q.replicas)}${statTable(q)}${batchTable(q)}`;
  return pageHtml(`${title} · Sluice streaming query`, body, { api: queryApiPath(q.id), signature: liveSignature([q]) });
}

export function renderQueryNotFound(id: string): string {
  const body = `<nav class="crumbs"><a href="/">Streaming queries</a> › <span>${escapeHtml(id)}</span></nav>` +
    `<h1>No such query</h1><section class="card"><p>This process runs no query with id <code>${escapeHtml(id)}</code> (any more).</p></section>`;
  return pageHtml('Query not found · Sluice', body, { api: queryApiPath(id), signature: 'gone' });
}
