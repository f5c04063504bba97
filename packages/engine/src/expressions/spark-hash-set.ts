import type { DataType, Value } from '../core/types.js';
import { doubleToLongWords, floatToIntBits, hashUnsafeBytes, utf8Bytes } from './murmur3.js';

/**
 * The order Spark's `collect_set` returns its elements in. CollectSet (collect.scala) keeps
 * them in a Scala 2.13 `mutable.HashSet` and returns its iteration order: bucket by bucket
 * (`improveHash(h) & (tableLength - 1)`, `improveHash(h) = h ^ (h >>> 16)`), and inside a
 * bucket by ascending improved hash (HashSet.addElem keeps chains sorted). `h` is the element's
 * `##` as CollectSet stores it: ints, dates, bytes and shorts are themselves; longs and
 * timestamps `longHash`; booleans 1231/1237; strings UTF8String.hashCode (Murmur3_x86_32
 * hashUnsafeBytes, seed 42); doubles the long `doubleToLongBits` (floats the int
 * `floatToIntBits`) after NormalizeFloatingNumbers (-0.0 → 0.0, one NaN).
 *
 * The table starts at 16 buckets and doubles when an add finds `size + 1 >= 0.75 * length`;
 * a merge (`++=`) only pre-sizes it for the set merged in. A streaming aggregation's last step
 * merges the group's one saved buffer into a new set, so the length follows the number of
 * distinct elements, as here. (A batch query merging partial sets can end with fewer buckets,
 * an order Sluice does not reproduce.) Arrays, structs and binary keep first-seen order.
 */

/** Scala's `Statics.longHash`: the int itself when the long fits in one, else `Long.hashCode`. */
function longHash(hi: number, lo: number): number {
  return hi === lo >> 31 ? lo : (lo ^ hi) | 0;
}

function longHashOf(v: number): number {
  const b = BigInt.asIntN(64, BigInt(Math.trunc(v)));
  return longHash(Number(BigInt.asIntN(32, b >> 32n)), Number(BigInt.asIntN(32, b)));
}

/** NormalizeFloatingNumbers: -0.0 becomes 0.0 (NaN has one bit pattern once boxed). */
export function normalizeFloating(v: Value, type: DataType): Value {
  return (type === 'double' || type === 'float') && v === 0 ? 0 : v;
}

/** The `##` of the value CollectSet keeps for `v`, or null when Sluice does not model it. */
export function collectSetHash(v: Value, type: DataType): number | null {
  if (v === null) return 0;
  switch (type) {
    case 'int': case 'smallint': case 'tinyint': case 'date':
      return Number(v) | 0;
    case 'bigint': case 'timestamp':
      return longHashOf(Number(v));
    case 'boolean':
      return v === true ? 1231 : 1237;
    case 'string':
      return hashUnsafeBytes(utf8Bytes(String(v)), 42);
    case 'double': {
      const d = Number(v);
      const [hi, lo] = doubleToLongWords(d === 0 ? 0 : d);
      return longHash(hi, lo);
    }
    case 'float': {
      const f = Number(v);
      return floatToIntBits(f === 0 ? 0 : f);
    }
    default:
      return null;
  }
}

/** Buckets of the HashSet holding `size` elements (16, doubled at a 0.75 load factor). */
export function hashSetTableLength(size: number): number {
  let length = 16;
  while (size >= Math.floor(length * 0.75)) length *= 2;
  return length;
}

/** `distinct` (first-seen order) in the order Spark's HashSet iterates them. */
export function sparkHashSetOrder(distinct: readonly Value[], elementType: DataType): Value[] {
  const hashes = distinct.map((v) => collectSetHash(v, elementType));
  if (hashes.some((h) => h === null)) return [...distinct];
  const mask = hashSetTableLength(distinct.length) - 1;
  const keyed = distinct.map((value, i) => {
    const h = hashes[i] ?? 0;
    const improved = (h ^ (h >>> 16)) | 0;
    return { value, bucket: improved & mask, improved, i };
  });
  keyed.sort((a, b) => a.bucket - b.bucket || a.improved - b.improved || a.i - b.i);
  return keyed.map((k) => k.value);
}
