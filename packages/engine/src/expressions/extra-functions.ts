import { isDecimal, isIntegral, isMapType, isNumeric, typeName, typeSql, type DataType, type Value } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { nullSafe, type Bound, type EvalContext } from './bound.js';
import { castToString, castValue } from './cast.js';
import { compareValues, valuesEqual } from './compare.js';
import { widerNumericType } from './decimal-type.js';
import type { FunctionSpec } from './function-spec.js';

/**
 * More of Spark's scalar functions: rounding (`round`/`bround` on the decimal value, as Spark's
 * BigDecimal does), `pmod`/`mod`, logarithms, `greatest`/`least`, the conditional functions
 * (`if`, `nvl`, `ifnull`, `nvl2`, `nullif`), `try_divide` and friends, `named_struct`, the array
 * functions (`element_at`, `sort_array`, `array_join`, `size`, `array_contains`) and the
 * string ones (`locate`, `rlike`). Names, result types and null rules are Spark 4's (ANSI on).
 */

const DIVIDE_BY_ZERO = '[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error. SQLSTATE: 22012';
const REMAINDER_BY_ZERO = '[REMAINDER_BY_ZERO] Remainder by zero. Use `try_mod` to tolerate divisor being 0 and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error. SQLSTATE: 22012';
const NO_ROW: EvalContext = { batchTimestampMs: 0 };

const argList = (args: readonly Bound[]): string => args.map((a) => a.sql).join(', ');

function unexpectedType(callSql: string, ordinal: string, required: string, arg: Bound): AnalysisException {
  return new AnalysisException(
    `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${callSql}" due to data type mismatch: ` +
      `The ${ordinal} parameter requires the ${required} type, however "${arg.sql}" has the type "${typeSql(arg.type)}". SQLSTATE: 42K09`,
  );
}

const ORDINALS = ['first', 'second', 'third', 'fourth'];

/** The argument's values cast to `to` (an implicit cast; its SQL stays the argument's). */
export function coerce(arg: Bound, to: DataType, timeZone: string): Bound {
  if (typeName(arg.type) === typeName(to)) return arg;
  const from = arg.type;
  const inner = arg.eval;
  return { ...arg, type: to, eval: (row, ctx) => castValue(inner(row, ctx), from, to, timeZone) };
}

const wider = widerNumericType;

/** AnsiTypeCoercion.findWiderTypeForString: a STRING meets an integral as BIGINT, a fractional (DECIMAL too) as DOUBLE. */
function promoteString(other: DataType): DataType | null {
  if (isIntegral(other)) return 'bigint';
  if (other === 'float' || other === 'double' || isDecimal(other)) return 'double';
  return other === 'interval' || other === 'interval year to month' ? null : other;
}

/**
 * The type the arguments of `greatest`, `if`, `nvl`… meet at (Spark's findWiderCommonType): one
 * type, numerics widened, DATE with TIMESTAMP a TIMESTAMP, NULL taking the other's; a STRING with
 * another atomic type as AnsiTypeCoercion promotes it. Null when they do not meet.
 */
export function commonType(types: readonly DataType[]): DataType | null {
  let acc: DataType = 'void';
  for (const t of types) {
    if (t === 'void' || typeName(t) === typeName(acc)) continue;
    let next: DataType | null;
    if (acc === 'void') next = t;
    else if ((isNumeric(acc) || isDecimal(acc)) && (isNumeric(t) || isDecimal(t))) next = wider(acc, t);
    else if ((acc === 'date' && t === 'timestamp') || (acc === 'timestamp' && t === 'date')) next = 'timestamp';
    else if (acc === 'string' && typeof t === 'string') next = promoteString(t);
    else if (t === 'string' && typeof acc === 'string') next = promoteString(acc);
    else next = null;
    if (next === null) return null;
    acc = next;
  }
  return acc;
}

function dataDiffTypes(name: string, args: readonly Bound[], sql: string): AnalysisException {
  return new AnalysisException(
    `[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve "${sql}" due to data type mismatch: Input to \`${name}\` should all be the same type, ` +
      `but it's [${args.map((a) => `"${typeSql(a.type)}"`).join(', ')}]. SQLSTATE: 42K09`,
  );
}

/** The arguments brought to their common type, or DATA_DIFF_TYPES. */
export function unify(name: string, args: readonly Bound[], sql: string, timeZone: string): { type: DataType; args: Bound[] } {
  const type = commonType(args.map((a) => a.type));
  if (type === null) throw dataDiffTypes(name, args, sql);
  return { type, args: args.map((a) => coerce(a, type, timeZone)) };
}

