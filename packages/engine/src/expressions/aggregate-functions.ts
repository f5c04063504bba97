import { isIntegral, type DataType, type Row, type Value } from '../api/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import type { Bound, EvalContext } from './bound.js';
import { compareValues } from './compare.js';
import { bindCollect } from './collect-aggregates.js';

/**
 * Spark's declarative aggregates over a serialisable buffer (so buffers can live in a state
 * store): the buffer starts at `init`, takes rows with `update`, and `result` gives the value.
 */
export interface BoundAggregate {
  readonly sql: string;
  readonly type: DataType;
  readonly nullable: boolean;
  init(): Value;
  update(buffer: Value, row: Row, ctx: EvalContext): Value;
  /** Combines two buffers (session windows merge their sessions' buffers). */
  merge(a: Value, b: Value): Value;
  result(buffer: Value): Value;
}

export const AGGREGATE_NAMES = new Set(['count', 'sum', 'avg', 'mean', 'min', 'max', 'first', 'last', 'collect_list', 'collect_set', 'array_agg']);

function sumType(t: DataType): DataType {
  return isIntegral(t) ? 'bigint' : 'double';
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

/** Binds an aggregate call; DISTINCT is rejected at start() by the plan validator, as in Spark. */
export function bindAggregate(name: string, args: readonly Bound[], star: boolean): BoundAggregate {
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
    case 'sum':
      if (arg === undefined) break;
      return {
        sql: `sum(${argSql})`,
        type: sumType(arg.type),
        nullable: true,
        init: () => null,
        update: (buf, row, ctx) => {
          const v = arg.eval(row, ctx);
          return v === null ? buf : (buf === null ? 0 : Number(buf)) + Number(v);
        },
        merge: (a, b) => (a === null ? b : b === null ? a : Number(a) + Number(b)),
        result: (buf) => buf,
      };
    case 'avg':
    case 'mean':
      if (arg === undefined) break;
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
    case 'collect_list':
    case 'array_agg':
    case 'collect_set':
      if (arg === undefined || args.length !== 1) break;
      return bindCollect(name === 'collect_set' ? name : 'collect_list', arg);
    default:
      break;
  }
  throw new AnalysisException(
    `[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${name}\` requires 1 parameters but the actual number is ${args.length}. ` +
      "Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix. SQLSTATE: 42605",
  );
}
