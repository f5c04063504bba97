import type { Row, Value } from '../core/types.js';
import { stringifyValue } from '../core/value-json.js';
import type { BoundAggregate } from '../expressions/bound-aggregate.js';
import type { Bound, WindowSpec } from '../expressions/bound.js';
import { lastWindowStart, windowCount } from '../expressions/time-window.js';
import { partitionOf } from './shuffle-order.js';
import type { OperatorContext } from './operator.js';

/** A windowed aggregation's grouping: the keys, which one is the `window(...)`, and the buffers. */
export interface WindowGrouping {
  readonly keys: readonly Bound[];
  readonly windowAt: number;
  readonly window: WindowSpec;
  /** The key holding watermarked event time (or -1). */
  readonly eventKey: number;
  readonly aggs: readonly BoundAggregate[];
}

/** The windows one row's buffers went to: reused by the next row of its key in the same windows. */
interface RowWindows {
  readonly lastStart: number;
  readonly count: number;
  /** A buffer row per window, latest first; null where the window was late. */
  readonly states: ReadonlyArray<Value[] | null>;
  readonly late: number;
}

/** One key's (the other grouping values') groups of the batch, by window start. */
interface KeyWindows {
  readonly starts: Map<number, Value[]>;
  last: RowWindows | undefined;
}

/**
 * A batch's groups of a windowed aggregation, in the order the batch first saw them, keyed by
 * the JSON of their grouping values, each `[groupValues, ...buffers]` — what AggregateOperator
 * builds for any grouping, but without a struct, a JSON key and a string lookup per (row,
 * window): a row's windows are found by start in a map per key of the other grouping values,
 * and a row in the same windows as its key's previous row reuses that row's buffers. Buffers
 * take rows in the same order as one row per window would give them (Spark's Expand: latest
 * window first), so results, floating-point rounding included, are the same.
 */
export function windowGroups(rows: readonly Row[], grouping: WindowGrouping, late: boolean, ctx: OperatorContext): Map<string, Value[]> {
  const { keys, windowAt, window, eventKey, aggs } = grouping;
  const { windowUs, slideUs, startUs } = window;
  const watermarkMs = late ? ctx.lateEventsWatermarkMs : 0;
  // Late by the window's end, or (event time in another key) by the row's.
  const lateByWindow = watermarkMs > 0 && eventKey === windowAt;
  const lateByRow = watermarkMs > 0 && eventKey >= 0 && eventKey !== windowAt;
  // One other key: its value alone, no array per row.
  const other = keys.length === 2 ? keys[windowAt === 0 ? 1 : 0] : undefined;
  // Split over tasks: the windows (groups) of partitions another task owns are skipped.
  const owns = ctx.ownsPartition;
  const types = keys.map((b) => b.type);
  const byKey = new Map<string, KeyWindows>();
  const seen: Array<Value[]> = [];
  let previousKey: string | undefined;
  let previous: KeyWindows | undefined;
  for (const row of rows) {
    let base: Value[] | undefined;
    let one: Value = null;
    let key = '';
    if (other !== undefined) {
      one = other.eval(row, ctx);
      key = keyOf(one);
    } else if (keys.length > 1) {
      base = keys.map((b, i) => (i === windowAt ? null : b.eval(row, ctx)));
      key = stringifyValue(base);
    }
    const t = window.eventMicros(row, ctx);
    if (t === null) continue;
    const lastStart = lastWindowStart(t, slideUs, startUs);
    const count = windowCount(t, lastStart, windowUs, slideUs);
    let own = previousKey === key ? previous : byKey.get(key);
    if (own === undefined) {
      own = { starts: new Map(), last: undefined };
      byKey.set(key, own);
    }
    previousKey = key;
    previous = own;
    let windows = own.last;
    if (windows === undefined || windows.lastStart !== lastStart || windows.count !== count) {
      if (other !== undefined) base = windowAt === 0 ? [null, one] : [one, null];
      const rowLate = lateByRow && base !== undefined && isLate(base[eventKey] ?? null, watermarkMs);
      const states: Array<Value[] | null> = [];
      let lateCount = 0;
      for (let i = 0; i < count; i++) {
        const start = lastStart - i * slideUs;
        const end = start + windowUs;
        if (owns !== undefined && !owns(partitionOf(groupValuesOf(base, windowAt, [start, end]), types, ctx.shufflePartitions))) {
          states.push(null);
          continue;
        }
        if (rowLate || (lateByWindow && end / 1000 <= watermarkMs)) {
          states.push(null);
          lateCount += 1;
          continue;
        }
        let state = own.starts.get(start);
        if (state === undefined) {
          state = [groupValuesOf(base, windowAt, [start, end]), ...aggs.map((a) => a.init())];
          own.starts.set(start, state);
          seen.push(state);
        }
        states.push(state);
      }
      windows = { lastStart, count, states, late: lateCount };
      own.last = windows;
    }
    ctx.metrics.droppedByWatermark += windows.late;
    for (const state of windows.states) {
      if (state === null) continue;
      for (let a = 0; a < aggs.length; a++) state[a + 1] = (aggs[a] as BoundAggregate).update(state[a + 1] ?? null, row, ctx);
    }
  }
  const groups = new Map<string, Value[]>();
  for (const state of seen) groups.set(stringifyValue(state[0]), state);
  return groups;
}

/** A group's values: the other keys' (none: the window alone) with the window at its place. */
function groupValuesOf(base: readonly Value[] | undefined, windowAt: number, window: Value): Value[] {
  return base === undefined ? [window] : base.map((v, k) => (k === windowAt ? window : v));
}

/**
 * A map key for one grouping value, equal exactly when the values' JSON is: a string or a
 * finite number by its text (a prefix no JSON starts with keeps kinds apart), else the JSON.
 */
function keyOf(v: Value): string {
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'number' && Number.isFinite(v)) return `n${v}`;
  return stringifyValue([v]);
}

/** Spark's rule for an event-time key: late once at or before the watermark (a window by its end). */
function isLate(v: Value, watermarkMs: number): boolean {
  const micros = Array.isArray(v) ? v[1] : v;
  return typeof micros === 'number' && micros / 1000 <= watermarkMs;
}
