import { InMemoryStateStore } from './in-memory-state-store.js';
import { StateMapOrder, type KeyLocator } from './state-map-order.js';
import type { StateStore } from './state-store.js';

/** Every key in partition 0, its hashCode the number it names. */
const locate: KeyLocator = (key) => [0, Number(key)];

/** One batch: the puts and removes, mirrored in the store, then the committed order. */
function batch(order: StateMapOrder, store: StateStore, puts: readonly number[], removes: readonly number[] = []): string[] {
  order.begin(store.version, store);
  for (const k of puts) {
    store.put(String(k), true);
    order.put(String(k));
  }
  for (const k of removes) {
    store.delete(String(k));
    order.remove(String(k));
  }
  const keys = order.keys(0);
  order.end();
  void store.commit();
  return keys;
}

/** The order the next batch sees (a batch with no changes). */
function next(order: StateMapOrder, store: StateStore): string[] {
  return batch(order, store, []);
}

describe("HDFSBackedStateStoreProvider's map lifecycle", () => {
  // Expected orders: JDK 17 ConcurrentHashMap with the same operations (keys hashing to their number).
  it('copies the committed map into a new one every batch (getStore: putAll of loadMap)', () => {
    const store = new InMemoryStateStore();
    const order = new StateMapOrder(locate);
    expect(batch(order, store, [33, 49])).toEqual(['33', '49']);
    expect(batch(order, store, [53])).toEqual(['33', '49', '53']);
    expect(next(order, store)).toEqual(['33', '49', '53']);
  });

  it('after a restart replays the log into a new map: another order', () => {
    const store = new InMemoryStateStore();
    const first = new StateMapOrder(locate);
    batch(first, store, [33, 49]);
    batch(first, store, [53]);
    // A new operator instance (a restarted query) on the same store: loadMap replays the
    // deltas into a map pre-sized for 0, where the resizes split 33 and 49's bin the other way.
    const restarted = new StateMapOrder(locate);
    expect(next(restarted, store)).toEqual(['49', '33', '53']);
  });

  it('drops the changes of a batch that did not commit', () => {
    const store = new InMemoryStateStore();
    const order = new StateMapOrder(locate);
    batch(order, store, [1, 2]);
    order.begin(store.version, store);
    store.put('3', true);
    order.put('3');
    order.end();
    store.abort();
    expect(next(order, store)).toEqual(['1', '2']);
    expect(next(new StateMapOrder(locate), store)).toEqual(['1', '2']);
  });

  it('starts from the store rows, in the store order, when it has no log for the store', () => {
    const store = new InMemoryStateStore();
    store.put('5', true);
    store.put('3', true);
    void store.commit();
    expect(next(new StateMapOrder(locate), store)).toEqual(['3', '5']);
  });

  it('removes keys without moving the others', () => {
    const store = new InMemoryStateStore();
    const order = new StateMapOrder(locate);
    batch(order, store, [1, 17, 33, 49, 65, 2, 3, 4, 5, 6, 7, 8]);
    expect(batch(order, store, [], [2, 33])).toEqual(['1', '65', '3', '4', '5', '6', '7', '8', '17', '49']);
  });
});
