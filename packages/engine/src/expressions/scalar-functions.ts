import { typeName, type DataType, type Value } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { nullSafe } from './bound.js';
import type { FunctionSpec } from './function-spec.js';
import { MORE_FUNCTIONS } from './more-functions.js';
import { DATE_FUNCTIONS } from './date-functions.js';
import { EXTRA_FUNCTIONS, unify } from './extra-functions.js';
import { DATETIME_FUNCTIONS } from './datetime-functions.js';
import { withDecimalArguments } from './decimal-functions.js';

/**
 * Spark's scalar functions: argument checks, result types, the SQL text column names come
 * from, and compiled evaluators. Nulls in give null out unless the function says otherwise.
 */

const str = (v: Value): string => (typeof v === 'string' ? v : String(v));

function stringFn(fn: (s: string) => Value, type: DataType = 'string'): FunctionSpec {
  return {
    minArgs: 1,
    maxArgs: 1,
    resolve: (args) => ({ type, nullable: args.some((a) => a.nullable), eval: nullSafe(args, ([s]) => fn(str(s ?? ''))) }),
  };
}

/** Spark's `substring(str, pos, len)`: 1-based, 0 counts as 1, negative counts from the end. */
export function sparkSubstring(s: string, pos: number, len: number): string {
  const chars = [...s];
  let start = pos > 0 ? pos - 1 : pos < 0 ? chars.length + pos : 0;
  let end = len === Number.MAX_SAFE_INTEGER ? chars.length : start + len;
  if (pos < 0 && start < 0) {
    end = Math.max(0, start + len);
    start = 0;
  }
  if (len <= 0) return '';
  return chars.slice(Math.max(0, start), Math.max(0, end)).join('');
}

