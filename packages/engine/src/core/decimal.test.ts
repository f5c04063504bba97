import {
  addDecimal, ceilDecimal, divHalfUp, divideDecimal, exactInteger, floorDecimal, fromDouble, multiplyDecimal, parseBigDecimal,
  quotientDecimal, remainderDecimal, rescale, roundToMaxPrecision, toDouble, toJavaString, toPlainString, toPrecision,
} from './decimal.js';

describe('exact integers', () => {
  it('are numbers while safe and bigints beyond, so equal values stay ===', () => {
    expect(exactInteger(9007199254740991n)).toBe(9007199254740991);
    expect(exactInteger(-9007199254740991n)).toBe(-9007199254740991);
    expect(exactInteger(9007199254740992n)).toBe(9007199254740992n);
    expect(exactInteger(0n)).toBe(0);
  });
});

describe('java.math.BigDecimal text', () => {
  it('parses what BigDecimal(String) parses, and nothing else', () => {
    expect(parseBigDecimal('1.50')).toEqual({ unscaled: 150n, scale: 2 });
    expect(parseBigDecimal('-.5')).toEqual({ unscaled: -5n, scale: 1 });
    expect(parseBigDecimal('+1.')).toEqual({ unscaled: 1n, scale: 0 });
    expect(parseBigDecimal('1e3')).toEqual({ unscaled: 1n, scale: -3 });
    expect(parseBigDecimal('2.5E-2')).toEqual({ unscaled: 25n, scale: 3 });
    for (const bad of ['', '.', '1,000', 'abc', ' 1', '1e', 'NaN', 'Infinity', '--1']) expect(parseBigDecimal(bad)).toBeNull();
  });

  it('prints plain (toPlainString) and as toString does (an exponent below 10^-6)', () => {
    expect(toPlainString(150n, 2)).toBe('1.50');
    expect(toPlainString(-5n, 3)).toBe('-0.005');
    expect(toPlainString(0n, 2)).toBe('0.00');
    expect(toPlainString(12n, -2)).toBe('1200');
    expect(toPlainString(1n, 8)).toBe('0.00000001');
    expect(toJavaString(1n, 8)).toBe('1E-8');
    expect(toJavaString(-15n, 9)).toBe('-1.5E-8');
    expect(toJavaString(1n, 6)).toBe('0.000001');
    expect(toJavaString(12n, -2)).toBe('1.2E+3');
    expect(toJavaString(150n, 2)).toBe('1.50');
  });
});

describe('rounding HALF_UP', () => {
  it('rounds ties away from zero', () => {
    expect(divHalfUp(25n, 10n)).toBe(3n);
    expect(divHalfUp(-25n, 10n)).toBe(-3n);
    expect(divHalfUp(24n, 10n)).toBe(2n);
    expect(divHalfUp(-24n, 10n)).toBe(-2n);
    expect(divHalfUp(25n, -10n)).toBe(-3n);
    expect(rescale(1005n, 3, 2)).toBe(101n);
    expect(rescale(15n, 1, 3)).toBe(1500n);
  });

  it('gives null when the value does not fit DECIMAL(p, s) (Decimal.changePrecision)', () => {
    expect(toPrecision(123456n, 3, 5, 2)).toBe(12346n);
    expect(toPrecision(9995n, 3, 3, 2)).toBeNull(); // 9.995 rounds to 10.00
    expect(toPrecision(1000n, 0, 3, 0)).toBeNull();
    expect(toPrecision(1n, 0, 0, 0)).toBeNull();
  });

  it('floors and ceils', () => {
    expect([floorDecimal(15n, 1), floorDecimal(-15n, 1), floorDecimal(-10n, 1)]).toEqual([1n, -2n, -1n]);
    expect([ceilDecimal(15n, 1), ceilDecimal(-15n, 1), ceilDecimal(10n, 1)]).toEqual([2n, -1n, 1n]);
  });
});

describe('Decimal arithmetic (values from Spark 4.2.0)', () => {
  it('adds and subtracts exactly at the larger scale', () => {
    expect(addDecimal(110n, 2, 2125n, 3, false)).toEqual({ unscaled: 3225n, scale: 3 }); // 1.10 + 2.125
    expect(addDecimal(15n, 1, 1n, 0, true)).toEqual({ unscaled: 5n, scale: 1 }); // 1.5 - 1
  });

  it('multiplies, rounding to 38 significant digits', () => {
    expect(multiplyDecimal(123456n, 3, 654321n, 3)).toEqual({ unscaled: 80779853376n, scale: 6 });
    const big = multiplyDecimal(15n * 10n ** 36n, 37, 25n * 10n ** 36n, 37); // 1.5 × 2.5 at scale 37
    expect(toPlainString(big.unscaled, big.scale)).toBe('3.7500000000000000000000000000000000000');
    expect(roundToMaxPrecision(10n ** 39n - 1n, 0)).toEqual({ unscaled: 10n ** 37n, scale: -2 });
  });

  it('divides at scale 38 HALF_UP, then the caller rounds to the result type', () => {
    const q = divideDecimal(1n, 0, 3n, 0);
    expect(q.scale).toBe(38);
    expect(toPrecision(q.unscaled, q.scale, 38, 6)).toBe(333333n);
    const r = divideDecimal(-7n, 0, 2n, 0);
    expect(toPrecision(r.unscaled, r.scale, 11, 6)).toBe(-3500000n);
    const two = divideDecimal(2n * 10n ** 37n, 37, 3n * 10n ** 37n, 37);
    expect(toPrecision(two.unscaled, two.scale, 38, 6)).toBe(666667n);
  });

  it('takes the remainder with the dividend sign, and the truncated quotient', () => {
    expect(remainderDecimal(-75n, 1, 2n, 0)).toEqual({ unscaled: -15n, scale: 1 });
    expect(remainderDecimal(75n, 1, -2n, 0)).toEqual({ unscaled: 15n, scale: 1 });
    expect(quotientDecimal(-75n, 1, 2n, 0)).toBe(-3n);
  });
});

describe('doubles', () => {
  it('become decimals by their shortest digits (Double.toString), NaN and infinities not at all', () => {
    expect(fromDouble(1.005)).toEqual({ unscaled: 1005n, scale: 3 });
    const big = fromDouble(1e20);
    expect(big === null ? null : toPlainString(big.unscaled, big.scale)).toBe('100000000000000000000');
    expect(fromDouble(Number.NaN)).toBeNull();
    expect(fromDouble(-Infinity)).toBeNull();
  });

  it('come back correctly rounded', () => {
    expect(toDouble(12345678, 3)).toBe(12345.678);
    expect(toDouble(10n ** 30n, 10)).toBe(1e20);
    expect(toDouble(1, 8)).toBe(1e-8);
  });
});
