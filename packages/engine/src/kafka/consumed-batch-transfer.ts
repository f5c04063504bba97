import type { ConsumedBatch, ConsumedHeader, ConsumedRecord, Headers } from './kafka-port.js';

/**
 * A fetched batch as it crosses from the consumer's thread to the thread that reads it: the
 * records' numbers in typed arrays and their keys and values in one byte array, all moved (not
 * copied) by postMessage, instead of one cloned object per record. Headers, rare on the records
 * Sluice reads, travel as cloned lists beside the records that have them.
 */
export interface PackedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: number;
  readonly nextOffset: number;
  readonly count: number;
  /** offset, timestamp of each record. */
  readonly numbers: Float64Array;
  /** key start, key length, value start, value length of each record in `bytes` (length -1: null). */
  readonly spans: Int32Array;
  readonly bytes: Uint8Array;
  /** The records that have headers: their index, headers by key and headers in order. */
  readonly headers: ReadonlyArray<readonly [index: number, byKey: Headers, list: readonly ConsumedHeader[]]>;
}

/** A packed batch and the buffers postMessage should move rather than copy. */
export interface Packed {
  readonly packed: PackedBatch;
  readonly transfer: ArrayBuffer[];
}

/** What a batch's records are packed from, read by index. */
export interface RecordSource {
  readonly count: number;
  offset(i: number): number;
  timestamp(i: number): number;
  key(i: number): Buffer | null;
  value(i: number): Buffer | null;
  /** The record's headers by key and in order, or null without any. */
  headers(i: number): readonly [Headers, readonly ConsumedHeader[]] | null;
}

/** Packs records read through `source` (a ConsumedBatch's, or kafkajs' own: kafkajs-port.ts). */
export function packRecords(head: Pick<ConsumedBatch, 'topic' | 'partition' | 'highWatermark' | 'nextOffset'>, source: RecordSource): Packed {
  const { count } = source;
  let size = 0;
  for (let i = 0; i < count; i++) size += (source.key(i)?.length ?? 0) + (source.value(i)?.length ?? 0);
  const numbers = new Float64Array(count * 2);
  const spans = new Int32Array(count * 4);
  const bytes = new Uint8Array(size);
  const headers: Array<readonly [number, Headers, readonly ConsumedHeader[]]> = [];
  let at = 0;
  const put = (data: Buffer | null, i: number): void => {
    if (data === null) {
      spans[i] = 0;
      spans[i + 1] = -1;
      return;
    }
    spans[i] = at;
    spans[i + 1] = data.length;
    bytes.set(data, at);
    at += data.length;
  };
  for (let i = 0; i < count; i++) {
    numbers[2 * i] = source.offset(i);
    numbers[2 * i + 1] = source.timestamp(i);
    put(source.key(i), 4 * i);
    put(source.value(i), 4 * i + 2);
    const h = source.headers(i);
    if (h !== null) headers.push([i, h[0], h[1]]);
  }
  const packed: PackedBatch = {
    topic: head.topic, partition: head.partition, highWatermark: head.highWatermark, nextOffset: head.nextOffset,
    count, numbers, spans, bytes, headers,
  };
  return { packed, transfer: [numbers.buffer as ArrayBuffer, spans.buffer as ArrayBuffer, bytes.buffer as ArrayBuffer] };
}

/** A record's headers when it has none. */
export const NO_HEADERS: Headers = Object.freeze({});
export const NO_HEADER_LIST: readonly ConsumedHeader[] = Object.freeze([]);

/** The batch again, its keys and values views of the one byte array. */
export function unpackBatch(packed: PackedBatch): ConsumedBatch {
  const { topic, partition, numbers, spans, count } = packed;
  const bytes = Buffer.from(packed.bytes.buffer, packed.bytes.byteOffset, packed.bytes.byteLength);
  // A cloned Buffer arrives as a Uint8Array: made a Buffer again, over the same memory.
  const headersAt = new Map(packed.headers.map(([i, byKey, list]) => [i, {
    byKey, list: list.map((h) => ({ key: h.key, value: h.value === null ? null : Buffer.from(h.value.buffer, h.value.byteOffset, h.value.byteLength) })),
  }]));
  const view = (i: number): Buffer | null => {
    const length = spans[i + 1] as number;
    return length < 0 ? null : bytes.subarray(spans[i] as number, (spans[i] as number) + length);
  };
  const records: ConsumedRecord[] = new Array<ConsumedRecord>(count);
  for (let i = 0; i < count; i++) {
    const headers = headersAt.get(i);
    records[i] = {
      topic, partition, offset: numbers[2 * i] as number, timestamp: numbers[2 * i + 1] as number,
      key: view(4 * i), value: view(4 * i + 2),
      headers: headers?.byKey ?? NO_HEADERS, headerList: headers?.list ?? NO_HEADER_LIST,
    };
  }
  return { topic, partition, records, highWatermark: packed.highWatermark, nextOffset: packed.nextOffset };
}
