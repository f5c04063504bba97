import { formatTimestampMicros } from '../console/render-cell.js';
import { isDecimal, isNumeric, type DataType, type Value } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { castValue } from './cast.js';
import { widerNumericType } from './decimal-type.js';
import { widerType } from './wider-type.js';
import type { FunctionSpec } from './function-spec.js';
import { nullSafe, type Bound } from './bound.js';
import { formatDatetime as formatPattern } from './datetime-pattern.js';

/** More of Spark's scalar functions: math, regular expressions, arrays and date/time parts. */

const fixed = (min: number, max: number, type: DataType, fn: (values: Value[], timeZone: string) => Value, nullable = true): FunctionSpec => ({
  minArgs: min,
  maxArgs: max,
  resolve: (args, timeZone) => ({ type, nullable: nullable || args.some((a) => a.nullable), eval: nullSafe(args, (vs) => fn(vs, timeZone)) }),
});

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

/** Spark datetime patterns: see datetime-pattern.ts. */
export { formatDatetime } from './datetime-pattern.js';

const part = (name: 'y' | 'M' | 'd' | 'H' | 'm' | 's'): FunctionSpec => ({
  minArgs: 1,
  maxArgs: 1,
  resolve: (args, timeZone) => ({
    type: 'int', nullable: true,
    eval: nullSafe(args, ([v]) => parts(asMicros(v ?? 0, args[0]?.type ?? 'timestamp', timeZone), timeZone)[name]),
  }),
});

export const MORE_FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
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
  /**
   * `arrays_zip(a, b, ...)`: an array of structs, the i-th of each array (NULL past an array's
   * end); the fields named as the column arguments, else by position (`0`, `1`, …).
   */
  arrays_zip: {
    minArgs: 0,
    maxArgs: Infinity,
    resolve: (args) => {
      const fields = args.map((a, i) => {
        const t = a.type;
        if (typeof t === 'string' || t.kind !== 'array') {
          throw new AnalysisException(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "arrays_zip(${args.map((x) => x.sql).join(', ')})" due to data type mismatch: The ${i + 1} parameter requires the "ARRAY" type, however "${a.sql}" has the type "${typeof t === 'string' ? t.toUpperCase() : t.kind.toUpperCase()}". SQLSTATE: 42K09`);
        }
        return { name: a.ordinal !== undefined ? a.name : String(i), type: t.elementType, nullable: true };
      });
      return {
        type: { kind: 'array', elementType: { kind: 'struct', fields }, containsNull: false },
        nullable: args.some((a) => a.nullable),
        eval: (row, ctx) => {
          const arrays = args.map((a) => a.eval(row, ctx));
          if (arrays.some((x) => !Array.isArray(x))) return null;
          const lists = arrays as Value[][];
          const n = Math.max(0, ...lists.map((x) => x.length));
          return Array.from({ length: n }, (_, i) => lists.map((x) => x[i] ?? null));
        },
      };
    },
  },
  /** `array(a, b, ...)`: the values as an array; numeric arguments widened to one type. */
  array: {
    minArgs: 0,
    maxArgs: Infinity,
    resolve: (args, timeZone) => {
      const types = args.map((a) => a.type).filter((t) => t !== 'void');
      const numeric = types.length > 0 && types.every((t) => isNumeric(t) || isDecimal(t));
      // Arrays, maps and structs meet element by element (an empty array() beside another array,
      // a map without NULL values beside one with them).
      const nested = types.some((t) => typeof t !== 'string');
      const elementType: DataType | null = numeric ? types.reduce<DataType>((a, b) => widerNumericType(a, b), types[0] ?? 'void')
        : nested ? widerType(types) : (types[0] ?? 'void');
      if (elementType === null || (!numeric && !nested && types.some((t) => JSON.stringify(t) !== JSON.stringify(elementType)))) {
        throw new AnalysisException(`[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve "array(${args.map((a) => a.sql).join(', ')})" due to data type mismatch: Input to \`array\` should all be the same type. SQLSTATE: 42K09`);
      }
      return {
        type: { kind: 'array', elementType, containsNull: args.some((a) => a.nullable) },
        nullable: false,
        eval: (row, ctx) => args.map((a) => {
          const v = a.eval(row, ctx);
          return v === null || a.type === elementType ? v : castValue(v, a.type, elementType, timeZone);
        }),
      };
    },
  },
  year: part('y'),
  month: part('M'),
  dayofmonth: part('d'),
  hour: part('H'),
  minute: part('m'),
  second: part('s'),
  from_unixtime: fixed(1, 2, 'string', ([secs, fmt], timeZone) => formatPattern(Number(secs) * 1_000_000, fmt === undefined ? 'yyyy-MM-dd HH:mm:ss' : String(fmt), timeZone)),
};
