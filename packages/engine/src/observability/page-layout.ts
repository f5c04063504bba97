import type { LiveQueryStatus } from './live-query.js';
import { LIVE_SCRIPT } from './live-script.js';
import { escapeHtml } from './svg-chart.js';

/**
 * The frame every live page shares: the style sheet, a header with the live indicator, and the
 * polling script. Everything is inline: the page needs no network beyond its own server.
 */

const STYLE = `
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --soft: #f5f7fa; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--soft); }
header.top { display: flex; align-items: center; justify-content: space-between; padding: 10px 24px; background: #102a43; color: #fff; }
header.top a { color: #fff; text-decoration: none; font-weight: 600; font-size: 15px; }
header.top .brand span { color: #9fb3c8; font-weight: 400; }
.live { font-size: 12px; color: #d9e2ec; display: flex; align-items: center; gap: 6px; }
.live .dot { width: 8px; height: 8px; border-radius: 50%; background: #9fb3c8; }
.live.ok .dot { background: #3ebd93; }
.live.down .dot { background: #ef4e4e; }
main { max-width: 1240px; margin: 0 auto; padding: 18px 24px 40px; }
h1 { font-size: 22px; margin: 6px 0 14px; display: flex; align-items: center; gap: 10px; }
h2 { font-size: 16px; margin: 0 0 10px; }
h2 .count { color: var(--muted); font-weight: 400; }
h2.sub { font-size: 14px; margin: 16px 0 8px; }
table.replicas td, table.partition-lag td { font-variant-numeric: tabular-nums; }
a { color: var(--accent); }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
.crumbs { color: var(--muted); font-size: 13px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin-bottom: 18px; overflow-x: auto; }
.summary { margin: 0 0 10px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; }
pre.error { margin: 0; white-space: pre-wrap; color: #a61b1b; background: #fff5f5; padding: 6px 8px; border-radius: 4px; font-size: 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #e4e7eb; vertical-align: middle; }
thead th { font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); background: var(--soft); white-space: nowrap; }
table.queries td, table.batches td { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.queries th, table.queries td { padding: 6px 8px; }
table.queries thead th { white-space: normal; vertical-align: bottom; }
table.queries tbody tr:hover, table.batches tbody tr:hover { background: #f0f4f8; }
table.batches tr:target { background: #fff8e1; }
td.num, th.num { text-align: right; }
table.batches td.phases { white-space: normal; min-width: 300px; }
table.batches thead th { white-space: normal; vertical-align: bottom; }
td.error { max-width: 320px; overflow: hidden; text-overflow: ellipsis; color: #a61b1b; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; letter-spacing: .04em; padding: 2px 8px; border-radius: 10px; }
.badge.RUNNING { background: #e3f9e5; color: #05603a; }
.badge.FAILED { background: #ffe3e3; color: #a61b1b; }
.badge.FINISHED { background: #e4e7eb; color: #3e4c59; }
table.stats th[scope=row] { width: 170px; vertical-align: middle; }
table.stats td { vertical-align: top; }
.metric { font-weight: 600; }
.help { color: var(--muted); font-size: 12px; font-weight: 400; }
td.timeline { width: 580px; }
td.side { width: 320px; }
svg.chart { display: block; width: 100%; height: auto; overflow: visible; }
svg.chart text { font: 11px system-ui, sans-serif; fill: #52606d; }
svg.chart .axis-title { font-weight: 600; fill: #3e4c59; }
svg.chart .grid { stroke: #eef2f6; }
svg.chart .domain, svg.chart .tick-mark { stroke: #9aa5b1; }
svg.chart polyline { fill: none; stroke-width: 1.8; stroke-linejoin: round; }
svg.chart .point:hover { r: 5; }
svg.histogram .bar { fill: #93c5fd; }
svg.histogram .bar:hover, svg.bars .bar:hover { opacity: .75; }
svg.stacked .bar:hover rect { opacity: .75; }
svg.chart .empty { fill: #9aa5b1; font-style: italic; }
ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 4px 0 0 62px; padding: 0; font-size: 12px; color: var(--muted); }
ul.legend .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.phase-bar { display: flex; width: 300px; height: 8px; border-radius: 2px; overflow: hidden; background: #eef2f6; }
.phase-text { font-size: 11px; color: var(--muted); }
.note, .empty-note { color: var(--muted); font-size: 13px; }
`;

export function statusBadge(status: LiveQueryStatus): string {
  return `<span class="badge ${status}" data-status="${status}">${status}</span>`;
}

/**
 * A whole page: `body` goes into `<main>`, which names the JSON the script polls (`api`) and the
 * signature the page was drawn at (see liveSignature).
 */
export function pageHtml(title: string, body: string, live: { readonly api: string; readonly signature: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top"><a class="brand" href="/">Sluice <span>· Structured Streaming</span></a>
<div id="live" class="live"><span class="dot"></span><span class="text">live updates every second</span></div></header>
<main data-api="${escapeHtml(live.api)}" data-signature="${escapeHtml(live.signature)}">
${body}
</main>
<script>${LIVE_SCRIPT}</script>
</body>
</html>
`;
}
