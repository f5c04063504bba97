import type { Value } from '../core/types.js';
import type { RedisClient } from './redis-connection.js';
import { RedisStateStore } from './redis-state-store.js';

describe('RedisStateStore values', () => {
  it('write bigints (a BIGINT past 2^53, a wide DECIMAL) so that a reload reads them back exactly', async () => {
    const state: Array<[string, Value]> = [
      ['["9223372036854775807"]', [9223372036854775807n, 3]],
      ['[1]', [12345678901234567890123456789n, null, 'overflow']],
      ['[2]', [1, 2.5, 'x']],
    ];
    const writer = new RedisStateStore({} as RedisClient, 'h');
    for (const [k, v] of state) writer.put(k, v);
    const { puts } = writer.pendingChanges();
    expect(puts.find(([k]) => k === '[2]')?.[1]).toBe('[1,2.5,"x"]');
    // A server's HGETALL of what the batch commit wrote.
    const server = { hgetall: async (): Promise<Record<string, string>> => Object.fromEntries(puts) } as unknown as RedisClient;
    const reader = new RedisStateStore(server, 'h');
    await reader.load();
    expect([...reader.entries()]).toEqual(state);
  });
});
