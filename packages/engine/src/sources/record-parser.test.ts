import { convertValue, rowsOfValues } from './record-parser.js';

describe('convertValue / rowsOfValues (values a test or a program writes)', () => {
  it('reads "NaN", "Infinity" and "-Infinity" as the doubles JSON has no literal for', () => {
    expect(convertValue('NaN', 'double', 'UTC', false)).toBeNaN();
    expect(convertValue('Infinity', 'double', 'UTC', false)).toBe(Infinity);
    expect(convertValue('-Infinity', 'float', 'UTC', false)).toBe(-Infinity);
    expect(() => convertValue('NaN', 'int', 'UTC', false)).toThrow();
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
