import type { ConsumedBatch, ConsumedRecord } from '../kafka/kafka-port.js';
import type { SourceOffsets } from '../checkpoint/offset-log.js';

interface PartitionBuffer {
  records: ConsumedRecord[];
  /** Offset after the last record received. */
  next: number;
}

/**
 * Records fetched from one source topic and not yet consumed by a batch, per partition.
 * The consumer fills it; the executor reads exact offset ranges out of it.
 */
export class SourceBuffer {
  private readonly partitions = new Map<string, PartitionBuffer>();
  private waiters: Array<() => void> = [];

  constructor(initial: SourceOffsets = {}) {
    for (const [p, offset] of Object.entries(initial)) this.partitions.set(p, { records: [], next: offset });
  }

  /** Adds fetched records of one partition, stored under `key` (see SourceTopicSet.key). */
  async add(batch: ConsumedBatch, key: string = String(batch.partition)): Promise<void> {
    let part = this.partitions.get(key);
    if (part === undefined) {
      part = { records: [], next: 0 };
      this.partitions.set(key, part);
    }
    for (const r of batch.records) {
      if (r.offset < part.next) continue; // already received (re-delivery after a rebalance)
      part.records.push(r);
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
      for (const r of part.records) {
        if (r.offset >= to) keep.push(r);
        else if (r.offset >= from) out.push(r);
      }
      part.records = keep;
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
