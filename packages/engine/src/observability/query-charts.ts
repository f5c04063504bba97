import type { StreamingQueryProgress } from '../core/streaming-query-progress.js';
import type { ChartUnit } from './chart-scale.js';
import { batchesOf, batchRowPath, type LiveQuery } from './live-query.js';
import {
  histogramChart, labelledBarChart, legendHtml, stackedBarChart, timelineChart, valueTicks,
  type ChartPoint, type ChartSeries, type LabelledValue,
} from './svg-chart.js';

/**
 * The rows of a query's statistics table, as Spark's Streaming Query Statistics page lays them
 * out (a timeline and a histogram per metric) plus what Spark leaves out: the watermark gap,
 * state and late rows as Spark 3.1+ shows them, and the consumer lag of every source partition.
 */

export interface MetricRow {
  /** Names the charts (`data-metric`). */
  readonly id: string;
  readonly label: string;
  readonly help: string;
  readonly timeline: string;
  readonly side: string;
}

/** The order phases run in a batch; others (if any) follow alphabetically. */
const PHASE_ORDER = ['latestOffset', 'getOffset', 'walCommit', 'queryPlanning', 'getBatch', 'addBatch', 'commitOffsets'];

const time = (p: StreamingQueryProgress): number => Date.parse(p.timestamp);

