import type { Row } from '../core/types.js';
import { col, concat, count, lit, length, split, substring, sum, upper, when, coalesce, explode } from '../api/functions.js';
import type { Column } from '../api/column.js';
import { bindExpr, type Scope } from './binder.js';
import { parseExpression } from './sql-parser.js';
import { expandStars } from '../operators/project.js';

const scope: Scope = {
  fields: [
    { name: 'value', type: 'string', nullable: true },
    { name: 'n', type: 'int', nullable: true },
    { name: 'd', type: 'double', nullable: true },
    { name: 'b', type: 'boolean', nullable: true },
  ],
  timeZone: 'UTC',
};
const ctx = { batchTimestampMs: 1_600_000_000_000 };
const bind = (c: Column) => bindExpr(c.expr, scope);
const run = (c: Column, row: Row) => bind(c).eval(row, ctx);

describe('column names (Spark toPrettySQL, SEMANTICS 6)', () => {
  it.each<[Column, string]>([
    [col('value'), 'value'],
    [col('VALUE'), 'value'],
    [length(col('value')), 'length(value)'],
    [col('n').plus(col('d')), '(n + d)'],
    [length(col('value')).gt(4), '(length(value) > 4)'],
    [col('n').ne(1), '(NOT (n = 1))'],
    [upper(col('value')).alias('up'), 'up'],
    [lit('x'), 'x'],
    [lit(null), 'NULL'],
    [col('value').isNull(), '(value IS NULL)'],
    [col('n').cast('string'), 'n'],
    [length(col('value')).cast('string'), 'CAST(length(value) AS STRING)'],
    [split(col('value'), ' '), 'split(value,  , -1)'],
    [substring(col('value'), 1, 3), 'substring(value, 1, 3)'],
    [concat(col('value'), lit('!')), 'concat(value, !)'],
    [when(col('n').gt(1), 'big').otherwise('small'), 'CASE WHEN (n > 1) THEN big ELSE small END'],
    [coalesce(col('value'), lit('-')), 'coalesce(value, -)'],
    [col('value').isin('a', 'b'), '(value IN (a, b))'],
    [col('value').like('a%'), 'value LIKE a%'],
    [col('b').and(col('n').lt(3)), '(b AND (n < 3))'],
    [explode(split(col('value'), ' ')), 'col'],
  ])('%# names %s', (c, name) => {
    expect(bind(c).name).toBe(name);
  });
});

describe('evaluation', () => {
  it('follows three-valued logic for AND / OR / NOT and comparisons with NULL', () => {
    expect(run(col('b').and(lit(false)), ['', 1, 1, null])).toBe(false);
    expect(run(col('b').and(lit(true)), ['', 1, 1, null])).toBeNull();
    expect(run(col('b').or(lit(true)), ['', 1, 1, null])).toBe(true);
    expect(run(col('n').gt(1), [null, null, null, null])).toBeNull();
    expect(run(col('n').eqNullSafe(lit(null)), [null, null, null, null])).toBe(true);
  });

  it('computes string functions as Spark does', () => {
    expect(run(length(col('value')), ['héllo', 0, 0, true])).toBe(5);
    expect(run(substring(col('value'), -3, 2), ['streaming', 0, 0, true])).toBe('in');
    expect(run(split(col('value'), ' '), ['a b  c', 0, 0, true])).toEqual(['a', 'b', '', 'c']);
    expect(run(concat(col('value'), lit(null)), ['a', 0, 0, true])).toBeNull();
  });

  it('divides to double and fails on division by zero (ANSI)', () => {
    expect(bind(col('n').divide(2)).type).toBe('double');
    expect(run(col('n').divide(2), ['', 3, 0, true])).toBe(1.5);
    expect(() => run(col('n').divide(0), ['', 3, 0, true])).toThrow(expect.objectContaining({ code: 'RUNTIME_ERROR' }));
  });

  it('casts strings to numbers, failing on malformed input with CAST_INVALID_INPUT', () => {
    expect(run(col('value').cast('int'), ['42', 0, 0, true])).toBe(42);
    expect(() => run(col('value').cast('int'), ['4x', 0, 0, true])).toThrow(/CAST_INVALID_INPUT/);
  });
});

describe('analysis errors (Spark 4 error classes)', () => {
  it('an unknown column suggests the closest ones', () => {
    expect(() => bind(col('valu'))).toThrow(
      '[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `valu` cannot be resolved. Did you mean one of the following? [`value`, `n`, `d`, `b`]. SQLSTATE: 42703',
    );
  });

  it('an aggregate outside an aggregation is rejected', () => {
    // UNSUPPORTED_EXPR_FOR_OPERATOR of error-conditions.json (its three message lines), invalidExprSqls as toSQLExpr.
    expect(() => bind(sum(col('n')))).toThrow(
      '[UNSUPPORTED_EXPR_FOR_OPERATOR] A query operator contains one or more unsupported expressions.\n'
        + 'Consider to rewrite it to avoid window functions, aggregate functions, and generator functions in the WHERE clause.\n'
        + 'Invalid expressions: ["sum(n)"] SQLSTATE: 42K0E',
    );
    expect(() => bind(count('*'))).toThrow(expect.objectContaining({ code: 'ANALYSIS_ERROR' }));
  });
});

