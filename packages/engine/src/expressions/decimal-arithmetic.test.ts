import type { Row } from '../core/types.js';
import { bindExpr, type Scope } from './binder.js';
import { castToString } from './cast.js';
import { parseExpression } from './sql-parser.js';

/**
 * DECIMAL and BIGINT through the binder, as SQL text. Every expected value, type and message is
 * what Spark 4.2.0 printed for the same SELECT (`spark.sql(...).show()` / `typeof`).
 */
const scope: Scope = {
  fields: [
    { name: 'x', type: 'decimal(5,2)', nullable: true },
    { name: 'i', type: 'int', nullable: true },
    { name: 'l', type: 'bigint', nullable: true },
  ],
  timeZone: 'UTC',
};
const row: Row = [125, 2, 9007199254740993n];
const ctx = { batchTimestampMs: 0 };
const bind = (sql: string, ansi = true) => bindExpr(parseExpression(sql), { ...scope, ansi });
/** The value as Spark's show() prints it, and its type. */
const show = (sql: string, ansi = true): [string, string] => {
  const b = bind(sql, ansi);
  const v = b.eval(row, ctx);
  return [v === null ? 'NULL' : castToString(v, b.type, 'UTC'), String(b.type)];
};

describe('decimal arithmetic', () => {
  it.each([
    ['1.5 + 1', '2.5', 'decimal(3,1)'],
    ['1.10 + 2.125', '3.225', 'decimal(5,3)'],
    ['1.5 * 2', '3.0', 'decimal(4,1)'],
    ['10.0 / 3', '3.333333', 'decimal(8,6)'],
    ['10.5 % 3', '1.5', 'decimal(2,1)'],
    ['10.5 div 3', '3', 'bigint'],
    ['-7.5 % 2', '-1.5', 'decimal(2,1)'],
    ['7.5 % -2', '1.5', 'decimal(2,1)'],
    ['-7.5 div 2', '-3', 'bigint'],
    ['CAST(-7 AS DECIMAL(5,0)) / 2', '-3.500000', 'decimal(11,6)'],
    ['CAST(1.5 AS DECIMAL(10,2)) * CAST(2.25 AS DECIMAL(5,3))', '3.37500', 'decimal(16,5)'],
    ['CAST(1 AS DECIMAL(38,18)) / CAST(3 AS DECIMAL(38,18))', '0.333333', 'decimal(38,6)'],
    ['CAST(123.456 AS DECIMAL(6,3)) * CAST(654.321 AS DECIMAL(6,3))', '80779.853376', 'decimal(13,6)'],
    ['CAST(1.5 AS DECIMAL(38,37)) * CAST(2.5 AS DECIMAL(38,37))', '3.75000000000000000000000000000000000', 'decimal(38,35)'],
    ['CAST(2 AS DECIMAL(38,37)) / CAST(3 AS DECIMAL(38,37))', '0.666667', 'decimal(38,6)'],
    ['1 / 1.5', '0.666667', 'decimal(8,6)'],
    ['1.5 + 1.5D', '3.0', 'double'],
    ["'1.5' + 1.5", '3.0', 'double'],
    ['x + i', '3.25', 'decimal(13,2)'],
    ['x * 2', '2.50', 'decimal(7,2)'],
    ['-x', '-1.25', 'decimal(5,2)'],
    ['CASE WHEN true THEN 1.5 ELSE 2 END', '1.5', 'decimal(11,1)'],
    ['coalesce(1.5, 10L)', '1.5', 'decimal(21,1)'],
    ['greatest(1.5, 2.25, 1)', '2.25', 'decimal(12,2)'],
    ['least(CAST(1 AS DECIMAL(5,2)), 2L)', '1.00', 'decimal(22,2)'],
  ])('%s is %s of %s', (sql, value, type) => {
    expect(show(sql)).toEqual([value, type]);
  });

  it('fails past 38 digits under ANSI, and is NULL without', () => {
    const sql = 'CAST(1 AS DECIMAL(38,0)) + 99999999999999999999999999999999999999';
    expect(() => show(sql)).toThrow(expect.objectContaining({
      code: 'RUNTIME_ERROR',
      message: '[NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION]  100000000000000000000000000000000000000 cannot be represented as Decimal(38, 0). If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error, and return NULL instead. SQLSTATE: 22003',
    }));
    expect(show(sql, false)).toEqual(['NULL', 'decimal(38,0)']);
  });

  it('fails a division by zero under ANSI, and is NULL without', () => {
    expect(() => show('1.0 / 0')).toThrow('[DIVIDE_BY_ZERO] Division by zero.');
    expect(() => show('1.0 % 0')).toThrow('[REMAINDER_BY_ZERO] Remainder by zero.');
    expect(show('1.0 / 0', false)).toEqual(['NULL', 'decimal(7,6)']);
  });
});

describe('decimal comparisons', () => {
  it.each([
    ['1.5 = 1.50', true],
    ["'1.5' = 1.5", true],
    ['CAST(1.5 AS DECIMAL(3,1)) = 1.5D', true],
    ['x > 1', true],
    ['x = 1.25', true],
    ['x IN (1.25, 2)', true],
    ['x BETWEEN 1 AND 2', true],
    ['x < CAST(1.249 AS DECIMAL(10,3))', false],
  ])('%s is %s', (sql, expected) => {
    expect(bind(sql).eval(row, ctx)).toBe(expected);
  });

  it('compares an integral with a decimal literal through its floor or ceiling, as the names show', () => {
    expect(bind('2 > 1.5').name).toBe('(2 > 1)');
    expect(bind('1.5 < 2').name).toBe('(1 < 2)');
    expect(bind('i >= 1.5').name).toBe('(i >= 2)');
    expect(bind('i <= -1.5').name).toBe('(i <= -2)');
    expect(bind('i > 1.5').eval(row, ctx)).toBe(true);
    expect(bind('i < 10000000000000000000.5').name).toBe('true');
    expect(bind('x > 1.5').name).toBe('(x > 1.5)');
  });
});

describe('BIGINT past 2^53', () => {
  it('computes exactly', () => {
    expect(show('l + 2')).toEqual(['9007199254740995', 'bigint']);
    expect(show('9223372036854775807L - 1')).toEqual(['9223372036854775806', 'bigint']);
    expect(show('-(l)')).toEqual(['-9007199254740993', 'bigint']);
    expect(show('l % 10')).toEqual(['3', 'bigint']);
    expect(show('l * 1 = 9007199254740993')).toEqual(['true', 'boolean']);
    expect(show('l > 9007199254740992')).toEqual(['true', 'boolean']);
  });

  it('fails or wraps at the long limits', () => {
    expect(() => show('9223372036854775807L + 1')).toThrow("[ARITHMETIC_OVERFLOW] overflow. Use 'try_add' to tolerate overflow and return NULL instead.");
    expect(() => show('-9223372036854775807L - 2')).toThrow("Use 'try_subtract'");
    expect(() => show('-(-9223372036854775808L)')).toThrow('[ARITHMETIC_OVERFLOW] overflow. If necessary set');
    expect(() => show('-9223372036854775808L div -1')).toThrow('[ARITHMETIC_OVERFLOW] Overflow in integral divide.');
    expect(show('9223372036854775807L + 1', false)).toEqual(['-9223372036854775808', 'bigint']);
    expect(show('9223372036854775807L * 2', false)).toEqual(['-2', 'bigint']);
  });
});
