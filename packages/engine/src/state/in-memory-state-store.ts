import type { Value } from '../core/types.js';
import { stringifyValue } from '../core/value-json.js';
import type { StateStore } from './state-store.js';

interface Entry {
  readonly value: Value;
  /** Key and JSON value length: what the entry weighs in the store (and in Redis). */
  readonly bytes: number;
}

/**
 * A StateStore in process memory; abort() undoes the batch's changes from an undo log. Each
 * value is serialised once, when it is put: for its size here, and for Redis by the subclass.
 */
export class InMemoryStateStore implements StateStore {
  private readonly map = new Map<string, Entry>();
  private readonly undo = new Map<string, Entry | undefined>();
  private current = 0;
  private totalBytes = 0;

  get version(): number {
    return this.current;
  }

  get size(): number {
    return this.map.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get(key: string): Value | undefined {
    return this.map.get(key)?.value;
  }

  put(key: string, value: Value): void {
    const json = stringifyValue(value);
    this.written(key, json);
    this.set(key, { value, bytes: key.length + json.length });
  }

  delete(key: string): void {
    this.written(key, null);
    this.set(key, undefined);
  }

  /** Called with each put's serialised value (null for a delete). */
  protected written(_key: string, _json: string | null): void {}

  private set(key: string, entry: Entry | undefined): void {
    const previous = this.map.get(key);
    if (!this.undo.has(key)) this.undo.set(key, previous);
    this.totalBytes += (entry?.bytes ?? 0) - (previous?.bytes ?? 0);
    if (entry === undefined) this.map.delete(key);
    else this.map.set(key, entry);
  }

  *entries(): IterableIterator<[string, Value]> {
    for (const [key, entry] of this.map) yield [key, entry.value];
  }

  async commit(): Promise<number> {
    this.undo.clear();
    this.current += 1;
    return this.current;
  }

  abort(): void {
    for (const [key, previous] of this.undo) {
      this.totalBytes += (previous?.bytes ?? 0) - (this.map.get(key)?.bytes ?? 0);
      if (previous === undefined) this.map.delete(key);
      else this.map.set(key, previous);
    }
    this.undo.clear();
  }
}
