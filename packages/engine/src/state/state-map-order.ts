import { ConcurrentHashMapOrder, spread } from './concurrent-hash-map-order.js';
import type { StateStore } from './state-store.js';

/**
 * The order in which Spark's default state store (HDFSBackedStateStoreProvider) iterates one
 * shuffle partition's state, replayed for an operator whose rows come out of that iterator
 * (complete mode, and append mode's evictions).
 *
 * Spark keeps a partition's state of version V in a ConcurrentHashMap. Each batch's store
 * (`getStore(V)` → getLoadedMapForStore) is a **new** map: empty at version 0, else
 * `putAll(loadMap(V))` — a copy, pre-sized for the size of the map it copies, filled in that
 * map's iteration order. The batch's puts and removes go to that copy, which is committed as
 * version V + 1 and kept in memory (loadedMaps). After a restart the provider is new: loadMap(V)
 * reads the last snapshot (none before the maintenance task writes one) into a new map, and
 * replays every delta file since — each batch's puts and removes in the order they were made —
 * into one more new map (`putAll` of the snapshot, or of an empty map).
 *
 * Here, per partition: the committed maps of this operator instance (the provider's loadedMaps:
 * a new instance after a restart, as in Spark), and a log of every batch's changes, kept with the
 * state store object (the delta files: it outlives a restart in the same process). The log is
 * compacted into a snapshot once it grows past a few times the state's size (Spark writes one
 * from its maintenance thread, at times of its own). A store with rows but no log (state loaded
 * from Redis by a new process) starts from a snapshot of its rows in the store's order.
 */

/** One change: a put (true) or remove of a key, with its spread hash. */
type Change = readonly [put: boolean, key: string, hash: number];

interface PartitionLog {
  /** Keys (with spread hashes) of the snapshot, in the order it was written; its version. */
  snapshot: ReadonlyArray<readonly [string, number]>;
  snapshotVersion: number;
  /** The changes that made each version (from the batch that ran at version - 1). */
  readonly deltas: Map<number, Change[]>;
}

interface StoreLog {
  readonly partitions: Map<number, PartitionLog>;
  changes: number;
}

const logs = new WeakMap<StateStore, StoreLog>();

/** Locates a state key: its shuffle partition and its UnsafeRow hashCode. */
export type KeyLocator = (key: string) => readonly [partition: number, hashCode: number];

export class StateMapOrder {
  /** Committed maps by partition, then version (a map per version, as loadedMaps keeps). */
  private readonly loaded = new Map<number, Map<number, ConcurrentHashMapOrder>>();
  /** This batch's maps, by partition, and the version the batch runs at. */
  private working = new Map<number, ConcurrentHashMapOrder>();
  private version = -1;
  private log: StoreLog | undefined;

  constructor(private readonly locate: KeyLocator) {}

  /**
   * Starts batch `batchId` on `store` — Spark's store version is the batch id — dropping what a
   * run of this batch that did not commit left behind, and making sure the log knows the store's
   * rows. `rows` lists the state keys in the store's order when they are not the store's own
   * keys (a session per key and start).
   */
  begin(batchId: number, store: StateStore, rows: () => Iterable<string> = () => [...store.entries()].map(([k]) => k)): void {
    const version = batchId;
    this.version = version;
    this.working = new Map();
    let log = logs.get(store);
    const keys = [...rows()];
    if (log === undefined || this.logSize(log, version) !== keys.length) {
      log = this.snapshotOf(keys, version);
      logs.set(store, log);
      this.loaded.clear();
    }
    this.log = log;
    for (const [, p] of log.partitions) {
      for (const v of [...p.deltas.keys()]) if (v > version) p.deltas.delete(v);
    }
    if (log.changes > 1000 + 4 * keys.length) this.compact(log, version);
  }

  /** Records a put of `key` (new or not) in its partition's map of this batch. */
  put(key: string): void {
    const [partition, hashCode] = this.locate(key);
    const map = this.map(partition);
    const size = map.size;
    map.put(key, hashCode);
    if (map.size !== size) this.record(partition, [true, key, spread(hashCode)]);
  }

  /** Records a remove of `key`. */
  remove(key: string): void {
    const [partition, hashCode] = this.locate(key);
    const map = this.map(partition);
    if (map.remove(key, hashCode)) this.record(partition, [false, key, spread(hashCode)]);
  }

