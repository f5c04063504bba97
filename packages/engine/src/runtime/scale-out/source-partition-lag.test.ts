import type { CommittedOffset, KafkaAdmin, PartitionOffset } from '../../kafka/kafka-port.js';
import { SourceTopicSet } from '../processor/source-topics.js';
import { lagBeyond, lagLabel, sourceTaskLag } from './source-partition-lag.js';

describe('lagBeyond', () => {
  it('gives each partition the records past the batch end, by topic and partition, never below 0', () => {
    const lag = lagBeyond(
      [['orders'], ['a', 'b']],
      [{ 1: 50, 0: 10 }, { 'b:0': 7, 'a:0': 3 }],
      [{ 0: 10, 1: 20 }, { 'a:0': 5 }],
    );
    expect(lag).toEqual([
      { source: 0, topic: 'orders', partition: 0, records: 0 },
      { source: 0, topic: 'orders', partition: 1, records: 30 },
      { source: 1, topic: 'a', partition: 0, records: 0 },
      // A partition the batch did not cover counts from 0.
      { source: 1, topic: 'b', partition: 0, records: 7 },
    ]);
  });

  it('labels a partition in the gauge by its offset key', () => {
    const sets = [new SourceTopicSet(['orders'], null), new SourceTopicSet(['a', 'b'], null)];
    expect(lagLabel(sets, { source: 0, topic: 'orders', partition: 3, records: 0 })).toBe('3');
    expect(lagLabel(sets, { source: 1, topic: 'b', partition: 2, records: 0 })).toBe('b:2');
  });
});

describe('sourceTaskLag', () => {
  it('measures from the source task group\'s commit, or from the log start where nothing is committed', async () => {
    const asked: string[] = [];
    const offsets = (values: number[]): PartitionOffset[] => values.map((offset, partition) => ({ partition, offset }));
    const admin = {
      endOffsets: async (topic: string) => offsets(topic === 'orders' ? [100, 40, 9] : [5]),
      startOffsets: async (topic: string) => offsets(topic === 'orders' ? [0, 10, 0] : [0]),
      committedOffsets: async (group: string, topic: string): Promise<CommittedOffset[]> => {
        asked.push(`${group}/${topic}`);
        return topic === 'orders' ? [{ partition: 0, offset: 100, metadata: null }, { partition: 1, offset: -1, metadata: null }] : [];
      },
    } as Partial<KafkaAdmin> as KafkaAdmin;
    expect(await sourceTaskLag(admin, 'q1', [['orders'], ['clicks']])).toEqual([
      { source: 0, topic: 'orders', partition: 0, records: 0 },
      { source: 0, topic: 'orders', partition: 1, records: 30 },
      { source: 0, topic: 'orders', partition: 2, records: 9 },
      { source: 1, topic: 'clicks', partition: 0, records: 5 },
    ]);
    expect(asked).toEqual(['sluice.q1.tasks.source/orders', 'sluice.q1.tasks.source/clicks']);
  });
});
