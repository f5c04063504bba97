/**
 * Resolves unresolved expressions against an input schema and compiles them: Spark's
 * analyzer for expressions (column resolution, implicit casts, result types, the names
 * columns get) and its evaluation rules (three-valued logic, ANSI arithmetic). Large because
 * it is one switch over every expression kind; functions live in scalar-functions.ts and
 * aggregate-functions.ts.
 */
import { decimalParts, isDecimal, isIntegral, isNumeric, typeSql, YEAR_MONTH, type DataType, type Row, type StructField, type Value } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { RuntimeError } from '../errors/runtime-error.js';
import type { Bound } from './bound.js';
import { canCast, castValue } from './cast.js';
import { addInterval } from './interval.js';
import { compareValues, valuesEqual } from './compare.js';
import { bindDecimalArithmetic } from './decimal-arithmetic.js';
import { ceilDecimal, exactInteger, floorDecimal, toBig, toJavaString } from '../core/decimal.js';
import { decimalForLiteral, decimalForType, widerDecimalType, widerNumericType } from './decimal-type.js';
import { longArithmetic, negateLong, wrapLong, type LongOp } from './exact-long.js';
import type { Expr } from './expr.js';
import { AGGREGATE_NAMES } from './aggregate-functions.js';
import { checkArity, SCALAR_FUNCTIONS } from './scalar-functions.js';
import { bindFromJson, bindStruct, bindToJson } from './json-functions.js';
import { bindSessionWindow, bindWindow, wrongNumArgs } from './time-window.js';
import { bindMapFunction, bindMapValue, explodeMap, MAP_FUNCTION_NAMES, type MapKeyDedupPolicy } from './map-functions.js';
import { containsMap, isMapType } from '../core/types.js';
import { widerType } from './wider-type.js';
import { WINDOW_FUNCTION_NAMES, windowFunctionSql, windowFunctionWithoutOver } from './window-functions.js';

/** A field of the input, with the qualifier (DataFrame alias) it may be referred to by. */
export interface ScopeField extends StructField {
  readonly qualifier?: string;
  /** Set on an event-time column declared with `withWatermark` (Spark's watermark metadata). */
  readonly eventTimeDelayMs?: number;
}

export interface Scope {
  readonly fields: readonly ScopeField[];
  readonly timeZone: string;
  /** In an aggregate's result expressions: aggregate calls by SQL text → input ordinal. */
  readonly aggregateSlots?: ReadonlyMap<string, number>;
  /** Whether aggregate calls are allowed (they are bound by the Aggregate operator). */
  readonly allowAggregates?: boolean;
  /**
   * spark.sql.ansi.enabled (default true). False gives Spark's legacy behaviour: NULL for a
   * division by zero and for malformed casts, integral overflow wrapping.
   */
  readonly ansi?: boolean;
  /** spark.sql.mapKeyDedupPolicy (default EXCEPTION): a repeated key while a map is built. */
  readonly mapKeyDedupPolicy?: MapKeyDedupPolicy;
  /** In a projection with window functions: each window expression (by windowKey) → input ordinal. */
  readonly windowSlots?: ReadonlyMap<string, number>;
}


/** spark.sql.ansi.enabled where `scope` is bound (true unless the scope says otherwise). */
export function scopeAnsi(scope: Scope): boolean {
  return scope.ansi !== false;
}

/** What a plan's settings give every Scope an operator binds: the session's time zone and conf. */
export type BindSettings = Pick<Scope, 'timeZone' | 'ansi' | 'mapKeyDedupPolicy'>;

