import type { Value } from '../core/types.js';
import { stringifyValue } from '../core/value-json.js';
import type { BoundAggregate } from './bound-aggregate.js';
import type { Bound } from './bound.js';
import { normalizeFloating, sparkHashSetOrder } from './spark-hash-set.js';

/**
 * Spark's `collect_list(x)` and `collect_set(x)` (collect.scala, CollectList/CollectSet): the
 * non-null values of a group as an array, named `collect_list(x)`, typed
 * `array<type of x>` with `containsNull = false`, never null (`[]` when every value was null).
 * The buffer is the array itself, so it serialises into the state store as it is: a list in
 * arrival order; a set in first-seen order, put into Spark's HashSet order on output.
 */

/** Set membership as Spark's HashSet decides it: NaN equals NaN, nested values by content. */
function sameElement(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  return Array.isArray(a) && Array.isArray(b) && stringifyValue(a) === stringifyValue(b);
}

function addDistinct(set: readonly Value[], v: Value): readonly Value[] {
  return set.some((x) => sameElement(x, v)) ? set : [...set, v];
}

export function bindCollect(name: 'collect_list' | 'collect_set', arg: Bound): BoundAggregate {
  const isSet = name === 'collect_set';
  const elementType = arg.type;
  const ae = arg.eval;
  return {
    sql: `${name}(${arg.sql})`,
    type: { kind: 'array', elementType, containsNull: false },
    nullable: false,
    init: () => [],
    update: (buf, row, ctx) => {
      const v = ae(row, ctx);
      if (v === null) return buf;
      const items = buf as readonly Value[];
      return isSet ? addDistinct(items, normalizeFloating(v, elementType)) : [...items, v];
    },
    merge: (a, b) => {
      const left = a as readonly Value[];
      const right = b as readonly Value[];
      return isSet ? right.reduce<readonly Value[]>(addDistinct, left) : [...left, ...right];
    },
    result: (buf) => (isSet ? sparkHashSetOrder(buf as readonly Value[], elementType) : buf),
  };
}
