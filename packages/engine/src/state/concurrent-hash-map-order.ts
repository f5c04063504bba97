/**
 * The iteration order of a `java.util.concurrent.ConcurrentHashMap` (JDK 17), for one thread:
 * the map Spark's HDFSBackedStateStoreProvider keeps a partition's state in
 * (NoPrefixHDFSBackedStateStoreMap), so the order complete and append mode emit state rows in.
 * Only keys and their hashes are kept: the structure (table, bins, resizes) is replayed exactly.
 *
 * A key's bin is `spread(hashCode) & (table length - 1)`, `spread(h) = (h ^ h >>> 16) & 0x7fffffff`;
 * iteration walks the bins in index order and each bin's list from its head. A new key is
 * appended to its bin's list; a resize (`transfer`, when the count reaches `sizeCtl`) splits
 * each bin in two, keeping the longest tail run whose nodes go to the same new bin and
 * prepending the others to it (so they reverse). `putAll` first pre-sizes the table
 * (`tryPresize`). A bin of 8 or more nodes grows a table below 64 bins; in a larger table it
 * becomes a tree bin, where new nodes go to the head of the list (the tree's own shape, which
 * decides when a shrinking tree turns back into a list, is not modelled: here at 6 nodes).
 */

const MAXIMUM_CAPACITY = 1 << 30;
const DEFAULT_CAPACITY = 16;
const TREEIFY_THRESHOLD = 8;
const UNTREEIFY_THRESHOLD = 6;
const MIN_TREEIFY_CAPACITY = 64;

interface ChmNode {
  readonly hash: number;
  readonly key: string;
  next: ChmNode | null;
}

interface TreeBin {
  readonly tree: true;
  first: ChmNode | null;
}

type Bin = ChmNode | TreeBin | null;

const isTree = (b: Bin): b is TreeBin => b !== null && 'tree' in b;