export function quoteId(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

function levenshtein(a: string, b: string): number {
  const d: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0] ?? 0;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j] ?? 0;
      d[j] = Math.min((d[j] ?? 0) + 1, (d[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length] ?? 0;
}

function unresolvedColumn(name: string, scope: Scope): AnalysisException {
  // StringUtils.orderSuggestedIdentifiersBySimilarity: a stable sort by the Levenshtein distance
  // of the quoted candidate to the name as written (unquoted).
  const candidates = scope.fields
    .map((f) => (f.qualifier === undefined ? quoteId(f.name) : `${quoteId(f.qualifier)}.${quoteId(f.name)}`))
    .map((c) => ({ c, d: levenshtein(c.toLowerCase(), name.toLowerCase()) }))
    .sort((x, y) => x.d - y.d)
    .slice(0, 5)
    .map((x) => x.c);
  return new AnalysisException(
    `[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name ${quoteId(name)} cannot be resolved. ` +
      `Did you mean one of the following? [${candidates.join(', ')}]. SQLSTATE: 42703`,
  );
}

/** Finds a column by (case-insensitive) name and optional qualifier. */
export function resolveColumn(name: string, qualifier: string | undefined, scope: Scope): number {
  const lower = name.toLowerCase();
  const matches: number[] = [];
  scope.fields.forEach((f, i) => {
    if (f.name.toLowerCase() !== lower) return;
    if (qualifier !== undefined && f.qualifier?.toLowerCase() !== qualifier.toLowerCase()) return;
    matches.push(i);
  });
  if (matches.length === 0) throw unresolvedColumn(qualifier === undefined ? name : `${qualifier}.${name}`, scope);
  if (matches.length > 1) {
    const refs = matches.map((i) => {
      const f = scope.fields[i];
      return f?.qualifier === undefined ? quoteId(f?.name ?? name) : `${quoteId(f.qualifier)}.${quoteId(f.name)}`;
    });
    throw new AnalysisException(`[AMBIGUOUS_REFERENCE] Reference ${quoteId(name)} is ambiguous, could be: [${refs.join(', ')}]. SQLSTATE: 42704`);
  }
  return matches[0] ?? 0;
}

/** The SQL text Spark names a literal column by (`toPrettySQL`: the literal's toString). */
function literalSql(value: Value, type?: DataType): string {
  if (value === null) return 'NULL';
  if (type === 'interval') {
    const us = Number(value);
    const sign = us < 0 ? '-' : '';
    const abs = Math.abs(us);
    const days = Math.floor(abs / 86_400_000_000);
    const rest = abs - days * 86_400_000_000;
    const hh = String(Math.floor(rest / 3_600_000_000)).padStart(2, '0');
    const mm = String(Math.floor((rest % 3_600_000_000) / 60_000_000)).padStart(2, '0');
    const ss = String(Math.floor((rest % 60_000_000) / 1_000_000)).padStart(2, '0');
    const frac = rest % 1_000_000 === 0 ? '' : `.${String(rest % 1_000_000).padStart(6, '0')}`;
    return `INTERVAL '${sign}${days} ${hh}:${mm}:${ss}${frac}' DAY TO SECOND`;
  }
  if (type === YEAR_MONTH) {
    const months = Number(value);
    const abs = Math.abs(months);
    return `INTERVAL '${months < 0 ? '-' : ''}${Math.floor(abs / 12)}-${abs % 12}' YEAR TO MONTH`;
  }
  const decimal = type === undefined ? undefined : decimalParts(type);
  if (decimal !== undefined) return toJavaString(toBig(value), decimal.scale);
  if (Array.isArray(value)) return `[${value.map((v) => literalSql(v)).join(', ')}]`;
  return String(value);
}

/** The wider of two numeric types (Spark's findTightestCommonType over numerics, decimals included). */
export const widerNumeric = widerNumericType;

/** Integral, floating or DECIMAL: Spark's NumericType. */
const isNumberType = (t: DataType): boolean => isNumeric(t) || isDecimal(t);

function castTo(b: Bound, to: DataType, scope: Scope): Bound {
  if (b.type === to) return b;
  const from = b.type;
  const inner = b.eval;
  const ansi = scopeAnsi(scope);
  return { ...b, type: to, eval: (row, ctx) => castValue(inner(row, ctx), from, to, scope.timeZone, false, ansi) };
}

/** `try_cast`: NULL where the cast would fail. */
function tryCastTo(b: Bound, to: DataType, scope: Scope): Bound {
  if (b.type === to) return b;
  const from = b.type;
  const inner = b.eval;
  return { ...b, type: to, nullable: true, eval: (row, ctx) => castValue(inner(row, ctx), from, to, scope.timeZone, true) };
}

function mismatch(sql: string, left: DataType, right: DataType): AnalysisException {
  return new AnalysisException(
    `[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] Cannot resolve "${sql}" due to data type mismatch: the left and right operands of the binary operator have incompatible types ("${typeSql(left)}" and "${typeSql(right)}"). SQLSTATE: 42K09`,
  );
}

/**
 * DecimalPrecision's nondecimalAndDecimal (and decimalAndDecimal for comparisons): beside a
 * DECIMAL an integral side becomes a DECIMAL (a literal with only the digits its value needs), a
 * FLOAT/DOUBLE or STRING makes both sides DOUBLE. Arithmetic keeps two DECIMALs as they are
 * (their result type follows from both); a comparison brings them to the wider one.
 */
function decimalPair(l: Bound, r: Bound, scope: Scope, arithmetic: boolean, literals: readonly [boolean, boolean]): [Bound, Bound] | null {
  const asDecimal = (b: Bound, literal: boolean): Bound | null => {
    if (isDecimal(b.type)) return b;
    if (!isIntegral(b.type)) return null;
    const to = literal ? decimalForLiteral(b.eval([], { batchTimestampMs: 0 }), b.type) : decimalForType(b.type);
    return to === undefined ? null : castTo(b, to, scope);
  };
  const dl = asDecimal(l, literals[0]);
  const dr = asDecimal(r, literals[1]);
  if (dl !== null && dr !== null) {
    if (arithmetic || dl.type === dr.type) return [dl, dr];
    const wide = widerDecimalType(dl.type, dr.type);
    return [castTo(dl, wide, scope), castTo(dr, wide, scope)];
  }
  const other = isDecimal(l.type) ? r.type : l.type;
  if (other === 'float' || other === 'double' || other === 'string') return [castTo(l, 'double', scope), castTo(r, 'double', scope)];
  return null;
}

/**
 * Brings both sides of a comparison or arithmetic to one type (Spark's implicit casts).
 * `literals` tells which side is a literal (an integral literal beside a DECIMAL keeps only the
 * digits it needs).
 */
function coercePair(l: Bound, r: Bound, sql: string, scope: Scope, numericOnly: boolean, literals: readonly [boolean, boolean] = [false, false]): [Bound, Bound] {
  if (l.type === r.type && (!numericOnly || isNumberType(l.type))) return [l, r];
  if (l.type === 'void') return [castTo(l, r.type, scope), r];
  if (r.type === 'void') return [l, castTo(r, l.type, scope)];
  if (isDecimal(l.type) || isDecimal(r.type)) {
    const pair = decimalPair(l, r, scope, numericOnly, literals);
    if (pair !== null) return pair;
  }
  if (isNumeric(l.type) && isNumeric(r.type)) {
    const t = widerNumeric(l.type, r.type);
    return [castTo(l, t, scope), castTo(r, t, scope)];
  }
  if (l.type === 'string' && (isNumeric(r.type) || numericOnly)) {
    // Arithmetic on a string: BIGINT (or wider) under ANSI, DOUBLE in the legacy coercion.
    const t = numericOnly && (!isNumeric(r.type) || !scopeAnsi(scope)) ? 'double' : widerNumeric('bigint', r.type);
    return [castTo(l, t, scope), castTo(r, t === 'double' && !isNumeric(r.type) ? 'double' : t, scope)];
  }
  if (r.type === 'string' && isNumeric(l.type)) {
    const t = numericOnly && !scopeAnsi(scope) ? 'double' : widerNumeric('bigint', l.type);
    return [castTo(l, t, scope), castTo(r, t, scope)];
  }
  if (!numericOnly && (l.type === 'timestamp' || l.type === 'date') && r.type === 'string') return [l, castTo(r, l.type, scope)];
  if (!numericOnly && (r.type === 'timestamp' || r.type === 'date') && l.type === 'string') return [castTo(l, r.type, scope), r];
  if (!numericOnly && l.type === 'timestamp' && r.type === 'date') return [l, castTo(r, 'timestamp', scope)];
  if (!numericOnly && l.type === 'date' && r.type === 'timestamp') return [castTo(l, 'timestamp', scope), r];
  throw mismatch(sql, l.type, r.type);
}

/** The ranges of the integral types evaluated on numbers (BIGINT runs on exact-long.ts). */
const INT_RANGE: Readonly<Record<string, readonly [number, number]>> = {
  tinyint: [-128, 127], smallint: [-32768, 32767], int: [-2147483648, 2147483647],
};

/** ARITHMETIC_OVERFLOW as MathUtils.addExact / subtractExact / multiplyExact raise it, with their hint. */
function overflowMessage(hint: 'try_add' | 'try_subtract' | 'try_multiply'): string {
  return `[ARITHMETIC_OVERFLOW] overflow. Use '${hint}' to tolerate overflow and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error. SQLSTATE: 22003`;
}

/** Long.MinValue div -1 under ANSI (QueryExecutionErrors.overflowInIntegralDivideError). */
const LONG_DIVIDE_OVERFLOW = '[ARITHMETIC_OVERFLOW] Overflow in integral divide. Use \'try_divide\' to tolerate overflow and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error. SQLSTATE: 22003';

function checkOverflow(v: number, type: DataType, hint: 'try_add' | 'try_subtract' | 'try_multiply'): number {
  const range = INT_RANGE[type as string];
  if (range !== undefined && (v < range[0] || v > range[1])) throw new RuntimeError(overflowMessage(hint));
  return v;
}

/** A non-ANSI integral result: two's-complement wrap to the type's width. */
function wrapIntegral(v: number, type: DataType): number {
  const bits = type === 'tinyint' ? 8 : type === 'smallint' ? 16 : 32;
  return Number(BigInt.asIntN(bits, BigInt(Math.trunc(v))));
}

const DIVIDE_BY_ZERO = '[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error. SQLSTATE: 22012';
const REMAINDER_BY_ZERO = '[REMAINDER_BY_ZERO] Remainder by zero. Use `try_mod` to tolerate divisor being 0 and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error. SQLSTATE: 22012';
/** MathUtils.negateExact (UnaryMinus of INT / BIGINT under ANSI): no try_ function to suggest. */
const NEGATE_OVERFLOW = '[ARITHMETIC_OVERFLOW] overflow. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error. SQLSTATE: 22003';

const isInterval = (t: DataType): boolean => t === 'interval' || t === YEAR_MONTH;

/** timestamp ± interval (and interval + timestamp): a timestamp; year-month intervals add calendar months. */
function timestampArithmetic(op: string, l: Bound, r: Bound, sql: string, timeZone: string): Bound | null {
  const tsLeft = l.type === 'timestamp' && isInterval(r.type) && (op === '+' || op === '-');
  const tsRight = r.type === 'timestamp' && isInterval(l.type) && op === '+';
  if (!tsLeft && !tsRight) return null;
  const [ts, iv] = tsLeft ? [l, r] : [r, l];
  const sign = op === '-' ? -1 : 1;
  const months = iv.type === YEAR_MONTH;
  return {
    type: 'timestamp', nullable: l.nullable || r.nullable, sql, name: sql,
    eval: (row, ctx) => {
      const t = ts.eval(row, ctx);
      const d = iv.eval(row, ctx);
      if (t === null || d === null) return null;
      return months ? addInterval(Number(t), { months: sign * Number(d), days: 0, micros: 0 }, timeZone) : Number(t) + sign * Number(d);
    },
  };
}


function arithmetic(op: string, l: Bound, r: Bound, sql: string, scope: Scope, literals: readonly [boolean, boolean] = [false, false]): Bound {
  const temporal = timestampArithmetic(op, l, r, sql, scope.timeZone);
  if (temporal !== null) return temporal;
  let [cl, cr] = coercePair(l, r, sql, scope, true, literals);
  const ansi = scopeAnsi(scope);
  if (isDecimal(cl.type) && isDecimal(cr.type)) {
    return bindDecimalArithmetic(op as '+' | '-' | '*' | '/' | '%' | 'div', cl, cr, sql, ansi, { divide: DIVIDE_BY_ZERO, remainder: REMAINDER_BY_ZERO });
  }
  if (op === '/' && cl.type !== 'double' && cl.type !== 'float') {
    cl = castTo(cl, 'double', scope);
    cr = castTo(cr, 'double', scope);
  }
  const type = op === 'div' ? 'bigint' : cl.type;
  const le = cl.eval;
  const re = cr.eval;
  const integral = isIntegral(type);
  // Under ANSI an integral result out of range fails; without, it wraps as Java's arithmetic.
  const exact = (v: number, hint: 'try_add' | 'try_subtract' | 'try_multiply'): number =>
    !integral ? v : ansi ? checkOverflow(v, type, hint) : wrapIntegral(v, type);
  const byZero = (message: string): null => {
    if (ansi) throw new RuntimeError(message);
    return null;
  };
  const apply = (a: number, b: number): number | null => {
    switch (op) {
      case '+': return exact(a + b, 'try_add');
      case '-': return exact(a - b, 'try_subtract');
      case '*': return exact(a * b, 'try_multiply');
      case '/': return b === 0 ? byZero(DIVIDE_BY_ZERO) : a / b;
      case 'div': return b === 0 ? byZero(DIVIDE_BY_ZERO) : Math.trunc(a / b);
      default: return b === 0 ? byZero(REMAINDER_BY_ZERO) : a % b;
    }
  };
  // A FLOAT result is a 32-bit float.
  const applyTyped = type === 'float' ? (a: number, b: number): number | null => { const v = apply(a, b); return v === null ? null : Math.fround(v); } : apply;
  // BIGINT operands run exact over the whole long range (exact-long.ts).
  const long = cl.type === 'bigint' && (op === '+' || op === '-' || op === '*' || op === 'div' || op === '%');
  const applyLong = (a: Value, b: Value): Value => {
    if ((op === 'div' || op === '%') && (b === 0 || b === 0n)) return byZero(op === '%' ? REMAINDER_BY_ZERO : DIVIDE_BY_ZERO);
    const v = longArithmetic(op as LongOp, a, b);
    if (v !== null) return v;
    if (ansi) throw new RuntimeError(op === 'div' ? LONG_DIVIDE_OVERFLOW : overflowMessage(op === '+' ? 'try_add' : op === '-' ? 'try_subtract' : 'try_multiply'));
    return wrapLong(op === '+' ? toBig(a) + toBig(b) : op === '-' ? toBig(a) - toBig(b) : op === '*' ? toBig(a) * toBig(b) : toBig(a) / toBig(b));
  };
  return {
    type,
    nullable: l.nullable || r.nullable || op === '/' || op === '%',
    sql,
    name: sql,
    eval: long
      ? (row, ctx) => {
          const a = le(row, ctx);
          if (a === null) return null;
          const b = re(row, ctx);
          if (b === null) return null;
          return applyLong(a, b);
        }
      : (row, ctx) => {
          const a = le(row, ctx);
          if (a === null) return null;
          const b = re(row, ctx);
          if (b === null) return null;
          return applyTyped(Number(a), Number(b));
        },
  };
}

/**
 * DecimalPrecision.integralAndDecimalLiteral: an integral side compared with a DECIMAL literal
 * compares with the literal's floor or ceiling as a BIGINT (`i > 1.5` is `i > 1`; past the long
 * range the comparison is a constant). Null when the rule does not apply.
 */
function integralDecimalLiteral(op: string, left: Expr, right: Expr, l: Bound, r: Bound): Expr | null {
  if (op !== '<' && op !== '<=' && op !== '>' && op !== '>=') return null;
  const literalRight = isIntegral(l.type) && right.kind === 'literal' && isDecimal(right.type) && right.value !== null;
  const literalLeft = isIntegral(r.type) && left.kind === 'literal' && isDecimal(left.type) && left.value !== null;
  if (!literalRight && !literalLeft) return null;
  const lit = (literalRight ? right : left) as Extract<Expr, { kind: 'literal' }>;
  const scale = decimalParts(lit.type)?.scale ?? 0;
  const u = toBig(lit.value);
  const floor = floorDecimal(u, scale);
  const ceil = ceilDecimal(u, scale);
  // Which side of the comparison the integral is on, as `i op d`.
  const asIntegralLeft = literalRight ? op : ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const)[op];
  const greater = asIntegralLeft === '>' || asIntegralLeft === '>=';
  const below = floor < LONG_MIN_BIG;
  const above = ceil > LONG_MAX_BIG;
  if (below || above) return { kind: 'literal', value: below === greater, type: 'boolean' };
  // i > d ⇔ i > floor(d); i >= d ⇔ i >= ceil(d); i < d ⇔ i < ceil(d); i <= d ⇔ i <= floor(d).
  const bound = asIntegralLeft === '>' || asIntegralLeft === '<=' ? floor : ceil;
  const replaced: Expr = { kind: 'literal', value: exactInteger(bound), type: 'bigint' };
  return { kind: 'binary', op, left: literalLeft ? replaced : left, right: literalRight ? replaced : right } as Expr;
}

