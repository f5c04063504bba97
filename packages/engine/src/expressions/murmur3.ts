import { decimalParts, mapEntries, type DataType, type Value } from '../core/types.js';

/**
 * Spark's Murmur3 hashing (common/unsafe Murmur3_x86_32 and catalyst's HashExpression /
 * Murmur3HashFunction): what `hash(...)` returns and what HashPartitioning shuffles by.
 * Every result is a signed 32-bit int, as in Java.
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

/** Murmur3_x86_32.hashInt. */
export function hashInt(input: number, seed: number): number {
  return fmix(mixH1(seed, mixK1(input | 0)), 4);
}

/** Murmur3_x86_32.hashLong, the long given as its two 32-bit halves: low word first. */
export function hashLongWords(hi: number, lo: number, seed: number): number {
  const h = mixH1(mixH1(seed, mixK1(lo | 0)), mixK1(hi | 0));
  return fmix(h, 8);
}

const scratch = new DataView(new ArrayBuffer(8));

/** An exact integer (a number, or a bigint past 2^53) as a Java long's halves (two's complement). */
function longWords(v: number | bigint): [number, number] {
  if (typeof v === 'number' && Number.isSafeInteger(v)) {
    const lo = v % 0x1_0000_0000;
    return [Math.floor(v / 0x1_0000_0000) | 0, lo | 0];
  }
  const b = BigInt.asIntN(64, typeof v === 'bigint' ? v : BigInt(Math.trunc(v)));
  return [Number(BigInt.asIntN(32, b >> 32n)), Number(BigInt.asIntN(32, b))];
}

/** Murmur3_x86_32.hashLong of an exact integer. */
export function hashLong(v: number | bigint, seed: number): number {
  const [hi, lo] = longWords(v);
  return hashLongWords(hi, lo, seed);
}

/** Murmur3_x86_32.hashUnsafeBytes: 4-byte little-endian words, then each tail byte (signed) alone. */
export function hashUnsafeBytes(bytes: Uint8Array, seed: number): number {
  const aligned = bytes.length - (bytes.length % 4);
  let h = seed;
  for (let i = 0; i < aligned; i += 4) {
    const word = (bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8) | ((bytes[i + 2] ?? 0) << 16) | ((bytes[i + 3] ?? 0) << 24);
    h = mixH1(h, mixK1(word));
  }
  for (let i = aligned; i < bytes.length; i++) h = mixH1(h, mixK1(((bytes[i] ?? 0) << 24) >> 24));
  return fmix(h, bytes.length);
}

/** Murmur3_x86_32.hashUnsafeWords (UnsafeRow.hashCode): a word-aligned byte sequence. */
export function hashUnsafeWords(bytes: Uint8Array, seed: number): number {
  let h = seed;
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    const word = (bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8) | ((bytes[i + 2] ?? 0) << 16) | ((bytes[i + 3] ?? 0) << 24);
    h = mixH1(h, mixK1(word));
  }
  return fmix(h, bytes.length);
}

const utf8 = new TextEncoder();

/** A string's UTF-8 bytes (Spark's UTF8String). */
export function utf8Bytes(s: string): Uint8Array {
  return utf8.encode(s);
}

/** A binary value (a hex string in Sluice) as bytes. */
export function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Java's Float.floatToIntBits (NaN canonical). */
export function floatToIntBits(f: number): number {
  if (Number.isNaN(f)) return 0x7fc00000;
  scratch.setFloat32(0, f, true);
  return scratch.getInt32(0, true);
}

/** Java's Double.doubleToLongBits (NaN canonical), as [hi, lo]. */
export function doubleToLongWords(d: number): [number, number] {
  if (Number.isNaN(d)) return [0x7ff80000, 0];
  scratch.setFloat64(0, d, true);
  return [scratch.getInt32(4, true), scratch.getInt32(0, true)];
}

/**
 * Murmur3HashFunction.hash (InterpretedHashFunction): one value of a type, folded into `seed`.
 * NULL leaves the seed as it is; booleans hash as 1/0; byte, short, int and date as ints; long,
 * timestamp and day-time interval as longs; -0.0 as 0; a string or binary its bytes; an array
 * its elements, a map its keys and values in turn and a struct its fields, each folded into the
 * hash of the one before.
 */
export function murmur3Value(v: Value, type: DataType, seed: number): number {
  if (v === null) return seed;
  if (typeof type === 'object') {
    const items = v as readonly Value[];
    let h = seed;
    if (type.kind === 'array') for (const item of items) h = murmur3Value(item, type.elementType, h);
    else if (type.kind === 'map') for (const [k, x] of mapEntries(v)) h = murmur3Value(x, type.valueType, murmur3Value(k, type.keyType, h));
    else type.fields.forEach((f, i) => { h = murmur3Value(items[i] ?? null, f.type, h); });
    return h;
  }
  switch (type) {
    case 'boolean': return hashInt(v === true ? 1 : 0, seed);
    case 'tinyint': case 'smallint': case 'int': case 'date': case 'interval year to month':
      return hashInt(Number(v), seed);
    case 'bigint':
      return hashLong(typeof v === 'bigint' ? v : Number(v), seed);
    case 'timestamp': case 'interval':
      return hashLong(Number(v), seed);
    case 'float': {
      const f = Number(v);
      return hashInt(f === 0 ? 0 : floatToIntBits(f), seed);
    }
    case 'double': {
      const d = Number(v);
      const [hi, lo] = d === 0 ? [0, 0] : doubleToLongWords(d);
      return hashLongWords(hi, lo, seed);
    }
    case 'string': return hashUnsafeBytes(utf8Bytes(String(v)), seed);
    case 'binary': return hashUnsafeBytes(hexBytes(String(v)), seed);
    case 'void': return seed;
    default: return hashDecimal(v, type, seed);
  }
}

/**
 * A DECIMAL: its unscaled value as a long up to precision 18, else the bytes of
 * `BigInteger.toByteArray()` of the unscaled value.
 */
function hashDecimal(v: Value, type: DataType, seed: number): number {
  const precision = decimalParts(type)?.precision ?? 0;
  if (precision <= 18) return hashLong(typeof v === 'bigint' ? v : Number(v), seed);
  return hashUnsafeBytes(bigIntegerBytes(typeof v === 'bigint' ? v : BigInt(Number(v))), seed);
}

/** Java's BigInteger.toByteArray: the fewest big-endian two's-complement bytes, at least one. */
export function bigIntegerBytes(b: bigint): Uint8Array {
  let n = 1;
  while (b < -(1n << BigInt(8 * n - 1)) || b >= 1n << BigInt(8 * n - 1)) n++;
  const out = new Uint8Array(n);
  let x = BigInt.asUintN(8 * n, b);
  for (let i = n - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/** Murmur3Hash(children, seed): each child's value folded into the hash of the ones before. */
export function murmur3Hash(values: readonly Value[], types: readonly DataType[], seed = 42): number {
  let h = seed;
  for (let i = 0; i < values.length; i++) h = murmur3Value(values[i] ?? null, types[i] ?? 'void', h);
  return h;
}

/** Spark's Pmod: the non-negative remainder. */
export function pmod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/**
 * The shuffle partition of a row (HashPartitioning.partitionIdExpression):
 * `pmod(murmur3hash(keys, 42), numPartitions)`.
 */
export function hashPartition(values: readonly Value[], types: readonly DataType[], numPartitions: number): number {
  return pmod(murmur3Hash(values, types, 42), numPartitions);
}
