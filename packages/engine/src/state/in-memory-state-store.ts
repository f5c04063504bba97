import type { Value } from '../api/types.js';
import type { StateStore } from './state-store.js';

/** A StateStore in process memory; abort() undoes the batch's changes from an undo log. */
export class InMemoryStateStore implements StateStore {
  private readonly map = new Map<string, Value>();
  private readonly undo = new Map<string, Value | undefined>();
  private current = 0;

  get version(): number {
    return this.current;
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string): Value | undefined {
    return this.map.get(key);
  }

  put(key: string, value: Value): void {
    if (!this.undo.has(key)) this.undo.set(key, this.map.get(key));
    this.map.set(key, value);
  }

  delete(key: string): void {
    if (!this.undo.has(key)) this.undo.set(key, this.map.get(key));
    this.map.delete(key);
  }

  entries(): IterableIterator<[string, Value]> {
    return this.map.entries();
  }

  async commit(): Promise<number> {
    this.undo.clear();
    this.current += 1;
    return this.current;
  }

  abort(): void {
    for (const [key, previous] of this.undo) {
      if (previous === undefined) this.map.delete(key);
      else this.map.set(key, previous);
    }
    this.undo.clear();
  }
}
