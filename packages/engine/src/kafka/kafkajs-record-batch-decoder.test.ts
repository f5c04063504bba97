import { createRequire } from 'node:module';

interface DecoderLike { readonly offset: number }
type DecoderClass = new (buffer: Buffer) => DecoderLike;
type DecodeBatch = (decoder: DecoderLike) => Promise<Record<string, unknown>>;
interface RecordInput { offsetDelta: number; timestampDelta: number; key: Buffer | string | null; value: Buffer | string | null; headers?: Record<string, string | string[]> }
type EncodeRecord = (input: RecordInput) => { buffer: Buffer };
type EncodeBatch = (input: { compression?: number; records: Array<{ buffer: Buffer }>; firstTimestamp: number; maxTimestamp: number; lastOffsetDelta: number; transactional?: boolean }) => Promise<{ buffer: Buffer }>;

const require = createRequire(import.meta.url);
const corrected = require('./kafkajs-record-batch-decoder.cjs') as DecodeBatch;
// kafkajs' own, by their package paths (Jest maps only the relative names kafkajs uses).
const original = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as DecodeBatch;
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as EncodeRecord;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as { RecordBatch: EncodeBatch };
const { Types } = require('kafkajs/src/protocol/message/compression/index.js') as { Types: { GZIP: number } };
const Decoder = require('kafkajs/src/protocol/decoder.js') as DecoderClass;

async function batchBytes(records: RecordInput[], compression = 0): Promise<Buffer> {
  const T = 1_796_000_000_000;
  const batch = await RecordBatch({ compression, records: records.map(encodeRecord), firstTimestamp: T, maxTimestamp: T + 100, lastOffsetDelta: records.length - 1, transactional: true });
  return batch.buffer;
}

describe('record batch decoding (kafkajs, each record read where it lies)', () => {
  const records: RecordInput[] = [
    { offsetDelta: 0, timestampDelta: 0, key: null, value: '{"value":"xxxx1"}' },
    { offsetDelta: 1, timestampDelta: 7, key: 'k', value: Buffer.from([0, 1, 2, 255]) },
    { offsetDelta: 2, timestampDelta: -3, key: null, value: null, headers: { a: 'x', b: ['y', 'z'] } },
    ...Array.from({ length: 300 }, (_, i) => ({ offsetDelta: 3 + i, timestampDelta: i * 1000, key: null, value: 'v'.repeat(i) })),
  ];

  it('reads what kafkajs reads from an uncompressed batch, and ends where it ends', async () => {
    const bytes = Buffer.concat([await batchBytes(records), await batchBytes(records.slice(0, 2))]);
    const a = new Decoder(bytes);
    const b = new Decoder(bytes);
    for (let k = 0; k < 2; k++) {
      expect(await corrected(a)).toEqual(await original(b));
      expect(a.offset).toBe(b.offset);
    }
  });

  it('reads what kafkajs reads from a compressed batch', async () => {
    const bytes = await batchBytes(records, Types.GZIP);
    expect(await corrected(new Decoder(bytes))).toEqual(await original(new Decoder(bytes)));
  });
});
