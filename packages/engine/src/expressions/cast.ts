import { decimalParts, isDecimal, isIntegral, isNumeric, mapEntries, typeName, typeSql, type DataType, type Value } from '../core/types.js';
import { formatDateDays, formatJavaDouble, formatJavaFloat, formatTimestampMicros } from '../console/render-cell.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { castFromDecimal, castToDecimal } from './decimal-cast.js';
import { exactInteger, toBig, toJavaString, toPlainString } from '../core/decimal.js';

/**
 * Spark 4's CAST with ANSI mode on (its default): malformed input fails with
 * CAST_INVALID_INPUT, integral overflow with CAST_OVERFLOW. `try` turns both into NULL
 * (`try_cast`).
 */
const INTEGRAL_RANGE: Readonly<Record<string, readonly [number, number]>> = {
  tinyint: [-128, 127],
  smallint: [-32768, 32767],
  int: [-2147483648, 2147483647],
};

function invalidInput(value: Value, from: DataType, to: DataType): RuntimeError {
  return new RuntimeError(
    `[CAST_INVALID_INPUT] The value '${String(value)}' of the type "${typeSql(from)}" cannot be cast to "${typeSql(to)}" ` +
      'because it is malformed. Correct the value as per the syntax, or change its target type. ' +
      'Use `try_cast` to tolerate malformed input and return NULL instead. SQLSTATE: 22018',
  );
}

/**
 * QueryErrorsBase.toSQLValue: a value as error messages quote it, a SQL literal of its type
 * (`3000000000L`, `1.0E10D`, `12S`, `1Y`; NaN and the infinities bare).
 */
export function toSqlValue(value: Value, type: DataType): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number' && (type === 'double' || type === 'float')) {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return type === 'float' ? formatJavaFloat(value) : `${formatJavaDouble(value)}D`;
  }
  const decimal = decimalParts(type);
  if (decimal !== undefined) return `${toJavaString(toBig(value), decimal.scale)}BD`;
  switch (type) {
    case 'bigint': return `${String(value)}L`;
    case 'smallint': return `${String(value)}S`;
    case 'tinyint': return `${String(value)}Y`;
    case 'string': return `'${String(value)}'`;
    default: return String(value);
  }
}

function overflow(value: Value, from: DataType, to: DataType): RuntimeError {
  return new RuntimeError(
    `[CAST_OVERFLOW] The value ${toSqlValue(value, from)} of the type "${typeSql(from)}" cannot be cast to "${typeSql(to)}" due to an overflow. ` +
      'Use `try_cast` to tolerate overflow and return NULL instead. SQLSTATE: 22003',
  );
}

/** True when Spark allows `CAST(from AS to)` at all. */
export function canCast(from: DataType, to: DataType): boolean {
  if (from === 'void' || typeName(from) === typeName(to) || to === 'string') return true;
  // Cast.canCast: an array or a map casts element by element (keys and values apart).
  if (typeof from !== 'string' && typeof to !== 'string') {
    if (from.kind === 'array' && to.kind === 'array') return canCast(from.elementType, to.elementType);
    if (from.kind === 'map' && to.kind === 'map') return canCast(from.keyType, to.keyType) && canCast(from.valueType, to.valueType);
    return false;
  }
  if (typeof from !== 'string' || typeof to !== 'string') return false;
  // A DECIMAL casts as the other numeric types do.
  const numeric = (t: DataType): boolean => isNumeric(t) || isDecimal(t);
  if (numeric(to)) return numeric(from) || from === 'string' || from === 'boolean' || from === 'timestamp';
  if (to === 'boolean') return numeric(from) || from === 'string';
  if (to === 'timestamp') return from === 'string' || from === 'date' || numeric(from);
  if (to === 'date') return from === 'string' || from === 'timestamp';
  if (to === 'binary') return from === 'string';
  return false;
}

const TRUE_STRINGS = new Set(['t', 'true', 'y', 'yes', '1']);
const FALSE_STRINGS = new Set(['f', 'false', 'n', 'no', '0']);

