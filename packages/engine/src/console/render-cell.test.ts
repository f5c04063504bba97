import type { DataType } from '../core/types.js';
import { formatJavaDouble, formatJavaFloat, formatTimestampMicros, renderCell } from './render-cell.js';

describe('renderCell', () => {
  it('prints a DECIMAL plain at its scale, and a BIGINT with all of its digits (Spark 4.2.0 show())', () => {
    expect(renderCell(150, 'decimal(10,2)', 'UTC')).toBe('1.50');
    expect(renderCell(-1, 'decimal(38,18)', 'UTC')).toBe('-0.000000000000000001');
    expect(renderCell(12345678901234567890123456789012345678n, 'decimal(38,18)', 'UTC')).toBe('12345678901234567890.123456789012345678');
    expect(renderCell(0, 'decimal(3,3)', 'UTC')).toBe('0.000');
    expect(renderCell(-12345678901234567890n, 'decimal(20,0)', 'UTC')).toBe('-12345678901234567890');
    expect(renderCell(9223372036854775807n, 'bigint', 'UTC')).toBe('9223372036854775807');
    expect(renderCell(-9223372036854775808n, 'bigint', 'UTC')).toBe('-9223372036854775808');
    expect(renderCell([150, null], { kind: 'array', elementType: 'decimal(10,2)', containsNull: true }, 'UTC')).toBe('[1.50, NULL]');
  });

  it("prints doubles as Java's Double.toString", () => {
    expect(formatJavaDouble(15)).toBe('15.0');
    expect(formatJavaDouble(0.5)).toBe('0.5');
    expect(formatJavaDouble(1e10)).toBe('1.0E10');
    expect(formatJavaDouble(1.5e-5)).toBe('1.5E-5');
    expect(formatJavaDouble(-0)).toBe('-0.0');
    expect(formatJavaDouble(Number.NaN)).toBe('NaN');
  });

  it("prints floats as Java's Float.toString: the shortest decimal of the 32-bit value", () => {
    expect(formatJavaFloat(Math.fround(0.1))).toBe('0.1');
    expect(formatJavaFloat(Math.fround(16777217))).toBe('1.6777216E7');
    expect(formatJavaFloat(Math.fround(3.4028235e38))).toBe('3.4028235E38');
    expect(formatJavaFloat(Math.fround(1e-5))).toBe('1.0E-5');
    expect(formatJavaFloat(1.5)).toBe('1.5');
    expect(renderCell(Math.fround(0.3), 'float', 'UTC')).toBe('0.3');
  });

  it('prints timestamps as yyyy-MM-dd HH:mm:ss with the fraction trimmed, in the session zone', () => {
    const micros = Date.UTC(2020, 7, 14, 6, 0, 0) * 1000;
    expect(formatTimestampMicros(micros, 'UTC')).toBe('2020-08-14 06:00:00');
    expect(formatTimestampMicros(micros + 120_000, 'UTC')).toBe('2020-08-14 06:00:00.12');
    expect(formatTimestampMicros(micros, 'Asia/Kolkata')).toBe('2020-08-14 11:30:00');
  });

  it('prints NULL for null of any type', () => {
    expect(renderCell(null, 'timestamp', 'UTC')).toBe('NULL');
    expect(renderCell(true, 'boolean', 'UTC')).toBe('true');
  });
});

describe('renderCell: maps (ToPrettyString)', () => {
  const map = (keyType: DataType, valueType: DataType): DataType => ({ kind: 'map', keyType, valueType, valueContainsNull: true });
  it('prints {k -> v, ...} with NULL values, nested types and escaped strings', () => {
    expect(renderCell([['a', 1], ['b', null]], map('string', 'int'), 'UTC')).toBe('{a -> 1, b -> NULL}');
    expect(renderCell([], map('string', 'int'), 'UTC')).toBe('{}');
    expect(renderCell([[true, 1.5], [false, 0.3333333333333333]], map('boolean', 'double'), 'UTC')).toBe('{true -> 1.5, false -> 0.3333333333333333}');
    expect(renderCell([['o', [['i', [1, null]]]]], map('string', map('string', { kind: 'array', elementType: 'int', containsNull: true })), 'UTC')).toBe('{o -> {i -> [1, NULL]}}');
    expect(renderCell([[1, 'a\tb']], map('bigint', 'string'), 'UTC')).toBe('{1 -> a\\tb}');
    expect(renderCell([[19724, 1704067201500000]], map('date', 'timestamp'), 'UTC')).toBe('{2024-01-02 -> 2024-01-01 00:00:01.5}');
  });
});
