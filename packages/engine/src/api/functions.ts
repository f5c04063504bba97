import type { Expr } from '../expressions/expr.js';
import { parseExpression } from '../expressions/sql-parser.js';
import { Column, literalExpr, toExpr, type ColumnOrValue } from './column.js';
import type { StructField, Value } from '../core/types.js';
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

/** A column, a column name, or a number (a literal), as PySpark's math functions take. */
const cn = (x: ColumnOrName | number): Expr => (typeof x === 'number' ? literalExpr(x) : c(x));

/** `round(x, scale=0)`: HALF_UP on the decimal value (`round(1.005, 2)` is 1.01); integral types stay integral. */
export const round = (x: ColumnOrName, scale = 0): Column => call('round', c(x), literalExpr(scale));
/** `bround(x, scale=0)`: HALF_EVEN (banker's) rounding. */
export const bround = (x: ColumnOrName, scale = 0): Column => call('bround', c(x), literalExpr(scale));
/** `pmod(dividend, divisor)`: the positive remainder. */
export const pmod = (dividend: ColumnOrName | number, divisor: ColumnOrName | number): Column => call('pmod', cn(dividend), cn(divisor));
/** `try_divide(a, b)`: a / b, NULL when b is 0. */
export const try_divide = (left: ColumnOrName | number, right: ColumnOrName | number): Column => call('try_divide', cn(left), cn(right));
export const ln = (x: ColumnOrName): Column => call('ln', c(x));
/** `log(x)` (natural) or `log(base, x)`, as PySpark's log(arg1, arg2). */
export const log = (arg1: ColumnOrName | number, arg2?: ColumnOrName): Column =>
  arg2 === undefined ? call('ln', cn(arg1)) : call('log', cn(arg1), c(arg2));
export const log10 = (x: ColumnOrName): Column => call('log10', c(x));
export const log2 = (x: ColumnOrName): Column => call('log2', c(x));
/** `greatest(a, b, ...)` / `least(a, b, ...)`: NULLs skipped; NULL only when all are. */
export const greatest = (...xs: ColumnOrName[]): Column => call('greatest', ...xs.map(c));
export const least = (...xs: ColumnOrName[]): Column => call('least', ...xs.map(c));
export const nvl = (x: ColumnOrName, y: ColumnOrName): Column => call('nvl', c(x), c(y));
export const ifnull = (x: ColumnOrName, y: ColumnOrName): Column => call('ifnull', c(x), c(y));
export const nvl2 = (x: ColumnOrName, y: ColumnOrName, z: ColumnOrName): Column => call('nvl2', c(x), c(y), c(z));
export const nullif = (x: ColumnOrName, y: ColumnOrName): Column => call('nullif', c(x), c(y));
/** `named_struct(name1, value1, ...)`: names are literal strings (`lit("a")`), as in PySpark. */
export const named_struct = (...xs: ColumnOrName[]): Column => call('named_struct', ...xs.map(c));
/**
 * `element_at(array, index)`: 1-based, negative from the end; out of bounds fails under ANSI.
 * `element_at(map, key)`: the key's value, NULL when missing. A number or string is a literal.
 */
export const element_at = (x: ColumnOrName, extraction: Column | number | string): Column =>
  call('element_at', c(x), extraction instanceof Column ? extraction.expr : literalExpr(extraction));
export const try_element_at = (x: ColumnOrName, extraction: Column | number | string): Column =>
  call('try_element_at', c(x), extraction instanceof Column ? extraction.expr : literalExpr(extraction));
/** `sort_array(a, asc=true)`: NULLs first ascending, last descending. */
export const sort_array = (x: ColumnOrName, asc = true): Column => call('sort_array', c(x), literalExpr(asc));
export const array_join = (x: ColumnOrName, delimiter: string, nullReplacement?: string): Column =>
  nullReplacement === undefined ? call('array_join', c(x), literalExpr(delimiter)) : call('array_join', c(x), literalExpr(delimiter), literalExpr(nullReplacement));
/** `size(a)`: NULL for a NULL array (Spark 4 with ANSI). */
export const size = (x: ColumnOrName): Column => call('size', c(x));
/** `array_contains(a, v)`: NULL when not found but the array holds a NULL. */
export const array_contains = (x: ColumnOrName, value: ColumnOrValue): Column => call('array_contains', c(x), toExpr(value));
/** `locate(substr, str, pos=1)`: 1-based position of substr in str from pos, 0 when absent. */
export const locate = (substr: string, x: ColumnOrName, pos = 1): Column => call('locate', literalExpr(substr), c(x), literalExpr(pos));
/** `rlike(str, regexp)`: a (Java) regular expression found in str. */
export const rlike = (x: ColumnOrName, regexp: ColumnOrName): Column => call('rlike', c(x), typeof regexp === 'string' ? literalExpr(regexp) : regexp.expr);
/** `to_date(x[, format])`: a DATE; the format is a Spark datetime pattern (`dd/MM/yyyy`). */
export const to_date = (x: ColumnOrName, format?: string): Column =>
  format === undefined ? call('to_date', c(x)) : call('to_date', c(x), literalExpr(format));