function toIntegral(n: number, value: Value, from: DataType, to: DataType): number | bigint {
  if (to === 'bigint') {
    // DoubleExactNumeric.toLong: in range when floor/ceil stay within Long's bounds as doubles
    // (2^63 itself passes and saturates to Long.MAX_VALUE, as Java's conversion does).
    if (!(Math.floor(n) <= 2 ** 63 && Math.ceil(n) >= -(2 ** 63))) throw overflow(value, from, to);
    const t = Math.trunc(n);
    if (Number.isSafeInteger(t)) return t === 0 ? 0 : t;
    const big = BigInt(t);
    return exactInteger(big > LONG_MAX ? LONG_MAX : big);
  }
  const range = INTEGRAL_RANGE[typeName(to)] ?? [0, 0];
  const t = Math.trunc(n);
  if (!Number.isFinite(n) || t < range[0] || t > range[1]) throw overflow(value, from, to);
  return t === 0 ? 0 : t;
}

const LONG_MAX = 2n ** 63n - 1n;

/**
 * Parses `yyyy[-[m]m[-[d]d[( |T)[h]h:[m]m[:[s]s[.ffffff]]]]]` (and a zone suffix) as Spark's
 * string-to-timestamp cast (DateTimeUtils.stringToTimestamp): `2024` is 2024-01-01 00:00:00.
 */
export function parseTimestampMicros(text: string, timeZone: string): number | null {
  const m = /^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/.exec(text);
  if (m === null) return null;
  const [, y, mo = '1', d = '1', h = '0', mi = '0', s = '0', frac = '', zone] = m;
  if (m[3] === undefined && zone !== undefined) return null;
  const fracMicros = Number((frac + '000000').slice(0, 6));
  const utcGuess = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(utcGuess)) return null;
  let offsetMs: number;
  if (zone === 'Z') offsetMs = 0;
  else if (zone !== undefined) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.replace(/[+:-]/g, '');
    offsetMs = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  } else offsetMs = zoneOffsetMs(utcGuess, timeZone);
  return (utcGuess - offsetMs) * 1000 + fracMicros;
}

/** Offset of `timeZone` from UTC at the given local wall-clock time (as UTC millis). */
function zoneOffsetMs(localAsUtc: number, timeZone: string): number {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  const at = (utc: number): number => {
    const p = Object.fromEntries(f.formatToParts(new Date(utc)).map((x) => [x.type, x.value]));
    return Date.UTC(Number(p['year']), Number(p['month']) - 1, Number(p['day']), Number(p['hour']), Number(p['minute']), Number(p['second'])) - utc;
  };
  const first = at(localAsUtc);
  return at(localAsUtc - first);
}

/**
 * A string as an integral type under ANSI (UTF8String.toLongExact and friends): optional sign
 * and digits only, no fraction or exponent; out of the type's range is malformed too.
 */
function stringToIntegral(value: string, from: DataType, to: DataType): number | bigint {
  const t = value.trim();
  if (!/^[+-]?\d+$/.test(t)) throw invalidInput(value, from, to);
  const big = BigInt(t.replace(/^\+/, ''));
  const range = INTEGRAL_BIG_RANGE[typeName(to)] ?? INTEGRAL_BIG_RANGE['bigint'] ?? [0n, 0n];
  if (big < range[0] || big > range[1]) throw invalidInput(value, from, to);
  return exactInteger(big);
}

