import { ConcurrentHashMapOrder } from './concurrent-hash-map-order.js';

/** Keys named by their hashCode (as a Java key whose hashCode() returns that number). */
function putAll(map: ConcurrentHashMapOrder, hashes: readonly number[]): void {
  for (const h of hashes) map.put(String(h), h);
}

function copy(map: ConcurrentHashMapOrder): ConcurrentHashMapOrder {
  const m = new ConcurrentHashMapOrder();
  m.putAll(map);
  return m;
}

/**
 * The expected table lengths and iteration orders are what JDK 17's ConcurrentHashMap gives
 * for the same operations (keys whose hashCode() is the number shown; table read by reflection).
 */
describe('ConcurrentHashMap iteration order (JDK 17)', () => {
  it('a copy of an empty map starts with a table of 1 (putAll pre-sizes it for 0)', () => {
    const m = copy(new ConcurrentHashMapOrder());
    expect(m.capacity).toBe(1);
    m.put('1', 5);
    expect(m.capacity).toBe(2);
    expect(m.keys()).toEqual(['1']);
  });

  it('a new map takes 16 bins at the first put; a copy of 3 keys gets 16 (presize 8, then doubled)', () => {
    const m = new ConcurrentHashMapOrder();
    putAll(m, [1, 2, 3]);
    expect(m.capacity).toBe(16);
    expect(copy(m).capacity).toBe(16);
    expect(copy(m).keys()).toEqual(['1', '2', '3']);
  });

  it('iterates bin by bin, a bin in insertion order', () => {
    const m = new ConcurrentHashMapOrder();
    putAll(m, [1, 17, 33, 49, 65, 2, 3, 4, 5, 6, 7]);
    expect(m.keys()).toEqual(['1', '17', '33', '49', '65', '2', '3', '4', '5', '6', '7']);
  });

  it('a resize splits a bin, reversing the nodes before its last run', () => {
    const m = new ConcurrentHashMapOrder();
    putAll(m, [1, 17, 33, 49, 65, 2, 3, 4, 5, 6, 7, 8]);
    expect(m.capacity).toBe(32);
    expect(m.keys()).toEqual(['33', '1', '65', '2', '3', '4', '5', '6', '7', '8', '49', '17']);
  });

  it('a copy re-inserts in the copied map order into a pre-sized table', () => {
    const m = new ConcurrentHashMapOrder();
    putAll(m, [1, 17, 33, 49, 65, 2, 3, 4, 5, 6, 7, 8]);
    const c = copy(m);
    expect(c.capacity).toBe(64);
    expect(c.keys()).toEqual(['1', '65', '2', '3', '4', '5', '6', '7', '8', '17', '33', '49']);
    c.remove('33', 33);
    c.put('33', 33);
    expect(c.keys()).toEqual(['1', '65', '2', '3', '4', '5', '6', '7', '8', '17', '33', '49']);
  });

  it('spreads the high half of the hash into the low bits', () => {
    const m = new ConcurrentHashMapOrder();
    m.put('high', 0x10000);
    m.put('low', 0);
    expect(m.keys()).toEqual(['low', 'high']);
  });
});
