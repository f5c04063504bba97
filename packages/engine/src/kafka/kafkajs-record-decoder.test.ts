import { createRequire } from 'node:module';

interface DecoderLike { readonly offset: number }
type DecoderClass = new (buffer: Buffer) => DecoderLike;
type Decode = (decoder: DecoderLike, batchContext: Record<string, unknown>) => Record<string, unknown>;
type Encode = (input: { offsetDelta: number; timestampDelta: number | string; key: Buffer | null; value: Buffer | null; headers?: Record<string, string | string[]> }) => { buffer: Buffer };

const require = createRequire(import.meta.url);
const corrected = require('./kafkajs-record-decoder.cjs') as Decode & { decimal: (n: number) => string };
// kafkajs' own, by their package paths (Jest maps only the relative names kafkajs uses).
const original = require('kafkajs/src/protocol/recordBatch/record/v0/decoder.js') as Decode;
const encode = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as Encode;
const Decoder = require('kafkajs/src/protocol/decoder.js') as DecoderClass;

const cases: Array<{ name: string; record: Parameters<Encode>[0]; context: Record<string, unknown> }> = [
  { name: 'small deltas', record: { offsetDelta: 3, timestampDelta: 17, key: null, value: Buffer.from('v') }, context: { firstOffset: '1000', firstTimestamp: '1796000000000', magicByte: 2, timestampType: 0 } },
  { name: 'negative timestamp delta, key, headers', record: { offsetDelta: 0, timestampDelta: -250, key: Buffer.from('k'), value: null, headers: { a: 'x', b: ['y', 'z'] } }, context: { firstOffset: '0', firstTimestamp: '5', magicByte: 2, timestampType: 0 } },
  { name: 'a delta past 32 bits', record: { offsetDelta: 2 ** 30, timestampDelta: 2 ** 40, key: null, value: Buffer.from('v') }, context: { firstOffset: '7', firstTimestamp: '-1', magicByte: 2, timestampType: 0 } },
  { name: 'a delta past 2^53', record: { offsetDelta: 1, timestampDelta: '9007199254740993', key: null, value: Buffer.from('v') }, context: { firstOffset: '9', firstTimestamp: '0', magicByte: 2, timestampType: 0 } },
  { name: 'a base offset past 2^53', record: { offsetDelta: 5, timestampDelta: 1, key: null, value: Buffer.from('v') }, context: { firstOffset: '9223372036854775000', firstTimestamp: '9007199254740991', magicByte: 2, timestampType: 0 } },
  { name: 'log-append time', record: { offsetDelta: 2, timestampDelta: 9, key: null, value: Buffer.from('v') }, context: { firstOffset: '4', firstTimestamp: '100', maxTimestamp: '250', magicByte: 2, timestampType: 1, isControlBatch: true } },
];

describe('record decoding (kafkajs, without Long where numbers are exact)', () => {
  it.each(cases)('reads what kafkajs reads: $name', ({ record, context }) => {
    const bytes = encode(record).buffer;
    // The encoder writes the record's length first; the batch decoder reads it before the record.
    const skipLength = (d: DecoderLike & { readVarInt?: () => number }): DecoderLike => {
      d.readVarInt?.();
      return d;
    };
    const a = skipLength(new Decoder(bytes));
    const b = skipLength(new Decoder(bytes));
    expect(corrected(a, context)).toEqual(original(b, context));
    expect(a.offset).toBe(b.offset);
  });
});

describe('decimal (String of a safe integer, quicker past 2^31)', () => {
  const values = [
    0, 7, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 999_999_999_999, 1_000_000_000_000, 1_796_000_000_000, 1_796_000_000_007,
    1_796_000_001_000, 1_796_000_100_000, 1_796_999_999_999, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1_000_000,
    ...Array.from({ length: 1000 }, (_, i) => 1_796_000_000_000 + i * 997_331),
  ];
  it('writes what String writes', () => {
    for (const n of values) expect(corrected.decimal(n)).toBe(String(n));
  });
});