const LONG_MIN_BIG = -(2n ** 63n);
const LONG_MAX_BIG = 2n ** 63n - 1n;

/**
 * TypeUtils.checkForOrderingExpr: a map (or a type holding one) has no order, so it can be
 * neither compared nor sorted (grouping on a map sorts it first: see mapSorter).
 */
function checkOrderable(opName: string, sql: string, types: readonly DataType[]): void {
  const type = widerType(types);
  if (type !== null && containsMap(type)) {
    throw new AnalysisException(`[DATATYPE_MISMATCH.INVALID_ORDERING_TYPE] Cannot resolve "${sql}" due to data type mismatch: The \`${opName}\` does not support ordering on type "${typeSql(type)}". SQLSTATE: 42K09`);
  }
}

function comparison(op: string, l: Bound, r: Bound, sql: string, scope: Scope, literals: readonly [boolean, boolean] = [false, false]): Bound {
  checkOrderable(op, sql, [l.type, r.type]);
  const [cl, cr] = coercePair(l, r, sql, scope, false, literals);
  const le = cl.eval;
  const re = cr.eval;
  const test = (c: number): boolean =>
    op === '=' ? c === 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
  if (op === '<=>') {
    return { type: 'boolean', nullable: false, sql, name: sql, eval: (row, ctx) => {
      const a = le(row, ctx);
      const b = re(row, ctx);
      return a === null || b === null ? a === b : valuesEqual(a, b);
    } };
  }
  return {
    type: 'boolean', nullable: l.nullable || r.nullable, sql, name: sql,
    eval: (row, ctx) => {
      const a = le(row, ctx);
      if (a === null) return null;
      const b = re(row, ctx);
      if (b === null) return null;
      return test(compareValues(a, b));
    },
  };
}

