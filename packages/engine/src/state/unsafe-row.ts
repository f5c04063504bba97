import { decimalParts, mapEntries, type DataType, type Value } from '../core/types.js';
import { bigIntegerBytes, doubleToLongWords, floatToIntBits, hashUnsafeWords, hexBytes, utf8Bytes } from '../expressions/murmur3.js';

/**
 * The bytes of Spark's UnsafeRow (catalyst UnsafeRowWriter) for a row of values, and its
 * `hashCode()`: Murmur3_x86_32.hashUnsafeWords over those bytes with seed 42. A state store
 * key is an UnsafeRow, so this hash places it in HDFSBackedStateStoreMap's ConcurrentHashMap.
 *
 * Layout: a null bit set (one 8-byte word per 64 fields), one 8-byte slot per field (a fixed-width
 * value, little-endian, in its low bytes; zero when null), then the variable-length values
 * (strings, binary, structs, arrays) each padded with zeros to a whole word, their slots holding
 * `offset << 32 | size` with the offset from the row's start.
 */

class Bytes {
  buf = new Uint8Array(64);
  view = new DataView(this.buf.buffer);
  length = 0;

  reserve(n: number): number {
    const at = this.length;
    const need = at + n;
    if (need > this.buf.length) {
      const next = new Uint8Array(Math.max(need, this.buf.length * 2));
      next.set(this.buf);
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.length = need;
    return at;
  }
}

const roundToWord = (n: number): number => (n + 7) & ~7;

/** Bytes a fixed-width array element takes (UnsafeArrayWriter's elementSize). */
function elementSize(type: DataType): number {
  switch (type) {
    case 'boolean': case 'tinyint': return 1;
    case 'smallint': return 2;
    case 'int': case 'date': case 'float': case 'interval year to month': return 4;
    default: return 8;
  }
}

/** A DECIMAL wider than a long (precision > 18) is stored as its unscaled BigInteger's bytes. */
const isWideDecimal = (type: DataType): boolean => (decimalParts(type)?.precision ?? 0) > 18;

function isFixedWidth(type: DataType): boolean {
  return typeof type === 'string' && type !== 'string' && type !== 'binary' && !isWideDecimal(type);
}

/** Writes a fixed-width value at `at` (the slot is already zero). */
function writeFixed(out: Bytes, at: number, v: Value, type: DataType): void {
  const view = out.view;
  switch (type) {
    case 'boolean': view.setUint8(at, v === true ? 1 : 0); return;
    case 'tinyint': view.setInt8(at, Number(v)); return;
    case 'smallint': view.setInt16(at, Number(v), true); return;
    case 'int': case 'date': case 'interval year to month': view.setInt32(at, Number(v), true); return;
    case 'float': view.setInt32(at, floatToIntBits(Number(v)), true); return;
    case 'double': {
      const [hi, lo] = doubleToLongWords(Number(v));
      view.setInt32(at, lo, true);
      view.setInt32(at + 4, hi, true);
      return;
    }
    case 'void': return;
    // A long (exact past 2^53 as a bigint), a timestamp, or a narrow DECIMAL's unscaled value.
    default: view.setBigInt64(at, typeof v === 'bigint' ? BigInt.asIntN(64, v) : BigInt(Math.trunc(Number(v))), true);
  }
}

/**
 * Appends a variable-length value at the cursor, word-aligned; returns its offset and size. A
 * wide DECIMAL takes 16 bytes in a row (UnsafeRowWriter), its bytes rounded to a word in an array.
 */
function writeVariable(out: Bytes, base: number, v: Value, type: DataType, inRow = true): [number, number] {
  const start = out.length;
  if (isWideDecimal(type)) {
    const bytes = bigIntegerBytes(typeof v === 'bigint' ? v : BigInt(Number(v)));
    const at = out.reserve(inRow ? 16 : roundToWord(bytes.length));
    out.buf.set(bytes, at);
    return [start - base, bytes.length];
  }
  if (type === 'string' || type === 'binary') {
    const bytes = type === 'string' ? utf8Bytes(String(v)) : hexBytes(String(v));
    const at = out.reserve(roundToWord(bytes.length));
    out.buf.set(bytes, at);
    return [start - base, bytes.length];
  }
  if (typeof type === 'object' && type.kind === 'struct') {
    writeRow(out, v as readonly Value[], type.fields.map((f) => f.type));
  } else if (typeof type === 'object' && type.kind === 'map') {
    // UnsafeMapData: the key array's size in bytes, the key array, the value array.
    const entries = mapEntries(v);
    const sizeAt = out.reserve(8);
    writeArray(out, entries.map((e) => e[0]), type.keyType);
    out.view.setBigInt64(sizeAt, BigInt(out.length - sizeAt - 8), true);
    writeArray(out, entries.map((e) => e[1]), type.valueType);
  } else if (typeof type === 'object') {
    writeArray(out, v as readonly Value[], type.elementType);
  }
  return [start - base, out.length - start];
}

function writeRow(out: Bytes, values: readonly Value[], types: readonly DataType[]): void {
  const n = types.length;
  const bitset = ((n + 63) >> 6) * 8;
  const base = out.reserve(bitset + 8 * n);
  for (let i = 0; i < n; i++) {
    const v = values[i] ?? null;
    const type = types[i] ?? 'void';
    const slot = base + bitset + 8 * i;
    if (v === null) {
      out.buf[base + (i >> 3)] = (out.buf[base + (i >> 3)] ?? 0) | (1 << (i & 7));
      // A NULL wide DECIMAL still takes its 16 bytes, its offset kept (UnsafeRowWriter.write(null)).
      if (isWideDecimal(type)) out.view.setInt32(slot + 4, out.reserve(16) - base, true);
    } else if (isFixedWidth(type)) {
      writeFixed(out, slot, v, type);
    } else {
      const [offset, size] = writeVariable(out, base, v, type);
      out.view.setInt32(slot, size, true);
      out.view.setInt32(slot + 4, offset, true);
    }
  }
}

function writeArray(out: Bytes, items: readonly Value[], elementType: DataType): void {
  const n = items.length;
  const header = 8 + ((n + 63) >> 6) * 8;
  const size = elementSize(elementType);
  const fixed = isFixedWidth(elementType);
  const base = out.reserve(header + roundToWord((fixed ? size : 8) * n));
  out.view.setBigInt64(base, BigInt(n), true);
  for (let i = 0; i < n; i++) {
    const v = items[i] ?? null;
    const at = base + header + (fixed ? size : 8) * i;
    if (v === null) {
      out.buf[base + 8 + (i >> 3)] = (out.buf[base + 8 + (i >> 3)] ?? 0) | (1 << (i & 7));
    } else if (fixed) {
      writeFixed(out, at, v, elementType);
    } else {
      const [offset, length] = writeVariable(out, base, v, elementType, false);
      out.view.setInt32(at, length, true);
      out.view.setInt32(at + 4, offset, true);
    }
  }
}

/** The bytes of the UnsafeRow holding `values` (of `types`). */
export function unsafeRowBytes(values: readonly Value[], types: readonly DataType[]): Uint8Array {
  const out = new Bytes();
  writeRow(out, values, types);
  return out.buf.subarray(0, out.length);
}

/** UnsafeRow.hashCode(): hashUnsafeWords(row bytes, 42). */
export function unsafeRowHashCode(values: readonly Value[], types: readonly DataType[]): number {
  return hashUnsafeWords(unsafeRowBytes(values, types), 42);
}
