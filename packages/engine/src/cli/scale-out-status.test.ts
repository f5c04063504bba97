import type { RedisClient } from '../state/redis-connection.js';
import { ScaleOutStatus, sourceTopicsOf } from './scale-out-status.js';

const view = {
  members: [
    { runId: 'run-a', leader: true, sourceTasks: ['0|0', '0|1'], shuffleTasks: [0, 1], updatedAt: '2024-05-01T12:00:00.000Z' },
    { runId: 'run-b', leader: false, sourceTasks: ['0|2'], shuffleTasks: [2], updatedAt: '2024-05-01T12:00:00.500Z' },
  ],
  lag: [{ source: 0, topic: 'orders', partition: 0, records: 0 }, { source: 0, topic: 'orders', partition: 1, records: 12 }],
};

describe('sluice status of a scaled-out query', () => {
  it('finds the topics each source read in the last progress record', () => {
    const sources = [{ endOffset: { orders: { 0: 5, 1: 7 } } }, { endOffset: { a: { 0: 1 }, b: { 0: 2 } } }, { endOffset: 12 }, { endOffset: null }];
    expect(sourceTopicsOf({ id: 'q', lastProgress: { sources } })).toEqual([['orders'], ['a', 'b'], [], []]);
    expect(sourceTopicsOf({ id: 'q', lastProgress: null })).toEqual([]);
  });

  it('prints a table of replicas and one of partition lag', () => {
    const text = new ScaleOutStatus({} as RedisClient, async () => { throw new TypeError('unused'); }, 0).tables('q-1', view);
    expect(text).toContain('Query q-1 runs on 2 processor replicas:');
    expect(text).toContain('|run-a|yes   |0|0 0|1    |0 1         |2024-05-01T12:00:00.000Z|');
    expect(text).toContain('|run-b|no    |0|2        |2           |2024-05-01T12:00:00.500Z|');
    expect(text).toContain('|0     |orders|1        |12 |');
  });

  it('says why the lag is missing when no broker is configured', () => {
    const text = new ScaleOutStatus({} as RedisClient, null, 0).tables('q-1', { members: view.members, lag: [] });
    expect(text).toContain('No Kafka broker configured (KAFKA_BROKERS): the lag is not measured.');
  });
});