function requireBoolean(b: Bound, scope: Scope, sql: string): Bound {
  if (b.type === 'boolean') return b;
  if (b.type === 'void') return castTo(b, 'boolean', scope);
  throw new AnalysisException(
    `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${sql}" due to data type mismatch: the input should have been "BOOLEAN" but it has type "${typeSql(b.type)}". SQLSTATE: 42K09`,
  );
}

function logical(op: 'and' | 'or', l: Bound, r: Bound, sql: string, scope: Scope): Bound {
  const le = requireBoolean(l, scope, sql).eval;
  const re = requireBoolean(r, scope, sql).eval;
  const isAnd = op === 'and';
  return {
    type: 'boolean', nullable: l.nullable || r.nullable, sql, name: sql,
    eval: (row, ctx) => {
      const a = le(row, ctx);
      if (a === !isAnd) return a;
      const b = re(row, ctx);
      if (b === !isAnd) return b;
      return a === null || b === null ? null : isAnd;
    },
  };
}

function likeToRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '\\' && i + 1 < pattern.length) out += (pattern[++i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (ch === '%') out += '[\\s\\S]*';
    else if (ch === '_') out += '[\\s\\S]';
    else out += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 'u');
}

const isArrayType = (t: DataType): boolean => typeof t !== 'string' && t.kind === 'array';

function stringArg(b: Bound, scope: Scope): Bound {
  return b.type === 'string' || !canCast(b.type, 'string') ? b : castTo(b, 'string', scope);
}

const STRING_INPUT_FUNCTIONS = new Set(['length', 'char_length', 'character_length', 'upper', 'ucase', 'lower', 'lcase', 'trim', 'ltrim', 'rtrim', 'reverse', 'concat', 'concat_ws', 'substring', 'split']);

