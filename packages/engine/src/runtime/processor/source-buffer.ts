import type { ConsumedBatch, ConsumedRecord } from '../../kafka/kafka-port.js';
import type { SourceOffsets } from '../../checkpoint/offset-log.js';

interface PartitionBuffer {
  records: ConsumedRecord[];
  /**
   * Beside each record, the bytes of key and value of every record the partition has received
   * up to and including it: the bytes of a run of records is a difference of two of these.
   */
  bytesThrough: number[];
  /** Bytes of every record received so far (the last of bytesThrough, kept after a take). */
  bytes: number;
  /** Offset after the last record received. */
  next: number;
}

/** Records and bytes a partition holds at or after some offset. */
export interface Held {
  readonly records: number;
  readonly bytes: number;
}

/** Index of the first record at or after `offset` (records are in offset order). */
function firstAtOrAfter(records: readonly ConsumedRecord[], offset: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((records[mid] as ConsumedRecord).offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function recordBytes(r: ConsumedRecord): number {
  return (r.key?.length ?? 0) + (r.value?.length ?? 0);
}

/** The partition's bytes received before its held record `i` (all of them when `i` is past the last). */
function bytesBefore(part: PartitionBuffer, i: number): number {
  const r = part.records[i];
  return r === undefined ? part.bytes : (part.bytesThrough[i] as number) - recordBytes(r);
}

/**
 * Records fetched from one source topic and not yet consumed by a batch, per partition.
 * The consumer fills it; the executor reads exact offset ranges out of it.
 */
export class SourceBuffer {
  private readonly partitions = new Map<string, PartitionBuffer>();
  private waiters: Array<() => void> = [];

  constructor(initial: SourceOffsets = {}) {
    for (const [p, offset] of Object.entries(initial)) this.partitions.set(p, { records: [], bytesThrough: [], bytes: 0, next: offset });
  }

  /** Adds fetched records of one partition, stored under `key` (see SourceTopicSet.key). */
  async add(batch: ConsumedBatch, key: string = String(batch.partition)): Promise<void> {
    let part = this.partitions.get(key);
    if (part === undefined) {
      part = { records: [], bytesThrough: [], bytes: 0, next: 0 };
      this.partitions.set(key, part);
    }
    for (const r of batch.records) {
      if (r.offset < part.next) continue; // already received (re-delivery after a rebalance)
      part.records.push(r);
      part.bytes += recordBytes(r);
      part.bytesThrough.push(part.bytes);
      part.next = r.offset + 1;
    }
    // Transaction markers and aborted records take offsets no record is delivered at.
    if (batch.nextOffset > part.next) part.next = batch.nextOffset;
    this.notify();
  }

  /** Offsets up to which records have arrived: the latest offsets this source can offer. */
  available(): SourceOffsets {
    const out: Record<string, number> = {};
    for (const [p, part] of this.partitions) out[p] = part.next;
    return out;
  }

  /**
   * Caps `available` so that a batch starting at `from` takes at most `maxFiles` files
   * (records carry their file in the `header` header; a file's records are contiguous).
   */
  capByFiles(from: SourceOffsets, available: SourceOffsets, maxFiles: number, header: string): SourceOffsets {
    const out: Record<string, number> = { ...available };
    for (const [p, part] of this.partitions) {
      const start = from[p] ?? 0;
      const files = new Set<string>();
      for (const r of part.records) {
        if (r.offset < start) continue;
        const file = r.headers[header] ?? '';
        if (!files.has(file)) {
          if (files.size === maxFiles) {
            out[p] = Math.min(out[p] ?? r.offset, r.offset);
            break;
          }
          files.add(file);
        }
      }
    }
    return out;
  }

  /**
   * Shrinks `planned` so that a batch starting at `from` takes at most `maxBytes` bytes of keys
   * and values: each partition gets a share in proportion to the records planned from it, and
   * at least one record so that no partition stalls. Only records already fetched have sizes:
   * a partition is cut within them, and what lies beyond them is left as planned.
   */
  capByBytes(from: SourceOffsets, planned: SourceOffsets, maxBytes: number): SourceOffsets {
    const out: Record<string, number> = { ...planned };
    const counts = new Map<string, number>();
    for (const [p, end] of Object.entries(planned)) if (end > (from[p] ?? 0)) counts.set(p, end - (from[p] ?? 0));
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    for (const [p, count] of counts) {
      const part = this.partitions.get(p);
      if (part === undefined) continue;
      const budget = maxBytes * (count / total);
      const first = firstAtOrAfter(part.records, from[p] ?? 0);
      const before = bytesBefore(part, first);
      // The first record past the budget (or past the plan) ends the batch, the first one excepted.
      for (let i = first + 1; i < part.records.length; i++) {
        const r = part.records[i] as ConsumedRecord;
        if (r.offset >= (planned[p] as number)) break;
        if ((part.bytesThrough[i] as number) - before > budget) {
          out[p] = r.offset;
          break;
        }
      }
    }
    return out;
  }

  /** Records and bytes partition `key` holds at or after `offset`: fetched beyond a planned end. */
  heldFrom(key: string, offset: number): Held {
    const part = this.partitions.get(key);
    if (part === undefined) return { records: 0, bytes: 0 };
    const i = firstAtOrAfter(part.records, offset);
    return { records: part.records.length - i, bytes: part.bytes - bytesBefore(part, i) };
  }

  /** True when every partition in `end` has received records up to that offset. */
  hasReached(end: SourceOffsets): boolean {
    for (const [p, offset] of Object.entries(end)) {
      const part = this.partitions.get(p);
      if (offset > 0 && (part === undefined || part.next < offset)) return false;
    }
    return true;
  }

  /** Removes and returns records with start <= offset < end, partition by partition in order. */
  take(start: SourceOffsets, end: SourceOffsets): ConsumedRecord[] {
    const out: ConsumedRecord[] = [];
    const ids = [...this.partitions.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    for (const p of ids) {
      const part = this.partitions.get(p);
      if (part === undefined) continue;
      const from = start[p] ?? 0;
      const to = end[p] ?? from;
      const keep: ConsumedRecord[] = [];
      const keepBytes: number[] = [];
      for (const [i, r] of part.records.entries()) {
        if (r.offset >= to) {
          keep.push(r);
          keepBytes.push(part.bytesThrough[i] as number);
        } else if (r.offset >= from) out.push(r);
      }
      part.records = keep;
      part.bytesThrough = keepBytes;
    }
    return out;
  }

  /** Resolves at the next arrival of records, after `timeoutMs`, or when `signal` aborts. */
  waitForData(signal: AbortSignal, sleep: (ms: number, signal: AbortSignal) => Promise<void>, timeoutMs: number): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    const stopTimer = new AbortController();
    const onAbort = (): void => stopTimer.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let waiter: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => {
      waiter = resolve;
      this.waiters.push(resolve);
    });
    return Promise.race([arrived, sleep(timeoutMs, stopTimer.signal)]).finally(() => {
      stopTimer.abort();
      signal.removeEventListener('abort', onAbort);
      this.waiters = this.waiters.filter((w) => w !== waiter);
    });
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