/** A foldable argument's value (a literal, or an expression of literals). */
function constant(arg: Bound): Value {
  return arg.eval([], NO_ROW);
}

// ---------------------------------------------------------------------------------------------
// Rounding

export type RoundingMode = 'half_up' | 'half_even';

/** `digits × 10^exponent` of a finite number's shortest decimal form (as Double.toString gives). */
function decimalOf(x: number): { negative: boolean; digits: bigint; exponent: number } {
  const text = String(Math.abs(x));
  const [mantissa = '0', exp = '0'] = text.split('e');
  const [int = '0', frac = ''] = mantissa.split('.');
  return { negative: x < 0 || Object.is(x, -0), digits: BigInt(int + frac), exponent: Number(exp) - frac.length };
}

/**
 * Rounds a number at `scale` decimals (negative: tens, hundreds…) as Spark's Round/BRound do:
 * `BigDecimal(x).setScale(scale, HALF_UP | HALF_EVEN)` on the decimal value Java prints, so
 * `round(1.005, 2)` is 1.01 although the double 1.005 lies below it.
 */
export function roundDecimal(x: number, scale: number, mode: RoundingMode): number {
  if (!Number.isFinite(x)) return x;
  const { negative, digits, exponent } = decimalOf(x);
  if (-exponent <= scale) return x;
  const divisor = 10n ** BigInt(-exponent - scale);
  let q = digits / divisor;
  const twice = (digits % divisor) * 2n;
  if (twice > divisor || (twice === divisor && (mode === 'half_up' || q % 2n === 1n))) q += 1n;
  if (q === 0n) return 0;
  return Number(`${negative ? '-' : ''}${q}e${-scale}`);
}

