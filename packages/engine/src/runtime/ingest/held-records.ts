import type { OutgoingRecord } from '../../kafka/kafka-port.js';

/** Records per produce request: kafkajs's encoding cost grows faster than linearly beyond this. */
const RECORDS_PER_SEND = 1000;
/** Drop the acknowledged head of the queue once it is this long. */
const COMPACT_AT = 4096;

/** A record's size as the broker counts it against message.max.bytes, less the batch overhead. */
export function recordBytes(record: OutgoingRecord): number {
  const size = (v: string | Buffer | null | undefined): number =>
    v === null || v === undefined ? 0 : typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : v.length;
  let bytes = size(record.value) + size(record.key);
  for (const [k, v] of Object.entries(record.headers ?? {})) bytes += size(k) + size(v);
  return bytes;
}

interface Held {
  readonly record: OutgoingRecord;
  readonly bytes: number;
}

/**
 * The records a source read and Kafka has not yet acknowledged, in read order, with their
 * total size. Records leave only from the head, once acknowledged or rejected; the queue is
 * an array with a moving head, compacted now and then, so taking a record is O(1).
 */
export class HeldRecords {
  private queue: Held[] = [];
  private head = 0;
  private total = 0;

  get count(): number {
    return this.queue.length - this.head;
  }

  get bytes(): number {
    return this.total;
  }

  /** The size of the first held record. */
  get headBytes(): number {
    return (this.queue[this.head] as Held).bytes;
  }

  push(record: OutgoingRecord, bytes: number): void {
    this.queue.push({ record, bytes });
    this.total += bytes;
  }

  /** How many of the held records the next request carries (by count, and by bytes up to `maxRequestBytes`). */
  nextChunkSize(maxRequestBytes: number): number {
    const end = Math.min(this.queue.length, this.head + RECORDS_PER_SEND);
    let bytes = 0;
    let i = this.head;
    for (; i < end; i++) {
      const b = (this.queue[i] as Held).bytes;
      if (i > this.head && bytes + b > maxRequestBytes) break;
      bytes += b;
    }
    return i - this.head;
  }

  /** The first `count` held records. */
  first(count: number): OutgoingRecord[] {
    return this.queue.slice(this.head, this.head + count).map((h) => h.record);
  }

  /** Lets go of the first `count` held records. */
  drop(count: number): void {
    for (let i = this.head; i < this.head + count; i++) this.total -= (this.queue[i] as Held).bytes;
    this.head += count;
    if (this.head >= COMPACT_AT && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
