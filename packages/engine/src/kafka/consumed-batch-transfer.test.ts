import { MessageChannel } from 'node:worker_threads';
import { packRecords, unpackBatch, type Packed, type PackedBatch } from './consumed-batch-transfer.js';
import type { ConsumedBatch, ConsumedRecord } from './kafka-port.js';

/** A consumed batch packed through the same packRecords the consumer thread packs kafkajs' messages with. */
function packBatch(batch: ConsumedBatch): Packed {
  const at = (i: number): ConsumedRecord => batch.records[i] as ConsumedRecord;
  return packRecords(batch, {
    count: batch.records.length,
    offset: (i) => at(i).offset,
    timestamp: (i) => at(i).timestamp,
    key: (i) => at(i).key,
    value: (i) => at(i).value,
    headers: (i) => (at(i).headerList.length > 0 ? [at(i).headers, at(i).headerList] : null),
  });
}

const record = (offset: number, fields: Partial<ConsumedRecord>): ConsumedRecord => ({
  topic: 'in', partition: 3, offset, timestamp: 1_764_000_000_123 + offset, key: null, value: null, headers: {}, headerList: [], ...fields,
});

const batch: ConsumedBatch = {
  topic: 'in', partition: 3, highWatermark: 120, nextOffset: 108,
  records: [
    record(100, { value: Buffer.from('{"value":"héllo"}') }),
    record(101, { key: Buffer.from('k1'), value: Buffer.alloc(0) }),
    record(102, { key: Buffer.from([0, 255, 7]), value: null }),
    record(104, {
      value: Buffer.from('with headers'),
      headers: { file: 'a.csv', n: '' },
      headerList: [{ key: 'file', value: Buffer.from('a.csv') }, { key: 'n', value: null }, { key: 'file', value: Buffer.from('b.csv') }],
    }),
    record(2 ** 40, { timestamp: -1, value: Buffer.from([0xc3]) }),
  ],
};

/** What a record reads as, its bytes as plain arrays. */
const plain = (b: ConsumedBatch): unknown => ({
  ...b,
  records: b.records.map((r) => ({
    ...r, key: r.key === null ? null : [...r.key], value: r.value === null ? null : [...r.value],
    headerList: r.headerList.map((h) => ({ key: h.key, value: h.value === null ? null : [...h.value] })),
  })),
});

/** Sends the packed batch through a real message port, its buffers moved, as the consumer thread does. */
async function throughPort(b: ConsumedBatch): Promise<{ received: ConsumedBatch; moved: boolean }> {
  const { port1, port2 } = new MessageChannel();
  const { packed, transfer } = packBatch(b);
  const arrived = new Promise<PackedBatch>((resolve) => port2.once('message', resolve));
  port1.postMessage(packed, transfer);
  const received = unpackBatch(await arrived);
  port1.close();
  return { received, moved: packed.bytes.byteLength === 0 };
}

describe('a fetched batch packed for the move between threads', () => {
  it('arrives as it left: offsets, timestamps, null and empty keys and values, headers', async () => {
    const { received, moved } = await throughPort(batch);
    expect(plain(received)).toEqual(plain(batch));
    expect(moved).toBe(true);
    for (const r of received.records) {
      if (r.value !== null) expect(Buffer.isBuffer(r.value)).toBe(true);
      for (const h of r.headerList) if (h.value !== null) expect(Buffer.isBuffer(h.value)).toBe(true);
    }
  });

  it('carries a batch of no records (transaction markers only) and its position', async () => {
    const empty: ConsumedBatch = { topic: 't', partition: 0, records: [], highWatermark: 9, nextOffset: 9 };
    expect((await throughPort(empty)).received).toEqual(empty);
  });

  it('puts every key and value in one byte array', () => {
    const { packed, transfer } = packBatch(batch);
    expect(transfer).toHaveLength(3);
    const size = batch.records.reduce((n, r) => n + (r.key?.length ?? 0) + (r.value?.length ?? 0), 0);
    expect(packed.bytes.byteLength).toBe(size);
  });
});
