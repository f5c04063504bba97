import { convertValue, rowsOfValues } from './record-parser.js';

describe('convertValue / rowsOfValues (values a test or a program writes)', () => {
  it('reads "NaN", "Infinity" and "-Infinity" as the doubles JSON has no literal for', () => {
    expect(convertValue('NaN', 'double', 'UTC', false)).toBeNaN();
    expect(convertValue('Infinity', 'double', 'UTC', false)).toBe(Infinity);
    expect(convertValue('-Infinity', 'float', 'UTC', false)).toBe(-Infinity);
    expect(() => convertValue('NaN', 'int', 'UTC', false)).toThrow();
  });

  it('reads a BIGINT exactly past 2^53 (a bigint, or integer text from a text source)', () => {
    expect(convertValue(9223372036854775807n, 'bigint', 'UTC', false)).toBe(9223372036854775807n);
    expect(convertValue('9007199254740993', 'bigint', 'UTC', true)).toBe(9007199254740993n);
    expect(convertValue(42, 'bigint', 'UTC', false)).toBe(42);
    expect(() => convertValue(9223372036854775808n, 'bigint', 'UTC', false)).toThrow();
  });

  it('reads a DECIMAL from a number (its shortest digits), text or a bigint, rounded HALF_UP to the scale', () => {
    expect(convertValue(1.5, 'decimal(10,2)', 'UTC', false)).toBe(150);
    expect(convertValue('12345678.995', 'decimal(10,2)', 'UTC', false)).toBe(1234567900);
    expect(convertValue('-0.005', 'decimal(10,2)', 'UTC', false)).toBe(-1);
    expect(convertValue(12345678901234567890n, 'decimal(30,2)', 'UTC', false)).toBe(1234567890123456789000n);
    expect(() => convertValue('123.4', 'decimal(3,1)', 'UTC', false)).toThrow();
    expect(() => convertValue('x', 'decimal(3,1)', 'UTC', false)).toThrow();
  });

  it('rounds FLOAT values to 32-bit precision', () => {
    expect(convertValue(16777217, 'float', 'UTC', false)).toBe(16777216);
    expect(convertValue(0.1, 'float', 'UTC', false)).toBe(Math.fround(0.1));
  });

  it('takes a STRUCT as an object, or (in rows written by hand) as its fields in order', () => {
    const type = { kind: 'struct' as const, fields: [{ name: 'x', type: 'int' as const, nullable: true }, { name: 'y', type: 'string' as const, nullable: true }] };
    const schema = [{ name: 'p', type, nullable: true }];
    expect(rowsOfValues('test', [[[1, 'a']], [{ x: 2, y: null }], [null]], schema, 'UTC')).toEqual([[[1, 'a']], [[2, null]], [null]]);
    expect(() => convertValue([1, 'a'], type, 'UTC', false)).toThrow();
  });
});