  /** The keys of one partition's map in this batch, in its iteration order. */
  keys(partition: number): string[] {
    return this.map(partition).keys();
  }

  /** The partitions holding keys in this batch, ascending. */
  partitions(): number[] {
    const all = new Set<number>(this.working.keys());
    for (const p of this.log?.partitions.keys() ?? []) all.add(p);
    return [...all].sort((a, b) => a - b);
  }

  /**
   * Ends the batch: its maps become the version the store commits next. Every partition with
   * state gets its copy, touched or not: Spark opens every partition's store in every batch.
   */
  end(): void {
    for (const p of this.partitions()) this.map(p);
    for (const [partition, map] of this.working) {
      const versions = this.loaded.get(partition) ?? new Map<number, ConcurrentHashMapOrder>();
      versions.set(this.version + 1, map);
      for (const v of [...versions.keys()]) if (v < this.version) versions.delete(v);
      this.loaded.set(partition, versions);
    }
  }

  /** The partition's map of this batch: getStore(version) — a copy of the committed map. */
  private map(partition: number): ConcurrentHashMapOrder {
    let map = this.working.get(partition);
    if (map !== undefined) return map;
    map = new ConcurrentHashMapOrder();
    if (this.version > 0) map.putAll(this.loadMap(partition));
    this.working.set(partition, map);
    return map;
  }

  /** HDFSBackedStateStoreProvider.loadMap: the cached map, else the snapshot plus the deltas. */
  private loadMap(partition: number): ConcurrentHashMapOrder {
    const cached = this.loaded.get(partition)?.get(this.version);
    if (cached !== undefined) return cached;
    const log = this.log?.partitions.get(partition);
    const snapshot = new ConcurrentHashMapOrder();
    for (const [key, hash] of log?.snapshot ?? []) snapshot.putVal(key, hash);
    const snapshotVersion = log?.snapshotVersion ?? 0;
    let result = snapshot;
    if (snapshotVersion !== this.version || log === undefined) {
      result = new ConcurrentHashMapOrder();
      result.putAll(snapshot);
      for (let v = snapshotVersion + 1; v <= this.version; v++) {
        for (const [put, key, hash] of log?.deltas.get(v) ?? []) {
          if (put) result.putVal(key, hash);
          else result.removeVal(key, hash);
        }
      }
    }
    const versions = this.loaded.get(partition) ?? new Map<number, ConcurrentHashMapOrder>();
    versions.set(this.version, result);
    this.loaded.set(partition, versions);
    return result;
  }

  private record(partition: number, change: Change): void {
    const log = this.log;
    if (log === undefined) return;
    let p = log.partitions.get(partition);
    if (p === undefined) {
      p = { snapshot: [], snapshotVersion: 0, deltas: new Map() };
      log.partitions.set(partition, p);
    }
    const v = this.version + 1;
    let delta = p.deltas.get(v);
    if (delta === undefined) p.deltas.set(v, (delta = []));
    delta.push(change);
    log.changes += 1;
  }

  /** Rows the log holds at `version` (to check it against the store). */
  private logSize(log: StoreLog, version: number): number {
    let n = 0;
    for (const [, p] of log.partitions) {
      const keys = new Set(p.snapshot.map(([k]) => k));
      for (let v = p.snapshotVersion + 1; v <= version; v++) {
        for (const [put, key] of p.deltas.get(v) ?? []) {
          if (put) keys.add(key);
          else keys.delete(key);
        }
      }
      n += keys.size;
    }
    return n;
  }

  /** A log starting from a snapshot of the store's rows at `version`, in the store's order. */
  private snapshotOf(keys: readonly string[], version: number): StoreLog {
    const partitions = new Map<number, PartitionLog>();
    for (const key of keys) {
      const [partition, hashCode] = this.locate(key);
      let p = partitions.get(partition);
      if (p === undefined) partitions.set(partition, (p = { snapshot: [], snapshotVersion: version, deltas: new Map() }));
      (p.snapshot as Array<readonly [string, number]>).push([key, spread(hashCode)]);
    }
    return { partitions, changes: 0 };
  }

  /** Replaces each partition's log by a snapshot of its map at `version` (its iteration order). */
  private compact(log: StoreLog, version: number): void {
    for (const [partition, p] of log.partitions) {
      const map = this.loadMap(partition);
      p.snapshot = [...map.entries()];
      p.snapshotVersion = version;
      p.deltas.clear();
    }
    log.changes = 0;
  }
}
