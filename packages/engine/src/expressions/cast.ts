import { isIntegral, isNumeric, typeName, typeSql, type DataType, type Value } from '../api/types.js';
import { formatDateDays, formatJavaDouble, formatTimestampMicros } from '../console/render-cell.js';
import { RuntimeError } from '../errors/runtime-error.js';

/**
 * Spark 4's CAST with ANSI mode on (its default): malformed input fails with
 * CAST_INVALID_INPUT, integral overflow with CAST_OVERFLOW. `try` turns both into NULL
 * (`try_cast`).
 */
const INTEGRAL_RANGE: Readonly<Record<string, readonly [number, number]>> = {
  tinyint: [-128, 127],
  smallint: [-32768, 32767],
  int: [-2147483648, 2147483647],
  bigint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

function invalidInput(value: Value, from: DataType, to: DataType): RuntimeError {
  return new RuntimeError(
    `[CAST_INVALID_INPUT] The value '${String(value)}' of the type "${typeSql(from)}" cannot be cast to "${typeSql(to)}" ` +
      'because it is malformed. Correct the value as per the syntax, or change its target type. ' +
      'Use `try_cast` to tolerate malformed input and return NULL instead. SQLSTATE: 22018',
  );
}

function overflow(value: Value, from: DataType, to: DataType): RuntimeError {
  return new RuntimeError(
    `[CAST_OVERFLOW] The value ${String(value)} of the type "${typeSql(from)}" cannot be cast to "${typeSql(to)}" due to an overflow. ` +
      'Use `try_cast` to tolerate overflow and return NULL instead. SQLSTATE: 22003',
  );
}

/** True when Spark allows `CAST(from AS to)` at all. */
export function canCast(from: DataType, to: DataType): boolean {
  if (from === 'void' || typeName(from) === typeName(to) || to === 'string') return true;
  if (typeof from !== 'string' || typeof to !== 'string') return false;
  if (isNumeric(to)) return isNumeric(from) || from === 'string' || from === 'boolean' || from === 'timestamp';
  if (to === 'boolean') return isNumeric(from) || from === 'string';
  if (to === 'timestamp') return from === 'string' || from === 'date' || isNumeric(from);
  if (to === 'date') return from === 'string' || from === 'timestamp';
  if (to === 'binary') return from === 'string';
  return false;
}

const TRUE_STRINGS = new Set(['t', 'true', 'y', 'yes', '1']);
const FALSE_STRINGS = new Set(['f', 'false', 'n', 'no', '0']);

function toIntegral(n: number, value: Value, from: DataType, to: DataType): number {
  const range = INTEGRAL_RANGE[typeName(to)] ?? INTEGRAL_RANGE['bigint'] ?? [0, 0];
  const t = Math.trunc(n);
  if (!Number.isFinite(n) || t < range[0] || t > range[1]) throw overflow(value, from, to);
  return t === 0 ? 0 : t;
}

/** Parses `yyyy-MM-dd[ HH:mm:ss[.ffffff]]` (also `T`, zone suffix) as Spark's string-to-timestamp cast. */
export function parseTimestampMicros(text: string, timeZone: string): number | null {
  const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/.exec(text);
  if (m === null) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
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

export function castValue(value: Value, from: DataType, to: DataType, timeZone: string, tryMode = false): Value {
  if (value === null) return null;
  try {
    return castNonNull(value, from, to, timeZone);
  } catch (err) {
    if (tryMode && err instanceof RuntimeError) return null;
    throw err;
  }
}

function castNonNull(value: Value, from: DataType, to: DataType, timeZone: string): Value {
  if (typeName(from) === typeName(to)) return value;
  if (to === 'string') return castToString(value, from, timeZone);
  if (typeof to !== 'string') throw invalidInput(value, from, to);
  if (isNumeric(to)) {
    let n: number;
    if (typeof value === 'boolean') n = value ? 1 : 0;
    else if (typeof value === 'number') n = from === 'timestamp' ? Math.floor(value / 1_000_000) : value;
    else if (typeof value === 'string') {
      const t = value.trim();
      n = t === '' ? Number.NaN : Number(t);
      if (Number.isNaN(n) && !/^[+-]?nan$/i.test(t)) throw invalidInput(value, from, to);
      if (isIntegral(to) && !/^[+-]?\d+(\.\d*)?$/.test(t)) throw invalidInput(value, from, to);
    } else throw invalidInput(value, from, to);
    return isIntegral(to) ? toIntegral(n, value, from, to) : n;
  }
  if (to === 'boolean') {
    if (typeof value === 'number') return value !== 0;
    const s = String(value).trim().toLowerCase();
    if (TRUE_STRINGS.has(s)) return true;
    if (FALSE_STRINGS.has(s)) return false;
    throw invalidInput(value, from, to);
  }
  if (to === 'timestamp') {
    if (from === 'date' && typeof value === 'number') return parseTimestampMicros(formatDateDays(value), timeZone);
    if (typeof value === 'number') return Math.round(value * 1_000_000);
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

/** CAST(x AS STRING): how Spark prints each type as a string. */
export function castToString(value: Value, from: DataType, timeZone: string): string {
  if (typeof from !== 'string') return renderNested(value, from, timeZone);
  switch (from) {
    case 'timestamp': return formatTimestampMicros(Number(value), timeZone);
    case 'date': return formatDateDays(Number(value));
    case 'double': case 'float': return formatJavaDouble(Number(value));
    case 'binary': return Buffer.from(String(value), 'hex').toString('utf8');
    default: return String(value);
  }
}

function renderNested(value: Value, type: DataType, timeZone: string): string {
  if (!Array.isArray(value) || typeof type === 'string') return String(value);
  const items = value as readonly Value[];
  const cell = (v: Value, t: DataType): string => (v === null ? 'null' : castToString(v, t, timeZone));
  if (type.kind === 'array') return `[${items.map((v) => cell(v, type.elementType)).join(', ')}]`;
  return `{${items.map((v, i) => cell(v, type.fields[i]?.type ?? 'string')).join(', ')}}`;
}
