import { axisFormatter, formatClock, formatValue, niceTicks, timeTicks, type ChartUnit } from './chart-scale.js';

/**
 * The live page's charts as inline SVG strings, drawn on the server: timelines (value over
 * time, one line per series), histograms (how many batches fell in each value band, sharing the
 * timeline's value axis as Spark's UI does), batch durations stacked by phase, and labelled
 * bars. Every chart has axes with tick labels and an axis title naming the unit; points and bars
 * link to their batch and carry a tooltip.
 */

export interface ChartPoint {
  /** Epoch ms of the batch (its progress timestamp). */
  readonly t: number;
  readonly v: number;
  readonly batchId: number;
}

export interface ChartSeries {
  readonly label: string;
  readonly points: readonly ChartPoint[];
}

export interface StackedBar {
  readonly batchId: number;
  readonly t: number;
  /** Value per part (e.g. ms per phase), in legend order. */
  readonly parts: Readonly<Record<string, number>>;
}

export interface LabelledValue {
  readonly label: string;
  readonly v: number;
}

/** Where a point or bar of `batchId` leads (the batch's row), if anywhere. */
export type BatchLink = (batchId: number) => string;

/** Line and part colours, distinguishable and readable on white. */
export const PALETTE = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'] as const;

export const colorAt = (i: number): string => PALETTE[i % PALETTE.length] ?? '#2563eb';

const HEIGHT = 180;
const TOP = 22;
const BOTTOM = 38;
const LEFT = 62;
const RIGHT = 16;
const PLOT_H = HEIGHT - TOP - BOTTOM;
export const TIMELINE_WIDTH = 560;
export const HISTOGRAM_WIDTH = 300;

const num = (x: number): string => String(Math.round(x * 10) / 10);

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The value axis both a timeline and its histogram use: ticks from 0 to a round maximum. */
export function valueTicks(values: readonly number[], unit: ChartUnit): number[] {
  const finite = values.filter(Number.isFinite);
  return niceTicks(0, Math.max(0, ...finite), 4, unit);
}

function svgOpen(kind: string, id: string, title: string, width: number): string {
  return `<svg class="chart ${kind}" data-metric="${escapeHtml(id)}" viewBox="0 0 ${width} ${HEIGHT}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg">`;
}

/** The left value axis with grid lines, tick labels in `unit` and the unit as its title. */
function valueAxis(ticks: readonly number[], unit: ChartUnit, width: number, title: string = unit): string {
  const max = ticks[ticks.length - 1] ?? 1;
  const format = axisFormatter(max, unit);
  const y = (v: number): number => TOP + PLOT_H - (v / max) * PLOT_H;
  const parts = ticks.map((v) => `<line class="grid" x1="${LEFT}" x2="${width - RIGHT}" y1="${num(y(v))}" y2="${num(y(v))}"/>` +
    `<text class="tick" x="${LEFT - 6}" y="${num(y(v) + 4)}" text-anchor="end">${escapeHtml(format(v))}</text>`);
  return `<g class="axis y-axis">${parts.join('')}<line class="domain" x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${TOP + PLOT_H}"/>` +
    `<text class="axis-title" x="${LEFT - 6}" y="${TOP - 9}" text-anchor="end">${escapeHtml(title)}</text></g>`;
}

/** A bottom axis: tick marks and labels at `ticks` (x positions), and its title at the right end. */
function bottomAxis(ticks: ReadonlyArray<readonly [number, string]>, width: number, title: string): string {
  const base = TOP + PLOT_H;
  const parts = ticks.map(([x, label]) => `<line class="tick-mark" x1="${num(x)}" x2="${num(x)}" y1="${base}" y2="${base + 5}"/>` +
    `<text class="tick" x="${num(x)}" y="${base + 18}" text-anchor="middle">${escapeHtml(label)}</text>`);
  return `<g class="axis x-axis"><line class="domain" x1="${LEFT}" x2="${width - RIGHT}" y1="${base}" y2="${base}"/>${parts.join('')}` +
    `<text class="axis-title" x="${width - RIGHT}" y="${base + 33}" text-anchor="end">${escapeHtml(title)}</text></g>`;
}

function linked(href: string | undefined, inner: string): string {
  return href === undefined ? inner : `<a href="${escapeHtml(href)}">${inner}</a>`;
}

function emptyNote(width: number): string {
  return `<text class="empty" x="${(LEFT + width - RIGHT) / 2}" y="${TOP + PLOT_H / 2}" text-anchor="middle">no batches yet</text>`;
}

/**
 * Values over time: one polyline per series on a UTC time axis, a dot per batch linking to it.
 * `ticks` fixes the value axis (pass the histogram's, so both rows line up).
 */
