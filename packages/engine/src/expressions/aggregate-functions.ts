import { decimalParts, isDecimal, isIntegral, type DataType, type Value } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { decimalOutOfRange } from './decimal-arithmetic.js';
import { divideDecimal, exactInteger, fitsPrecision, toBig, toPrecision } from '../core/decimal.js';
import { bounded } from './decimal-type.js';
import { longArithmetic, wrapLong } from './exact-long.js';
import type { Bound } from './bound.js';
import type { BoundAggregate } from './bound-aggregate.js';
import { compareValues } from './compare.js';
import { bindCollect } from './collect-aggregates.js';
import { bindExtremumBy } from './extremum-by.js';
import { bindCentralMoment, isMomentName, MOMENT_NAMES } from './central-moments.js';
import { bindPercentile } from './percentile.js';

export const AGGREGATE_NAMES = new Set([
  'count', 'sum', 'avg', 'mean', 'min', 'max', 'first', 'last', 'collect_list', 'collect_set', 'array_agg', 'max_by', 'min_by',
  'median', 'percentile', ...MOMENT_NAMES,
]);

function sumType(t: DataType): DataType {
  const decimal = decimalParts(t);
  if (decimal !== undefined) return bounded(decimal.precision + 10, decimal.scale);
  return isIntegral(t) ? 'bigint' : 'double';
}

/** A decimal sum past its type's precision: kept in the buffer until the result is asked for. */
const OVERFLOW = 'overflow';

const sumOverflow = (hint: 'try_sum' | 'try_avg'): RuntimeError => new RuntimeError(
  `[ARITHMETIC_OVERFLOW] Overflow in sum of decimals. Use '${hint}' to tolerate overflow and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error. SQLSTATE: 22003`,
);

/**
 * Adds a value to a running sum of its type: BIGINT exactly (overflow fails under ANSI with
 * Add's error, else wraps), a DECIMAL as its unscaled value at the sum's scale (past the sum
 * type's precision the sum is OVERFLOW), DOUBLE as doubles.
 */
function sumAdder(sum: DataType, ansi: boolean): (buf: Value, v: Value) => Value {
  const decimal = decimalParts(sum);
  if (decimal !== undefined) {
    return (buf, v) => {
      if (buf === OVERFLOW || v === OVERFLOW) return OVERFLOW;
      const total = toBig(buf ?? 0) + toBig(v ?? 0);
      return fitsPrecision(total, decimal.precision) ? exactInteger(total) : OVERFLOW;
    };
  }
  if (sum === 'bigint') {
    return (buf, v) => {
      const total = longArithmetic('+', buf ?? 0, v ?? 0);
      if (total !== null) return total;
      if (ansi) throw new RuntimeError(`[ARITHMETIC_OVERFLOW] overflow. Use 'try_add' to tolerate overflow and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error. SQLSTATE: 22003`);
      return wrapLong(toBig(buf ?? 0) + toBig(v ?? 0));
    };
  }
  return (buf, v) => Number(buf ?? 0) + Number(v ?? 0);
}

/**
 * avg of a DECIMAL(p, s) (Average): DECIMAL(p + 4, s + 4), the exact sum (a DECIMAL(p + 10, s))
 * divided by the count as Decimal's `/` does, rounded HALF_UP.
 */
function decimalAverage(arg: Bound, argSql: string, ansi: boolean): BoundAggregate {
  const { precision, scale } = decimalParts(arg.type) ?? { precision: 10, scale: 0 };
  const type = bounded(precision + 4, scale + 4);
  const result = decimalParts(type) ?? { precision, scale };
  const add = sumAdder(sumType(arg.type), ansi);
  return {
    sql: `avg(${argSql})`,
    type,
    nullable: true,
    init: () => [0, 0],
    update: (buf, row, ctx) => {
      const v = arg.eval(row, ctx);
      const [sum = 0, count = 0] = buf as readonly Value[];
      return v === null ? buf : [add(sum, v), Number(count) + 1];
    },
    merge: (a, b) => {
      const [s1 = 0, c1 = 0] = a as readonly Value[];
      const [s2 = 0, c2 = 0] = b as readonly Value[];
      return [add(s1, s2), Number(c1) + Number(c2)];
    },
    result: (buf) => {
      const [sum = 0, count = 0] = buf as readonly Value[];
      if (count === 0) return null;
      if (sum === OVERFLOW) {
        if (ansi) throw sumOverflow('try_avg');
        return null;
      }
      const quotient = divideDecimal(toBig(sum), scale, BigInt(Number(count)), 0);
      const u = toPrecision(quotient.unscaled, quotient.scale, result.precision, result.scale);
      if (u !== null) return exactInteger(u);
      if (ansi) throw decimalOutOfRange(quotient, result.precision, result.scale);
      return null;
    },
  };
}

/**
 * `first(x[, ignoreNulls])` / `last(x[, ignoreNulls])`: the first (last) value of the group,
 * NULL included unless ignoreNulls (a boolean literal, default false). The buffer is NULL until
 * a value is taken, then `[value]`, so a taken NULL differs from none.
 */
