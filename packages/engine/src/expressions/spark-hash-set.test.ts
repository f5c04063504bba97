import type { DataType, Value } from '../core/types.js';
import { hashUnsafeBytes } from './murmur3.js';
import { hashSetTableLength, sparkHashSetOrder } from './spark-hash-set.js';

const murmur3Bytes = (bytes: Uint8Array): number => hashUnsafeBytes(bytes, 42);

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const micros = (iso: string): number => Date.parse(`${iso}Z`) * 1000;

describe('Murmur3_x86_32.hashUnsafeBytes (UTF8String.hashCode, seed 42)', () => {
  // Spark 4.2.0: `select hash('a'), hash('hello'), hash('日本'), hash(''), hash('abcde')`
  // (Murmur3Hash of a string is hashUnsafeBytes with seed 42, as UTF8String.hashCode).
  it.each<[string, number]>([
    ['a', 1485273170],
    ['hello', -1008564952],
    ['日本', -336983209],
    ['', 142593372],
    ['abcde', 814637928],
  ])('hash(%j) = %d', (s, expected) => {
    expect(murmur3Bytes(utf8(s))).toBe(expected);
  });
});

describe("collect_set's order: Scala mutable.HashSet iteration (collect.scala, CollectSet)", () => {
  // Each expected order is what Spark 4.2.0 (local[2], UTC) printed for
  // `select collect_set(x) from values ... as t(x)` with the values in the order given.
  it.each<[string, DataType, Value[], Value[]]>([
    ['strings', 'string', ['a', 'b', 'c', 'hello', 'world', 'spark', 'apple', 'cat', 'dog'],
      ['a', 'dog', 'spark', 'world', 'apple', 'cat', 'c', 'hello', 'b']],
    ['multi-byte strings', 'string', ['日本', 'é', 'abcd', 'abcde'], ['abcde', 'é', 'abcd', '日本']],
    ['ints: bucket, then ascending improved hash inside a bucket', 'int', [-1, 100, 17, 65536, -65536, 16, 0, 33],
      [-1, 0, 16, 17, 33, 65536, 100, -65536]],
    ['longs beyond an int hash as Long.hashCode', 'bigint', [1, 5_000_000_000, -3, 2], [1, -3, 2, 5_000_000_000]],
    ['doubles hash their doubleToLongBits', 'double', [1.5, 2, -0.5, 3.25, 100], [-0.5, 2, 1.5, 100, 3.25]],
    ['floats hash their floatToIntBits', 'float', [1.5, -2.25, 0], [-2.25, 0, 1.5]],
    ['booleans hash 1231 / 1237', 'boolean', [true, false], [false, true]],
    ['dates hash their day number', 'date', [day('2024-01-01'), day('2023-05-05'), day('1970-01-02')],
      [day('1970-01-02'), day('2023-05-05'), day('2024-01-01')]],
    ['timestamps hash their microseconds as a long', 'timestamp',
      [micros('2024-01-01T00:00:00'), micros('1970-01-01T00:00:01'), micros('2000-06-15T12:30:00')],
      [micros('2024-01-01T00:00:00'), micros('2000-06-15T12:30:00'), micros('1970-01-01T00:00:01')]],
    // 15 strings: 32 buckets. Spark 4.2.0 streaming (MemoryStream, complete mode, console) after
    // adding '0'..'9' then '10'..'14': its final aggregate merges the one state buffer of 15
    // into a new set, sized for 15. (A batch `collect_set` over range(0, 15) on local[2]
    // printed another order: two partial sets of 7 and 8 merged without growing past 16 buckets.)
    ['15 strings in a 32-bucket table', 'string', Array.from({ length: 15 }, (_, i) => String(i)),
      ['14', '13', '3', '2', '11', '10', '1', '5', '9', '4', '12', '7', '6', '8', '0']],
    ['range(0, 30) (64 buckets)', 'bigint', Array.from({ length: 30 }, (_, i) => 29 - i), Array.from({ length: 30 }, (_, i) => i)],
  ])('%s', (_what, type, values, expected) => {
    expect(sparkHashSetOrder(values, type)).toEqual(expected);
  });

  it('grows the table (16 buckets, doubled at a 0.75 load factor) as adds reach the threshold', () => {
    expect(hashSetTableLength(0)).toBe(16);
    expect(hashSetTableLength(11)).toBe(16);
    expect(hashSetTableLength(12)).toBe(32);
    expect(hashSetTableLength(23)).toBe(32);
    expect(hashSetTableLength(24)).toBe(64);
  });

  it('keeps first-seen order for values whose hash Sluice does not model (arrays)', () => {
    const type: DataType = { kind: 'array', elementType: 'int', containsNull: false };
    expect(sparkHashSetOrder([[3], [1, 2]], type)).toEqual([[3], [1, 2]]);
  });
});
