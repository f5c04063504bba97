/**
 * Axis arithmetic for the live page's charts: round value ticks (1, 2 or 5 × 10^k), time ticks
 * on whole seconds, minutes or hours, and labels that carry their unit. Times are UTC, as the
 * progress records' timestamps are.
 */

/** What a chart's values measure; it decides tick steps and label suffixes. */
export type ChartUnit = 'rows' | 'rows/s' | 'records' | 'batches' | 'ms' | 's' | 'bytes';

/** Units counted in whole things: no tick between two integers. */
const WHOLE: ReadonlySet<ChartUnit> = new Set(['rows', 'records', 'batches', 'bytes']);

/** Fixes float noise such as 0.30000000000000004 after stepping. */
function tidy(x: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(x.toFixed(Math.min(decimals, 12)));
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/**
 * The scale an axis reaching `max` is labelled in: values divide by `div` and carry `suffix`
 * (KiB for tens of thousands of bytes, s for ten seconds and more of ms, min and h for long
 * gaps, k and M for large counts).
 */
function scaleOf(max: number, unit: ChartUnit): { readonly div: number; readonly suffix: string } {
  switch (unit) {
    case 'bytes': {
      let i = 0;
      while (i < BYTE_UNITS.length - 1 && max >= 1024 ** (i + 1)) i++;
      return { div: 1024 ** i, suffix: ` ${BYTE_UNITS[i] ?? 'B'}` };
    }
    case 'ms':
      return max >= 10_000 ? { div: 1000, suffix: ' s' } : { div: 1, suffix: ' ms' };
    case 's':
      if (max >= 7200) return { div: 3600, suffix: ' h' };
      if (max >= 120) return { div: 60, suffix: ' min' };
      return { div: 1, suffix: ' s' };
    default:
      if (max >= 10_000_000) return { div: 1_000_000, suffix: 'M' };
      if (max >= 10_000) return { div: 1000, suffix: 'k' };
      return { div: 1, suffix: '' };
  }
}

/**
 * Ticks from `min` (rounded down) to at least `max` (rounded up) in about `count` equal steps of
 * 1, 2 or 5 × 10^k of the scale the axis is labelled in (0, 1, 2 min rather than 0, 50, 100 s);
 * whole-number units never step below 1.
 */
export function niceTicks(min: number, max: number, count = 4, unit: ChartUnit = 'rows'): number[] {
  const { div } = scaleOf(Math.max(Math.abs(min), Math.abs(max)) || 0, unit);
  const lo = Number.isFinite(min) ? min / div : 0;
  let hi = Number.isFinite(max) ? max / div : 1;
  const whole = WHOLE.has(unit) && div === 1;
  if (hi <= lo) hi = lo + (whole ? Math.max(1, count) : 1);
  const rough = (hi - lo) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  let step = ([1, 2, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude;
  if (whole) step = Math.max(1, Math.round(step));
  const first = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let i = 0; i <= 100; i++) {
    const v = tidy(first + i * step, step);
    ticks.push(tidy(v * div, step));
    if (v >= hi) break;
  }
  return ticks;
}

function trimmed(x: number, decimals: number): string {
  return String(Number(x.toFixed(decimals)));
}

/**
 * A formatter for the tick labels of an axis whose largest value is `max`: one scale for every
 * tick (256 KiB, 512 KiB, not 0.5 MiB), the unit written on each label where it is a dimension
 * (ms, s, min, h, B…) and counts shortened with k / M.
 */
export function axisFormatter(max: number, unit: ChartUnit): (v: number) => string {
  const { div, suffix } = scaleOf(max, unit);
  const decimals = unit === 'rows/s' && div === 1 ? 2 : 1;
  return (v) => `${trimmed(v / div, decimals)}${suffix}`;
}

/** A single value with its unit, for tooltips and tables (12.5 rows/s, 1.5 KiB, 340 ms). */
export function formatValue(v: number, unit: ChartUnit): string {
  if (unit === 'rows' || unit === 'rows/s' || unit === 'records' || unit === 'batches') {
    const n = Number.isInteger(v) ? v.toLocaleString('en-US') : trimmed(v, 2);
    return `${n} ${unit === 'batches' && v === 1 ? 'batch' : unit}`;
  }
  return axisFormatter(Math.abs(v), unit)(v);
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const TIME_STEPS = [
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR,
];

/** Time ticks (epoch ms) on whole steps within [from, to], about `count` of them, and their step. */
export function timeTicks(from: number, to: number, count = 5): { ticks: number[]; step: number } {
  const span = Math.max(1, to - from);
  const step = TIME_STEPS.find((s) => span / s <= count) ?? 24 * HOUR;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return { ticks, step };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** HH:MM:SS (UTC), or HH:MM when the ticks are whole minutes. */
export function formatClock(ms: number, step = SECOND): string {
  const d = new Date(ms);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return step >= MINUTE ? hm : `${hm}:${pad(d.getUTCSeconds())}`;
}

/** 2024-05-01 12:00:03 UTC */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${formatClock(ms)} UTC`;
}

/**
 * A duration as people read it (Spark's formatDurationVerbose, shortened): 850 ms, 12 s,
 * 3 min 5 s, 2 h 4 min, 1 d 3 h. The page's script formats running uptimes the same way.
 */
export function formatDuration(ms: number): string {
  if (ms < SECOND) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.floor(ms / SECOND);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