function roundFunction(name: 'round' | 'bround', mode: RoundingMode): FunctionSpec {
  return {
    minArgs: 1,
    maxArgs: 2,
    resolve: (args, timeZone) => {
      const [x, s] = args as [Bound, Bound | undefined];
      const callSql = `${name}(${x.sql}, ${s?.sql ?? '0'})`;
      if (!isNumeric(x.type) && x.type !== 'string' && x.type !== 'void') throw unexpectedType(callSql, 'first', '"NUMERIC"', x);
      if (s !== undefined && !isIntegral(s.type)) throw unexpectedType(callSql, 'second', '"INT"', s);
      const value = x.type === 'string' || x.type === 'void' ? coerce(x, 'double', timeZone) : x;
      const type = value.type;
      const scaleOf = s === undefined ? () => 0 : (row: Parameters<Bound['eval']>[0], ctx: EvalContext) => s.eval(row, ctx);
      return {
        type,
        nullable: x.nullable || (s?.nullable ?? false),
        sql: callSql,
        eval: (row, ctx) => {
          const v = value.eval(row, ctx);
          const scale = scaleOf(row, ctx);
          if (v === null || scale === null) return null;
          const r = roundDecimal(Number(v), Number(scale), mode);
          return type === 'float' ? Math.fround(r) : r;
        },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

/** The numeric type two arguments meet at (strings as DOUBLE), or an analysis error. */
function numericPair(name: string, args: readonly Bound[], timeZone: string): [Bound, Bound, DataType] {
  const [a, b] = args as [Bound, Bound];
  const sql = `${name}(${argList(args)})`;
  const t = (x: Bound): DataType => (x.type === 'string' ? 'double' : x.type === 'void' ? 'int' : x.type);
  args.forEach((x, i) => {
    if (!isNumeric(t(x))) throw unexpectedType(sql, ORDINALS[i] ?? 'first', '"NUMERIC"', x);
  });
  const type = wider(t(a), t(b));
  return [coerce(a, type, timeZone), coerce(b, type, timeZone), type];
}

function binaryNumeric(name: string, result: (type: DataType) => DataType, fn: (a: number, b: number, type: DataType, ansi: boolean) => number | null): FunctionSpec {
  return {
    minArgs: 2,
    maxArgs: 2,
    resolve: (args, timeZone, ansi = true) => {
      const [a, b, type] = numericPair(name, args, timeZone);
      const out = result(type);
      const ca = coerce(a, out, timeZone);
      const cb = coerce(b, out, timeZone);
      return {
        type: out,
        nullable: true,
        eval: nullSafe([ca, cb], ([x, y]) => {
          const r = fn(Number(x), Number(y), out, ansi);
          return r === null ? null : out === 'float' ? Math.fround(r) : r;
        }),
      };
    },
  };
}

const INTEGRAL_LIMITS: Readonly<Record<string, readonly [number, number]>> = {
  tinyint: [-128, 127], smallint: [-32768, 32767], int: [-2147483648, 2147483647], bigint: [-9223372036854775808, 9223372036854775807],
};

/** NULL when an integral result leaves its type's range (the try_ functions). */
function inRange(v: number, type: DataType): number | null {
  const range = INTEGRAL_LIMITS[type as string];
  return range !== undefined && (v < range[0] || v > range[1]) ? null : v;
}

/** Division by zero: the error under ANSI, NULL without. */
function byZero(message: string, ansi: boolean): null {
  if (ansi) throw new RuntimeError(message);
  return null;
}

const pmod = (a: number, n: number): number => {
  const r = a % n;
  return r < 0 ? (r + n) % n : r;
};

function logFunction(name: string, fn: (x: number) => number): FunctionSpec {
  return {
    minArgs: 1,
    maxArgs: 1,
    resolve: (args, timeZone) => {
      const x = coerce(args[0] as Bound, 'double', timeZone);
      return { type: 'double', nullable: true, sql: `${name}(${(args[0] as Bound).sql})`, eval: nullSafe([x], ([v]) => (Number(v) <= 0 ? null : fn(Number(v)))) };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Conditional

function requireBoolean(arg: Bound, sql: string): void {
  if (arg.type !== 'boolean' && arg.type !== 'void') {
    throw new AnalysisException(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${sql}" due to data type mismatch: The first parameter requires the "BOOLEAN" type, however "${arg.sql}" has the type "${typeSql(arg.type)}". SQLSTATE: 42K09`);
  }
}

const ifFunction: FunctionSpec = {
  minArgs: 3,
  maxArgs: 3,
  resolve: (args, timeZone) => {
    const [cond, yes, no] = args as [Bound, Bound, Bound];
    const sql = `(IF(${cond.sql}, ${yes.sql}, ${no.sql}))`;
    requireBoolean(cond, sql);
    const { type, args: [t, f] } = unify('if', [yes, no], sql, timeZone) as { type: DataType; args: [Bound, Bound] };
    return {
      type, nullable: yes.nullable || no.nullable, sql,
      eval: (row, ctx) => (cond.eval(row, ctx) === true ? t.eval(row, ctx) : f.eval(row, ctx)),
    };
  },
};

/** `nvl(x, y)` / `ifnull(x, y)`: x unless it is NULL. */
const nvlFunction: FunctionSpec = {
  minArgs: 2,
  maxArgs: 2,
  resolve: (args, timeZone) => {
    const { type, args: [x, y] } = unify('coalesce', args, `coalesce(${argList(args)})`, timeZone) as { type: DataType; args: [Bound, Bound] };
    return {
      type, nullable: x.nullable && y.nullable,
      eval: (row, ctx) => { const v = x.eval(row, ctx); return v !== null ? v : y.eval(row, ctx); },
    };
  },
};

const nvl2Function: FunctionSpec = {
  minArgs: 3,
  maxArgs: 3,
  resolve: (args, timeZone) => {
    const [test, yes, no] = args as [Bound, Bound, Bound];
    const { type, args: [t, f] } = unify('if', [yes, no], `nvl2(${argList(args)})`, timeZone) as { type: DataType; args: [Bound, Bound] };
    return {
      type, nullable: yes.nullable || no.nullable,
      eval: (row, ctx) => (test.eval(row, ctx) !== null ? t.eval(row, ctx) : f.eval(row, ctx)),
    };
  },
};

const nullifFunction: FunctionSpec = {
  minArgs: 2,
  maxArgs: 2,
  resolve: (args, timeZone) => {
    const { args: [a, b] } = unify('nullif', args, `nullif(${argList(args)})`, timeZone) as { type: DataType; args: [Bound, Bound] };
    const original = args[0] as Bound;
    return {
      type: original.type, nullable: true,
      eval: (row, ctx) => {
        const x = a.eval(row, ctx);
        const y = b.eval(row, ctx);
        return x !== null && y !== null && valuesEqual(x, y) ? null : original.eval(row, ctx);
      },
    };
  },
};

function extremum(name: 'greatest' | 'least'): FunctionSpec {
  return {
    minArgs: 2,
    maxArgs: Infinity,
    resolve: (args, timeZone) => {
      const sql = `${name}(${argList(args)})`;
      const { type, args: values } = unify(name, args, sql, timeZone);
      return {
        type, nullable: args.every((a) => a.nullable),
        eval: (row, ctx) => {
          let best: Value = null;
          for (const a of values) {
            const v = a.eval(row, ctx);
            if (v === null) continue;
            if (best === null || (name === 'greatest' ? compareValues(v, best) > 0 : compareValues(v, best) < 0)) best = v;
          }
          return best;
        },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Structs and arrays

const namedStruct: FunctionSpec = {
  minArgs: 0,
  maxArgs: Infinity,
  resolve: (args) => {
    const sql = `named_struct(${argList(args)})`;
    if (args.length % 2 !== 0) {
      throw new AnalysisException(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`named_struct\` requires 2n (n > 0) parameters but the actual number is ${args.length}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix. SQLSTATE: 42605`);
    }
    const fields = [];
    const values: Bound[] = [];
    for (let i = 0; i < args.length; i += 2) {
      const nameArg = args[i] as Bound;
      const value = args[i + 1] as Bound;
      const fieldName = nameArg.type === 'string' ? constant(nameArg) : null;
      if (typeof fieldName !== 'string') {
        throw new AnalysisException(`[DATATYPE_MISMATCH.CREATE_NAMED_STRUCT_WITHOUT_FOLDABLE_STRING] Cannot resolve "${sql}" due to data type mismatch: Only foldable \`STRING\` expressions are allowed to appear at odd position, but they are [${nameArg.sql}]. SQLSTATE: 42K09`);
      }
      fields.push({ name: fieldName, type: value.type, nullable: value.nullable });
      values.push(value);
    }
    return { type: { kind: 'struct', fields }, nullable: false, eval: (row, ctx) => values.map((v) => v.eval(row, ctx)) };
  },
};

function arrayArg(name: string, args: readonly Bound[], sql?: string): { arg: Bound; elementType: DataType } {
  const arg = args[0] as Bound;
  const t = arg.type;
  // A NULL literal is an array of NULLs (NullType casts implicitly to any array type).
  if (t === 'void') return { arg, elementType: 'void' };
  if (typeof t === 'string' || t.kind !== 'array') throw unexpectedType(sql ?? `${name}(${argList(args)})`, 'first', '"ARRAY"', arg);
  return { arg, elementType: t.elementType };
}

function elementAt(tryFunction: boolean): FunctionSpec {
  return {
    minArgs: 2,
    maxArgs: 2,
    resolve: (args, _timeZone, ansi = true) => {
      const tryMode = tryFunction || !ansi;
      const { arg, elementType } = arrayArg(tryFunction ? 'try_element_at' : 'element_at', args);
      const index = args[1] as Bound;
      if (!isIntegral(index.type) && index.type !== 'void') throw unexpectedType(`element_at(${argList(args)})`, 'second', '"INT"', index);
      return {
        type: elementType,
        nullable: true,
        eval: nullSafe([arg, index], ([a, i]) => {
          const items = a as readonly Value[];
          const n = Number(i);
          if (n === 0) {
            if (tryFunction) return null;
            throw new RuntimeError('[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1). SQLSTATE: 22003');
          }
          if (Math.abs(n) > items.length) {
            if (tryMode) return null;
            throw new RuntimeError(`[INVALID_ARRAY_INDEX_IN_ELEMENT_AT] The index ${n} is out of bounds. The array has ${items.length} elements. Use \`try_element_at\` to tolerate accessing element at invalid index and return NULL instead. SQLSTATE: 22003`);
          }
          return items[n > 0 ? n - 1 : items.length + n] ?? null;
        }),
      };
    },
  };
}

const sortArray: FunctionSpec = {
  minArgs: 1,
  maxArgs: 2,
  resolve: (args) => {
    const sql = `sort_array(${args[0]?.sql ?? ''}, ${args[1]?.sql ?? 'true'})`;
    const { arg } = arrayArg('sort_array', args, sql);
    const order = args[1];
    const ascending = order === undefined ? true : constant(order);
    if (typeof ascending !== 'boolean') {
      throw new AnalysisException(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${sql}" due to data type mismatch: The second parameter requires the "BOOLEAN" type, however "${order?.sql ?? ''}" has the type "${typeSql(order?.type ?? 'void')}". SQLSTATE: 42K09`);
    }
    return {
      type: arg.type,
      nullable: arg.nullable,
      sql,
      eval: nullSafe([arg], ([a]) => {
        // Ascending puts NULLs first, descending last (SortArray's nullsFirst / nullsLast).
        const sorted = [...(a as readonly Value[])].sort((x, y) => (x === null ? (y === null ? 0 : -1) : y === null ? 1 : compareValues(x, y)));
        return ascending ? sorted : sorted.reverse();
      }),
    };
  },
};

const arrayJoin: FunctionSpec = {
  minArgs: 2,
  maxArgs: 3,
  resolve: (args, timeZone) => {
    const { arg, elementType } = arrayArg('array_join', args);
    const [, delimiter, replacement] = args as [Bound, Bound, Bound | undefined];
    const text = (v: Value): string => (typeof v === 'string' && elementType === 'string' ? v : castToString(v, elementType, timeZone));
    return {
      type: 'string',
      nullable: args.some((a) => a.nullable),
      eval: nullSafe(replacement === undefined ? [arg, delimiter] : [arg, delimiter, replacement], ([a, d, r]) => {
        const parts: string[] = [];
        for (const v of a as readonly Value[]) {
          if (v !== null) parts.push(text(v));
          else if (r !== undefined) parts.push(String(r));
        }
        return parts.join(String(d));
      }),
    };
  },
};

/**
 * `size(a)` / `cardinality(a)` of an array or a map: NULL for NULL under ANSI; -1 without it
 * (spark.sql.legacy.sizeOfNull, true by default, applies only when ANSI is off).
 */
const sizeFunction: FunctionSpec = {
  minArgs: 1,
  maxArgs: 1,
  resolve: (args, _timeZone, ansi = true) => {
    // A map's size is its number of entries (its value is the array of them).
    const arg = args[0] as Bound;
    if (arg.type !== 'void' && !isMapType(arg.type) && (typeof arg.type === 'string' || arg.type.kind !== 'array')) {
      throw unexpectedType(`size(${arg.sql})`, 'first', '("ARRAY" or "MAP")', arg);
    }
    if (!ansi) return { type: 'int', nullable: false, eval: (row, ctx) => { const a = arg.eval(row, ctx); return Array.isArray(a) ? a.length : -1; } };
    return { type: 'int', nullable: arg.nullable, eval: nullSafe([arg], ([a]) => (a as readonly Value[]).length) };
  },
};

/** `array_contains(a, v)`: true when found; NULL when not found but the array holds a NULL. */
const arrayContains: FunctionSpec = {
  minArgs: 2,
  maxArgs: 2,
  resolve: (args, timeZone) => {
    const { arg, elementType } = arrayArg('array_contains', args);
    const value = args[1] as Bound;
    const type = commonType([elementType, value.type]);
    if (type === null) {
      throw new AnalysisException(`[DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES] Cannot resolve "array_contains(${argList(args)})" due to data type mismatch: Input to \`array_contains\` should have been "ARRAY" followed by a value with same element type, but it's ["${typeSql(arg.type)}", "${typeSql(value.type)}"]. SQLSTATE: 42K09`);
    }
    const v = coerce(value, type, timeZone);
    const convert = typeName(elementType) === typeName(type) ? (x: Value) => x : (x: Value) => castValue(x, elementType, type, timeZone);
    return {
      type: 'boolean',
      nullable: true,
      eval: nullSafe([arg, v], ([a, x]) => {
        let sawNull = false;
        for (const item of a as readonly Value[]) {
          if (item === null) sawNull = true;
          else if (valuesEqual(convert(item), x)) return true;
        }
        return sawNull ? null : false;
      }),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Strings

const stringOf = (arg: Bound, timeZone: string): Bound => (arg.type === 'string' ? arg : coerce(arg, 'string', timeZone));

/** `locate(substr, str[, pos])`: 1-based position (in characters) of substr from pos; 0 when absent or pos < 1. */
const locateFunction: FunctionSpec = {
  minArgs: 2,
  maxArgs: 3,
  resolve: (args, timeZone) => {
    const sub = stringOf(args[0] as Bound, timeZone);
    const str = stringOf(args[1] as Bound, timeZone);
    const pos = args[2];
    return {
      type: 'int',
      nullable: true,
      sql: `locate(${argList(args)}${pos === undefined ? ', 1' : ''})`,
      eval: (row, ctx) => {
        const p = pos === undefined ? 1 : pos.eval(row, ctx);
        // StringLocate: a NULL start position gives 0, as Hive.
        if (p === null) return 0;
        const s = sub.eval(row, ctx);
        if (s === null) return null;
        const t = str.eval(row, ctx);
        if (t === null) return null;
        if (Number(p) < 1) return 0;
        const chars = [...String(t)];
        const from = chars.slice(0, Number(p) - 1).join('').length;
        const at = String(t).indexOf(String(s), from);
        return at < 0 ? 0 : [...String(t).slice(0, at)].length + 1;
      },
    };
  },
};

/** `s RLIKE pattern` (also `rlike`, `regexp`, `regexp_like`): a Java regex found anywhere in s. */
function rlikeFunction(name: string): FunctionSpec {
  return {
    minArgs: 2,
    maxArgs: 2,
    resolve: (args, timeZone) => {
      const s = stringOf(args[0] as Bound, timeZone);
      const p = stringOf(args[1] as Bound, timeZone);
      const cache = new Map<string, RegExp>();
      return {
        type: 'boolean',
        nullable: s.nullable || p.nullable,
        sql: `${(args[0] as Bound).sql} ${name === 'rlike' ? 'RLIKE' : name.toUpperCase()} ${(args[1] as Bound).sql}`,
        eval: nullSafe([s, p], ([v, pattern]) => {
          let re = cache.get(String(pattern));
          if (re === undefined) cache.set(String(pattern), (re = new RegExp(String(pattern), 'u')));
          return re.test(String(v));
        }),
      };
    },
  };
}

export const EXTRA_FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  round: roundFunction('round', 'half_up'),
  bround: roundFunction('bround', 'half_even'),
  pmod: binaryNumeric('pmod', (t) => t, (a, b, _t, ansi) => {
    if (b === 0) return byZero(DIVIDE_BY_ZERO, ansi);
    return pmod(a, b);
  }),
  mod: binaryNumeric('mod', (t) => t, (a, b, _t, ansi) => {
    if (b === 0) return byZero(REMAINDER_BY_ZERO, ansi);
    return a % b;
  }),
  try_divide: binaryNumeric('try_divide', (t) => (t === 'float' ? 'float' : 'double'), (a, b) => (b === 0 ? null : a / b)),
  try_mod: binaryNumeric('try_mod', (t) => t, (a, b) => (b === 0 ? null : a % b)),
  try_add: binaryNumeric('try_add', (t) => t, (a, b, t) => inRange(a + b, t)),
  try_subtract: binaryNumeric('try_subtract', (t) => t, (a, b, t) => inRange(a - b, t)),
  try_multiply: binaryNumeric('try_multiply', (t) => t, (a, b, t) => inRange(a * b, t)),
  ln: logFunction('ln', Math.log),
  log10: logFunction('LOG10', Math.log10),
  log2: logFunction('LOG2', Math.log2),
  /** `log(base, x)`; `log(x)` is the natural logarithm (Logarithm(E(), x)). */
  log: {
    minArgs: 1,
    maxArgs: 2,
    resolve: (args, timeZone) => {
      const [first, second] = args as [Bound, Bound | undefined];
      const x = coerce(second ?? first, 'double', timeZone);
      const base = second === undefined ? undefined : coerce(first, 'double', timeZone);
      return {
        type: 'double',
        nullable: true,
        sql: `LOG(${second === undefined ? 'E()' : first.sql}, ${(second ?? first).sql})`,
        eval: nullSafe(base === undefined ? [x] : [base, x], (vs) => {
          const [b, v] = vs.length === 1 ? [Math.E, Number(vs[0])] : [Number(vs[0]), Number(vs[1])];
          return v <= 0 || b <= 0 ? null : Math.log(v) / Math.log(b);
        }),
      };
    },
  },
  greatest: extremum('greatest'),
  least: extremum('least'),
  if: ifFunction,
  nvl: nvlFunction,
  ifnull: nvlFunction,
  nvl2: nvl2Function,
  nullif: nullifFunction,
  named_struct: namedStruct,
  element_at: elementAt(false),
  try_element_at: elementAt(true),
  sort_array: sortArray,
  array_join: arrayJoin,
  size: sizeFunction,
  cardinality: sizeFunction,
  array_contains: arrayContains,
  locate: locateFunction,
  rlike: rlikeFunction('rlike'),
  regexp: rlikeFunction('regexp'),
  regexp_like: rlikeFunction('regexp_like'),
};
