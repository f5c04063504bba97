import { decimalParts, isIntegral, isNumeric, typeSql, type DataType, type Value } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { nullSafe, type Bound, type Evaluator } from './bound.js';
import { castValue } from './cast.js';
import { pow10, toBig } from '../core/decimal.js';
import type { FunctionSpec } from './function-spec.js';

/**
 * Spark's date arithmetic (datetimeExpressions.scala): `current_date()`, `date_add`/`date_sub`
 * (DateAdd/DateSub) and `timestamp_seconds` (SecondsToTimestamp), with Spark 4's ANSI input
 * rules: implicit casts of strings fail on malformed input (CAST_INVALID_INPUT), other input
 * types fail analysis with DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE.
 */

const ORDINALS = ['first', 'second'] as const;

function unexpectedType(callSql: string, position: number, required: string, arg: Bound): AnalysisException {
  return new AnalysisException(
    `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${callSql}" due to data type mismatch: ` +
      `The ${ORDINALS[position] ?? 'first'} parameter requires the ${required} type, however "${arg.sql}" has the type "${typeSql(arg.type)}". SQLSTATE: 42K09`,
  );
}

/** The argument's values as `to` (Spark's implicit cast), or the argument as it is. */
function implicitCast(arg: Bound, to: DataType, timeZone: string): Bound {
  if (arg.type === to) return arg;
  const from = arg.type;
  const inner: Evaluator = arg.eval;
  return { ...arg, type: to, eval: (row, ctx) => castValue(inner(row, ctx), from, to, timeZone) };
}

const DAYS_TYPES: readonly DataType[] = ['int', 'smallint', 'tinyint'];

/**
 * `date_add(start, days)` / `date_sub(start, days)`: start a DATE (a TIMESTAMP or STRING is cast
 * to one), days an INT, SMALLINT or TINYINT (a STRING is cast to INT). The sum is Java int
 * arithmetic, so it wraps as Spark's does (`date_add(DATE'2024-01-01', 2147483647)` is
 * `-5877587-06-21`).
 */
function dateArithmetic(name: 'date_add' | 'date_sub', sign: 1 | -1): FunctionSpec {
  return {
    minArgs: 2,
    maxArgs: 2,
    resolve: (args, timeZone) => {
      const [start, days] = args as [Bound, Bound];
      const callSql = `${name}(${start.sql}, ${days.sql})`;
      if (!['date', 'timestamp', 'string', 'void'].includes(start.type as string)) throw unexpectedType(callSql, 0, '"DATE"', start);
      if (!DAYS_TYPES.includes(days.type) && days.type !== 'string' && days.type !== 'void') {
        throw unexpectedType(callSql, 1, '("INT" or "SMALLINT" or "TINYINT")', days);
      }
      const s = implicitCast(start, 'date', timeZone);
      const d = days.type === 'string' ? implicitCast(days, 'int', timeZone) : days;
      return {
        type: 'date',
        nullable: start.nullable || days.nullable,
        sql: callSql,
        eval: nullSafe([s, d], ([a, b]) => (Number(a) + sign * Number(b)) | 0),
      };
    },
  };
}

const LONG_MAX = 2n ** 63n - 1n;

/** Long.MaxValue / MICROS_PER_SECOND: more whole seconds than this overflow a timestamp. */
const MAX_SECONDS = 9223372036854;

/** SecondsToTimestamp: integral seconds exactly (overflow fails), fractional ones truncated to micros. */
const timestampSeconds: FunctionSpec = {
  minArgs: 1,
  maxArgs: 1,
  resolve: (args) => {
    const [x] = args as [Bound];
    const decimal = decimalParts(x.type);
    if (!isNumeric(x.type) && decimal === undefined && x.type !== 'void') throw unexpectedType(`timestamp_seconds(${x.sql})`, 0, '"NUMERIC"', x);
    if (decimal !== undefined) {
      // The seconds times 10^6 as BigDecimal.longValueExact: a fraction of a microsecond fails.
      return {
        type: 'timestamp',
        nullable: x.nullable,
        eval: nullSafe([x], ([v]) => {
          const micros = toBig(v) * pow10(6);
          const p = pow10(decimal.scale);
          if (micros % p !== 0n) throw new RuntimeError('Rounding necessary');
          const whole = micros / p;
          if (whole > LONG_MAX || whole < -LONG_MAX - 1n) throw new RuntimeError('Overflow');
          return Number(whole);
        }),
      };
    }
    if (isIntegral(x.type) || x.type === 'void') {
      return {
        type: 'timestamp',
        nullable: x.nullable,
        eval: nullSafe([x], ([v]) => {
          const seconds = Number(v);
          if (seconds > MAX_SECONDS || seconds < -MAX_SECONDS - 1) throw new RuntimeError('long overflow');
          return seconds * 1_000_000;
        }),
      };
    }
    return {
      type: 'timestamp',
      nullable: true,
      eval: nullSafe([x], ([v]): Value => {
        const seconds = Number(v);
        if (!Number.isFinite(seconds)) return null;
        const micros = Math.trunc(seconds * 1_000_000);
        return micros === 0 ? 0 : micros;
      }),
    };
  },
};

/** UnixMicros / UnixMillis / UnixSeconds: a timestamp as whole units since the epoch (floored). */
function unixUnits(name: string, microsPerUnit: number): FunctionSpec {
  return {
    minArgs: 1,
    maxArgs: 1,
    resolve: (args) => {
      const [x] = args as [Bound];
      if (x.type !== 'timestamp' && x.type !== 'void') throw unexpectedType(`${name}(${x.sql})`, 0, '"TIMESTAMP"', x);
      return { type: 'bigint', nullable: x.nullable, eval: nullSafe([x], ([v]) => Math.floor(Number(v) / microsPerUnit)) };
    },
  };
}

/** `current_date()` (also `current_date` and `curdate()`): the batch timestamp's date in the session time zone. */
const currentDate: FunctionSpec = {
  minArgs: 0,
  maxArgs: 0,
  resolve: (_args, timeZone) => ({
    type: 'date',
    nullable: false,
    sql: 'current_date()',
    eval: (_row, ctx) => castValue(ctx.batchTimestampMs * 1000, 'timestamp', 'date', timeZone),
  }),
};

export const DATE_FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  current_date: currentDate,
  curdate: currentDate,
  date_add: dateArithmetic('date_add', 1),
  dateadd: dateArithmetic('date_add', 1),
  date_sub: dateArithmetic('date_sub', -1),
  timestamp_seconds: timestampSeconds,
  unix_micros: unixUnits('unix_micros', 1),
  unix_millis: unixUnits('unix_millis', 1000),
  unix_seconds: unixUnits('unix_seconds', 1_000_000),
};