/** `unix_timestamp([x[, format]])`: seconds since the epoch (format default `yyyy-MM-dd HH:mm:ss`). */
export const unix_timestamp = (x?: ColumnOrName, format = 'yyyy-MM-dd HH:mm:ss'): Column =>
  x === undefined ? call('unix_timestamp') : call('unix_timestamp', c(x), literalExpr(format));
/** `date_format(x, format)`: a date or timestamp printed with a Spark datetime pattern (`EEE MMM d`). */
export const date_format = (x: ColumnOrName, format: string): Column => call('date_format', c(x), literalExpr(format));
export const datediff = (end: ColumnOrName, start: ColumnOrName): Column => call('datediff', c(end), c(start));
/** `dayofweek(x)`: 1 (Sunday) to 7 (Saturday). */
export const dayofweek = (x: ColumnOrName): Column => call('dayofweek', c(x));
export const dayofyear = (x: ColumnOrName): Column => call('dayofyear', c(x));
/** `weekday(x)`: 0 (Monday) to 6 (Sunday). */
export const weekday = (x: ColumnOrName): Column => call('weekday', c(x));
export const quarter = (x: ColumnOrName): Column => call('quarter', c(x));

/** `create_map(k1, v1, k2, v2, ...)` (SQL's `map`): names are columns, so keys are often `lit(...)`. */
export const create_map = (...xs: ColumnOrName[]): Column => call('map', ...xs.map(c));
/** `map_from_arrays(keys, values)`: NULL when either is NULL; unequal lengths fail. */
export const map_from_arrays = (keys: ColumnOrName, values: ColumnOrName): Column => call('map_from_arrays', c(keys), c(values));
export const map_keys = (x: ColumnOrName): Column => call('map_keys', c(x));
export const map_values = (x: ColumnOrName): Column => call('map_values', c(x));
/** `map_entries(m)`: an array of `{key, value}` structs, in the map's order. */
export const map_entries = (x: ColumnOrName): Column => call('map_entries', c(x));
/** `map_contains_key(m, key)`: the key a literal (or a Column). */
export const map_contains_key = (x: ColumnOrName, key: ColumnOrValue): Column => call('map_contains_key', c(x), toExpr(key));
/** `cardinality(x)`: as `size`, of an array or a map. */
export const cardinality = (x: ColumnOrName): Column => call('cardinality', c(x));
export const posexplode = (x: ColumnOrName): Column => call('posexplode', c(x));
export const posexplode_outer = (x: ColumnOrName): Column => call('posexplode_outer', c(x));

/** Window functions, for `.over(Window...)`: `row_number()` counts from 1 in window order. */
export const row_number = (): Column => call('row_number');
/** `rank()`: 1 + the rows before with a smaller order key (ties share a rank, gaps follow). */
export const rank = (): Column => call('rank');
/** `dense_rank()`: as rank, without gaps. */
export const dense_rank = (): Column => call('dense_rank');
/** `lag(x, offset=1, default=null)`: x `offset` rows before in the window, else the default. */
export const lag = (x: ColumnOrName, offset = 1, defaultValue: Value = null): Column =>
  call('lag', c(x), literalExpr(offset), literalExpr(defaultValue));
/** `lead(x, offset=1, default=null)`: x `offset` rows after in the window, else the default. */
export const lead = (x: ColumnOrName, offset = 1, defaultValue: Value = null): Column =>
  call('lead', c(x), literalExpr(offset), literalExpr(defaultValue));

export const asc = (x: ColumnOrName): Column => new Column(c(x)).asc();
export const desc = (x: ColumnOrName): Column => new Column(c(x)).desc();

export const count = (x: ColumnOrName): Column => call('count', x === '*' ? { kind: 'star' } : c(x));
export const sum = (x: ColumnOrName): Column => call('sum', c(x));
export const avg = (x: ColumnOrName): Column => call('avg', c(x));
export const mean = (x: ColumnOrName): Column => call('avg', c(x));
export const min = (x: ColumnOrName): Column => call('min', c(x));
export const max = (x: ColumnOrName): Column => call('max', c(x));
/** `first(x, ignorenulls=false)`: the group's first value, NULL included unless ignorenulls. */
export const first = (x: ColumnOrName, ignorenulls = false): Column =>
  ignorenulls ? call('first', c(x), literalExpr(true)) : call('first', c(x));
/** `last(x, ignorenulls=false)`: the group's last value, NULL included unless ignorenulls. */
export const last = (x: ColumnOrName, ignorenulls = false): Column =>
  ignorenulls ? call('last', c(x), literalExpr(true)) : call('last', c(x));
/** `collect_list(x)`: the group's non-null values, in arrival order. */
export const collect_list = (x: ColumnOrName): Column => call('collect_list', c(x));
/** `collect_set(x)`: the group's distinct non-null values, in Spark's HashSet order. */
export const collect_set = (x: ColumnOrName): Column => call('collect_set', c(x));
export const countDistinct = (...xs: ColumnOrName[]): Column => new Column({ kind: 'call', name: 'count', args: xs.map(c), distinct: true });
export const count_distinct = countDistinct;

export { colExpr };
