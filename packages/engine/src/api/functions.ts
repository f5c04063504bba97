import type { Expr } from '../expressions/expr.js';
import { parseExpression } from '../expressions/sql-parser.js';
import { Column, literalExpr, toExpr, type ColumnOrValue } from './column.js';
import type { StructField, Value } from './types.js';
import { schemaToDdl } from '../expressions/json-functions.js';

/**
 * PySpark's `pyspark.sql.functions`, by the same names. Where PySpark takes a column name or a
 * Column, so do these.
 */
export type ColumnOrName = Column | string;

function c(x: ColumnOrName): Expr {
  return typeof x === 'string' ? colExpr(x) : x.expr;
}

/** `col("a")`, `col("t.a")`, `col("*")`. Backquotes keep dots: col("`a.b`"). */
function colExpr(name: string): Expr {
  if (name === '*') return { kind: 'star' };
  if (name.startsWith('`') && name.endsWith('`')) return { kind: 'column', name: name.slice(1, -1).replace(/``/g, '`') };
  const dot = name.lastIndexOf('.');
  if (dot > 0) {
    const qualifier = name.slice(0, dot);
    const rest = name.slice(dot + 1);
    return rest === '*' ? { kind: 'star', qualifier } : { kind: 'column', name: rest, qualifier };
  }
  return { kind: 'column', name };
}

const call = (name: string, ...args: Expr[]): Column => new Column({ kind: 'call', name, args });

export const col = (name: string): Column => new Column(colExpr(name));
export const column = col;
export const lit = (value: Value | Column): Column => (value instanceof Column ? value : new Column(literalExpr(value)));
/** A Spark SQL expression string: `expr("length(value) > 4")`. */
export const expr = (text: string): Column => new Column(parseExpression(text));

export const length = (x: ColumnOrName): Column => call('length', c(x));
export const upper = (x: ColumnOrName): Column => call('upper', c(x));
export const lower = (x: ColumnOrName): Column => call('lower', c(x));
export const trim = (x: ColumnOrName): Column => call('trim', c(x));
export const ltrim = (x: ColumnOrName): Column => call('ltrim', c(x));
export const rtrim = (x: ColumnOrName): Column => call('rtrim', c(x));
export const reverse = (x: ColumnOrName): Column => call('reverse', c(x));
export const concat = (...xs: ColumnOrName[]): Column => call('concat', ...xs.map(c));
export const concat_ws = (sep: string, ...xs: ColumnOrName[]): Column => call('concat_ws', literalExpr(sep), ...xs.map(c));
export const split = (x: ColumnOrName, pattern: string, limit = -1): Column => call('split', c(x), literalExpr(pattern), literalExpr(limit));
export const substring = (x: ColumnOrName, pos: number, len: number): Column => call('substring', c(x), literalExpr(pos), literalExpr(len));
export const explode = (x: ColumnOrName): Column => call('explode', c(x));
export const explode_outer = (x: ColumnOrName): Column => call('explode_outer', c(x));
export const coalesce = (...xs: ColumnOrName[]): Column => call('coalesce', ...xs.map(c));
export const abs = (x: ColumnOrName): Column => call('abs', c(x));
export const isnull = (x: ColumnOrName): Column => new Column({ kind: 'unary', op: 'isnull', child: c(x) });
export const isnotnull = (x: ColumnOrName): Column => new Column({ kind: 'unary', op: 'isnotnull', child: c(x) });
export const not = (x: ColumnOrName): Column => new Column({ kind: 'unary', op: 'not', child: c(x) });
export const current_timestamp = (): Column => call('current_timestamp');
export const to_timestamp = (x: ColumnOrName, format?: string): Column =>
  format === undefined ? call('to_timestamp', c(x)) : call('to_timestamp', c(x), literalExpr(format));
/** `current_date()`: the batch's date in the session time zone (Spark: the batch timestamp's date). */
export const current_date = (): Column => call('current_date');
/** `date_add(start, days)`: `days` a number, a Column or a column name (as PySpark). */
export const date_add = (start: ColumnOrName, days: ColumnOrName | number): Column =>
  call('date_add', c(start), typeof days === 'number' ? literalExpr(days) : c(days));
export const date_sub = (start: ColumnOrName, days: ColumnOrName | number): Column =>
  call('date_sub', c(start), typeof days === 'number' ? literalExpr(days) : c(days));
/** `timestamp_seconds(x)`: seconds since the epoch (integral or fractional) as a timestamp. */
export const timestamp_seconds = (x: ColumnOrName): Column => call('timestamp_seconds', c(x));
export const when = (condition: Column, value: ColumnOrValue): Column =>
  new Column({ kind: 'case', branches: [{ when: condition.expr, then: toExpr(value) }] });

/** `window(timeColumn, "1 day", "1 hour")`: event-time windows (tumbling without a slide). */
export const window = (timeColumn: ColumnOrName, windowDuration: string, slideDuration?: string, startTime?: string): Column =>
  call('window', c(timeColumn), literalExpr(windowDuration), ...(slideDuration === undefined ? [] : [literalExpr(slideDuration)]),
    ...(startTime === undefined ? [] : [literalExpr(startTime)]));

/**
 * `session_window(timeColumn, "5 minutes")`: sessions closed after a gap of inactivity. The gap
 * may be a Column (a dynamic gap per row, e.g. `when(...).otherwise("10 seconds")`); a row whose
 * gap is NULL, invalid or not positive is dropped, as Spark's SessionWindowing filters it.
 */
export const session_window = (timeColumn: ColumnOrName, gapDuration: string | Column): Column =>
  call('session_window', c(timeColumn), typeof gapDuration === 'string' ? literalExpr(gapDuration) : gapDuration.expr);

/** `from_json(col, "a STRING, b INT")` or with a StructType: the struct the JSON text holds. */
export const from_json = (x: ColumnOrName, schema: string | { readonly fields: readonly StructField[] }): Column =>
  call('from_json', c(x), literalExpr(typeof schema === 'string' ? schema : schemaToDdl(schema.fields)));
/** `to_json(struct(...))`: JSON text of a struct. */
export const to_json = (x: ColumnOrName): Column => call('to_json', c(x));
/** `struct("a", col("b").alias("c"))`. */
export const struct = (...xs: ColumnOrName[]): Column => call('struct', ...xs.map(c));

export const asc = (x: ColumnOrName): Column => new Column(c(x)).asc();
export const desc = (x: ColumnOrName): Column => new Column(c(x)).desc();

export const count = (x: ColumnOrName): Column => call('count', x === '*' ? { kind: 'star' } : c(x));
export const sum = (x: ColumnOrName): Column => call('sum', c(x));
export const avg = (x: ColumnOrName): Column => call('avg', c(x));
export const mean = (x: ColumnOrName): Column => call('avg', c(x));
export const min = (x: ColumnOrName): Column => call('min', c(x));
export const max = (x: ColumnOrName): Column => call('max', c(x));
export const first = (x: ColumnOrName): Column => call('first', c(x));
export const last = (x: ColumnOrName): Column => call('last', c(x));
/** `collect_list(x)`: the group's non-null values, in arrival order. */
export const collect_list = (x: ColumnOrName): Column => call('collect_list', c(x));
/** `collect_set(x)`: the group's distinct non-null values, in Spark's HashSet order. */
export const collect_set = (x: ColumnOrName): Column => call('collect_set', c(x));
export const countDistinct = (...xs: ColumnOrName[]): Column => new Column({ kind: 'call', name: 'count', args: xs.map(c), distinct: true });
export const count_distinct = countDistinct;

export { colExpr };
