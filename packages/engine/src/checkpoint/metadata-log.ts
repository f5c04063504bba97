/**
 * A log of one entry per batch id, written once and never changed: the contract of the offset
 * log (written before a batch runs) and the commit log (written after it finished).
 */
export interface MetadataLog<T> {
  /** Adds the entry for `batchId`; false when one already exists (it is left unchanged). */
  add(batchId: number, entry: T): Promise<boolean>;
  get(batchId: number): Promise<T | null>;
  /** Entries with start <= batchId <= end, in batch order. */
  getRange(start: number, end: number): Promise<Array<{ batchId: number; entry: T }>>;
  getLatest(): Promise<{ batchId: number; entry: T } | null>;
  /** Removes every entry with a batch id below `threshold`. */
  purge(threshold: number): Promise<void>;
}