/** Java's String.split with a limit, as Spark's `split(str, regex, limit)`. */
export function javaSplit(s: string, regex: string, limit: number): string[] {
  const re = new RegExp(regex, 'gu');
  const out: string[] = [];
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    if (limit > 0 && out.length === limit - 1) break;
    if (m[0].length === 0) {
      if (m.index >= s.length) break;
      if (m.index === 0) {
        re.lastIndex++;
        continue;
      }
    }
    out.push(s.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  out.push(s.slice(last));
  if (limit === 0) while (out.length > 1 && out[out.length - 1] === '') out.pop();
  return out;
}

const TRIM_WS = /^[ ]+|[ ]+$/g;

const BASE_FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  length: stringFn((s) => [...s].length, 'int'),
  char_length: stringFn((s) => [...s].length, 'int'),
  character_length: stringFn((s) => [...s].length, 'int'),
  upper: stringFn((s) => s.toUpperCase()),
  ucase: stringFn((s) => s.toUpperCase()),
  lower: stringFn((s) => s.toLowerCase()),
  lcase: stringFn((s) => s.toLowerCase()),
  trim: stringFn((s) => s.replace(TRIM_WS, '')),
  ltrim: stringFn((s) => s.replace(/^[ ]+/, '')),
  rtrim: stringFn((s) => s.replace(/[ ]+$/, '')),
  reverse: stringFn((s) => [...s].reverse().join('')),
  concat: {
    minArgs: 0,
    maxArgs: Infinity,
    resolve: (args) => ({ type: 'string', nullable: args.some((a) => a.nullable), eval: nullSafe(args, (vs) => vs.map(str).join('')) }),
  },
  concat_ws: {
    minArgs: 1,
    maxArgs: Infinity,
    resolve: (args) => {
      const [sep, ...rest] = args;
      return {
        type: 'string',
        nullable: sep?.nullable ?? false,
        eval: (row, ctx) => {
          const s = sep?.eval(row, ctx) ?? null;
          if (s === null) return null;
          // Array arguments add their elements; NULLs (arguments or elements) are skipped.
          return rest.flatMap((a) => { const v = a.eval(row, ctx); return Array.isArray(v) ? (v as readonly Value[]) : [v]; })
            .filter((v) => v !== null).map(str).join(str(s));
        },
      };
    },
  },
  substring: {
    minArgs: 2,
    maxArgs: 3,
    resolve: (args) => ({
      type: 'string',
      nullable: args.some((a) => a.nullable),
      sql: args.length === 2 ? `substring(${args.map((a) => a.sql).join(', ')}, 2147483647)` : undefined,
      eval: nullSafe(args, ([s, pos, len]) => sparkSubstring(str(s ?? ''), Number(pos), len === undefined ? Number.MAX_SAFE_INTEGER : Number(len))),
    }),
  },
  split: {
    minArgs: 2,
    maxArgs: 3,
    resolve: (args) => ({
      type: { kind: 'array', elementType: 'string', containsNull: false },
      nullable: args.some((a) => a.nullable),
      sql: args.length === 2 ? `split(${args.map((a) => a.sql).join(', ')}, -1)` : undefined,
      // UTF8String.split: a limit of 0 (or less) keeps trailing empty strings, as Java's limit -1.
      eval: nullSafe(args, ([s, re, limit]) => javaSplit(str(s ?? ''), str(re ?? ''), limit === undefined || Number(limit) <= 0 ? -1 : Number(limit))),
    }),
  },
  coalesce: {
    minArgs: 1,
    maxArgs: Infinity,
    resolve: (raw, timeZone) => {
      // The arguments meet at one type (numerics widened: coalesce(1.5, 10L) is a DECIMAL(21,1)).
      const { type, args } = unify('coalesce', raw, `coalesce(${raw.map((a) => a.sql).join(', ')})`, timeZone);
      return {
        type,
        nullable: args.every((a) => a.nullable),
        eval: (row, ctx) => {
          for (const a of args) {
            const v = a.eval(row, ctx);
            if (v !== null) return v;
          }
          return null;
        },
      };
    },
  },
  /** TypeOf: the argument's type as its catalogString (`int`, `decimal(12,2)`, `array<string>`). */
  typeof: {
    minArgs: 1,
    maxArgs: 1,
    resolve: (args) => {
      const name = typeName(args[0]?.type ?? 'void');
      return { type: 'string', nullable: false, eval: () => name };
    },
  },
  abs: {
    minArgs: 1,
    maxArgs: 1,
    resolve: (args) => ({ type: args[0]?.type ?? 'double', nullable: args[0]?.nullable ?? true, eval: nullSafe(args, ([v]) => (typeof v === 'bigint' ? (v < 0n ? -v : v) : Math.abs(Number(v)))) }),
  },
  /** Resolves so that the streaming check can reject it with Spark's message. */
  monotonically_increasing_id: {
    minArgs: 0,
    maxArgs: 0,
    resolve: () => ({ type: 'bigint', nullable: false, eval: () => 0 }),
  },
  current_timestamp: {
    minArgs: 0,
    maxArgs: 0,
    resolve: () => ({ type: 'timestamp', nullable: false, eval: (_row, ctx) => ctx.batchTimestampMs * 1000 }),
  },
  now: {
    minArgs: 0,
    maxArgs: 0,
    resolve: () => ({ type: 'timestamp', nullable: false, eval: (_row, ctx) => ctx.batchTimestampMs * 1000 }),
  },
  /**
   * LocalTimestamp: the batch time's wall clock in the session time zone, a TIMESTAMP_NTZ in
   * Spark. Sluice holds TIMESTAMP_NTZ values as the instant of that wall clock in the session time
   * zone (ddl-parser.ts), which for the batch time is the batch time itself.
   */
  localtimestamp: {
    minArgs: 0,
    maxArgs: 0,
    resolve: () => ({ type: 'timestamp', nullable: false, eval: (_row, ctx) => ctx.batchTimestampMs * 1000 }),
  },
};

export function checkArity(name: string, spec: FunctionSpec, count: number): void {
  if (count < spec.minArgs || count > spec.maxArgs) {
    const expected = spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : spec.maxArgs === Infinity ? `> ${spec.minArgs - 1}` : `[${spec.minArgs}, ${spec.maxArgs}]`;
    throw new AnalysisException(
      `[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${name}\` requires ${expected} parameters but the actual number is ${count}. ` +
        'Please, refer to \'https://spark.apache.org/docs/latest/sql-ref-functions.html\' for a fix. SQLSTATE: 42605',
    );
  }
}

export const SCALAR_FUNCTIONS: Readonly<Record<string, FunctionSpec>> = withDecimalArguments({ ...BASE_FUNCTIONS, ...MORE_FUNCTIONS, ...DATE_FUNCTIONS, ...EXTRA_FUNCTIONS, ...DATETIME_FUNCTIONS });
