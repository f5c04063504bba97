import type { SourceOffsets } from '../../checkpoint/offset-log.js';
import type { ConsumedRecord } from '../../kafka/kafka-port.js';
import { createLogger } from '../../internal/logger.js';
import { FetchThrottle, type FetchBound } from './fetch-throttle.js';
import { SourceBuffer } from './source-buffer.js';
import { SourceTopicSet } from './source-topics.js';

function add(buffer: SourceBuffer, partition: number, first: number, count: number): Promise<void> {
  const records: ConsumedRecord[] = Array.from({ length: count }, (_, i) => ({
    topic: 't', partition, offset: first + i, timestamp: 0, key: null, value: Buffer.alloc(10), headers: {}, headerList: [],
  }));
  return buffer.add({ topic: 't', partition, records, highWatermark: first + count, nextOffset: first + count });
}

function setup(bound: FetchBound): { throttle: FetchThrottle; buffer: SourceBuffer; calls: string[]; planned: SourceOffsets[] } {
  const calls: string[] = [];
  const buffer = new SourceBuffer({ 0: 0, 1: 0 });
  const planned: SourceOffsets[] = [{ 0: 0, 1: 0 }];
  const throttle = new FetchThrottle({
    consumer: {
      pause: (topic, partitions) => calls.push(`pause ${topic}:${partitions.join(',')}`),
      resume: (topic, partitions) => calls.push(`resume ${topic}:${partitions.join(',')}`),
    },
    sets: [new SourceTopicSet(['t'], null)],
    buffers: [buffer],
    bounds: [bound],
    plannedEnd: () => planned,
    log: createLogger({ component: 'test' }),
  });
  return { throttle, buffer, calls, planned };
}

describe('FetchThrottle', () => {
  it('pauses a partition holding its share of the records cap beyond the planned batch, resumes when the next batch is planned', async () => {
    const { throttle, buffer, calls, planned } = setup({ records: 100, bytes: 0 });
    await add(buffer, 0, 0, 40);
    throttle.arrived('t', 0);
    expect(calls).toEqual([]);
    await add(buffer, 0, 40, 10);
    throttle.arrived('t', 0);
    expect(calls).toEqual(['pause t:0']); // 50 held: partition 0's share of 100 over two partitions
    expect(throttle.full(0, '0')).toBe(true);
    expect(throttle.full(0, '1')).toBe(false);
    throttle.recheck();
    expect(calls).toEqual(['pause t:0']);
    planned[0] = { 0: 30, 1: 0 };
    throttle.recheck();
    expect(calls).toEqual(['pause t:0', 'resume t:0']);
  });

  it('pauses on the bytes share too, and never without a bound', async () => {
    const bytes = setup({ records: 0, bytes: 200 });
    await add(bytes.buffer, 1, 0, 10);
    bytes.throttle.arrived('t', 1);
    expect(bytes.calls).toEqual(['pause t:1']); // 100 bytes: partition 1's share of 200
    const none = setup({ records: 0, bytes: 0 });
    await add(none.buffer, 1, 0, 10_000);
    none.throttle.arrived('t', 1);
    expect(none.calls).toEqual([]);
  });
});
