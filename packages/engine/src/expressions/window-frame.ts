import { isIntegral, isNumeric, typeSql, type Row, type Value } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import type { Bound, EvalContext } from './bound.js';
import { compareValues } from './compare.js';
import type { Expr, FrameBoundary } from './expr.js';

/**
 * Window frames (Spark's SpecifiedWindowFrame): their boundaries resolved to numbers, their SQL
 * and `toString` forms, the checks Spark makes on them, and which rows of a window partition
 * each row's frame holds (ROWS by position, RANGE by order-key value, peers included).
 */

/**
 * A resolved boundary: an offset's `value` counts after the current row; `sql` is how a name
 * prints it (`1 PRECEDING`), `negatedSql` how an implicit cast of it does (`(- 1)`).
 */
export type Boundary =
  | { readonly kind: 'unboundedPreceding' }
  | { readonly kind: 'unboundedFollowing' }
  | { readonly kind: 'currentRow' }
  | { readonly kind: 'offset'; readonly value: number; readonly sql: string; readonly negatedSql?: string };

export interface Frame {
  readonly type: 'rows' | 'range';
  readonly lower: Boundary;
  readonly upper: Boundary;
}

const NO_ROW: EvalContext = { batchTimestampMs: 0 };

export function boundarySql(b: Boundary): string {
  switch (b.kind) {
    case 'unboundedPreceding': return 'UNBOUNDED PRECEDING';
    case 'unboundedFollowing': return 'UNBOUNDED FOLLOWING';
    case 'currentRow': return 'CURRENT ROW';
    default: return b.sql;
  }
}

/** SpecifiedWindowFrame.sql: `ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`. */
export const frameSql = (f: Frame): string => `${f.type.toUpperCase()} BETWEEN ${boundarySql(f.lower)} AND ${boundarySql(f.upper)}`;

/** A boundary as written, its offset evaluated (an integer for ROWS, a number or interval for RANGE). */
export function frameBoundary(b: FrameBoundary, type: 'rows' | 'range', bind: (e: Expr) => Bound): Boundary {
  if (b.kind !== 'offset') return b;
  const value = bind(b.value);
  const v = value.eval([], NO_ROW);
  const ok = type === 'rows' ? isIntegral(value.type) : isNumeric(value.type) || value.type === 'interval';
  if (!ok || typeof v !== 'number') {
    throw new AnalysisException(`[DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_UNACCEPTED_TYPE] Cannot resolve "${value.sql}" due to data type mismatch: The data type "${typeSql(value.type)}" used in the window frame specification does not match the required data type. SQLSTATE: 42K09`);
  }
  return { kind: 'offset', value: b.negated ? -v : v, sql: `${value.sql} ${b.negated ? 'PRECEDING' : 'FOLLOWING'}`, negatedSql: b.negated ? `(- ${value.sql})` : value.sql };
}

/** SpecifiedWindowFrame.toString (as an error message prints it): `specifiedwindowframe(RowFrame, -1, currentrow$())`. */
export function frameString(f: Frame): string {
  const b = (x: Boundary): string => (x.kind === 'offset' ? String(x.value) : `${x.kind.toLowerCase()}$()`);
  return `specifiedwindowframe(${f.type === 'rows' ? 'RowFrame' : 'RangeFrame'}, ${b(f.lower)}, ${b(f.upper)})`;
}

/**
 * SpecifiedWindowFrame.checkInputDataTypes: a RANGE frame's value boundaries take the order key's
 * type (an implicit cast, which prints as its child: `(- 1) FOLLOWING`), so the key must be a
 * number (or a timestamp, with a day-time interval offset).
 */