const INTEGRAL_BIG_RANGE: Readonly<Record<string, readonly [bigint, bigint]>> = {
  tinyint: [-128n, 127n],
  smallint: [-32768n, 32767n],
  int: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

const JAVA_DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;
const SPECIAL_DOUBLES: Readonly<Record<string, number>> = {
  'inf': Infinity, '+inf': Infinity, 'infinity': Infinity, '+infinity': Infinity,
  '-inf': -Infinity, '-infinity': -Infinity, 'nan': Number.NaN,
};

/**
 * A string as DOUBLE: Java's Double.parseDouble (decimal or exponent form, `NaN`, `Infinity`, a
 * trailing `d`/`f`), else Spark's special literals in any case (`inf`, `-infinity`, `nan`);
 * null when it is neither.
 */
export function parseJavaDouble(text: string): number | null {
  const t = text.trim();
  if (JAVA_DOUBLE.test(t)) return Number(t.replace(/[fFdD]$/, ''));
  const special = SPECIAL_DOUBLES[t.toLowerCase()];
  return special === undefined ? null : special;
}

/**
 * CAST(value AS to). `tryMode` (try_cast) gives NULL where the ANSI cast fails; with `ansi` false
 * (spark.sql.ansi.enabled=false) the legacy cast applies there instead: malformed strings are
 * NULL (an integral keeps the integer part of `1.9`), integral overflow wraps, a fractional
 * value saturates (NaN is 0).
 */
export function castValue(value: Value, from: DataType, to: DataType, timeZone: string, tryMode = false, ansi = true): Value {
  if (value === null) return null;
  try {
    return castNonNull(value, from, to, timeZone, ansi);
  } catch (err) {
    if (tryMode && err instanceof RuntimeError) return null;
    if (!ansi && err instanceof RuntimeError) return legacyCast(value, from, to);
    throw err;
  }
}

const INTEGRAL_BITS: Readonly<Record<string, number>> = { tinyint: 8, smallint: 16, int: 32, bigint: 64 };

/** The non-ANSI result of a cast the ANSI rules reject. */
function legacyCast(value: Value, from: DataType, to: DataType): Value {
  const bits = INTEGRAL_BITS[typeName(to)];
  if (bits === undefined) return null;
  const wrap = (n: bigint): number | bigint => exactInteger(BigInt.asIntN(bits, n));
  if (typeof value === 'string') {
    const m = /^([+-]?\d+)(?:\.\d*)?$/.exec(value.trim());
    if (m === null) return null;
    const n = BigInt(m[1] ?? '0');
    return BigInt.asIntN(bits, n) === n ? exactInteger(n) : null;
  }
  if (typeof value === 'bigint') return wrap(value);
  if (typeof value !== 'number') return null;
  if (from === 'double' || from === 'float') {
    // Java's (int) / (long) conversion saturates; bytes and shorts narrow that int.
    if (Number.isNaN(value)) return 0;
    const wide = bits === 64 ? 64 : 32;
    const max = 2 ** (wide - 1);
    const saturated = value >= max ? BigInt(max) - 1n : value <= -max ? -BigInt(max) : BigInt(Math.trunc(value));
    return wrap(saturated);
  }
  return wrap(BigInt(Math.trunc(value)));
}

function castNonNull(value: Value, from: DataType, to: DataType, timeZone: string, ansi = true): Value {
  if (typeName(from) === typeName(to)) return value;
  if (to === 'string') return castToString(value, from, timeZone, ansi);
  if (isDecimal(to)) return castToDecimal(value, from, to, ansi);
  if (isDecimal(from)) return castFromDecimal(value, from, to, ansi);
  if (typeof to !== 'string' && typeof from !== 'string' && Array.isArray(value)) {
    const items = value as readonly Value[];
    const cast = (v: Value, f: DataType, t: DataType): Value => (v === null ? null : castNonNull(v, f, t, timeZone, ansi));
    if (from.kind === 'array' && to.kind === 'array') return items.map((v) => cast(v, from.elementType, to.elementType));
    if (from.kind === 'map' && to.kind === 'map') return mapEntries(value).map(([k, v]) => [cast(k, from.keyType, to.keyType), cast(v, from.valueType, to.valueType)]);
  }
  if (typeof to !== 'string') throw invalidInput(value, from, to);
  if (isNumeric(to)) {
    let n: number;
    if (typeof value === 'boolean') n = value ? 1 : 0;
    else if (typeof value === 'number') {
      // A timestamp is seconds: whole ones for an integral type, with the fraction for DOUBLE/FLOAT.
      n = from === 'timestamp' ? (isIntegral(to) ? Math.floor(value / 1_000_000) : value / 1_000_000) : value;
    } else if (typeof value === 'bigint') {
      // A BIGINT past 2^53: exact into a narrower integral type's range check, rounded into a DOUBLE.
      if (isIntegral(to)) throw overflow(value, from, to);
      n = Number(value);
    } else if (typeof value === 'string') {
      if (isIntegral(to)) return stringToIntegral(value, from, to);
      const parsed = parseJavaDouble(value);
      if (parsed === null) throw invalidInput(value, from, to);
      n = parsed;
    } else throw invalidInput(value, from, to);
    if (isIntegral(to)) return toIntegral(n, value, from, to);
    return to === 'float' ? Math.fround(n) : n;
  }
  if (to === 'boolean') {
    if (typeof value === 'number' || typeof value === 'bigint') return value !== 0;
    const s = String(value).trim().toLowerCase();
    if (TRUE_STRINGS.has(s)) return true;
    if (FALSE_STRINGS.has(s)) return false;
    throw invalidInput(value, from, to);
  }
  if (to === 'timestamp') {
    if (from === 'date' && typeof value === 'number') return parseTimestampMicros(formatDateDays(value), timeZone);
    if (typeof value === 'number' || typeof value === 'bigint') return Math.round(Number(value) * 1_000_000);
    const micros = parseTimestampMicros(String(value), timeZone);
    if (micros === null) throw invalidInput(value, from, to);
    return micros;
  }
  if (to === 'date') {
    if (from === 'timestamp' && typeof value === 'number') {
      const local = formatTimestampMicros(value, timeZone).slice(0, 10);
      return Math.floor(Date.parse(`${local}T00:00:00Z`) / 86_400_000);
    }
    // DateTimeUtils.stringToDate: `yyyy[-[m]m[-[d]d[( |T)*]]]` naming a real day, else malformed.
    const m = /^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[ T][\s\S]*)?)?)?\s*$/.exec(String(value));
    if (m === null) throw invalidInput(value, from, to);
    const [year, month, day] = [Number(m[1]), Number(m[2] ?? 1), Number(m[3] ?? 1)];
    const utc = Date.UTC(year, month - 1, day);
    if (new Date(utc).getUTCMonth() !== month - 1 || new Date(utc).getUTCDate() !== day) throw invalidInput(value, from, to);
    return Math.floor(utc / 86_400_000);
  }
  if (to === 'binary') return Buffer.from(String(value), 'utf8').toString('hex');
  throw invalidInput(value, from, to);
}

