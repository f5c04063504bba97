/**
 * The live query page (in the spirit of Spark's Structured Streaming tab): every query of the
 * process with plots over time of input rate, process rate, batch duration, state rows and
 * watermark delay. One self-contained page that polls `/api/queries` every second.
 */
export const LIVE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sluice — streaming queries</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 24px; color: #1f2933; background: #f7f9fb; }
  h1 { font-size: 20px; margin: 0 0 16px; }
  .query { background: #fff; border: 1px solid #d9e2ec; border-radius: 6px; padding: 16px; margin-bottom: 20px; }
  .query h2 { font-size: 16px; margin: 0 0 4px; }
  .meta { color: #52606d; margin-bottom: 12px; }
  .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px; }
  figure { margin: 0; }
  figcaption { font-weight: 600; margin-bottom: 4px; }
  svg { width: 100%; height: 120px; background: #fbfcfd; border: 1px solid #e4e7eb; }
  polyline { fill: none; stroke: #2680c2; stroke-width: 2; }
  .value { color: #52606d; font-size: 12px; }
  #empty { color: #52606d; }
</style>
</head>
<body>
<h1>Sluice — streaming queries</h1>
<div id="queries"><p id="empty">No query is running.</p></div>
<script>
const CHARTS = [
  ['Input rate (rows/s)', (p) => p.inputRowsPerSecond],
  ['Process rate (rows/s)', (p) => p.processedRowsPerSecond],
  ['Batch duration (ms)', (p) => p.batchDuration],
  ['State rows', (p) => (p.stateOperators[0] ? p.stateOperators[0].numRowsTotal : 0)],
  ['Watermark delay (s)', (p) => (p.eventTime && p.eventTime.watermark ? (Date.parse(p.timestamp) - Date.parse(p.eventTime.watermark)) / 1000 : 0)],
];
function chart(title, values) {
  const w = 300, h = 120, max = Math.max(1, ...values);
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  const pts = values.map((v, i) => (i * step).toFixed(1) + ',' + (h - 8 - (v / max) * (h - 16)).toFixed(1)).join(' ');
  const last = values.length ? values[values.length - 1] : 0;
  return '<figure><figcaption>' + title + ' <span class="value">' + (Math.round(last * 10) / 10) + '</span></figcaption>' +
    '<svg viewBox="0 0 ' + w + ' ' + h + '" preserveAspectRatio="none"><polyline data-points="' + values.length + '" points="' + pts + '"/></svg></figure>';
}
async function refresh() {
  try {
    const queries = await (await fetch('/api/queries')).json();
    const root = document.getElementById('queries');
    if (queries.length === 0) { root.innerHTML = '<p id="empty">No query is running.</p>'; return; }
    root.innerHTML = queries.map((q) => {
      const ps = q.recentProgress || [];
      const last = ps[ps.length - 1];
      return '<section class="query" data-query="' + q.id + '"><h2>' + (q.name || q.id) + '</h2>' +
        '<div class="meta">id ' + q.id + ' · batch ' + (last ? last.batchId : '–') + ' · ' + ps.length + ' batches shown</div>' +
        '<div class="charts">' + CHARTS.map(([t, f]) => chart(t, ps.map(f))).join('') + '</div></section>';
    }).join('');
  } catch (e) { /* the next poll retries */ }
}
refresh();
setInterval(refresh, 1000);
</script>
</body>
</html>
`;
