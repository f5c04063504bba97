import type { ConsumedRecord } from '../../kafka/kafka-port.js';
import { capBatch } from './batch-cap.js';
import { SourceBuffer } from './source-buffer.js';

/** `count` records of partition `partition` from `first`, each with a value of `size` bytes and no key. */
function records(partition: number, first: number, count: number, size: number): ConsumedRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    topic: 't', partition, offset: first + i, timestamp: 0, key: null, value: Buffer.alloc(size), headers: {}, headerList: [],
  }));
}

async function filled(parts: ReadonlyArray<{ partition: number; first: number; count: number; size: number }>): Promise<SourceBuffer> {
  const buffer = new SourceBuffer();
  for (const p of parts) {
    const batch = records(p.partition, p.first, p.count, p.size);
    await buffer.add({ topic: 't', partition: p.partition, records: batch, highWatermark: p.first + p.count, nextOffset: p.first + p.count });
  }
  return buffer;
}

const noUserLimit = { maxFiles: null, maxOffsets: null };

describe('the processor cap on a batch (capBatch)', () => {
  it('spreads the records cap over partitions in proportion to their backlog, as maxOffsetsPerTrigger', async () => {
    const buffer = await filled([]);
    const limits = { maxBatchRecords: 300, maxBatchBytes: 0 };
    // Nothing fetched yet (batch 0 plans the broker's end offsets): only the record count caps.
    expect(capBatch(limits, noUserLimit, {}, { 0: 2000, 1: 1000 }, buffer)).toEqual({ 0: 200, 1: 100 });
    // 1500 and 100 pending: 281.25 and 18.75 of 300, rounded down.
    expect(capBatch(limits, noUserLimit, { 0: 500, 1: 900 }, { 0: 2000, 1: 1000 }, buffer)).toEqual({ 0: 781, 1: 918 });
    expect(capBatch(limits, noUserLimit, { 0: 10 }, { 0: 50 }, buffer)).toEqual({ 0: 50 });
  });

  it('then shrinks the batch to the bytes cap over the fetched records', async () => {
    const buffer = await filled([{ partition: 0, first: 0, count: 100, size: 10 }, { partition: 1, first: 0, count: 100, size: 30 }]);
    const limits = { maxBatchRecords: 1000, maxBatchBytes: 1000 };
    // 100 planned records from each partition: 500 bytes each, 50 records of 10 B and 16 of 30 B.
    expect(capBatch(limits, noUserLimit, {}, { 0: 100, 1: 100 }, buffer)).toEqual({ 0: 50, 1: 16 });
    // From the middle of the fetched records, the budget counts from the batch's start.
    expect(capBatch(limits, noUserLimit, { 0: 80, 1: 95 }, { 0: 100, 1: 100 }, buffer)).toEqual({ 0: 100, 1: 100 });
    expect(capBatch({ maxBatchRecords: 1000, maxBatchBytes: 100 }, noUserLimit, { 0: 80 }, { 0: 100 }, buffer)).toEqual({ 0: 90 });
  });

  it('takes at least one record of a partition however large, and leaves unfetched records to the records cap', async () => {
    const buffer = await filled([{ partition: 0, first: 0, count: 3, size: 5000 }, { partition: 1, first: 0, count: 10, size: 1 }]);
    const limits = { maxBatchRecords: 100, maxBatchBytes: 100 };
    // Partition 1's 50 planned records: 10 fetched (10 B) within its 50 B share, 40 beyond the fetch.
    expect(capBatch(limits, noUserLimit, {}, { 0: 50, 1: 50 }, buffer)).toEqual({ 0: 1, 1: 50 });
  });

  it('does not apply when the source sets maxOffsetsPerTrigger or maxFilesPerTrigger, or when capped at 0', async () => {
    const buffer = await filled([{ partition: 0, first: 0, count: 100, size: 100 }]);
    const limits = { maxBatchRecords: 10, maxBatchBytes: 10 };
    expect(capBatch(limits, { maxFiles: null, maxOffsets: 50 }, {}, { 0: 100 }, buffer)).toEqual({ 0: 100 });
    expect(capBatch(limits, { maxFiles: 2, maxOffsets: null }, {}, { 0: 100 }, buffer)).toEqual({ 0: 100 });
    expect(capBatch({ maxBatchRecords: 0, maxBatchBytes: 0 }, noUserLimit, {}, { 0: 100 }, buffer)).toEqual({ 0: 100 });
    expect(capBatch({ maxBatchRecords: 0, maxBatchBytes: 1000 }, noUserLimit, {}, { 0: 100 }, buffer)).toEqual({ 0: 10 });
    expect(capBatch({ maxBatchRecords: 25, maxBatchBytes: 0 }, noUserLimit, {}, { 0: 100 }, buffer)).toEqual({ 0: 25 });
  });
});

describe('SourceBuffer byte accounting', () => {
  it('counts what a partition holds from an offset, also after a batch took the records before it', async () => {
    const buffer = await filled([{ partition: 0, first: 0, count: 10, size: 7 }]);
    expect(buffer.heldFrom('0', 0)).toEqual({ records: 10, bytes: 70 });
    expect(buffer.heldFrom('0', 4)).toEqual({ records: 6, bytes: 42 });
    expect(buffer.take({ 0: 0 }, { 0: 4 })).toHaveLength(4);
    expect(buffer.heldFrom('0', 0)).toEqual({ records: 6, bytes: 42 });
    expect(buffer.heldFrom('0', 9)).toEqual({ records: 1, bytes: 7 });
    expect(buffer.heldFrom('0', 10)).toEqual({ records: 0, bytes: 0 });
    expect(buffer.heldFrom('1', 0)).toEqual({ records: 0, bytes: 0 });
    expect(buffer.capByBytes({ 0: 4 }, { 0: 10 }, 21)).toEqual({ 0: 7 });
  });
});
