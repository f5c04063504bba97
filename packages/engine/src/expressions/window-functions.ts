import { typeName, type DataType, type Row, type Value } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { AGGREGATE_NAMES, bindAggregate } from './aggregate-functions.js';
import type { BoundAggregate } from './bound-aggregate.js';
import type { Bound, EvalContext } from './bound.js';
import { castValue } from './cast.js';
import type { Expr, WindowSpec } from './expr.js';
import { checkRangeBoundaries, frameBoundary, frameIndices, frameSql, frameString, peerGroups, rowComparator, type Boundary, type Frame } from './window-frame.js';

/**
 * Window functions (`f(...) OVER (PARTITION BY .. ORDER BY .. frame)`) resolved as Spark's
 * analyzer does: the ranking functions (row_number, rank, dense_rank) and the offset ones (lag,
 * lead) take their own frame, an aggregate takes the given frame or the default one. The names
 * columns get are Spark's (`RANK() OVER (PARTITION BY w ORDER BY s ASC NULLS FIRST ROWS BETWEEN
 * UNBOUNDED PRECEDING AND CURRENT ROW)`); `evaluate` computes one window partition's values.
 */

export const WINDOW_FUNCTION_NAMES: ReadonlySet<string> = new Set(['row_number', 'rank', 'dense_rank', 'lag', 'lead']);

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

/** ResolveWindowFrame: a ranking or offset function brings its own frame; another one given fails. */
function checkOwnFrame(name: string, own: Frame, given: WindowSpec['frame'], bind: (e: Expr) => Bound): void {
  if (given === undefined) return;
  const frame: Frame = { type: given.type, lower: frameBoundary(given.lower, given.type, bind), upper: frameBoundary(given.upper, given.type, bind) };
  if (frameString(frame) === frameString(own)) return;
  if (name === 'lag' || name === 'lead') throw new AnalysisException(`Cannot specify window frame for ${name} function.`);
  throw new AnalysisException(`Window Frame ${frameString(frame)} must match the required frame ${frameString(own)}.`);
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

function offsetFunction(name: 'lag' | 'lead', args: readonly Bound[], orderBy: readonly Bound[], timeZone: string, checkFrame: (own: Frame) => void): Resolved {
  const [input, offsetArg, defaultArg] = args;
  if (input === undefined || args.length > 3) {
    throw new AnalysisException(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${name}\` requires [1, 3] parameters but the actual number is ${args.length}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix. SQLSTATE: 42605`);
  }
  const sql = windowFunctionSql(name, args);
  const offset = offsetArg === undefined ? 1 : offsetArg.eval([], NO_ROW);
  if (typeof offset !== 'number' || !Number.isInteger(offset)) {
    throw new AnalysisException(`[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] Cannot resolve "${sql}" due to data type mismatch: the input offset should be a foldable "INT" expression; however, got "${offsetArg?.sql ?? ''}". SQLSTATE: 42K09`);
  }
  // Lag(input, n) is the frame ROWS BETWEEN -n FOLLOWING AND -n FOLLOWING; Lead(input, n) n FOLLOWING.
  const shift = name === 'lag' ? -offset : offset;
  const at: Boundary = { kind: 'offset', value: shift, sql: `${shift} FOLLOWING` };
  checkFrame({ type: 'rows', lower: at, upper: at });
  if (orderBy.length === 0) throw notOrdered(name, sql);
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
    checkOwnFrame(fn.name, ROWS_UNBOUNDED_TO_CURRENT, spec.frame, bind);
    resolved = rankingFunction(fn.name, orderBy);
  } else if (fn.name === 'lag' || fn.name === 'lead') {
    resolved = offsetFunction(fn.name, fn.args.map(bind), orderBy, timeZone, (own) => checkOwnFrame(fn.name, own, spec.frame, bind));
  } else if (AGGREGATE_NAMES.has(fn.name)) {
    const star = fn.args.length === 1 && fn.args[0]?.kind === 'star';
    const agg = bindAggregate(fn.name === 'mean' ? 'avg' : fn.name, star ? [] : fn.args.map(bind), star);
    // Without a frame: RANGE up to the current row's peers when ordered, the whole partition if not.
    const frame: Frame = spec.frame === undefined
      ? orderBy.length > 0 ? { type: 'range', lower: { kind: 'unboundedPreceding' }, upper: { kind: 'currentRow' } } : { type: 'rows', lower: { kind: 'unboundedPreceding' }, upper: { kind: 'unboundedFollowing' } }
      : { type: spec.frame.type, lower: frameBoundary(spec.frame.lower, spec.frame.type, bind), upper: frameBoundary(spec.frame.upper, spec.frame.type, bind) };
    checkRangeBoundaries(frame, orderBy);
    if (frame.type === 'range' && (frame.lower.kind === 'offset' || frame.upper.kind === 'offset') && orderBy.length !== 1) {
      throw new AnalysisException('[DATATYPE_MISMATCH.RANGE_FRAME_MULTI_ORDER] A range window frame with value boundaries cannot be used in a window specification with multiple order by expressions. SQLSTATE: 42K09');
    }
    if (fn.distinct === true) {
      const distinctSql = `${fn.name}(DISTINCT ${fn.args.map((a) => bind(a).sql).join(', ')}) OVER ${specText({ partitionBy, orderBy }, frame)}`;
      throw new AnalysisException(`[DISTINCT_WINDOW_FUNCTION_UNSUPPORTED] Distinct window functions are not supported: "${distinctSql}". SQLSTATE: 0A000`);
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
