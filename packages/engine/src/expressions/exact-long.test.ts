import { longArithmetic, negateLong, wrapLong } from './exact-long.js';

const MAX = 9223372036854775807n;
const MIN = -9223372036854775808n;

describe('BIGINT arithmetic over the whole long range', () => {
  it('stays on numbers while the result is safe', () => {
    expect(longArithmetic('+', 2, 3)).toBe(5);
    expect(longArithmetic('*', 0, -5)).toBe(0);
    expect(Object.is(longArithmetic('*', 0, -5), -0)).toBe(false);
    expect(longArithmetic('div', -7, 2)).toBe(-3);
    expect(longArithmetic('%', -7, 2)).toBe(-1);
  });

  it('is exact past 2^53 (Spark 4.2.0: 9007199254740993 + 2 = 9007199254740995)', () => {
    expect(longArithmetic('+', 9007199254740993n, 2)).toBe(9007199254740995n);
    expect(longArithmetic('+', 9007199254740991, 2)).toBe(9007199254740993n);
    expect(longArithmetic('-', MAX, 1)).toBe(MAX - 1n);
    expect(longArithmetic('*', MAX, -1)).toBe(-MAX);
    expect(longArithmetic('div', MAX, 7)).toBe(1317624576693539401n);
    expect(longArithmetic('%', MAX, 10)).toBe(7);
    expect(longArithmetic('-', 9007199254740992n, 1)).toBe(9007199254740991);
  });

  it('gives null past the range (the caller fails or wraps)', () => {
    expect(longArithmetic('+', MAX, 1)).toBeNull();
    expect(longArithmetic('-', MIN, 1)).toBeNull();
    expect(longArithmetic('*', 4000000000000000000n, 10)).toBeNull();
    expect(longArithmetic('div', MIN, -1)).toBeNull();
    expect(negateLong(MIN)).toBeNull();
    expect(negateLong(MAX)).toBe(-MAX);
    expect(negateLong(0)).toBe(0);
  });

  it('wraps as Java does', () => {
    expect(wrapLong(MAX + 1n)).toBe(MIN);
    expect(wrapLong(MAX * 2n)).toBe(-2);
  });
});