export function isAggregateCall(expr: Expr): boolean {
  return expr.kind === 'call' && AGGREGATE_NAMES.has(expr.name);
}

/** True when an expression contains an aggregate call anywhere (one over a window is a window function). */
export function containsAggregate(expr: Expr): boolean {
  if (isAggregateCall(expr)) return true;
  if (expr.kind === 'window') return false;
  return childrenOf(expr).some(containsAggregate);
}

export function childrenOf(expr: Expr): readonly Expr[] {
  switch (expr.kind) {
    case 'column': case 'star': case 'literal': return [];
    case 'alias': case 'unary': case 'cast': case 'sortOrder': return [expr.child];
    case 'binary': return [expr.left, expr.right];
    case 'call': return expr.args;
    case 'case': return [...(expr.subject === undefined ? [] : [expr.subject]), ...expr.branches.flatMap((b) => [b.when, b.then]), ...(expr.otherwise === undefined ? [] : [expr.otherwise])];
    case 'like': return [expr.child, expr.pattern];
    case 'in': return [expr.child, ...expr.list];
    case 'between': return [expr.child, expr.low, expr.high];
    case 'extract': return [expr.child, expr.field];
    case 'multiAlias': return [expr.child];
    case 'window': {
      const frame = expr.spec.frame;
      const offsets = frame === undefined ? [] : [frame.lower, frame.upper].flatMap((b) => (b.kind === 'offset' ? [b.value] : []));
      return [expr.function, ...expr.spec.partitionBy, ...expr.spec.orderBy, ...offsets];
    }
  }
}

/** True when an expression contains a window expression (`... OVER (...)`). */
export function containsWindow(expr: Expr): boolean {
  return expr.kind === 'window' || childrenOf(expr).some(containsWindow);
}

/** Identity of a window expression within one projection: its JSON form. */
export function windowKey(expr: Expr): string {
  return JSON.stringify(expr);
}

function named(b: Omit<Bound, 'name'>): Bound {
  return { ...b, name: b.sql };
}

/** Resolves and compiles `expr` against `scope`. */
export function bindExpr(expr: Expr, scope: Scope): Bound {
  switch (expr.kind) {
    case 'column': {
      const nested = expr.qualifier === undefined ? null : structFieldRef(expr.qualifier, expr.name, scope);
      if (nested !== null) return nested;
      const byPosition = expr.ordinal === undefined ? undefined : scope.fields[expr.ordinal];
      const i = byPosition !== undefined && expr.ordinal !== undefined && byPosition.name.toLowerCase() === expr.name.toLowerCase()
        ? expr.ordinal : resolveColumn(expr.name, expr.qualifier, scope);
      const f = scope.fields[i] as ScopeField;
      return {
        type: f.type, nullable: f.nullable, sql: f.name, name: f.name, ordinal: i, eval: (row) => row[i] ?? null,
        ...(f.eventTimeDelayMs === undefined ? {} : { eventTime: 'timestamp' as const }),
      };
    }
    case 'star':
      throw new AnalysisException(`[INVALID_USAGE_OF_STAR_OR_REGEX] Invalid usage of '*' in expression. SQLSTATE: 42000`);
    case 'literal': {
      const v = expr.value;
      return { type: expr.type, nullable: v === null, sql: literalSql(v, expr.type), name: literalSql(v, expr.type), eval: () => v };
    }
    case 'alias': {
      const child = bindExpr(expr.child, scope);
      return { ...child, name: expr.name, sql: child.sql };
    }
    case 'sortOrder': {
      const child = bindExpr(expr.child, scope);
      checkOrderable('sortorder', `${child.sql} ${expr.direction.toUpperCase()} NULLS ${expr.nulls.toUpperCase()}`, [child.type]);
      return { ...child, sortOrder: { direction: expr.direction, nulls: expr.nulls } };
    }
    case 'unary': return bindUnary(expr.op, bindExpr(expr.child, scope), scope);
    case 'binary': {
      const l = bindExpr(expr.left, scope);
      const r = bindExpr(expr.right, scope);
      if (expr.op === '||') return bindCall({ kind: 'call', name: 'concat', args: [expr.left, expr.right] }, scope);
      if (expr.op === '!=') {
        const eq = comparison('=', l, r, `(${l.sql} = ${r.sql})`, scope);
        return bindUnary('not', eq, scope);
      }
      const opSql = expr.op === 'and' ? 'AND' : expr.op === 'or' ? 'OR' : expr.op;
      const sql = `(${l.sql} ${opSql} ${r.sql})`;
      if (expr.op === 'and' || expr.op === 'or') return logical(expr.op, l, r, sql, scope);
      const literals = [expr.left.kind === 'literal', expr.right.kind === 'literal'] as const;
      if (['=', '<', '<=', '>', '>=', '<=>'].includes(expr.op)) {
        const reduced = integralDecimalLiteral(expr.op, expr.left, expr.right, l, r);
        if (reduced !== null) return bindExpr(reduced, scope);
        return comparison(expr.op, l, r, sql, scope, literals);
      }
      return arithmetic(expr.op, l, r, sql, scope, literals);
    }
    case 'cast': {
      const child = bindExpr(expr.child, scope);
      if (!canCast(child.type, expr.type)) {
        throw new AnalysisException(
          `[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve "CAST(${child.sql} AS ${typeSql(expr.type)})" due to data type mismatch: cannot cast "${typeSql(child.type)}" to "${typeSql(expr.type)}". SQLSTATE: 42K09`,
        );
      }
      const cast = expr.try === true ? tryCastTo(child, expr.type, scope) : castTo(child, expr.type, scope);
      const sql = `${expr.try === true ? 'TRY_CAST' : 'CAST'}(${child.sql} AS ${typeSql(expr.type)})`;
      // Spark's ResolveAliases: a cast of a column keeps the column's name.
      const { ordinal: _ordinal, eventTime: _eventTime, ...value } = cast;
      return { ...value, sql, name: child.ordinal !== undefined ? child.name : sql };
    }
    case 'case': return bindCase(expr, scope);
    case 'like': {
      const child = stringArg(bindExpr(expr.child, scope), scope);
      const pattern = bindExpr(expr.pattern, scope);
      const sql = `${child.sql} LIKE ${pattern.sql}`;
      const ce = child.eval;
      const pe = pattern.eval;
      const cache = new Map<string, RegExp>();
      const like: Bound = named({
        type: 'boolean', nullable: child.nullable || pattern.nullable, sql,
        eval: (row, ctx) => {
          const v = ce(row, ctx);
          const p = pe(row, ctx);
          if (v === null || p === null) return null;
          let re = cache.get(String(p));
          if (re === undefined) cache.set(String(p), (re = likeToRegex(String(p))));
          return re.test(String(v));
        },
      });
      return expr.negated ? bindUnary('not', like, scope) : like;
    }
    case 'in': {
      const child = bindExpr(expr.child, scope);
      const list = expr.list.map((e) => bindExpr(e, scope));
      const sql = `(${child.sql} IN (${list.map((b) => b.sql).join(', ')}))`;
      checkOrderable('in', sql, [child.type, ...list.map((b) => b.type)]);
      const pairs = list.map((item) => coercePair(child, item, sql, scope, false));
      const inBound: Bound = named({
        type: 'boolean', nullable: child.nullable || list.some((b) => b.nullable), sql,
        eval: (row, ctx) => {
          let sawNull = false;
          for (const [c, item] of pairs) {
            const a = c.eval(row, ctx);
            if (a === null) return null;
            const b = item.eval(row, ctx);
            if (b === null) sawNull = true;
            else if (valuesEqual(a, b)) return true;
          }
          return sawNull ? null : false;
        },
      });
      return expr.negated ? bindUnary('not', inBound, scope) : inBound;
    }
    case 'between': {
      const both: Expr = { kind: 'binary', op: 'and', left: { kind: 'binary', op: '>=', left: expr.child, right: expr.low }, right: { kind: 'binary', op: '<=', left: expr.child, right: expr.high } };
      const bound = bindExpr(both, scope);
      return expr.negated ? bindUnary('not', bound, scope) : bound;
    }
    case 'extract': return bindExtract(bindExpr(expr.child, scope), expr.field, scope);
    case 'call': return bindCall(expr, scope);
    case 'window': {
      // A projection computes its window expressions first (window.ts) and reads them here.
      const ordinal = scope.windowSlots?.get(windowKey(expr));
      const field = ordinal === undefined ? undefined : scope.fields[ordinal];
      if (ordinal === undefined || field === undefined) {
        throw new AnalysisException('[WINDOW_FUNCTION_NOT_ALLOWED_IN_CLAUSE] It is not allowed to use window functions inside WHERE clause. SQLSTATE: 42601');
      }
      return { type: field.type, nullable: field.nullable, sql: field.name, name: field.name, eval: (row: Row) => row[ordinal] ?? null };
    }
    case 'multiAlias': {
      const child = bindExpr(expr.child, scope);
      const columns = child.generator?.columns ?? (child.generator === undefined ? undefined : [{ name: child.name, type: child.type, nullable: true }]);
      if (child.generator === undefined || columns === undefined || columns.length !== expr.names.length) {
        throw new AnalysisException(
          `[UDTF_ALIAS_NUMBER_MISMATCH] The number of aliases supplied in the AS clause does not match the number of columns output by the UDTF. Expected ${columns?.length ?? 1} aliases, but got ${expr.names.join(', ')}. ` +
            'Please ensure that the number of aliases provided matches the number of columns output by the UDTF. SQLSTATE: 42802',
        );
      }
      const renamed = columns.map((c, i) => ({ ...c, name: expr.names[i] ?? c.name }));
      return child.generator.columns === undefined ? { ...child, name: renamed[0]?.name ?? child.name } : { ...child, generator: { ...child.generator, columns: renamed } };
    }
  }
}