describe('ANSI arithmetic errors and interval arithmetic (Spark 4 texts)', () => {
  const sql = (text: string, row: Row = []): unknown =>
    bindExpr(parseExpression(text), { fields: [{ name: 'ts', type: 'timestamp', nullable: true }, { name: 'i', type: 'int', nullable: true }], timeZone: 'UTC' }).eval(row, ctx);

  // ARITHMETIC_OVERFLOW ("<message>.<alternative> If necessary set <config> to \"false\" ..."), the
  // hint of MathUtils.addExact / subtractExact / multiplyExact; Spark 4.2's message is "overflow"
  // (conformance/goldens/casts/int-add-overflow.err).
  it.each([
    ['i + 2147483647', 'try_add'],
    ['-2147483647 - i', 'try_subtract'],
    ['i * 2147483647', 'try_multiply'],
  ])('%s overflows with the %s hint', (text, hint) => {
    expect(() => sql(text, [null, 2])).toThrow(
      `[ARITHMETIC_OVERFLOW] overflow. Use '${hint}' to tolerate overflow and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error. SQLSTATE: 22003`,
    );
  });

  it('-i overflows for INT_MIN, without a try_ hint (negateExact)', () => {
    expect(() => sql('-i', [null, -2147483648])).toThrow(
      '[ARITHMETIC_OVERFLOW] overflow. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error. SQLSTATE: 22003',
    );
    expect(sql('-i', [null, 0])).toBe(0);
  });

  it('% by zero is REMAINDER_BY_ZERO with the try_mod hint', () => {
    expect(() => sql('i % 0', [null, 7])).toThrow(
      '[REMAINDER_BY_ZERO] Remainder by zero. Use `try_mod` to tolerate divisor being 0 and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error. SQLSTATE: 22012',
    );
  });

  it('timestamp ± day-time and year-month intervals (TimestampAddInterval / TimestampAddYMInterval)', () => {
    const t = Date.UTC(2024, 0, 31, 10, 0) * 1000;
    expect(sql("ts + INTERVAL '1 10:30:00' DAY TO SECOND", [t])).toBe(t + (34 * 3600 + 1800) * 1_000_000);
    expect(sql('ts - INTERVAL 90 MINUTES', [t])).toBe(t - 5400 * 1_000_000);
    // Month arithmetic clamps the day to the end of the month (LocalDateTime.plusMonths).
    expect(sql('ts + INTERVAL 1 MONTH', [t])).toBe(Date.UTC(2024, 1, 29, 10, 0) * 1000);
    expect(sql("ts - INTERVAL '1-1' YEAR TO MONTH", [t])).toBe(Date.UTC(2022, 11, 31, 10, 0) * 1000);
  });
});

describe('spark.sql.ansi.enabled=false (Scope.ansi false): the legacy results', () => {
  const legacy = (text: string, row: Row = [7, 0]): unknown =>
    bindExpr(parseExpression(text), { fields: [{ name: 'i', type: 'int', nullable: true }, { name: 'z', type: 'int', nullable: true }], timeZone: 'UTC', ansi: false }).eval(row, ctx);

  it.each<[string, unknown]>([
    ['i / z', null],
    ['i % z', null],
    ['i div z', null],
    ['pmod(i, z)', null],
    ["CAST('abc' AS INT)", null],
    ["CAST('1.9' AS INT)", 1],
    ["CAST('2147483648' AS INT)", null],
    ['CAST(3000000000L AS INT)', -1294967296],
    ["CAST(CAST('NaN' AS DOUBLE) AS INT)", 0],
    ['CAST(1e10 AS INT)', 2147483647],
    ['i + 2147483647', -2147483642],
    ["'2.5' + i", 9.5],
    ['element_at(array(1), 5)', null],
    ['size(NULL)', -1],
    ["to_date('x', 'yyyy')", null],
  ])('%s', (text, expected) => {
    expect(legacy(text)).toEqual(expected);
  });
});

describe('star expansion errors', () => {
  it('CANNOT_RESOLVE_STAR_EXPAND carries the whole error-conditions.json sentence', () => {
    expect(() => expandStars([{ kind: 'star', qualifier: 't' }], scope.fields)).toThrow(
      '[CANNOT_RESOLVE_STAR_EXPAND] Cannot resolve `t`.* given input columns `value`, `n`, `d`, `b`. '
        + 'Please check that the specified table or struct exists and is accessible in the input columns. SQLSTATE: 42704',
    );
  });
});
