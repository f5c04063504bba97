import { formatTimestampMicros } from '../console/render-cell.js';
import type { DataType, Value } from '../api/types.js';
import { castValue } from './cast.js';
import type { FunctionSpec } from './scalar-functions.js';
import { nullSafe, type Bound } from './bound.js';

/** More of Spark's scalar functions: math, regular expressions, arrays and date/time parts. */

const fixed = (min: number, max: number, type: DataType, fn: (values: Value[], timeZone: string) => Value, nullable = true): FunctionSpec => ({
  minArgs: min,
  maxArgs: max,
  resolve: (args, timeZone) => ({ type, nullable: nullable || args.some((a) => a.nullable), eval: nullSafe(args, (vs) => fn(vs, timeZone)) }),
});

/** Spark's round: HALF_UP at `scale` decimals. */
function roundHalfUp(x: number, scale: number): number {
  const f = 10 ** scale;
  const r = Math.sign(x) * Math.round(Math.abs(x) * f + Number.EPSILON) / f;
  return Object.is(r, -0) ? 0 : r;
}

/** Local date-time parts of a timestamp in the session time zone. */
function parts(micros: number, timeZone: string): { y: number; M: number; d: number; H: number; m: number; s: number } {
  const [date = '', time = ''] = formatTimestampMicros(Math.floor(micros / 1_000_000) * 1_000_000, timeZone).split(' ');
  const [y, M, d] = date.split('-').map(Number);
  const [H, m, s] = time.split(':').map(Number);
  return { y: y ?? 0, M: M ?? 0, d: d ?? 0, H: H ?? 0, m: m ?? 0, s: s ?? 0 };
}

function asMicros(v: Value, type: Bound['type'], timeZone: string): number {
  return type === 'timestamp' ? Number(v) : Number(castValue(v, type, 'timestamp', timeZone));
}

/** Spark datetime patterns (the common letters): yyyy MM dd HH mm ss SSS, quoted literals. */
export function formatDatetime(micros: number, pattern: string, timeZone: string): string {
  const p = parts(micros, timeZone);
  const ms = Math.floor((((micros % 1_000_000) + 1_000_000) % 1_000_000) / 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return pattern.replace(/'[^']*'|yyyy|yy|MM|dd|HH|mm|ss|SSS|M|d|H|m|s/g, (t) => {
    switch (t) {
      case 'yyyy': return String(p.y).padStart(4, '0');
      case 'yy': return two(p.y % 100);
      case 'MM': return two(p.M);
      case 'dd': return two(p.d);
      case 'HH': return two(p.H);
      case 'mm': return two(p.m);
      case 'ss': return two(p.s);
      case 'SSS': return String(ms).padStart(3, '0');
      case 'M': return String(p.M);
      case 'd': return String(p.d);
      case 'H': return String(p.H);
      case 'm': return String(p.m);
      case 's': return String(p.s);
      default: return t.slice(1, -1);
    }
  });
}

const part = (name: 'y' | 'M' | 'd' | 'H' | 'm' | 's'): FunctionSpec => ({
  minArgs: 1,
  maxArgs: 1,
  resolve: (args, timeZone) => ({
    type: 'int', nullable: true,
    eval: nullSafe(args, ([v]) => parts(asMicros(v ?? 0, args[0]?.type ?? 'timestamp', timeZone), timeZone)[name]),
  }),
});

export const MORE_FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  round: fixed(1, 2, 'double', ([x, s]) => roundHalfUp(Number(x), s === undefined ? 0 : Number(s))),
  floor: fixed(1, 1, 'bigint', ([x]) => Math.floor(Number(x))),
  ceil: fixed(1, 1, 'bigint', ([x]) => Math.ceil(Number(x))),
  sqrt: fixed(1, 1, 'double', ([x]) => Math.sqrt(Number(x))),
  pow: fixed(2, 2, 'double', ([x, y]) => Number(x) ** Number(y)),
  regexp_replace: fixed(3, 3, 'string', ([s, re, rep]) => String(s).replace(new RegExp(String(re), 'gu'), String(rep).replace(/\$(\d)/g, '$$$1'))),
  regexp_extract: fixed(3, 3, 'string', ([s, re, idx]) => {
    const m = new RegExp(String(re), 'u').exec(String(s));
    return m === null ? '' : (m[Number(idx)] ?? '');
  }),
  instr: fixed(2, 2, 'int', ([s, sub]) => String(s).indexOf(String(sub)) + 1),
  lpad: fixed(3, 3, 'string', ([s, len, pad]) => {
    const str = String(s);
    const n = Number(len);
    return str.length >= n ? str.slice(0, n) : String(pad) === '' ? str : str.padStart(n, String(pad));
  }),
  rpad: fixed(3, 3, 'string', ([s, len, pad]) => {
    const str = String(s);
    const n = Number(len);
    return str.length >= n ? str.slice(0, n) : String(pad) === '' ? str : str.padEnd(n, String(pad));
  }),
  initcap: fixed(1, 1, 'string', ([s]) => String(s).toLowerCase().replace(/(^|\s)(\S)/g, (_m, sp: string, c: string) => sp + c.toUpperCase())),
  size: {
    minArgs: 1,
    maxArgs: 1,
    resolve: (args) => ({ type: 'int', nullable: false, eval: (row, ctx) => { const v = args[0]?.eval(row, ctx) ?? null; return Array.isArray(v) ? v.length : -1; } }),
  },
  array_contains: fixed(2, 2, 'boolean', ([arr, v]) => (Array.isArray(arr) ? arr.some((x) => x === v) : null)),
  year: part('y'),
  month: part('M'),
  dayofmonth: part('d'),
  hour: part('H'),
  minute: part('m'),
  second: part('s'),
  to_date: {
    minArgs: 1,
    maxArgs: 1,
    resolve: (args, timeZone) => ({ type: 'date', nullable: true, eval: nullSafe(args, ([v]) => castValue(v ?? null, args[0]?.type ?? 'string', 'date', timeZone)) }),
  },
  date_format: {
    minArgs: 2,
    maxArgs: 2,
    resolve: (args, timeZone) => ({
      type: 'string', nullable: true,
      eval: nullSafe(args, ([v, fmt]) => formatDatetime(asMicros(v ?? 0, args[0]?.type ?? 'timestamp', timeZone), String(fmt), timeZone)),
    }),
  },
  unix_timestamp: {
    minArgs: 1,
    maxArgs: 1,
    resolve: (args, timeZone) => ({ type: 'bigint', nullable: true, eval: nullSafe(args, ([v]) => Math.floor(asMicros(v ?? 0, args[0]?.type ?? 'timestamp', timeZone) / 1_000_000)) }),
  },
  from_unixtime: fixed(1, 2, 'string', ([secs, fmt], timeZone) => formatDatetime(Number(secs) * 1_000_000, fmt === undefined ? 'yyyy-MM-dd HH:mm:ss' : String(fmt), timeZone)),
};
