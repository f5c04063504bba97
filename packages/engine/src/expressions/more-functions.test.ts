import { parseExpression } from './sql-parser.js';
import { bindExpr, type Scope } from './binder.js';
import type { Row } from '../core/types.js';

const scope: Scope = {
  fields: [
    { name: 's', type: 'string', nullable: true },
    { name: 'x', type: 'double', nullable: true },
    { name: 't', type: 'timestamp', nullable: true },
    { name: 'a', type: { kind: 'array', elementType: 'string', containsNull: true }, nullable: true },
  ],
  timeZone: 'UTC',
};
const row: Row = ['Hello World 42', 2.345, Date.UTC(2020, 7, 15, 5, 34, 45, 120) * 1000, ['a', 'b']];
const run = (sql: string) => bindExpr(parseExpression(sql), scope).eval(row, { batchTimestampMs: 0 });

describe('more Spark functions (as SQL strings)', () => {
  it.each<[string, unknown]>([
    ['round(x, 2)', 2.35],
    ['round(2.5)', 3],
    ['floor(x)', 2],
    ['ceil(x)', 3],
    ["regexp_replace(s, '[0-9]+', '#')", 'Hello World #'],
    ["regexp_extract(s, '([A-Z])([a-z]+)', 2)", 'ello'],
    ["instr(s, 'World')", 7],
    ["lpad('7', 3, '0')", '007'],
    ["rpad('ab', 4, '.')", 'ab..'],
    ["initcap('hello spark')", 'Hello Spark'],
    ['size(a)', 2],
    ["array_contains(a, 'b')", true],
    ['array(1, x)', [1, 2.345]],
    ["arrays_zip(a, array('c'))", [['a', 'c'], ['b', null]]],
    ['year(t)', 2020],
    ['month(t)', 8],
    ['dayofmonth(t)', 15],
    ['hour(t)', 5],
    ['minute(t)', 34],
    ['second(t)', 45],
    ["date_format(t, 'yyyy/MM/dd HH:mm:ss.SSS')", '2020/08/15 05:34:45.120'],
    ['unix_timestamp(t)', 1597469685],
    ['from_unixtime(0)', '1970-01-01 00:00:00'],
    ['to_date(t)', 18489],
  ])('%s', (sql, expected) => {
    expect(run(sql)).toEqual(expected);
  });

  it('arrays_zip names its struct fields by the column arguments, else by position', () => {
    const b = bindExpr(parseExpression("arrays_zip(a, array('c'))"), scope);
    expect(b.type).toEqual({
      kind: 'array', containsNull: false,
      elementType: { kind: 'struct', fields: [{ name: 'a', type: 'string', nullable: true }, { name: '1', type: 'string', nullable: true }] },
    });
  });
});