export function timelineChart(o: {
  readonly id: string; readonly title: string; readonly unit: ChartUnit; readonly series: readonly ChartSeries[];
  readonly ticks?: readonly number[]; readonly link?: BatchLink;
}): string {
  const width = TIMELINE_WIDTH;
  const all = o.series.flatMap((s) => s.points);
  const ticks = o.ticks ?? valueTicks(all.map((p) => p.v), o.unit);
  const yMax = ticks[ticks.length - 1] ?? 1;
  let t0 = Math.min(...all.map((p) => p.t));
  let t1 = Math.max(...all.map((p) => p.t));
  if (all.length === 0) [t0, t1] = [0, 1];
  if (t1 - t0 < 10_000) [t0, t1] = [t0 - 5_000, t1 + 5_000];
  const plotW = width - LEFT - RIGHT;
  const x = (t: number): number => LEFT + ((t - t0) / (t1 - t0)) * plotW;
  const y = (v: number): number => TOP + PLOT_H - (Math.max(0, Math.min(v, yMax)) / yMax) * PLOT_H;
  const time = timeTicks(t0, t1, 5);
  const xTicks = all.length === 0 ? [] : time.ticks.map((t) => [x(t), formatClock(t, time.step)] as const);
  const lines = o.series.map((s, i) => {
    const color = colorAt(i);
    const pts = s.points.map((p) => `${num(x(p.t))},${num(y(p.v))}`).join(' ');
    const dots = s.points.map((p) => linked(o.link?.(p.batchId),
      `<circle class="point" data-batch="${p.batchId}" cx="${num(x(p.t))}" cy="${num(y(p.v))}" r="2.5" fill="${color}">` +
      `<title>${escapeHtml(`${o.series.length > 1 ? `${s.label} · ` : ''}batch ${p.batchId} · ${formatClock(p.t)} UTC · ${formatValue(p.v, o.unit)}`)}</title></circle>`)).join('');
    return `<g class="series" data-series="${escapeHtml(s.label)}"><polyline data-points="${s.points.length}" points="${pts}" stroke="${color}"/>${dots}</g>`;
  }).join('');
  return `${svgOpen('timeline', o.id, o.title, width)}${valueAxis(ticks, o.unit, width)}` +
    `${bottomAxis(xTicks, width, 'time (UTC)')}${all.length === 0 ? emptyNote(width) : lines}</svg>`;
}

/**
 * How many batches fell in each band of values: horizontal bars against the same value axis as
 * the timeline beside it (two bands per tick interval), the count of batches along the bottom.
 */
