import { typeSql, type DataType, type Value } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { nullSafe, type Bound } from './bound.js';
import { castValue } from './cast.js';
import { dayOfYear, epochDay, formatDatetime, localDateTime, parseDatetime, DatetimeParseFailure } from './datetime-pattern.js';
import type { FunctionSpec } from './function-spec.js';

/**
 * Spark's datetime functions that read or print patterns (`date_format`, `to_timestamp`,
 * `to_date`, `unix_timestamp` with a format) and the date parts and differences (`datediff`,
 * `dayofweek`, `dayofyear`, `weekday`, `quarter`). Under ANSI (Spark 4's default) a text that
 * does not parse fails with CANNOT_PARSE_TIMESTAMP; the `try_` forms give NULL.
 */

const DEFAULT_TIMESTAMP_PATTERN = 'yyyy-MM-dd HH:mm:ss';

function cannotParse(failure: DatetimeParseFailure, tryFunction: string): RuntimeError {
  return new RuntimeError(`[CANNOT_PARSE_TIMESTAMP] ${failure.message}. Use \`${tryFunction}\` to tolerate invalid input string and return NULL instead. SQLSTATE: 22007`);
}

function unexpectedType(callSql: string, ordinal: string, required: string, arg: Bound): AnalysisException {
  return new AnalysisException(
    `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${callSql}" due to data type mismatch: ` +
      `The ${ordinal} parameter requires the ${required} type, however "${arg.sql}" has the type "${typeSql(arg.type)}". SQLSTATE: 42K09`,
  );
}

/** A value of a DATE, TIMESTAMP or STRING argument as an instant (microseconds). */
function asMicros(v: Value, type: DataType, timeZone: string): number | null {
  if (type === 'timestamp') return Number(v);
  const micros = castValue(v, type, 'timestamp', timeZone);
  return micros === null ? null : Number(micros);
}

/** A value of a DATE, TIMESTAMP or STRING argument as a date (days since the epoch). */
function asDays(v: Value, type: DataType, timeZone: string): number {
  return type === 'date' ? Number(v) : Number(castValue(v, type, 'date', timeZone));
}

const DATE_INPUTS = new Set<DataType>(['date', 'timestamp', 'string', 'void']);

/**
 * `to_timestamp(s[, fmt])`, `to_date(s[, fmt])`, `unix_timestamp([s[, fmt]])` and their `try_`
 * forms: text parsed with the pattern (an instant), a DATE or TIMESTAMP taken as it is.
 */
function parsing(name: string, result: 'timestamp' | 'date' | 'seconds', tryFunction: boolean): FunctionSpec {
  const tryName = result === 'date' ? 'try_to_date' : 'try_to_timestamp';
  return {
    minArgs: result === 'seconds' ? 0 : 1,
    maxArgs: 2,
    resolve: (args, timeZone, ansi = true) => {
      const tryMode = tryFunction || !ansi;
      const [value, format] = args as [Bound | undefined, Bound | undefined];
      const type: DataType = result === 'seconds' ? 'bigint' : result;
      const defaultPattern = result === 'seconds' ? `, ${DEFAULT_TIMESTAMP_PATTERN}` : '';
      const sql = value === undefined ? `${name}(current_timestamp(), ${DEFAULT_TIMESTAMP_PATTERN})` : `${name}(${value.sql}${format === undefined ? defaultPattern : `, ${format.sql}`})`;
      if (value !== undefined && !DATE_INPUTS.has(value.type) && !(result === 'timestamp' && typeof value.type === 'string')) {
        throw unexpectedType(sql, 'first', '("STRING" or "DATE" or "TIMESTAMP" or "TIMESTAMP_NTZ")', value);
      }
      const toResult = (micros: number): Value => {
        if (result === 'timestamp') return micros;
        if (result === 'seconds') return Math.floor(micros / 1_000_000);
        const t = localDateTime(micros, timeZone);
        return epochDay(t.year, t.month, t.day);
      };
      const parse = (text: string, pattern: string | undefined): Value => {
        // Without a pattern, to_timestamp and to_date are the casts (CAST_INVALID_INPUT under ANSI).
        if (pattern === undefined && result !== 'seconds') return castValue(text, 'string', result, timeZone, tryMode);
        const parsed = parseDatetime(text, pattern ?? DEFAULT_TIMESTAMP_PATTERN, timeZone);
        if (parsed instanceof DatetimeParseFailure) {
          if (tryMode) return null;
          throw cannotParse(parsed, tryName);
        }
        return toResult(parsed);
      };
      return {
        type,
        nullable: true,
        sql,
        eval: (row, ctx) => {
          if (value === undefined) return toResult(ctx.batchTimestampMs * 1000);
          const v = value.eval(row, ctx);
          if (v === null) return null;
          if (value.type !== 'string') {
            const micros = asMicros(v, value.type, timeZone);
            return micros === null ? null : toResult(micros);
          }
          let pattern: string | undefined;
          if (format !== undefined) {
            const f = format.eval(row, ctx);
            if (f === null) return null;
            pattern = String(f);
          }
          return parse(String(v), pattern);
        },
      };
    },
  };
}