/**
 * `col("window.start")` where no table is called `window` but a struct column is: the field,
 * named by the field (Spark resolves a dotted name to a nested field when no qualifier fits).
 */
function structFieldRef(qualifier: string, field: string, scope: Scope): Bound | null {
  if (scope.fields.some((f) => f.qualifier?.toLowerCase() === qualifier.toLowerCase())) return null;
  const i = scope.fields.findIndex((f) => f.name.toLowerCase() === qualifier.toLowerCase());
  const base = scope.fields[i];
  if (base === undefined || typeof base.type === 'string' || (base.type.kind !== 'struct' && base.type.kind !== 'map')) return null;
  const child: Bound = { type: base.type, nullable: base.nullable, sql: base.name, name: base.name, ordinal: i, eval: (row) => row[i] ?? null };
  const extracted = bindExtract(child, { kind: 'literal', value: field, type: 'string' }, scope);
  // A map's `m.key` is named by the key, as a struct field by the field.
  return base.type.kind === 'map' ? { ...extracted, name: field } : extracted;
}

function bindUnary(op: 'not' | 'negate' | 'isnull' | 'isnotnull', child: Bound, scope: Scope): Bound {
  const ce = child.eval;
  switch (op) {
    case 'not': {
      const sql = `(NOT ${child.sql})`;
      const b = requireBoolean(child, scope, sql).eval;
      return named({ type: 'boolean', nullable: child.nullable, sql, eval: (row, ctx) => { const v = b(row, ctx); return v === null ? null : !v; } });
    }
    case 'negate': {
      const c = child.type === 'string' ? castTo(child, 'double', scope) : child;
      if (c.type === 'bigint' || isDecimal(c.type)) {
        // Exact: a DECIMAL's unscaled value negates alone; only Long.MIN_VALUE overflows.
        const decimal = isDecimal(c.type);
        return named({
          type: c.type, nullable: child.nullable, sql: `(- ${child.sql})`,
          eval: (row, ctx) => {
            const v = c.eval(row, ctx);
            if (v === null) return null;
            if (decimal) return typeof v === 'number' ? 0 - v : exactInteger(-toBig(v));
            const negated = negateLong(v);
            if (negated !== null) return negated;
            if (scopeAnsi(scope)) throw new RuntimeError(NEGATE_OVERFLOW);
            return v;
          },
        });
      }
      const min = c.type === 'int' ? -2147483648 : undefined;
      const integral = isIntegral(c.type);
      return named({
        type: c.type, nullable: child.nullable, sql: `(- ${child.sql})`,
        eval: (row, ctx) => {
          const v = c.eval(row, ctx);
          if (v === null) return null;
          if (min !== undefined && Number(v) <= min) {
            if (scopeAnsi(scope)) throw new RuntimeError(NEGATE_OVERFLOW);
            return Number(v);
          }
          return integral ? 0 - Number(v) : -Number(v);
        },
      });
    }
    case 'isnull':
      return named({ type: 'boolean', nullable: false, sql: `(${child.sql} IS NULL)`, eval: (row, ctx) => ce(row, ctx) === null });
    case 'isnotnull':
      return named({ type: 'boolean', nullable: false, sql: `(${child.sql} IS NOT NULL)`, eval: (row, ctx) => ce(row, ctx) !== null });
  }
}

