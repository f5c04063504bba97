import { castToString } from './cast.js';

describe('CAST(binary AS STRING)', () => {
  const hexOf = (s: string): string => Buffer.from(s, 'utf8').toString('hex');

  it.each([
    ['ascii', 'hello'],
    ['multi-byte UTF-8', 'é€😀'],
    ['empty', ''],
    ['longer than the scratch buffer', 'x'.repeat(10_000) + 'é'],
  ])('reads the UTF-8 text of the bytes (%s)', (_, text) => {
    expect(castToString(hexOf(text), 'binary', 'UTC')).toBe(text);
  });

  it('reads bytes that are not UTF-8 as Buffer.toString does (replacement characters)', () => {
    expect(castToString('ff00fe', 'binary', 'UTC')).toBe(Buffer.from([0xff, 0, 0xfe]).toString('utf8'));
  });

  it('does not carry bytes of a longer value into a shorter one', () => {
    expect(castToString(hexOf('a long value'), 'binary', 'UTC')).toBe('a long value');
    expect(castToString(hexOf('ab'), 'binary', 'UTC')).toBe('ab');
  });
});
