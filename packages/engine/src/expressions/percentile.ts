import { isNumeric, typeSql, type Value } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import type { BoundAggregate } from './bound-aggregate.js';
import type { Bound } from './bound.js';
import { castValue } from './cast.js';

/**
 * Spark's `median(x)` (Percentile at 0.5) and `percentile(x, p)` for one constant `p` in
 * [0, 1]: DOUBLE, the value at position `(n - 1) * p` of the non-null values in order, linearly
 * interpolated between the two values around it (Percentile.getPercentile). The buffer is the
 * values as doubles (Spark keeps their counts; the result is the same).
 */
export function bindPercentile(name: 'median' | 'percentile', arg: Bound, percentage: Bound | undefined): BoundAggregate {
  const sql = name === 'median' ? `median(${arg.sql})` : `percentile(${arg.sql}, ${percentage?.sql ?? ''}, 1)`;
  if (!isNumeric(arg.type) && !(typeof arg.type === 'string' && arg.type.startsWith('decimal'))) {
    throw new AnalysisException(
      `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${sql}" due to data type mismatch: The first parameter requires the "NUMERIC" type, however "${arg.sql}" has the type "${typeSql(arg.type)}". SQLSTATE: 42K09`,
    );
  }
  const given = percentage?.eval([], { batchTimestampMs: 0 }) ?? null;
  const p = name === 'median' ? 0.5 : given === null || percentage === undefined ? Number.NaN : Number(castValue(given, percentage.type, 'double', 'UTC'));
  if (!(p >= 0 && p <= 1)) {
    throw new AnalysisException(`[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve "${sql}" due to data type mismatch: The \`percentage\` must be between [0.0, 1.0], but got ${String(p)}. SQLSTATE: 42K09`);
  }
  return {
    sql,
    type: 'double',
    nullable: true,
    init: () => [],
    update: (buf, row, ctx) => {
      const v = arg.eval(row, ctx);
      return v === null ? buf : [...(buf as readonly Value[]), Number(castValue(v, arg.type, 'double', 'UTC'))];
    },
    merge: (a, b) => [...(a as readonly Value[]), ...(b as readonly Value[])],
    result: (buf) => {
      const values = (buf as readonly number[]).slice().sort((x, y) => x - y);
      if (values.length === 0) return null;
      const position = (values.length - 1) * p;
      const lower = Math.floor(position);
      const higher = Math.ceil(position);
      const lowerKey = values[lower] ?? 0;
      const higherKey = values[higher] ?? 0;
      if (higher === lower || higherKey === lowerKey) return lowerKey;
      return (higher - position) * lowerKey + (position - lower) * higherKey;
    },
  };
}
