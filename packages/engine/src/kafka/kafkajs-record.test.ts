import { createRequire } from 'node:module';

interface RecordInput {
  offsetDelta?: number;
  timestampDelta?: number;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, string | Buffer | Array<string | Buffer>>;
}
type Encode = (input: RecordInput) => { buffer: Buffer };

const require = createRequire(import.meta.url);
const corrected = require('./kafkajs-record.cjs') as Encode;
// kafkajs' own, by its package path (Jest maps only the relative name kafkajs requires it by).
const original = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as Encode;

describe('record encoding (kafkajs, one buffer a record)', () => {
  const records: RecordInput[] = [
    { key: null, value: Buffer.from('{"value":"x"}') },
    { offsetDelta: 300, timestampDelta: 1_700_000, key: 'k', value: 'v'.repeat(1000) },
    { offsetDelta: 7, timestampDelta: -5, key: Buffer.from([0, 1, 2]), value: null },
    { key: null, value: 'é€😀', headers: { 'sluice-batch-id': '12', multi: ['a', Buffer.from('b')], empty: '' } },
  ];

  it.each(records.map((r, i) => [i, r] as const))('writes the bytes kafkajs writes (record %i)', (_, record) => {
    expect(corrected(record).buffer.equals(original(record).buffer)).toBe(true);
  });
});
