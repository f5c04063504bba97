import { adjustPrecisionScale, decimalForLiteral, decimalForType, literalDecimalType, resultDecimalType, widerDecimalType, widerNumericType } from './decimal-type.js';

describe('DecimalPrecision result types (typeof in Spark 4.2.0)', () => {
  it.each([
    ['+', 'decimal(2,1)', 'decimal(1,0)', 'decimal(3,1)'], // 1.5 + 1
    ['+', 'decimal(2,1)', 'decimal(10,0)', 'decimal(12,1)'], // 1.5 + CAST(1 AS INT)
    ['+', 'decimal(3,2)', 'decimal(4,3)', 'decimal(5,3)'], // 1.10 + 2.125
    ['*', 'decimal(2,1)', 'decimal(1,0)', 'decimal(4,1)'], // 1.5 * 2L
    ['*', 'decimal(10,2)', 'decimal(5,3)', 'decimal(16,5)'],
    ['*', 'decimal(38,18)', 'decimal(38,18)', 'decimal(38,6)'],
    ['*', 'decimal(38,37)', 'decimal(38,37)', 'decimal(38,35)'],
    ['/', 'decimal(3,1)', 'decimal(1,0)', 'decimal(8,6)'], // 10.0 / 3
    ['/', 'decimal(10,2)', 'decimal(5,1)', 'decimal(17,8)'],
    ['/', 'decimal(38,18)', 'decimal(38,18)', 'decimal(38,6)'],
    ['/', 'decimal(1,0)', 'decimal(2,1)', 'decimal(8,6)'], // 1L / 1.5
    ['%', 'decimal(10,2)', 'decimal(5,1)', 'decimal(6,2)'],
    ['%', 'decimal(3,1)', 'decimal(1,0)', 'decimal(2,1)'], // 10.5 % 3
    ['div', 'decimal(3,1)', 'decimal(1,0)', 'decimal(2,0)'],
  ] as const)('%s over %s and %s is %s', (op, a, b, expected) => {
    expect(resultDecimalType(op, a, b)).toBe(expected);
  });

  it('keeps at least 6 fraction digits when a result is capped at 38', () => {
    expect(adjustPrecisionScale(77, 36)).toBe('decimal(38,6)');
    expect(adjustPrecisionScale(40, 2)).toBe('decimal(38,2)');
    expect(adjustPrecisionScale(38, 10)).toBe('decimal(38,10)');
  });
});

describe('widening', () => {
  it('gives integral types their DECIMAL, literals only the digits they need', () => {
    expect(decimalForType('int')).toBe('decimal(10,0)');
    expect(decimalForType('bigint')).toBe('decimal(20,0)');
    expect(decimalForType('tinyint')).toBe('decimal(3,0)');
    expect(decimalForLiteral(2, 'int')).toBe('decimal(1,0)');
    expect(decimalForLiteral(-9223372036854775808n, 'bigint')).toBe('decimal(19,0)');
    expect(decimalForLiteral(5, 'tinyint')).toBe('decimal(3,0)');
    expect(literalDecimalType(1n, 3)).toBe('decimal(3,3)');
  });

  it('meets two numeric types as Spark does (CASE 1.5 / 2, coalesce(1.5, 10L), greatest(1.5, 2.25, 1))', () => {
    expect(widerNumericType('decimal(2,1)', 'int')).toBe('decimal(11,1)');
    expect(widerNumericType('decimal(2,1)', 'bigint')).toBe('decimal(21,1)');
    expect(widerNumericType(widerNumericType('decimal(2,1)', 'decimal(3,2)'), 'int')).toBe('decimal(12,2)');
    expect(widerNumericType('decimal(5,2)', 'double')).toBe('double');
    expect(widerNumericType('float', 'decimal(5,2)')).toBe('double');
    expect(widerNumericType('int', 'bigint')).toBe('bigint');
    expect(widerDecimalType('decimal(38,0)', 'decimal(38,38)')).toBe('decimal(38,38)');
  });
});
