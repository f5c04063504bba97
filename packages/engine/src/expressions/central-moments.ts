import { isNumeric, typeSql, type Value } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import type { BoundAggregate } from './bound-aggregate.js';
import type { Bound } from './bound.js';
import { castValue } from './cast.js';

/**
 * Spark's second-moment aggregates (CentralMomentAgg): `stddev_samp` (also `stddev`, `std`),
 * `stddev_pop`, `var_samp` (also `variance`), `var_pop`, DOUBLE, over the argument as a double.
 * The buffer is `[n, avg, m2]`, updated and merged with Spark's formulas (Welford's update, and
 * Chan's merge), so the doubles come out as Spark's do. A sample statistic of one value is NULL
 * (spark.sql.legacy.statisticalAggregate=false).
 */
export const MOMENT_NAMES = ['stddev', 'std', 'stddev_samp', 'stddev_pop', 'variance', 'var_samp', 'var_pop'] as const;
export type MomentName = (typeof MOMENT_NAMES)[number];

export function isMomentName(name: string): name is MomentName {
  return (MOMENT_NAMES as readonly string[]).includes(name);
}

/** Binds one of them; its column name keeps the name as called (`stddev(x)`, `variance(x)`), as Spark's. */
export function bindCentralMoment(name: MomentName, arg: Bound): BoundAggregate {
  if (!isNumeric(arg.type) && !(typeof arg.type === 'string' && arg.type.startsWith('decimal'))) {
    throw new AnalysisException(
      `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${name}(${arg.sql})" due to data type mismatch: The first parameter requires the "DOUBLE" type, however "${arg.sql}" has the type "${typeSql(arg.type)}". SQLSTATE: 42K09`,
    );
  }
  const sample = name === 'stddev' || name === 'std' || name === 'stddev_samp' || name === 'variance' || name === 'var_samp';
  const root = name === 'stddev' || name === 'std' || name === 'stddev_samp' || name === 'stddev_pop';
  const asDouble = (v: Value): number => Number(castValue(v, arg.type, 'double', 'UTC'));
  return {
    sql: `${name}(${arg.sql})`,
    type: 'double',
    nullable: true,
    init: () => [0, 0, 0],
    update: (buf, row, ctx) => {
      const v = arg.eval(row, ctx);
      if (v === null) return buf;
      const [n = 0, avg = 0, m2 = 0] = buf as readonly number[];
      const x = asDouble(v);
      const newN = n + 1;
      const delta = x - avg;
      const deltaN = delta / newN;
      return [newN, avg + deltaN, m2 + delta * (delta - deltaN)];
    },
    merge: (a, b) => {
      const [n1 = 0, avg1 = 0, m21 = 0] = a as readonly number[];
      const [n2 = 0, avg2 = 0, m22 = 0] = b as readonly number[];
      const newN = n1 + n2;
      const delta = avg2 - avg1;
      const deltaN = newN === 0 ? 0 : delta / newN;
      return [newN, avg1 + deltaN * n2, m21 + m22 + delta * deltaN * n1 * n2];
    },
    result: (buf) => {
      const [n = 0, , m2 = 0] = buf as readonly number[];
      if (n === 0) return null;
      if (sample && n === 1) return null;
      const v = m2 / (sample ? n - 1 : n);
      return root ? Math.sqrt(v) : v;
    },
  };
}
