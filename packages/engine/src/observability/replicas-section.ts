import { formatClock, formatDateTime } from './chart-scale.js';
import type { LiveReplicas, PartitionLag } from './live-query.js';
import { escapeHtml } from './svg-chart.js';

/**
 * The "Replicas" card of a scaled-out query's page: each processor replica with the source and
 * shuffle tasks it runs now, then how many records each source partition holds beyond what its
 * source task has committed.
 */

const list = (items: readonly string[]): string => (items.length === 0 ? '–' : items.map((t) => `<code>${escapeHtml(t)}</code>`).join(' '));

function replicaTable(replicas: LiveReplicas): string {
  const rows = replicas.members.map((m) => {
    const at = Date.parse(m.updatedAt);
    return `<tr data-replica="${escapeHtml(m.runId)}"><td><code>${escapeHtml(m.runId)}</code></td>` +
      `<td>${m.leader ? '<span class="badge RUNNING" data-leader="true">LEADER</span>' : 'task runner'}</td>` +
      `<td class="num">${m.sourceTasks.length}</td><td>${list(m.sourceTasks)}</td>` +
      `<td class="num">${m.shuffleTasks.length}</td><td>${list(m.shuffleTasks.map(String))}</td>` +
      `<td><time datetime="${escapeHtml(m.updatedAt)}" title="${escapeHtml(formatDateTime(at))}">${formatClock(at)}</time></td></tr>`;
  }).join('');
  const empty = replicas.members.length === 0 ? '<tr><td colspan="7" class="empty-note">No replica reported in the last seconds.</td></tr>' : '';
  return '<table class="replicas"><thead><tr><th scope="col">Run id</th><th scope="col">Role</th><th scope="col" class="num">Source tasks</th>' +
    '<th scope="col">Source partitions</th><th scope="col" class="num">Shuffle tasks</th><th scope="col">Shuffle task ids</th><th scope="col">Reported (UTC)</th></tr></thead>' +
    `<tbody>${rows}${empty}</tbody></table>`;
}

function lagTable(lag: readonly PartitionLag[]): string {
  if (lag.length === 0) return '<p class="empty-note">The leader measures the lag after each batch: its page shows it.</p>';
  const total = lag.reduce((n, p) => n + p.records, 0);
  const rows = lag.map((p) => `<tr data-partition="${escapeHtml(`${p.topic}:${p.partition}`)}"><td class="num">${p.source}</td><td><code>${escapeHtml(p.topic)}</code></td>` +
    `<td class="num">${p.partition}</td><td class="num">${p.records.toLocaleString('en-US')}</td></tr>`).join('');
  return '<table class="partition-lag"><thead><tr><th scope="col" class="num">Source</th><th scope="col">Topic</th><th scope="col" class="num">Partition</th>' +
    `<th scope="col" class="num">Lag (records)</th></tr></thead><tbody>${rows}</tbody>` +
    `<tfoot><tr><th scope="row" colspan="3">Total</th><td class="num">${total.toLocaleString('en-US')}</td></tr></tfoot></table>`;
}

export function replicasSection(replicas: LiveReplicas): string {
  const n = replicas.members.length;
  return `<section class="card" id="replicas"><h2>Replicas <span class="count">(${n} processor${n === 1 ? '' : 's'} sharing the query)</span></h2>` +
    `${replicaTable(replicas)}<h2 class="sub">Lag per source partition</h2>${lagTable(replicas.lag)}</section>`;
}
