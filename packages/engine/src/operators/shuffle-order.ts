import type { DataType, Value } from '../core/types.js';
import { parseValues } from '../core/value-json.js';
import { compareValues } from '../expressions/compare.js';
import { hashPartition } from '../expressions/murmur3.js';
import { unsafeRowHashCode } from '../state/unsafe-row.js';
import type { KeyLocator } from '../state/state-map-order.js';

/**
 * The order in which Spark's stateful operators emit rows. A stateful operator needs its input
 * clustered by its keys, so the planner puts a shuffle before it (EnsureRequirements: Exchange
 * hashpartitioning(keys, spark.sql.shuffle.partitions), HashPartitioning.partitionIdExpression =
 * `pmod(murmur3hash(keys, 42), numPartitions)`). Each partition is one task; the console sink
 * collects the tasks' rows in partition order. Inside a partition rows arrive map task by map
 * task (input partition order: MemoryStream makes one per added batch of rows), each map task's
 * rows in their order — so, as Sluice flattens input partitions in that order, a stable sort by
 * partition of the rows in Sluice's order gives Spark's.
 *
 * What a partition emits then depends on the operator:
 * - dropDuplicates (StreamingDeduplicateExec): the new rows in input order;
 * - aggregation, update mode: the groups the batch changed, in the order the merging hash
 *   aggregate (HashAggregateExec: BytesToBytesMap / its fast row-based map, both iterated in
 *   insertion order) first saw them;
 * - aggregation, complete mode and append mode's evictions: the state store's iteration
 *   order (StateStoreSaveExec over HDFSBackedStateStoreProvider's ConcurrentHashMap, see
 *   state-map-order.ts), kept by the final hash aggregate;
 * - an aggregation whose buffers are not all fixed-width (min/max/first/last of a string,
 *   binary, array or struct) without a collect_list/collect_set runs as SortAggregateExec
 *   (Aggregate.supportsHashAggregate): its input is sorted by the grouping keys (ascending,
 *   nulls first) in every partition, in every output mode.
 */

/** `items` stably sorted by partition (then by `within`, when given). */
export function byPartition<T>(items: readonly T[], partitionOf: (item: T) => number, within?: (a: T, b: T) => number): T[] {
  const keyed = items.map((item, i) => ({ item, i, p: partitionOf(item) }));
  keyed.sort((a, b) => a.p - b.p || (within === undefined ? 0 : within(a.item, b.item)) || a.i - b.i);
  return keyed.map((k) => k.item);
}

/** The shuffle partition of a row's key values. */
export function partitionOf(values: readonly Value[], types: readonly DataType[], numPartitions: number): number {
  return types.length === 0 ? 0 : hashPartition(values.map(normalizeKey), types, numPartitions);
}

/** NormalizeFloatingNumbers on a grouping key: -0.0 is 0.0. */
function normalizeKey(v: Value): Value {
  return Object.is(v, -0) ? 0 : v;
}

/** Grouping values in SortExec's ascending order, nulls first, key after key. */
export function compareKeys(a: readonly Value[], b: readonly Value[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = compareValues(a[i] ?? null, b[i] ?? null);
    if (c !== 0) return c;
  }
  return 0;
}

/** UnsafeRow.isMutable: the buffer types a hash aggregate can update in place. */
export function isMutableBufferType(type: DataType): boolean {
  return typeof type === 'string' && type !== 'string' && type !== 'binary';
}

/**
 * Locates an aggregation's state keys (the JSON of their grouping values): the shuffle partition
 * and the hashCode of the UnsafeRow Spark keys its state store with.
 */
export function groupKeyLocator(types: readonly DataType[], numPartitions: number): KeyLocator {
  return (key) => {
    const values = parseValues(key).map(normalizeKey);
    return [partitionOf(values, types, numPartitions), unsafeRowHashCode(values, types)];
  };
}