function stateSum(p: StreamingQueryProgress, key: string): number {
  return p.stateOperators.reduce((sum, op) => {
    const v = op[key];
    return sum + (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  }, 0);
}

function points(ps: readonly StreamingQueryProgress[], value: (p: StreamingQueryProgress) => number | null): ChartPoint[] {
  const out: ChartPoint[] = [];
  for (const p of ps) {
    const v = value(p);
    if (v !== null) out.push({ t: time(p), v, batchId: p.batchId });
  }
  return out;
}

/** Spark's Global Watermark Gap: batch time minus watermark, in seconds, once a watermark is set. */
function watermarkGap(p: StreamingQueryProgress): number | null {
  const wm = p.eventTime['watermark'];
  if (wm === undefined) return null;
  const ms = Date.parse(wm);
  return Number.isFinite(ms) && ms > 0 ? Math.max(0, time(p) - ms) / 1000 : null;
}

/** The phases of a batch, in the order they run (Spark's durationMs without triggerExecution). */
export function phasesOf(batches: readonly StreamingQueryProgress[]): string[] {
  const keys = new Set(batches.flatMap((b) => Object.keys(b.durationMs)).filter((k) => k !== 'triggerExecution'));
  const known = PHASE_ORDER.filter((k) => keys.has(k));
  return [...known, ...[...keys].filter((k) => !PHASE_ORDER.includes(k)).sort()];
}

/** A partition's name on the page: `topic/partition`, the query's own source topic as `source-N`. */
export function partitionLabel(topic: string, partition: number): string {
  const own = /^sluice\..+\.(source-\d+)$/.exec(topic);
  return `${own?.[1] ?? topic}/${partition}`;
}

function pair(q: LiveQuery, id: string, title: string, unit: ChartUnit, series: readonly ChartSeries[]): Pick<MetricRow, 'timeline' | 'side'> {
  const values = (series[0]?.points ?? []).map((p) => p.v);
  const ticks = valueTicks(series.flatMap((s) => s.points.map((p) => p.v)), unit);
  const link = (batchId: number): string => batchRowPath(q.id, batchId);
  const legend = series.length > 1 ? legendHtml(series.map((s) => s.label)) : '';
  return {
    timeline: timelineChart({ id, title: `${title} over time`, unit, series, ticks, link }) + legend,
    side: histogramChart({ id, title: `${title}: batches per band`, unit, values, ticks }),
  };
}

function phaseRow(q: LiveQuery): MetricRow {
  const batches = batchesOf(q);
  const keys = phasesOf(batches);
  const bars = batches.map((b) => ({ batchId: b.batchId, t: time(b), parts: b.durationMs }));
  const means: LabelledValue[] = keys.map((k) => ({
    label: k, v: batches.length === 0 ? 0 : batches.reduce((s, b) => s + (b.durationMs[k] ?? 0), 0) / batches.length,
  }));
  return {
    id: 'operation-duration',
    label: 'Operation Duration',
    help: 'Time each phase of a batch took (Spark\'s durationMs), stacked; beside it the mean per phase.',
    timeline: stackedBarChart({ id: 'operation-duration', title: 'Batch duration by phase', unit: 'ms', keys, bars, link: (id) => batchRowPath(q.id, id) }) + legendHtml(keys),
    side: labelledBarChart({ id: 'operation-duration-mean', title: 'Mean duration per phase', unit: 'ms', items: means, axisTitle: 'mean ms per batch' }),
  };
}

function lagRow(q: LiveQuery): MetricRow | null {
  const byPartition = new Map<string, ChartPoint[]>();
  for (const lag of q.consumerLag) {
    for (const p of lag.partitions) {
      const label = partitionLabel(p.topic, p.partition);
      const list = byPartition.get(label) ?? [];
      list.push({ t: Date.parse(lag.timestamp), v: p.records, batchId: lag.batchId });
      byPartition.set(label, list);
    }
  }
  if (byPartition.size === 0) return null;
  const series = [...byPartition.entries()].map(([label, pts]) => ({ label, points: pts }));
  const latest = q.consumerLag[q.consumerLag.length - 1]?.partitions ?? [];
  return {
    id: 'consumer-lag',
    label: 'Consumer Lag',
    help: 'Records each source partition held beyond the batch\'s end offset when the batch committed; beside it the latest lag per partition.',
    timeline: timelineChart({ id: 'consumer-lag', title: 'Consumer lag per partition over time', unit: 'records', series, link: (id) => batchRowPath(q.id, id) }) + legendHtml(series.map((s) => s.label)),
    side: labelledBarChart({
      id: 'consumer-lag-latest', title: 'Latest consumer lag per partition', unit: 'records', axisTitle: 'records behind',
      items: latest.map((p) => ({ label: partitionLabel(p.topic, p.partition), v: p.records })),
    }),
  };
}

/** The statistics rows for `q`, and the names of those left out because they do not apply. */
export function metricRows(q: LiveQuery): { rows: MetricRow[]; omitted: string[] } {
  const ps = q.recentProgress;
  const single = (label: string, fn: (p: StreamingQueryProgress) => number | null): ChartSeries[] => [{ label, points: points(ps, fn) }];
  const rows: MetricRow[] = [
    { id: 'input-rate', label: 'Input Rate', help: 'The aggregate (across all sources) rate of data arriving.', ...pair(q, 'input-rate', 'Input rate', 'rows/s', single('input', (p) => p.inputRowsPerSecond)) },
    { id: 'process-rate', label: 'Process Rate', help: 'The aggregate (across all sources) rate at which the batches processed data.', ...pair(q, 'process-rate', 'Process rate', 'rows/s', single('processed', (p) => p.processedRowsPerSecond)) },
    { id: 'input-rows', label: 'Input Rows', help: 'The aggregate (across all sources) number of records processed in a trigger.', ...pair(q, 'input-rows', 'Input rows', 'rows', single('rows', (p) => p.numInputRows)) },
    { id: 'batch-duration', label: 'Batch Duration', help: 'The process duration of each batch.', ...pair(q, 'batch-duration', 'Batch duration', 'ms', single('duration', (p) => p.batchDuration)) },
    phaseRow(q),
  ];
  const omitted: string[] = [];
  const gap = single('gap', watermarkGap);
  if ((gap[0]?.points.length ?? 0) > 0) {
    rows.push({ id: 'watermark-gap', label: 'Global Watermark Gap', help: 'How far the watermark trails the batch time.', ...pair(q, 'watermark-gap', 'Watermark gap', 's', gap) });
  } else {
    omitted.push('watermark gap (no watermark)');
  }
  if (ps.some((p) => p.stateOperators.length > 0)) {
    const stateful = ps.filter((p) => p.stateOperators.length > 0);
    const series = (label: string, key: string): ChartSeries => ({ label, points: points(stateful, (p) => stateSum(p, key)) });
    rows.push(
      { id: 'state-rows', label: 'State Rows', help: 'Rows in state (all stateful operators) after each batch, and rows the batch updated.', ...pair(q, 'state-rows', 'State rows', 'rows', [series('total', 'numRowsTotal'), series('updated', 'numRowsUpdated')]) },
      { id: 'state-memory', label: 'State Memory', help: 'Memory the state takes (all stateful operators).', ...pair(q, 'state-memory', 'State memory', 'bytes', [series('memory', 'memoryUsedBytes')]) },
      { id: 'late-rows', label: 'Late Rows Dropped', help: 'Rows dropped as later than the watermark, per batch.', ...pair(q, 'late-rows', 'Late rows dropped', 'rows', [series('dropped', 'numRowsDroppedByWatermark')]) },
    );
  } else {
    omitted.push('state rows, state memory and late rows (no stateful operator)');
  }
  const lag = lagRow(q);
  if (lag === null) omitted.push('consumer lag (no partition measured yet)');
  else rows.push(lag);
  return { rows, omitted };
}
