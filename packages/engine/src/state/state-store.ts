import type { Value } from '../core/types.js';

/**
 * The state of one stateful operator (for one partition): a versioned key-value map. Changes
 * made during a batch become the next version at `commit()`, or are dropped by `abort()`.
 * Reads and writes are synchronous on the store's cache; `commit` makes them durable.
 */
export interface StateStore {
  readonly version: number;
  get(key: string): Value | undefined;
  put(key: string, value: Value): void;
  delete(key: string): void;
  entries(): IterableIterator<[string, Value]>;
  readonly size: number;
  /** Approximate bytes held (keys and JSON values), kept up to date by put and delete. */
  readonly bytes: number;
  /** Makes this batch's changes the new version; resolves with that version. */
  commit(): Promise<number>;
  /** Drops this batch's changes. */
  abort(): void;
}

/** Hands each stateful operator its store, by operator id. */
export type StateStoreProvider = (operatorId: string) => StateStore;
