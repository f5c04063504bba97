import { isIntegral, isNumeric, typeName, typeSql, type DataType, type Row, type Value } from '../api/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { AGGREGATE_NAMES, bindAggregate, type BoundAggregate } from './aggregate-functions.js';
import type { Bound, EvalContext } from './bound.js';
import { castValue } from './cast.js';
import { compareValues } from './compare.js';
import type { Expr, FrameBoundary, WindowSpec } from './expr.js';

/**
 * Window functions (`f(...) OVER (PARTITION BY .. ORDER BY .. frame)`) resolved as Spark's
 * analyzer does: the ranking functions (row_number, rank, dense_rank) and the offset ones (lag,
 * lead) take their own frame, an aggregate takes the given frame or the default one. The names
 * columns get are Spark's (`RANK() OVER (PARTITION BY w ORDER BY s ASC NULLS FIRST ROWS BETWEEN
 * UNBOUNDED PRECEDING AND CURRENT ROW)`); `evaluate` computes one window partition's values.
 */

export const WINDOW_FUNCTION_NAMES: ReadonlySet<string> = new Set(['row_number', 'rank', 'dense_rank', 'lag', 'lead']);

type Boundary =
  | { readonly kind: 'unboundedPreceding' }
  | { readonly kind: 'unboundedFollowing' }
  | { readonly kind: 'currentRow' }
  | { readonly kind: 'offset'; readonly value: number; readonly sql: string };

interface Frame {
  readonly type: 'rows' | 'range';
  readonly lower: Boundary;
  readonly upper: Boundary;
}

export interface BoundWindow {
  /** The column's name: WindowExpression.sql, `<function> OVER <spec>`. */
  readonly sql: string;
  /** The window function as Spark's `toString` prints it (the streaming error quotes it). */
  readonly functionText: string;
  /** WindowSpecDefinition.sql: `(PARTITION BY .. ORDER BY .. <frame>)`. */
  readonly specSql: string;
  readonly type: DataType;
  readonly nullable: boolean;
  readonly partitionBy: readonly Bound[];
  /** `sortOrder` bounds. */
  readonly orderBy: readonly Bound[];
  /** Windows with one key share a Window operator (Spark groups them by partition and order). */
  readonly groupKey: string;
  /** The function's values over one window partition, its rows in window order. */
  evaluate(rows: readonly Row[], ctx: EvalContext): Value[];
}

const NO_ROW: EvalContext = { batchTimestampMs: 0 };
const ROWS_UNBOUNDED_TO_CURRENT: Frame = { type: 'rows', lower: { kind: 'unboundedPreceding' }, upper: { kind: 'currentRow' } };

function boundarySql(b: Boundary): string {
  switch (b.kind) {
    case 'unboundedPreceding': return 'UNBOUNDED PRECEDING';
    case 'unboundedFollowing': return 'UNBOUNDED FOLLOWING';
    case 'currentRow': return 'CURRENT ROW';
    default: return b.sql;
  }
}

const frameSql = (f: Frame): string => `${f.type.toUpperCase()} BETWEEN ${boundarySql(f.lower)} AND ${boundarySql(f.upper)}`;

function frameBoundary(b: FrameBoundary, type: 'rows' | 'range', bind: (e: Expr) => Bound): Boundary {
  if (b.kind !== 'offset') return b;
  const value = bind(b.value);
  const v = value.eval([], NO_ROW);
  const ok = type === 'rows' ? isIntegral(value.type) : isNumeric(value.type);
  if (!ok || typeof v !== 'number') {
    throw new AnalysisException(`[DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_UNACCEPTED_TYPE] Cannot resolve "${value.sql}" due to data type mismatch: The data type "${typeSql(value.type)}" used in the window frame specification does not match the required data type. SQLSTATE: 42K09`);
  }
  return { kind: 'offset', value: b.negated ? -v : v, sql: `${value.sql} ${b.negated ? 'PRECEDING' : 'FOLLOWING'}` };
}

