import { createRequire } from 'node:module';

interface EncoderLike {
  writeVarInt(value: number): EncoderLike;
  writeUVarInt(value: number): EncoderLike;
  writeVarLong(value: number | string | bigint): EncoderLike;
  readonly buffer: Buffer;
}
type EncoderClass = new () => EncoderLike;

const require = createRequire(import.meta.url);
const correct = require('./kafkajs-encoder-varints.cjs') as (encoder: EncoderClass) => void;
const Original = require('kafkajs/src/protocol/encoder.js') as EncoderClass;
// A subclass gets the in-place methods; kafkajs' own class keeps its own to compare with.
class Patched extends Original {}
correct(Patched);

const ints = [0, 1, -1, 63, 64, -64, -65, 127, 128, 300, -300, 2 ** 20, 2 ** 30, 2 ** 31 - 1, -(2 ** 31), 1_700_000_000, -1_700_000_000];
const longs: Array<number | string> = [...ints, 2 ** 31, -(2 ** 31) - 1, 2 ** 40, -(2 ** 40), Number.MAX_SAFE_INTEGER, '9223372036854775807', '-9223372036854775808'];

describe('varints written in place (kafkajs Encoder)', () => {
  it.each(ints)('writeVarInt(%p) writes what kafkajs writes', (v) => {
    expect(new Patched().writeVarInt(v).buffer.equals(new Original().writeVarInt(v).buffer)).toBe(true);
  });

  it.each([...ints.filter((v) => v >= 0), 2 ** 32 - 1])('writeUVarInt(%p) writes what kafkajs writes', (v) => {
    expect(new Patched().writeUVarInt(v).buffer.equals(new Original().writeUVarInt(v).buffer)).toBe(true);
  });

  it.each(longs)('writeVarLong(%p) writes what kafkajs writes', (v) => {
    expect(new Patched().writeVarLong(v).buffer.equals(new Original().writeVarLong(v).buffer)).toBe(true);
  });
});