export function histogramChart(o: {
  readonly id: string; readonly title: string; readonly unit: ChartUnit; readonly values: readonly number[]; readonly ticks?: readonly number[];
}): string {
  const width = HISTOGRAM_WIDTH;
  const ticks = o.ticks ?? valueTicks(o.values, o.unit);
  const yMax = ticks[ticks.length - 1] ?? 1;
  const bands = Math.max(1, (ticks.length - 1) * 2);
  const bandSize = yMax / bands;
  const counts = new Array<number>(bands).fill(0);
  for (const v of o.values) {
    if (!Number.isFinite(v)) continue;
    const i = Math.min(bands - 1, Math.max(0, Math.floor(v / bandSize)));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  const xTicks = niceTicks(0, Math.max(1, ...counts), 3, 'batches');
  const cMax = xTicks[xTicks.length - 1] ?? 1;
  const plotW = width - LEFT - RIGHT;
  const x = (c: number): number => LEFT + (c / cMax) * plotW;
  const bandH = PLOT_H / bands;
  const bars = counts.map((c, i) => {
    if (c === 0) return '';
    const top = TOP + PLOT_H - (i + 1) * bandH;
    const label = `${formatValue(i * bandSize, o.unit)} – ${formatValue((i + 1) * bandSize, o.unit)}: ${formatValue(c, 'batches')}`;
    return `<rect class="bar" x="${LEFT}" y="${num(top + 0.5)}" width="${num(x(c) - LEFT)}" height="${num(Math.max(1, bandH - 1))}"><title>${escapeHtml(label)}</title></rect>`;
  }).join('');
  return `${svgOpen('histogram', o.id, o.title, width)}${valueAxis(ticks, o.unit, width)}` +
    `${bottomAxis(xTicks.map((c) => [x(c), String(c)] as const), width, 'batches')}${o.values.length === 0 ? emptyNote(width) : bars}</svg>`;
}

/** Every `k`-th label of `n` categories, so that at most about `max` show. */
function sparseIndexes(n: number, max: number): number[] {
  const k = Math.max(1, Math.ceil(n / max));
  const out: number[] = [];
  for (let i = 0; i < n; i += k) out.push(i);
  return out;
}

/**
 * One bar per batch (by batch id), its parts stacked in `keys` order (Spark's durationMs
 * breakdown: one colour per phase), each bar linking to its batch.
 */
export function stackedBarChart(o: {
  readonly id: string; readonly title: string; readonly unit: ChartUnit; readonly keys: readonly string[];
  readonly bars: readonly StackedBar[]; readonly link?: BatchLink; readonly width?: number;
}): string {
  const width = o.width ?? TIMELINE_WIDTH;
  const totals = o.bars.map((b) => o.keys.reduce((sum, k) => sum + Math.max(0, b.parts[k] ?? 0), 0));
  const ticks = valueTicks(totals, o.unit);
  const yMax = ticks[ticks.length - 1] ?? 1;
  const plotW = width - LEFT - RIGHT;
  const band = plotW / Math.max(1, o.bars.length);
  const barW = Math.max(1, Math.min(28, band * 0.75));
  const cx = (i: number): number => LEFT + band * (i + 0.5);
  const h = (v: number): number => (Math.max(0, v) / yMax) * PLOT_H;
  const bars = o.bars.map((b, i) => {
    let base = TOP + PLOT_H;
    const rects = o.keys.map((k, ki) => {
      const v = b.parts[k] ?? 0;
      if (v <= 0) return '';
      base -= h(v);
      return `<rect class="part" data-part="${escapeHtml(k)}" x="${num(cx(i) - barW / 2)}" y="${num(base)}" width="${num(barW)}" height="${num(Math.max(0.5, h(v)))}" fill="${colorAt(ki)}"/>`;
    }).join('');
    const breakdown = o.keys.filter((k) => (b.parts[k] ?? 0) > 0).map((k) => `${k} ${formatValue(b.parts[k] ?? 0, o.unit)}`).join(', ');
    const tip = `batch ${b.batchId} · ${formatClock(b.t)} UTC · ${formatValue(totals[i] ?? 0, o.unit)}${breakdown === '' ? '' : ` (${breakdown})`}`;
    return linked(o.link?.(b.batchId), `<g class="bar" data-batch="${b.batchId}">${rects}<title>${escapeHtml(tip)}</title></g>`);
  }).join('');
  const xTicks = sparseIndexes(o.bars.length, 10).map((i) => [cx(i), String(o.bars[i]?.batchId ?? '')] as const);
  return `${svgOpen('stacked', o.id, o.title, width)}${valueAxis(ticks, o.unit, width)}` +
    `${bottomAxis(xTicks, width, 'batch')}${o.bars.length === 0 ? emptyNote(width) : bars}</svg>`;
}

/** A legend: a colour swatch and a name per series or part, in drawing order. */
export function legendHtml(labels: readonly string[]): string {
  return `<ul class="legend">${labels.map((l, i) => `<li><span class="swatch" style="background:${colorAt(i)}"></span>${escapeHtml(l)}</li>`).join('')}</ul>`;
}

/** Labelled horizontal bars (e.g. the latest lag of each partition), value axis along the bottom. */
export function labelledBarChart(o: {
  readonly id: string; readonly title: string; readonly unit: ChartUnit; readonly items: readonly LabelledValue[]; readonly axisTitle: string;
}): string {
  const width = HISTOGRAM_WIDTH;
  const labels = o.items.map((i) => (i.label.length > 22 ? `…${i.label.slice(-21)}` : i.label));
  // Room for the longest label at about 6.5 px a character.
  const left = Math.min(160, Math.max(60, 12 + 6.5 * Math.max(0, ...labels.map((l) => l.length))));
  const xTicks = niceTicks(0, Math.max(0, ...o.items.map((i) => i.v)), 3, o.unit);
  const max = xTicks[xTicks.length - 1] ?? 1;
  const format = axisFormatter(max, o.unit);
  const plotW = width - left - RIGHT;
  const x = (v: number): number => left + (Math.max(0, v) / max) * plotW;
  const rowH = Math.min(22, PLOT_H / Math.max(1, o.items.length));
  const base = TOP + PLOT_H;
  const rows = o.items.map((item, i) => {
    const y = TOP + i * rowH;
    const label = labels[i] ?? '';
    return `<g class="item"><text class="tick label" x="${left - 6}" y="${num(y + rowH / 2 + 4)}" text-anchor="end">${escapeHtml(label)}</text>` +
      `<rect class="bar" x="${left}" y="${num(y + 2)}" width="${num(Math.max(v0(item.v), x(item.v) - left))}" height="${num(Math.max(1, rowH - 4))}" fill="${colorAt(i)}">` +
      `<title>${escapeHtml(`${item.label}: ${formatValue(item.v, o.unit)}`)}</title></rect></g>`;
  }).join('');
  const axis = `<g class="axis x-axis"><line class="domain" x1="${left}" x2="${width - RIGHT}" y1="${base}" y2="${base}"/>` +
    xTicks.map((v) => `<line class="tick-mark" x1="${num(x(v))}" x2="${num(x(v))}" y1="${base}" y2="${base + 5}"/><text class="tick" x="${num(x(v))}" y="${base + 18}" text-anchor="middle">${escapeHtml(format(v))}</text>`).join('') +
    `<text class="axis-title" x="${width - RIGHT}" y="${base + 33}" text-anchor="end">${escapeHtml(o.axisTitle)}</text></g>`;
  return `${svgOpen('bars', o.id, o.title, width)}${axis}${o.items.length === 0 ? emptyNote(width) : rows}</svg>`;
}

/** A zero still shows as a hairline, so the row reads as "measured, nothing" rather than missing. */
const v0 = (v: number): number => (v > 0 ? 1 : 0.5);