function firstLast(name: 'first' | 'last', arg: Bound, ignoreNullsArg: Bound | undefined): BoundAggregate {
  const flag = ignoreNullsArg?.eval([], { batchTimestampMs: 0 }) ?? false;
  if (typeof flag !== 'boolean') {
    throw new AnalysisException(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${name}(${arg.sql}, ${ignoreNullsArg?.sql ?? ''})" due to data type mismatch: The second parameter requires the "BOOLEAN" type, however "${ignoreNullsArg?.sql ?? ''}" has the type "${ignoreNullsArg?.type === undefined ? '' : String(ignoreNullsArg.type).toUpperCase()}". SQLSTATE: 42K09`);
  }
  const ignoreNulls = flag;
  const taken = (buf: Value): boolean => buf !== null;
  return {
    sql: `${name}(${arg.sql})`,
    type: arg.type,
    nullable: true,
    init: () => null,
    update: (buf, row, ctx) => {
      if (name === 'first' && taken(buf)) return buf;
      const v = arg.eval(row, ctx);
      if (v === null && ignoreNulls) return buf;
      return [v];
    },
    merge: (a, b) => (name === 'first' ? (taken(a) ? a : b) : taken(b) ? b : a),
    result: (buf) => (Array.isArray(buf) ? ((buf as readonly Value[])[0] ?? null) : null),
  };
}

/**
 * Binds an aggregate call; DISTINCT is rejected at start() by the plan validator, as in Spark.
 * `ansi` (spark.sql.ansi.enabled) decides whether a sum that overflows fails or is NULL / wraps.
 */
export function bindAggregate(name: string, args: readonly Bound[], star: boolean, ansi = true): BoundAggregate {
  const arg = args[0];
  const argSql = star ? '1' : args.map((a) => a.sql).join(', ');
  switch (name) {
    case 'count':
      return {
        sql: `count(${argSql})`,
        type: 'bigint',
        nullable: false,
        init: () => 0,
        update: (buf, row, ctx) => (star || args.every((a) => a.eval(row, ctx) !== null) ? Number(buf) + 1 : buf),
        merge: (a, b) => Number(a) + Number(b),
        result: (buf) => buf,
      };
    case 'sum': {
      if (arg === undefined) break;
      const type = sumType(arg.type);
      const add = sumAdder(type, ansi);
      return {
        sql: `sum(${argSql})`,
        type,
        nullable: true,
        init: () => null,
        update: (buf, row, ctx) => {
          const v = arg.eval(row, ctx);
          return v === null ? buf : add(buf, v);
        },
        merge: (a, b) => (a === null ? b : b === null ? a : add(a, b)),
        result: (buf) => {
          if (buf !== OVERFLOW) return buf;
          if (ansi) throw sumOverflow('try_sum');
          return null;
        },
      };
    }
    case 'avg':
    case 'mean':
      if (arg === undefined) break;
      if (isDecimal(arg.type)) return decimalAverage(arg, argSql, ansi);
      return {
        sql: `avg(${argSql})`,
        type: 'double',
        nullable: true,
        init: () => [0, 0],
        update: (buf, row, ctx) => {
          const v = arg.eval(row, ctx);
          const [s, c] = buf as readonly number[];
          return v === null ? buf : [Number(s) + Number(v), Number(c) + 1];
        },
        merge: (a, b) => {
          const [s1, c1] = a as readonly number[];
          const [s2, c2] = b as readonly number[];
          return [Number(s1) + Number(s2), Number(c1) + Number(c2)];
        },
        result: (buf) => {
          const [s, c] = buf as readonly number[];
          return c === 0 ? null : Number(s) / Number(c);
        },
      };
    case 'first':
    case 'last':
      if (arg === undefined || args.length > 2) break;
      return firstLast(name, arg, args[1]);
    case 'min':
    case 'max':
      if (arg === undefined) break;
      return {
        sql: `${name}(${argSql})`,
        type: arg.type,
        nullable: true,
        init: () => null,
        update: (buf, row, ctx) => {
          const v = arg.eval(row, ctx);
          if (v === null) return buf;
          if (buf === null) return v;
          const c = compareValues(v, buf);
          return (name === 'min' ? c < 0 : c > 0) ? v : buf;
        },
        merge: (a, b) => {
          if (a === null) return b;
          if (b === null) return a;
          const c = compareValues(b, a);
          return (name === 'min' ? c < 0 : c > 0) ? b : a;
        },
        result: (buf) => buf,
      };
    case 'median':
    case 'percentile':
      if (arg === undefined || args.length !== (name === 'median' ? 1 : 2)) break;
      return bindPercentile(name, arg, args[1]);
    case 'max_by':
    case 'min_by':
      if (arg === undefined || args[1] === undefined || args.length !== 2) break;
      return bindExtremumBy(name, arg, args[1]);
    case 'collect_list':
    case 'array_agg':
    case 'collect_set':
      if (arg === undefined || args.length !== 1) break;
      return bindCollect(name === 'collect_set' ? name : 'collect_list', arg);
    default:
      if (isMomentName(name) && arg !== undefined && args.length === 1) return bindCentralMoment(name, arg);
      break;
  }
  throw new AnalysisException(
    `[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${name}\` requires 1 parameters but the actual number is ${args.length}. ` +
      "Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix. SQLSTATE: 42605",
  );
}