const dateFormat: FunctionSpec = {
  minArgs: 2,
  maxArgs: 2,
  resolve: (args, timeZone) => {
    const [value, format] = args as [Bound, Bound];
    return {
      type: 'string',
      nullable: true,
      eval: nullSafe([value, format], ([v, fmt]) => {
        const micros = asMicros(v, value.type, timeZone);
        return micros === null ? null : formatDatetime(micros, String(fmt), timeZone);
      }),
    };
  },
};

/** A part of a date (a TIMESTAMP or STRING argument cast to DATE first). */
function datePart(name: string, fn: (year: number, month: number, day: number, epochDays: number) => number): FunctionSpec {
  return {
    minArgs: 1,
    maxArgs: 1,
    resolve: (args, timeZone) => {
      const arg = args[0] as Bound;
      if (!DATE_INPUTS.has(arg.type)) throw unexpectedType(`${name}(${arg.sql})`, 'first', '"DATE"', arg);
      return {
        type: 'int',
        nullable: arg.nullable,
        eval: nullSafe([arg], ([v]) => {
          const days = asDays(v, arg.type, timeZone);
          const d = new Date(days * 86_400_000);
          return fn(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), days);
        }),
      };
    },
  };
}

/** Day of week of days since the epoch (1970-01-01 was a Thursday): 0 Monday … 6 Sunday. */
const mondayBased = (days: number): number => (((days + 3) % 7) + 7) % 7;

const dateDiff: FunctionSpec = {
  minArgs: 2,
  maxArgs: 2,
  resolve: (args, timeZone) => {
    const [end, start] = args as [Bound, Bound];
    const sql = `datediff(${end.sql}, ${start.sql})`;
    args.forEach((a, i) => {
      if (!DATE_INPUTS.has(a.type)) throw unexpectedType(sql, i === 0 ? 'first' : 'second', '"DATE"', a);
    });
    return {
      type: 'int',
      nullable: end.nullable || start.nullable,
      eval: nullSafe([end, start], ([e, s]) => asDays(e, end.type, timeZone) - asDays(s, start.type, timeZone)),
    };
  },
};

export const DATETIME_FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  to_timestamp: parsing('to_timestamp', 'timestamp', false),
  try_to_timestamp: parsing('try_to_timestamp', 'timestamp', true),
  to_date: parsing('to_date', 'date', false),
  try_to_date: parsing('try_to_date', 'date', true),
  unix_timestamp: parsing('unix_timestamp', 'seconds', false),
  to_unix_timestamp: parsing('to_unix_timestamp', 'seconds', false),
  date_format: dateFormat,
  datediff: dateDiff,
  /** 1 (Sunday) to 7 (Saturday). */
  dayofweek: datePart('dayofweek', (_y, _m, _d, days) => ((mondayBased(days) + 1) % 7) + 1),
  /** 0 (Monday) to 6 (Sunday). */
  weekday: datePart('weekday', (_y, _m, _d, days) => mondayBased(days)),
  dayofyear: datePart('dayofyear', (y, m, d) => dayOfYear(y, m, d)),
  quarter: datePart('quarter', (_y, m) => Math.ceil(m / 3)),
};