function bindCase(expr: Extract<Expr, { kind: 'case' }>, scope: Scope): Bound {
  const branches = expr.branches.map((b) => {
    const when = expr.subject === undefined ? b.when : ({ kind: 'binary', op: '=', left: expr.subject, right: b.when } as const);
    return { when: bindExpr(when, scope), then: bindExpr(b.then, scope) };
  });
  const otherwise = expr.otherwise === undefined ? undefined : bindExpr(expr.otherwise, scope);
  const values = [...branches.map((b) => b.then), ...(otherwise === undefined ? [] : [otherwise])];
  let type: DataType = values.find((v) => v.type !== 'void')?.type ?? 'void';
  for (const v of values) if (isNumberType(v.type) && isNumberType(type)) type = widerNumeric(type, v.type);
  const thens = branches.map((b) => castTo(b.then, type, scope));
  const other = otherwise === undefined ? undefined : castTo(otherwise, type, scope);
  const sql = `CASE ${branches.map((b) => `WHEN ${b.when.sql} THEN ${b.then.sql}`).join(' ')}${otherwise === undefined ? '' : ` ELSE ${otherwise.sql}`} END`;
  const conds = branches.map((b) => requireBoolean(b.when, scope, sql).eval);
  return named({
    type, nullable: otherwise === undefined || values.some((v) => v.nullable), sql,
    eval: (row, ctx) => {
      for (let i = 0; i < conds.length; i++) if (conds[i]?.(row, ctx) === true) return thens[i]?.eval(row, ctx) ?? null;
      return other === undefined ? null : other.eval(row, ctx);
    },
  });
}

function bindExtract(child: Bound, field: Expr, scope: Scope): Bound {
  const ce = child.eval;
  if (typeof child.type !== 'string' && child.type.kind === 'struct' && field.kind === 'literal') {
    const fields = child.type.fields;
    const i = fields.findIndex((f) => f.name.toLowerCase() === String(field.value).toLowerCase());
    const f = fields[i];
    if (f === undefined) throw new AnalysisException(`[FIELD_NOT_FOUND] No such struct field ${quoteId(String(field.value))} in ${fields.map((x) => quoteId(x.name)).join(', ')}. SQLSTATE: 42704`);
    return { type: f.type, nullable: true, sql: `${child.sql}.${f.name}`, name: f.name, eval: (row, ctx) => { const v = ce(row, ctx); return Array.isArray(v) ? (v[i] ?? null) : null; } };
  }
  if (typeof child.type !== 'string' && child.type.kind === 'array') {
    const index = bindExpr(field, scope);
    const ie = index.eval;
    return named({
      type: child.type.elementType, nullable: true, sql: `${child.sql}[${index.sql}]`,
      eval: (row, ctx) => { const v = ce(row, ctx); const i = ie(row, ctx); return Array.isArray(v) && i !== null ? (v[Number(i)] ?? null) : null; },
    });
  }
  if (isMapType(child.type)) {
    // GetMapValue: m[key] (and m.key): the key's value, NULL when missing.
    const key = bindExpr(field, scope);
    return named(bindMapValue(child, key, `${child.sql}[${key.sql}]`, scope.timeZone, true));
  }
  throw new AnalysisException(`[INVALID_EXTRACT_BASE_FIELD_TYPE] Can't extract a value from "${child.sql}". Need a complex type [STRUCT, ARRAY, MAP] but got "${typeSql(child.type)}". SQLSTATE: 42000`);
}

