import { formatJavaDouble, formatJavaFloat, formatTimestampMicros, renderCell } from './render-cell.js';

describe('renderCell', () => {
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