/**
 * CAST(x AS STRING): how Spark prints each type as a string. A DECIMAL prints plain under ANSI
 * (`0.00000001`) and as BigDecimal.toString without (`1E-8`).
 */
export function castToString(value: Value, from: DataType, timeZone: string, ansi = true): string {
  if (typeof from !== 'string') return renderNested(value, from, timeZone);
  const decimal = decimalParts(from);
  if (decimal !== undefined) return ansi ? toPlainString(toBig(value), decimal.scale) : toJavaString(toBig(value), decimal.scale);
  switch (from) {
    case 'timestamp': return formatTimestampMicros(Number(value), timeZone);
    case 'date': return formatDateDays(Number(value));
    case 'double': return formatJavaDouble(Number(value));
    case 'float': return formatJavaFloat(Number(value));
    case 'binary': return hexToUtf8(String(value));
    default: return String(value);
  }
}

/** Where hexToUtf8 decodes a short value, instead of a new Buffer each time. */
const HEX_SCRATCH = Buffer.allocUnsafe(4096);

/** The UTF-8 text of binary held as hex (as Buffer.from(hex, 'hex') reads it). */
function hexToUtf8(hex: string): string {
  if (hex.length > HEX_SCRATCH.length * 2) return Buffer.from(hex, 'hex').toString('utf8');
  const n = HEX_SCRATCH.write(hex, 0, 'hex');
  return HEX_SCRATCH.toString('utf8', 0, n);
}

function renderNested(value: Value, type: DataType, timeZone: string): string {
  if (!Array.isArray(value) || typeof type === 'string') return String(value);
  const items = value as readonly Value[];
  const cell = (v: Value, t: DataType): string => (v === null ? 'null' : castToString(v, t, timeZone));
  if (type.kind === 'array') return `[${items.map((v) => cell(v, type.elementType)).join(', ')}]`;
  if (type.kind === 'map') return `{${mapEntries(value).map(([k, v]) => `${cell(k, type.keyType)} -> ${cell(v, type.valueType)}`).join(', ')}}`;
  return `{${items.map((v, i) => cell(v, type.fields[i]?.type ?? 'string')).join(', ')}}`;
}