function bindCall(expr: Extract<Expr, { kind: 'call' }>, scope: Scope): Bound {
  const name = expr.name;
  if (AGGREGATE_NAMES.has(name)) return bindAggregateRef(expr, scope);
  if (WINDOW_FUNCTION_NAMES.has(name)) throw windowFunctionWithoutOver(windowFunctionSql(name, expr.args.map((a) => bindExpr(a, scope))));
  if (MAP_FUNCTION_NAMES.has(name)) {
    return bindMapFunction(name, expr.args.map((a) => bindExpr(a, scope)), { timeZone: scope.timeZone, dedupPolicy: scope.mapKeyDedupPolicy ?? 'EXCEPTION' });
  }
  if ((name === 'element_at' || name === 'try_element_at') && expr.args.length === 2) {
    const [map, key] = expr.args.map((a) => bindExpr(a, scope)) as [Bound, Bound];
    if (isMapType(map.type)) return named(bindMapValue(map, key, `${name}(${map.sql}, ${key.sql})`, scope.timeZone, false));
  }
  if ((name === 'explode' || name === 'explode_outer' || name === 'posexplode' || name === 'posexplode_outer') && expr.args.length === 1) {
    const arg = bindExpr(expr.args[0] as Expr, scope);
    if (isMapType(arg.type)) return explodeMap(name, arg, arg.type);
  }
  if (name === 'explode' || name === 'explode_outer') {
    const arg = bindExpr(expr.args[0] ?? { kind: 'literal', value: null, type: 'void' }, scope);
    if (typeof arg.type === 'string' || arg.type.kind !== 'array') {
      throw new AnalysisException(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${name}(${arg.sql})" due to data type mismatch: the first parameter requires the ("ARRAY" or "MAP") type, however "${arg.sql}" has the type "${typeSql(arg.type)}". SQLSTATE: 42K09`);
    }
    return { type: arg.type.elementType, nullable: true, sql: `${name}(${arg.sql})`, name: 'col', eval: arg.eval, generator: { outer: name === 'explode_outer' } };
  }
  if (name === 'posexplode' || name === 'posexplode_outer') {
    const arg = bindExpr(expr.args[0] ?? { kind: 'literal', value: null, type: 'void' }, scope);
    if (typeof arg.type === 'string' || arg.type.kind !== 'array') {
      throw new AnalysisException(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${name}(${arg.sql})" due to data type mismatch: the first parameter requires the ("ARRAY" or "MAP") type, however "${arg.sql}" has the type "${typeSql(arg.type)}". SQLSTATE: 42K09`);
    }
    const outer = name === 'posexplode_outer';
    // Spark's PosExplode: `pos` (int, 0-based; nullable only for the outer form) and `col`.
    const columns: StructField[] = [{ name: 'pos', type: 'int', nullable: outer }, { name: 'col', type: arg.type.elementType, nullable: true }];
    const ae = arg.eval;
    return {
      type: arg.type.elementType, nullable: true, sql: `${name}(${arg.sql})`, name: 'col',
      eval: (row, ctx) => { const a = ae(row, ctx); return Array.isArray(a) ? (a as readonly Value[]).map((v, i): Value => [i, v]) : null; },
      generator: { outer, columns },
    };
  }
  if (name === 'window') {
    const args = expr.args.map((a) => bindExpr(a, scope));
    const w = bindWindow(args, scope);
    return args[0]?.eventTime === undefined ? w : { ...w, eventTime: 'window' };
  }
  if (name === 'from_json') return bindFromJson(expr.args.map((a) => bindExpr(a, scope)), scope.timeZone);
  if (name === 'to_json') return bindToJson(expr.args.map((a) => bindExpr(a, scope)), scope.timeZone);
  if (name === 'struct') return bindStruct(expr.args.map((a) => bindExpr(a, scope)));
  if (name === 'session_window') {
    const args = expr.args.map((a) => bindExpr(a, scope));
    const w = bindSessionWindow(args, scope);
    return args[0]?.eventTime === undefined ? w : { ...w, eventTime: 'window' };
  }
  if (name === 'window_time') {
    // WindowTime (ResolveWindowTime): the window's end minus 1 microsecond, a timestamp that
    // keeps the window column's watermark mark.
    if (expr.args.length !== 1) throw wrongNumArgs('window_time', '1', expr.args.length);
    const w = bindExpr(expr.args[0] as Expr, scope);
    const fields = typeof w.type === 'string' || w.type.kind !== 'struct' ? [] : w.type.fields;
    if (fields.length !== 2 || fields[0]?.name !== 'start' || fields[1]?.name !== 'end' || fields[1]?.type !== 'timestamp') {
      throw new AnalysisException(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "window_time(${w.sql})" due to data type mismatch: the first parameter requires the "STRUCT<start: TIMESTAMP, end: TIMESTAMP>" type, however "${w.sql}" has the type "${typeSql(w.type)}". SQLSTATE: 42K09`);
    }
    const sql = `window_time(${w.sql})`;
    const we = w.eval;
    const b: Bound = {
      type: 'timestamp', nullable: w.nullable, sql, name: sql,
      eval: (row, ctx) => {
        const v = we(row, ctx);
        const end = Array.isArray(v) ? v[1] : null;
        return typeof end === 'number' ? end - 1 : null;
      },
    };
    return w.eventTime === undefined ? b : { ...b, eventTime: 'window' };
  }
  if (name === 'isnull' || name === 'isnotnull' || name === 'not') {
    return bindUnary(name, bindExpr(expr.args[0] ?? { kind: 'literal', value: null, type: 'void' }, scope), scope);
  }
  const spec = SCALAR_FUNCTIONS[name];
  if (spec === undefined) {
    throw new AnalysisException(`[UNRESOLVED_ROUTINE] Cannot resolve routine ${quoteId(name)} on search path [\`system\`.\`builtin\`, \`system\`.\`session\`, \`spark_catalog\`.\`default\`]. SQLSTATE: 42883`);
  }
  checkArity(name, spec, expr.args.length);
  const raw = expr.args.map((a) => bindExpr(a, scope));
  const keep = (a: Bound, i: number): boolean => (name === 'substring' && i > 0) || (name === 'split' && i === 2) || (name === 'concat_ws' && i > 0 && isArrayType(a.type));
  const args = STRING_INPUT_FUNCTIONS.has(name) ? raw.map((a, i) => keep(a, i) ? a : stringArg(a, scope)) : raw;
  const r = spec.resolve(args, scope.timeZone, scopeAnsi(scope));
  const sql = r.sql ?? `${name}(${raw.map((a) => a.sql).join(', ')})`;
  return { type: r.type, nullable: r.nullable, eval: r.eval, sql, name: sql };
}

/** An aggregate call inside an Aggregate's result expression reads its buffer's result slot. */
function bindAggregateRef(expr: Extract<Expr, { kind: 'call' }>, scope: Scope): Bound {
  const slots = scope.aggregateSlots;
  if (slots === undefined) {
    // The message lines of error-conditions.json join with newlines; invalidExprSqls is toSQLExpr (quoted).
    const args = expr.args.map((a) => (a.kind === 'star' ? '1' : bindExpr(a, { ...scope, allowAggregates: false }).sql)).join(', ');
    throw new AnalysisException(
      '[UNSUPPORTED_EXPR_FOR_OPERATOR] A query operator contains one or more unsupported expressions.\n' +
        'Consider to rewrite it to avoid window functions, aggregate functions, and generator functions in the WHERE clause.\n' +
        `Invalid expressions: ["${expr.name}(${expr.distinct === true ? 'DISTINCT ' : ''}${args})"] SQLSTATE: 42K0E`,
    );
  }
  const key = aggregateKey(expr);
  const ordinal = slots.get(key);
  const field = ordinal === undefined ? undefined : scope.fields[ordinal];
  if (ordinal === undefined || field === undefined) throw new AnalysisException(`aggregate ${key} was not planned`);
  return { type: field.type, nullable: field.nullable, sql: field.name, name: field.name, ordinal, eval: (row: Row) => row[ordinal] ?? null };
}

/** Identity of an aggregate call within one Aggregate: its JSON form. */
export function aggregateKey(expr: Expr): string {
  return JSON.stringify(expr);
}