export function checkRangeBoundaries(frame: Frame, orderBy: readonly Bound[]): void {
  const key = orderBy[0]?.type ?? 'void';
  const fits = (b: Boundary): boolean => b.kind !== 'offset' || isNumeric(key) || key === 'timestamp';
  if (frame.type !== 'range' || (fits(frame.lower) && fits(frame.upper))) return;
  const sql = (b: Boundary): string => (b.kind === 'offset' ? `${b.negatedSql} FOLLOWING` : boundarySql(b));
  const which = fits(frame.lower) ? 'upper' : 'lower';
  throw new AnalysisException(
    `[DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_UNACCEPTED_TYPE] Cannot resolve "RANGE BETWEEN ${sql(frame.lower)} AND ${sql(frame.upper)}" due to data type mismatch: ` +
      `The data type of the ${which} bound "${typeSql(key)}" does not match the expected data type ("NUMERIC" or "INTERVAL DAY TO SECOND" or "INTERVAL YEAR TO MONTH" or "INTERVAL"). SQLSTATE: 42K09`,
  );
}

/** Orders two rows by the window's order keys (each with its direction and null order). */
export function rowComparator(orderBy: readonly Bound[]): (a: Row, b: Row, ctx: EvalContext) => number {
  return (a, b, ctx) => {
    for (const o of orderBy) {
      const x = o.eval(a, ctx);
      const y = o.eval(b, ctx);
      if (x === null || y === null) {
        if (x === y) continue;
        const nullsFirst = o.sortOrder?.nulls !== 'last';
        return (x === null) === nullsFirst ? -1 : 1;
      }
      const c = compareValues(x, y);
      if (c !== 0) return o.sortOrder?.direction === 'desc' ? -c : c;
    }
    return 0;
  };
}

/** Where each row's peer group (rows with equal order keys) starts and ends. */
export function peerGroups(rows: readonly Row[], orderBy: readonly Bound[], ctx: EvalContext): { start: number[]; end: number[] } {
  const cmp = rowComparator(orderBy);
  const start: number[] = [];
  const end: number[] = new Array<number>(rows.length);
  rows.forEach((row, i) => { start.push(i > 0 && cmp(rows[i - 1] as Row, row, ctx) === 0 ? (start[i - 1] ?? 0) : i); });
  for (let i = rows.length - 1; i >= 0; i--) end[i] = i < rows.length - 1 && start[i + 1] === start[i] ? (end[i + 1] ?? i) : i;
  return { start, end };
}

/** The first and last row of each row's frame (last < first: an empty frame). */
export function frameIndices(frame: Frame, rows: readonly Row[], orderBy: readonly Bound[], ctx: EvalContext): Array<[number, number]> {
  const n = rows.length;
  const peers = frame.type === 'range' ? peerGroups(rows, orderBy, ctx) : undefined;
  const key = (i: number): Value => (orderBy[0]?.eval(rows[i] as Row, ctx) ?? null);
  const descending = orderBy[0]?.sortOrder?.direction === 'desc';
  const locate = (b: Boundary, i: number, isLower: boolean): number => {
    if (b.kind === 'unboundedPreceding') return 0;
    if (b.kind === 'unboundedFollowing') return n - 1;
    if (b.kind === 'currentRow') return peers === undefined ? i : isLower ? (peers.start[i] ?? i) : (peers.end[i] ?? i);
    if (frame.type === 'rows') return i + b.value;
    // RANGE n PRECEDING / FOLLOWING: rows whose order key lies within n of this row's (in the
    // order's direction); a NULL key's frame is its NULL peers.
    const k = key(i);
    if (k === null) return isLower ? (peers?.start[i] ?? i) : (peers?.end[i] ?? i);
    const target = Number(k) + (descending ? -b.value : b.value);
    const before = (j: number): boolean => { const v = key(j); return v === null ? orderBy[0]?.sortOrder?.nulls !== 'last' : descending ? Number(v) > target : Number(v) < target; };
    const after = (j: number): boolean => { const v = key(j); return v === null ? orderBy[0]?.sortOrder?.nulls === 'last' : descending ? Number(v) < target : Number(v) > target; };
    if (isLower) { let j = 0; while (j < n && before(j)) j++; return j; }
    let j = n - 1;
    while (j >= 0 && after(j)) j--;
    return j;
  };
  return rows.map((_, i) => [Math.max(0, locate(frame.lower, i, true)), Math.min(n - 1, locate(frame.upper, i, false))]);
}