/** Orders two rows by the window's order keys (each with its direction and null order). */
function rowComparator(orderBy: readonly Bound[]): (a: Row, b: Row, ctx: EvalContext) => number {
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
function peerGroups(rows: readonly Row[], orderBy: readonly Bound[], ctx: EvalContext): { start: number[]; end: number[] } {
  const cmp = rowComparator(orderBy);
  const start: number[] = [];
  const end: number[] = new Array<number>(rows.length);
  rows.forEach((row, i) => { start.push(i > 0 && cmp(rows[i - 1] as Row, row, ctx) === 0 ? (start[i - 1] ?? 0) : i); });
  for (let i = rows.length - 1; i >= 0; i--) end[i] = i < rows.length - 1 && start[i + 1] === start[i] ? (end[i + 1] ?? i) : i;
  return { start, end };
}

/** The first and last row of each row's frame (last < first: an empty frame). */
function frameIndices(frame: Frame, rows: readonly Row[], orderBy: readonly Bound[], ctx: EvalContext): Array<[number, number]> {
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

function aggregateOver(agg: BoundAggregate, frame: Frame, rows: readonly Row[], orderBy: readonly Bound[], ctx: EvalContext): Value[] {
  const bounds = frameIndices(frame, rows, orderBy, ctx);
  // A frame growing from the partition's start folds on; any other is folded afresh.
  if (frame.lower.kind === 'unboundedPreceding') {
    let buffer = agg.init();
    let taken = -1;
    return bounds.map(([, hi]) => {
      while (taken < hi) buffer = agg.update(buffer, rows[++taken] as Row, ctx);
      return agg.result(buffer);
    });
  }
  return bounds.map(([lo, hi]) => {
    let buffer = agg.init();
    for (let j = lo; j <= hi; j++) buffer = agg.update(buffer, rows[j] as Row, ctx);
    return agg.result(buffer);
  });
}

function specText(spec: { partitionBy: readonly Bound[]; orderBy: readonly Bound[] }, frame: Frame): string {
  const parts = [
    ...(spec.partitionBy.length === 0 ? [] : [`PARTITION BY ${spec.partitionBy.map((p) => p.sql).join(', ')}`]),
    ...(spec.orderBy.length === 0 ? [] : [`ORDER BY ${spec.orderBy.map(sortSql).join(', ')}`]),
    frameSql(frame),
  ];
  return `(${parts.join(' ')})`;
}

const sortSql = (o: Bound): string => `${o.sql} ${(o.sortOrder?.direction ?? 'asc').toUpperCase()} NULLS ${(o.sortOrder?.nulls ?? 'first').toUpperCase()}`;

function notOrdered(name: string, sql: string): AnalysisException {
  return new AnalysisException(
    `[WINDOW_FUNCTION_FRAME_NOT_ORDERED] Window function ${name} requires the window to be ordered. You need to add an ORDER BY clause. ` +
      `For example: SELECT ${sql} OVER (PARTITION BY window_partition ORDER BY window_ordering) FROM table. SQLSTATE: 42601`,
  );
}

/** `row_number()` and friends without OVER (ResolveWindowFunctions). */
export function windowFunctionWithoutOver(sql: string): AnalysisException {
  return new AnalysisException(`[WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE] Window function "${sql}" requires an OVER clause. SQLSTATE: 42601`);
}

/** How a window function is written: `row_number()`, `RANK()`, `lag(x, 1, NULL)`. */
export function windowFunctionSql(name: string, args: readonly Bound[]): string {
  if (name === 'rank' || name === 'dense_rank') return `${name.toUpperCase()}()`;
  if (name === 'lag' || name === 'lead') return `${name}(${args[0]?.sql ?? ''}, ${args[1]?.sql ?? '1'}, ${args[2]?.sql ?? 'NULL'})`;
  return `${name}(${args.map((a) => a.sql).join(', ')})`;
}

interface Resolved {
  readonly sql: string;
  readonly functionText: string;
  readonly type: DataType;
  readonly nullable: boolean;
  readonly frame: Frame;
  readonly evaluate: (rows: readonly Row[], ctx: EvalContext) => Value[];
}

function rankingFunction(name: string, orderBy: readonly Bound[]): Resolved {
  const sql = windowFunctionSql(name, []);
  if (orderBy.length === 0) throw notOrdered(name, sql);
  // Rank and DenseRank take the order keys as their children (their toString shows them).
  const functionText = name === 'row_number' ? sql : `${name}(${orderBy.map((o) => o.sql).join(', ')})`;
  return {
    sql, functionText, type: 'int', nullable: false, frame: ROWS_UNBOUNDED_TO_CURRENT,
    evaluate: (rows, ctx) => {
      if (name === 'row_number') return rows.map((_, i) => i + 1);
      const { start } = peerGroups(rows, orderBy, ctx);
      let dense = 0;
      return start.map((s, i) => (name === 'rank' ? s + 1 : (s === i ? ++dense : dense)));
    },
  };
}

function offsetFunction(name: 'lag' | 'lead', args: readonly Bound[], orderBy: readonly Bound[], timeZone: string): Resolved {
  const [input, offsetArg, defaultArg] = args;
  if (input === undefined || args.length > 3) {
    throw new AnalysisException(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${name}\` requires [1, 3] parameters but the actual number is ${args.length}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix. SQLSTATE: 42605`);
  }
  const sql = windowFunctionSql(name, args);
  const offset = offsetArg === undefined ? 1 : offsetArg.eval([], NO_ROW);
  if (typeof offset !== 'number' || !Number.isInteger(offset)) {
    throw new AnalysisException(`[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] Cannot resolve "${sql}" due to data type mismatch: the input offset should be a foldable "INT" expression; however, got "${offsetArg?.sql ?? ''}". SQLSTATE: 42K09`);
  }
  if (orderBy.length === 0) throw notOrdered(name, sql);
  // Lag(input, n) is the frame ROWS BETWEEN -n FOLLOWING AND -n FOLLOWING; Lead(input, n) n FOLLOWING.
  const shift = name === 'lag' ? -offset : offset;
  const at: Boundary = { kind: 'offset', value: shift, sql: `${shift} FOLLOWING` };
  const fallback = defaultArg === undefined || defaultArg.type === 'void' || typeName(defaultArg.type) === typeName(input.type)
    ? defaultArg : { ...defaultArg, eval: (row: Row, ctx: EvalContext) => castValue(defaultArg.eval(row, ctx), defaultArg.type, input.type, timeZone) };
  return {
    sql, functionText: `${name}(${input.sql}, ${shift}, ${defaultArg?.sql ?? 'null'}, false)`,
    type: input.type, nullable: true, frame: { type: 'rows', lower: at, upper: at },
    evaluate: (rows, ctx) => rows.map((row, i) => {
      const j = i + shift;
      const source = rows[j];
      return j >= 0 && source !== undefined ? input.eval(source, ctx) : (fallback?.eval(row, ctx) ?? null);
    }),
  };
}

/**
 * Resolves `f(...) OVER spec`; `bind` resolves an expression against the window's input.
 */
export function bindWindowExpression(expr: Extract<Expr, { kind: 'window' }>, bind: (e: Expr) => Bound, timeZone: string): BoundWindow {
  const spec: WindowSpec = expr.spec;
  const partitionBy = spec.partitionBy.map(bind);
  const orderBy = spec.orderBy.map((o) => bind(o.kind === 'sortOrder' ? o : { kind: 'sortOrder', child: o, direction: 'asc', nulls: 'first' }));
  const fn = expr.function;
  if (fn.kind !== 'call') {
    throw new AnalysisException(`[UNSUPPORTED_EXPR_FOR_WINDOW] Expression "${bind(fn).sql}" not supported within a window function. SQLSTATE: 42P20`);
  }
  let resolved: Resolved;
  if (fn.name === 'row_number' || fn.name === 'rank' || fn.name === 'dense_rank') {
    resolved = rankingFunction(fn.name, orderBy);
  } else if (fn.name === 'lag' || fn.name === 'lead') {
    resolved = offsetFunction(fn.name, fn.args.map(bind), orderBy, timeZone);
  } else if (AGGREGATE_NAMES.has(fn.name) && fn.distinct !== true) {
    const star = fn.args.length === 1 && fn.args[0]?.kind === 'star';
    const agg = bindAggregate(fn.name === 'mean' ? 'avg' : fn.name, star ? [] : fn.args.map(bind), star);
    // Without a frame: RANGE up to the current row's peers when ordered, the whole partition if not.
    const frame: Frame = spec.frame === undefined
      ? orderBy.length > 0 ? { type: 'range', lower: { kind: 'unboundedPreceding' }, upper: { kind: 'currentRow' } } : { type: 'rows', lower: { kind: 'unboundedPreceding' }, upper: { kind: 'unboundedFollowing' } }
      : { type: spec.frame.type, lower: frameBoundary(spec.frame.lower, spec.frame.type, bind), upper: frameBoundary(spec.frame.upper, spec.frame.type, bind) };
    if (frame.type === 'range' && (frame.lower.kind === 'offset' || frame.upper.kind === 'offset') && (orderBy.length !== 1 || !isNumeric(orderBy[0]?.type ?? 'void'))) {
      throw new AnalysisException('[DATATYPE_MISMATCH.RANGE_FRAME_INVALID_TYPE] A range window frame with value boundaries needs exactly one numeric order expression. SQLSTATE: 42K09');
    }
    resolved = { sql: agg.sql, functionText: agg.sql, type: agg.type, nullable: agg.nullable, frame, evaluate: (rows, ctx) => aggregateOver(agg, frame, rows, orderBy, ctx) };
  } else {
    throw new AnalysisException(`[UNSUPPORTED_EXPR_FOR_WINDOW] Expression "${fn.name}(${fn.args.map((a) => bind(a).sql).join(', ')})" not supported within a window function. SQLSTATE: 42P20`);
  }
  const specSql = specText({ partitionBy, orderBy }, resolved.frame);
  return {
    sql: `${resolved.sql} OVER ${specSql}`,
    functionText: resolved.functionText,
    specSql,
    type: resolved.type,
    nullable: resolved.nullable,
    partitionBy,
    orderBy,
    groupKey: JSON.stringify([partitionBy.map((p) => p.sql), orderBy.map(sortSql)]),
    evaluate: resolved.evaluate,
  };
}

/** Sorts rows by the window's order keys (stable: equal keys keep their order). */
export function windowOrder(orderBy: readonly Bound[], ctx: EvalContext): (a: Row, b: Row) => number {
  const cmp = rowComparator(orderBy);
  return (a, b) => cmp(a, b, ctx);
}