/** ConcurrentHashMap.spread. */
export function spread(h: number): number {
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

/** ConcurrentHashMap.tableSizeFor: the smallest power of two >= c (at least 1). */
function tableSizeFor(c: number): number {
  let n = 1;
  while (n < c && n < MAXIMUM_CAPACITY) n *= 2;
  return n;
}

function listLength(n: ChmNode | null): number {
  let count = 0;
  for (let e = n; e !== null; e = e.next) count++;
  return count;
}

/** A copy of a list, node for node, in order. */
function copyList(head: ChmNode | null): ChmNode | null {
  let first: ChmNode | null = null;
  let tail: ChmNode | null = null;
  for (let e = head; e !== null; e = e.next) {
    const p: ChmNode = { hash: e.hash, key: e.key, next: null };
    if (tail === null) first = p;
    else tail.next = p;
    tail = p;
  }
  return first;
}

export class ConcurrentHashMapOrder {
  private table: Bin[] | null = null;
  private sizeCtl = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The table's length (0 before the first insert). */
  get capacity(): number {
    return this.table?.length ?? 0;
  }

  private initTable(): Bin[] {
    const n = this.sizeCtl > 0 ? this.sizeCtl : DEFAULT_CAPACITY;
    this.table = new Array<Bin>(n).fill(null);
    this.sizeCtl = n - (n >>> 2);
    return this.table;
  }

  has(key: string, hashCode: number): boolean {
    const table = this.table;
    if (table === null) return false;
    const hash = spread(hashCode);
    const f = table[(table.length - 1) & hash] ?? null;
    for (let e = isTree(f) ? f.first : f; e !== null; e = e.next) if (e.hash === hash && e.key === key) return true;
    return false;
  }

  /** ConcurrentHashMap.put (putVal): a new key is appended to its bin; an existing one stays. */
  put(key: string, hashCode: number): void {
    this.putVal(key, spread(hashCode));
  }

  /** put, for a hash already spread (as entries() gives it). */
  putVal(key: string, hash: number): void {
    const table = this.table ?? this.initTable();
    const i = (table.length - 1) & hash;
    const f = table[i] ?? null;
    if (f === null) {
      table[i] = { hash, key, next: null };
      this.addCount(0);
      return;
    }
    if (isTree(f)) {
      for (let e = f.first; e !== null; e = e.next) if (e.hash === hash && e.key === key) return;
      f.first = { hash, key, next: f.first };
      this.addCount(2);
      return;
    }
    let binCount = 1;
    let found = false;
    for (let e: ChmNode = f; ; binCount++) {
      if (e.hash === hash && e.key === key) {
        found = true;
        break;
      }
      if (e.next === null) {
        e.next = { hash, key, next: null };
        break;
      }
      e = e.next;
    }
    if (binCount >= TREEIFY_THRESHOLD) this.treeifyBin(i);
    if (!found) this.addCount(binCount);
  }

  /** ConcurrentHashMap.remove: the node is unlinked; nothing else moves, the table never shrinks. */
  remove(key: string, hashCode: number): boolean {
    return this.removeVal(key, spread(hashCode));
  }

  /** remove, for a hash already spread. */
  removeVal(key: string, hash: number): boolean {
    const table = this.table;
    if (table === null) return false;
    const i = (table.length - 1) & hash;
    const f = table[i] ?? null;
    const head = isTree(f) ? f.first : f;
    let pred: ChmNode | null = null;
    for (let e = head; e !== null; pred = e, e = e.next) {
      if (e.hash !== hash || e.key !== key) continue;
      if (isTree(f)) {
        if (pred === null) f.first = e.next;
        else pred.next = e.next;
        if (listLength(f.first) <= UNTREEIFY_THRESHOLD) table[i] = copyList(f.first);
      } else if (pred === null) {
        table[i] = e.next;
      } else {
        pred.next = e.next;
      }
      this.count -= 1;
      return true;
    }
    return false;
  }

  /** ConcurrentHashMap.putAll: tryPresize(m.size()), then put each of m's keys in m's order. */
  putAll(other: ConcurrentHashMapOrder): void {
    this.tryPresize(other.size);
    for (const [key, hash] of other.entries()) this.putVal(key, hash);
  }

  /** The keys with their spread hashes, in iteration order. */
  *entries(): IterableIterator<[string, number]> {
    const table = this.table;
    if (table === null) return;
    for (const bin of table) {
      for (let e = isTree(bin) ? bin.first : bin; e !== null; e = e.next) yield [e.key, e.hash];
    }
  }

  /** The keys in iteration order. */
  keys(): string[] {
    return [...this.entries()].map(([k]) => k);
  }

  private addCount(check: number): void {
    this.count += 1;
    if (check < 0) return;
    while (this.table !== null && this.count >= this.sizeCtl && this.table.length < MAXIMUM_CAPACITY) this.transfer();
  }

  private tryPresize(size: number): void {
    const c = size >= (MAXIMUM_CAPACITY >>> 1) ? MAXIMUM_CAPACITY : tableSizeFor(size + (size >>> 1) + 1);
    for (;;) {
      const sc = this.sizeCtl;
      const table = this.table;
      if (table === null || table.length === 0) {
        const n = sc > c ? sc : c;
        this.table = new Array<Bin>(n).fill(null);
        this.sizeCtl = n - (n >>> 2);
        continue;
      }
      if (c <= sc || table.length >= MAXIMUM_CAPACITY) return;
      this.transfer();
    }
  }

  private treeifyBin(index: number): void {
    const table = this.table;
    if (table === null) return;
    const n = table.length;
    if (n < MIN_TREEIFY_CAPACITY) {
      this.tryPresize(n << 1);
      return;
    }
    const b = table[index] ?? null;
    if (b !== null && !isTree(b)) table[index] = { tree: true, first: copyList(b) };
  }

  /** ConcurrentHashMap.transfer: the table doubles, each bin splitting into bins i and i + n. */
  private transfer(): void {
    const table = this.table;
    if (table === null) return;
    const n = table.length;
    const next = new Array<Bin>(n << 1).fill(null);
    for (let i = n - 1; i >= 0; i--) {
      const f = table[i] ?? null;
      if (f === null) continue;
      if (isTree(f)) {
        let lo: ChmNode | null = null;
        let loTail: ChmNode | null = null;
        let hi: ChmNode | null = null;
        let hiTail: ChmNode | null = null;
        let lc = 0;
        let hc = 0;
        for (let e = f.first; e !== null; e = e.next) {
          const p: ChmNode = { hash: e.hash, key: e.key, next: null };
          if ((e.hash & n) === 0) {
            if (loTail === null) lo = p;
            else loTail.next = p;
            loTail = p;
            lc++;
          } else {
            if (hiTail === null) hi = p;
            else hiTail.next = p;
            hiTail = p;
            hc++;
          }
        }
        next[i] = lc <= UNTREEIFY_THRESHOLD ? lo : { tree: true, first: lo };
        next[i + n] = hc <= UNTREEIFY_THRESHOLD ? hi : { tree: true, first: hi };
        continue;
      }
      let runBit = f.hash & n;
      let lastRun: ChmNode = f;
      for (let p = f.next; p !== null; p = p.next) {
        const b = p.hash & n;
        if (b !== runBit) {
          runBit = b;
          lastRun = p;
        }
      }
      let ln: ChmNode | null = runBit === 0 ? lastRun : null;
      let hn: ChmNode | null = runBit === 0 ? null : lastRun;
      for (let p: ChmNode = f; p !== lastRun; p = p.next as ChmNode) {
        if ((p.hash & n) === 0) ln = { hash: p.hash, key: p.key, next: ln };
        else hn = { hash: p.hash, key: p.key, next: hn };
      }
      next[i] = ln;
      next[i + n] = hn;
    }
    this.table = next;
    this.sizeCtl = (n << 1) - (n >>> 1);
  }
}
