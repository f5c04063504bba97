import type { Value } from '../core/types.js';
import type { BoundAggregate } from './bound-aggregate.js';
import type { Bound } from './bound.js';
import { compareValues } from './compare.js';

/**
 * `max_by(x, y)` / `min_by(x, y)` (Spark's MaxBy / MinBy): the `x` of the row with the largest
 * (smallest) `y`; rows whose `y` is NULL are skipped, and of equal `y` the later row wins (the
 * buffer is kept only when its ordering is strictly better). The buffer is `[x, y]`, NULL
 * before any row with a `y`.
 */
export function bindExtremumBy(name: 'max_by' | 'min_by', value: Bound, ordering: Bound): BoundAggregate {
  // MaxBy's predicate `old > new` (MinBy's `old < new`): true keeps the buffer.
  const keepOld = (oldOrdering: Value, newOrdering: Value): boolean => {
    const c = compareValues(oldOrdering, newOrdering);
    return name === 'max_by' ? c > 0 : c < 0;
  };
  const pick = (buf: Value, next: Value): Value => {
    if (next === null) return buf;
    if (buf === null) return next;
    const [, o] = buf as readonly Value[];
    const [, n] = next as readonly Value[];
    return keepOld(o ?? null, n ?? null) ? buf : next;
  };
  return {
    sql: `${name}(${value.sql}, ${ordering.sql})`,
    type: value.type,
    nullable: true,
    init: () => null,
    update: (buf, row, ctx) => {
      const o = ordering.eval(row, ctx);
      return o === null ? buf : pick(buf, [value.eval(row, ctx), o]);
    },
    merge: (a, b) => pick(a, b),
    result: (buf) => (buf === null ? null : ((buf as readonly Value[])[0] ?? null)),
  };
}
