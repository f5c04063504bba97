import type { DataType, Value } from '../api/types.js';

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

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixK1(k: number): number {
  const k1 = Math.imul(k, C1);
  return Math.imul((k1 << 15) | (k1 >>> 17), C2);
}

function mixH1(h: number, k: number): number {
  const h1 = h ^ k;
  return (Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64) | 0;
}

function fmix(h: number, length: number): number {
  let h1 = h ^ length;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  return h1 | 0;
}

/** Spark's Murmur3_x86_32.hashUnsafeBytes: 4-byte little-endian words, then each tail byte signed. */
export function murmur3Bytes(bytes: Uint8Array, seed = 42): number {
  const aligned = bytes.length - (bytes.length % 4);
  let h = seed;
  for (let i = 0; i < aligned; i += 4) {
    const word = (bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8) | ((bytes[i + 2] ?? 0) << 16) | ((bytes[i + 3] ?? 0) << 24);
    h = mixH1(h, mixK1(word));
  }
  for (let i = aligned; i < bytes.length; i++) h = mixH1(h, mixK1(((bytes[i] ?? 0) << 24) >> 24));
  return fmix(h, bytes.length);
}

const encoder = new TextEncoder();
const view = new DataView(new ArrayBuffer(8));

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
      return murmur3Bytes(encoder.encode(String(v)));
    case 'double': {
      const d = Number(v);
      if (Number.isNaN(d)) return longHash(0x7ff80000, 0);
      view.setFloat64(0, d === 0 ? 0 : d);
      return longHash(view.getInt32(0), view.getInt32(4));
    }
    case 'float': {
      const f = Number(v);
      if (Number.isNaN(f)) return 0x7fc00000;
      view.setFloat32(0, f === 0 ? 0 : f);
      return view.getInt32(0);
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
