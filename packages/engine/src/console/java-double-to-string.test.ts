import { javaDoubleToString, javaFloatToString } from './java-double-to-string.js';
import { formatJavaDouble, formatJavaFloat } from './render-cell.js';

const view = new DataView(new ArrayBuffer(8));
/** A double from its raw IEEE 754 bits (as Double.doubleToRawLongBits prints them in hex). */
const bits = (hex: string): number => {
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
};

/**
 * Expected strings from JDK 17's Double.toString / Float.toString (what Spark 4.2.0 prints), on
 * values where they are not the shortest digits that read back, or where a tie rounds.
 */
describe('JDK 17 Double.toString', () => {
  it.each<[number, string]>([
    [2 ** 62, '4.6116860184273879E18'],
    [bits('c3c29b3529ace642'), '-2.6814475343671142E18'],
    [bits('c3b90e3afd784e14'), '-1.80544536094166733E18'],
    [bits('439fc3f3803c9c69'), '5.7223519193314771E17'],
    [bits('c3758a197308b2c5'), '-9.7005062715026512E16'],
    [bits('43bbcee8d5df404c'), '2.00379488949766042E18'],
    [bits('43be2f1047b06f3f'), '2.17497504513204198E18'],
    [bits('4e85e8dcfc952c8f'), '1.8901831690006056E70'],
    [bits('3fe9e703b309eac6'), '0.8094500061846126'],
    [5e-324, '4.9E-324'],
    [Number.MAX_VALUE, '1.7976931348623157E308'],
    [9007199254740992, '9.007199254740992E15'],
    [1e7, '1.0E7'],
    [0.001, '0.001'],
    [1e-4, '1.0E-4'],
    [-0, '-0.0'],
    [Number.NaN, 'NaN'],
    [-Infinity, '-Infinity'],
    [123456789, '1.23456789E8'],
  ])('%p prints as %s', (d, expected) => {
    expect(javaDoubleToString(d)).toBe(expected);
    expect(formatJavaDouble(d)).toBe(expected);
  });
});

describe('JDK 17 Float.toString', () => {
  it.each<[number, string]>([
    [Math.fround(2830572.2), '2830572.2'],
    [Math.fround(199903.62), '199903.62'],
    [Math.fround(489468.12), '489468.12'],
    [Math.fround(-1.3400928e-17), '-1.3400928E-17'],
    [Math.fround(3005173853061120), '3.00517385E15'],
    [Math.fround(0.1), '0.1'],
    [Math.fround(16777217), '1.6777216E7'],
    [Math.fround(3.4028235e38), '3.4028235E38'],
    [Math.fround(1e-5), '1.0E-5'],
  ])('%p prints as %s', (f, expected) => {
    expect(javaFloatToString(f)).toBe(expected);
    expect(formatJavaFloat(f)).toBe(expected);
  });
});
