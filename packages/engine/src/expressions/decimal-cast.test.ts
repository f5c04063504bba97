import type { DataType, Value } from '../core/types.js';
import { castToString, castValue, toSqlValue } from './cast.js';

/** Casts to and from DECIMAL; expected values and messages from Spark 4.2.0 (`SELECT CAST(...)`). */
const cast = (v: Value, from: DataType, to: DataType, ansi = true): Value => castValue(v, from, to, 'UTC', false, ansi);
/** The cast's result as Spark's show() prints it. */
const shown = (v: Value, from: DataType, to: DataType, ansi = true): string => {
  const r = cast(v, from, to, ansi);
  return r === null ? 'NULL' : castToString(r, to, 'UTC');
};

describe('to DECIMAL', () => {
  it.each<[Value, DataType, DataType, string]>([
    ['123.456', 'string', 'decimal(5,2)', '123.46'],
    ['1e3', 'string', 'decimal(10,2)', '1000.00'],
    [' 1.5 ', 'string', 'decimal(4,1)', '1.5'],
    ['1234.56', 'string', 'decimal(5,1)', '1234.6'],
    [' 1.5e2 ', 'string', 'decimal(10,1)', '150.0'],
    ['+.5', 'string', 'decimal(3,2)', '0.50'],
    ['1.', 'string', 'decimal(3,1)', '1.0'],
    [1.005, 'double', 'decimal(10,2)', '1.01'],
    [2.5, 'double', 'decimal(10,2)', '2.50'],
    [-3.14159, 'double', 'decimal(10,2)', '-3.14'],
    [0.1, 'double', 'decimal(38,20)', '0.10000000000000000000'],
    [1e20, 'double', 'decimal(38,0)', '100000000000000000000'],
    [-0, 'double', 'decimal(3,1)', '0.0'],
    [1e-10, 'double', 'decimal(20,15)', '0.000000000100000'],
    [Number.NaN, 'double', 'decimal(5,1)', 'NULL'],
    [true, 'boolean', 'decimal(3,1)', '1.0'],
    [1704067200500000, 'timestamp', 'decimal(20,3)', '1704067200.500'],
    [15, 'decimal(2,1)', 'decimal(10,2)', '1.50'],
    [9223372036854775807n, 'bigint', 'decimal(20,0)', '9223372036854775807'],
  ])('%p (%s) to %s is %s', (v, from, to, expected) => {
    expect(shown(v, from, to)).toBe(expected);
  });

  it('fails a value that does not fit under ANSI, with the unrounded value', () => {
    expect(() => cast(1000, 'int', 'decimal(3,0)')).toThrow(
      '[NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION]  1000 cannot be represented as Decimal(3, 0). If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error, and return NULL instead. SQLSTATE: 22003',
    );
    expect(() => cast(9.995, 'double', 'decimal(3,2)')).toThrow(' 9.995 cannot be represented as Decimal(3, 2).');
    expect(() => cast(1, 'int', 'decimal(0,0)')).toThrow(' 1 cannot be represented as Decimal(0, 0).');
    expect(cast(1000, 'int', 'decimal(3,0)', false)).toBeNull();
  });

  it('fails malformed text under ANSI with CAST_INVALID_INPUT, NULL without', () => {
    expect(() => cast('abc', 'string', 'decimal(5,1)')).toThrow(
      '[CAST_INVALID_INPUT] The value \'abc\' of the type "STRING" cannot be cast to "DECIMAL(5,1)" because it is malformed. Correct the value as per the syntax, or change its target type. Use `try_cast` to tolerate malformed input and return NULL instead. SQLSTATE: 22018',
    );
    expect(() => cast('1,000', 'string', 'decimal(5,0)')).toThrow('[CAST_INVALID_INPUT]');
    expect(cast('abc', 'string', 'decimal(5,1)', false)).toBeNull();
    expect(castValue('abc', 'string', 'decimal(5,1)', 'UTC', true)).toBeNull();
  });
});

describe('from DECIMAL', () => {
  it.each<[Value, DataType, DataType, Value]>([
    [12345678, 'decimal(10,3)', 'double', 12345.678],
    [-129, 'decimal(4,1)', 'int', -12],
    [25, 'decimal(2,1)', 'bigint', 2],
    [-25, 'decimal(2,1)', 'smallint', -2],
    [15, 'decimal(2,1)', 'float', 1.5],
    [15, 'decimal(2,1)', 'boolean', true],
    [0, 'decimal(2,1)', 'boolean', false],
    [17000000005, 'decimal(12,1)', 'timestamp', 1700000000500000],
    [123456789012345678901234567890n, 'decimal(30,0)', 'double', 1.2345678901234568e29],
  ])('%p (%s) to %s is %p', (v, from, to, expected) => {
    expect(cast(v, from, to)).toBe(expected);
  });

  it('fails past the integral range under ANSI (the value as a BD literal), and wraps without', () => {
    expect(() => cast(99999, 'decimal(5,0)', 'tinyint')).toThrow(
      '[CAST_OVERFLOW] The value 99999BD of the type "DECIMAL(5,0)" cannot be cast to "TINYINT" due to an overflow. Use `try_cast` to tolerate overflow and return NULL instead. SQLSTATE: 22003',
    );
    expect(() => cast(123456789012345678905n, 'decimal(21,1)', 'bigint')).toThrow('The value 12345678901234567890.5BD of the type "DECIMAL(21,1)" cannot be cast to "BIGINT"');
    expect(cast(-3007, 'decimal(20,10)', 'tinyint', false)).toBe(0);
    expect(cast(-3007000000000n, 'decimal(20,10)', 'tinyint', false)).toBe(-44);
  });

  it('prints plain under ANSI and as BigDecimal.toString without', () => {
    expect(castToString(1, 'decimal(10,8)', 'UTC')).toBe('0.00000001');
    expect(castToString(1, 'decimal(10,8)', 'UTC', false)).toBe('1E-8');
    expect(cast(100, 'decimal(20,10)', 'string', false)).toBe('1.00E-8');
    expect(castToString(-1234, 'decimal(6,2)', 'UTC', false)).toBe('-12.34');
  });

  it('is written in errors as a BD literal', () => {
    expect(toSqlValue(150, 'decimal(5,2)')).toBe('1.50BD');
    expect(toSqlValue(9223372036854775807n, 'bigint')).toBe('9223372036854775807L');
  });
});

describe('BIGINT casts past 2^53', () => {
  it('are exact from and to text', () => {
    expect(cast('9007199254740993', 'string', 'bigint')).toBe(9007199254740993n);
    expect(cast(' 42 ', 'string', 'bigint')).toBe(42);
    expect(cast(9007199254740993n, 'bigint', 'string')).toBe('9007199254740993');
    expect(cast(9007199254740993n, 'bigint', 'double')).toBe(9007199254740992);
  });

  it('saturate a DOUBLE at 2^63 and fail past it, as DoubleExactNumeric.toLong does', () => {
    expect(cast(9.223372036854776e18, 'double', 'bigint')).toBe(9223372036854775807n);
    expect(cast(-9.223372036854776e18, 'double', 'bigint')).toBe(-9223372036854775808n);
    expect(() => cast(1e19, 'double', 'bigint')).toThrow('[CAST_OVERFLOW] The value 1.0E19D of the type "DOUBLE" cannot be cast to "BIGINT"');
    expect(() => cast(9007199254740993n, 'bigint', 'int')).toThrow('The value 9007199254740993L of the type "BIGINT" cannot be cast to "INT"');
    expect(cast(9007199254740993n, 'bigint', 'int', false)).toBe(1);
  });
});
