import type { Row } from '../core/types.js';
import { parseExpression } from './sql-parser.js';
import { bindExpr, type Scope } from './binder.js';
import { roundDecimal } from './extra-functions.js';

const scope: Scope = {
  fields: [
    { name: 'd', type: 'double', nullable: true },
    { name: 'i', type: 'int', nullable: true },
    { name: 's', type: 'string', nullable: true },
    { name: 'a', type: { kind: 'array', elementType: 'int', containsNull: true }, nullable: true },
    { name: 'n', type: 'int', nullable: true },
    { name: 'ts', type: 'timestamp', nullable: true },
  ],
  timeZone: 'UTC',
};
const ctx = { batchTimestampMs: 0 };
const row: Row = [2.675, 15, 'abcabc', [3, null, 1, 2], null, Date.UTC(2024, 2, 5, 7, 8, 9) * 1000];
const bind = (sql: string) => bindExpr(parseExpression(sql), scope);
const run = (sql: string, r: Row = row) => bind(sql).eval(r, ctx);

describe('round / bround: BigDecimal rounding of the decimal value Java prints', () => {
  it.each<[number, number, number, number]>([
    // x, scale, HALF_UP, HALF_EVEN
    [2.675, 2, 2.68, 2.68],
    [1.005, 2, 1.01, 1.0],
    [-0.125, 2, -0.13, -0.12],
    [2.5, 0, 3, 2],
    [-2.5, 0, -3, -2],
    [0.5, 0, 1, 0],
    [1.4, 0, 1, 1],
    [15, -1, 20, 20],
    [25, -1, 30, 20],
    [-15, -1, -20, -20],
    [1234.5678, -2, 1200, 1200],
    [1.5e-7, 7, 2e-7, 2e-7],
    [-0.001, 2, 0, 0],
  ])('%d at scale %d', (x, scale, halfUp, halfEven) => {
    expect(roundDecimal(x, scale, 'half_up')).toBe(halfUp);
    expect(roundDecimal(x, scale, 'half_even')).toBe(halfEven);
  });

  it('keeps NaN and the infinities, and integral types integral', () => {
    expect(roundDecimal(Number.NaN, 2, 'half_up')).toBeNaN();
    expect(roundDecimal(Infinity, 2, 'half_up')).toBe(Infinity);
    expect(bind('round(i, -1)').type).toBe('int');
    expect(run('round(i, -1)')).toBe(20);
    expect(bind('round(d)').sql).toBe('round(d, 0)');
    expect(run('round(d, 2)')).toBe(2.68);
  });
});

describe('more Spark functions (SQL strings)', () => {
  it.each<[string, unknown]>([
    ['pmod(-7, 3)', 2],
    ['pmod(-7, -3)', -1],
    ['mod(-7, 3)', -1],
    ['try_divide(7, 0)', null],
    ['try_divide(7, 2)', 3.5],
    ['ln(0)', null],
    ['log(10, 100)', 2],
    ['greatest(i, n, 3)', 15],
    ['least(n, 3, i)', 3],
    ['greatest(n, n)', null],
    ["if(i > 0, 'pos', 'neg')", 'pos'],
    ["nvl(CAST(n AS STRING), 'd')", 'd'],
    ["nvl(n, '7')", 7],
    ["nvl2(n, 'set', 'unset')", 'unset'],
    ['nullif(i, 15)', null],
    ["named_struct('x', i, 'y', s)", [15, 'abcabc']],
    ['element_at(a, 1)', 3],
    ['element_at(a, -1)', 2],
    ['try_element_at(a, 9)', null],
    ['sort_array(a)', [null, 1, 2, 3]],
    ['sort_array(a, false)', [3, 2, 1, null]],
    ["array_join(a, '|')", '3|1|2'],
    ["array_join(a, '|', '?')", '3|?|1|2'],
    ['size(a)', 4],
    ['array_contains(a, 1)', true],
    ['array_contains(a, 5)', null],
    ["locate('b', s)", 2],
    ["locate('b', s, 3)", 5],
    ["locate('b', s, 0)", 0],
    ["s RLIKE '^[a-c]+$'", true],
    ["rlike(s, 'x')", false],
    ['dayofweek(ts)', 3],
    ['dayofyear(ts)', 65],
    ['weekday(ts)', 1],
    ["datediff(ts, '2024-03-01')", 4],
    ["date_format(ts, 'EEE MMM d')", 'Tue Mar 5'],
    ["to_date('05/03/2024', 'dd/MM/yyyy')", 19787],
    ["unix_timestamp('1970-01-02', 'yyyy-MM-dd')", 86400],
    ["to_timestamp('05/03/2024 10:20', 'dd/MM/yyyy HH:mm')", Date.UTC(2024, 2, 5, 10, 20) * 1000],
    ["try_to_timestamp('nope', 'yyyy')", null],
    ["concat_ws(',', array('x', NULL), 'y')", 'x,y'],
    ["split('a,b,,', ',', 0)", ['a', 'b', '', '']],
  ])('%s', (sql, expected) => {
    expect(run(sql)).toEqual(expected);
  });

  it('NULL arrays: size and array_contains are NULL', () => {
    const nulls: Row = [null, null, null, null, null, null];
    expect(run('size(a)', nulls)).toBeNull();
    expect(run('array_contains(a, 1)', nulls)).toBeNull();
  });

  it('names columns as Spark does', () => {
    expect(bind("locate('b', s)").name).toBe('locate(b, s, 1)');
    expect(bind("if(i > 0, 'p', 'n')").name).toBe('(IF((i > 0), p, n))');
    expect(bind("s RLIKE 'x'").name).toBe('s RLIKE x');
    expect(bind('sort_array(a)').name).toBe('sort_array(a, true)');
    expect(bind("unix_timestamp(s)").name).toBe('unix_timestamp(s, yyyy-MM-dd HH:mm:ss)');
    expect(bind('try_cast(s AS INT)').name).toBe('s');
    expect(bind('try_cast(i + 1 AS STRING)').name).toBe('TRY_CAST((i + 1) AS STRING)');
  });

  it('fails as Spark does under ANSI', () => {
    expect(() => run('element_at(a, 5)')).toThrow('[INVALID_ARRAY_INDEX_IN_ELEMENT_AT] The index 5 is out of bounds. The array has 4 elements. Use `try_element_at` to tolerate accessing element at invalid index and return NULL instead. SQLSTATE: 22003');
    expect(() => run('element_at(a, 0)')).toThrow('[INVALID_INDEX_OF_ZERO]');
    expect(() => run('pmod(i, 0)')).toThrow('[DIVIDE_BY_ZERO]');
    expect(() => run("to_date('2024/03/05', 'yyyy-MM-dd')")).toThrow(
      "[CANNOT_PARSE_TIMESTAMP] Text '2024/03/05' could not be parsed at index 4. Use `try_to_date` to tolerate invalid input string and return NULL instead. SQLSTATE: 22007",
    );
    expect(run("try_cast('abc' AS INT)")).toBeNull();
  });
});
