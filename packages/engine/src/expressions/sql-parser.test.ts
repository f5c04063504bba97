import type { DataType, Value } from '../core/types.js';
import type { BinaryOp, Expr } from './expr.js';
import { parseExpression } from './sql-parser.js';

const col = (name: string, qualifier?: string): Expr =>
  qualifier === undefined ? { kind: 'column', name } : { kind: 'column', name, qualifier };
const lit = (value: Value, type: DataType): Expr => ({ kind: 'literal', value, type });
const int = (value: number): Expr => lit(value, 'int');
const str = (value: string): Expr => lit(value, 'string');
const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
const call = (name: string, ...args: Expr[]): Expr => ({ kind: 'call', name, args });
const not = (child: Expr): Expr => ({ kind: 'unary', op: 'not', child });

/** The message Spark prints for a syntax error at (line 1, pos). */
function syntaxError(sql: string, pos: number, near: string, hint = ''): string {
  return `[PARSE_SYNTAX_ERROR] Syntax error at or near ${near}${hint}. SQLSTATE: 42601 (line 1, pos ${pos})\n\n` +
    `== SQL ==\n${sql}\n${'-'.repeat(pos)}^^^\n`;
}

describe('parseExpression: the expressions the examples use', () => {
  it('parses selectExpr("value as player") into an alias', () => {
    expect(parseExpression('value as player')).toEqual({ kind: 'alias', child: col('value'), name: 'player' });
  });

  it('parses expr("player = person"), filter("length(value) > 4"), CAST and count(*)', () => {
    expect(parseExpression('player = person')).toEqual(bin('=', col('player'), col('person')));
    expect(parseExpression('length(value) > 4')).toEqual(bin('>', call('length', col('value')), int(4)));
    expect(parseExpression('CAST(value AS STRING)')).toEqual({ kind: 'cast', child: col('value'), type: 'string' });
    expect(parseExpression('count(*)')).toEqual(call('count', { kind: 'star' }));
  });
});

describe('parseExpression: names', () => {
  it('takes an alias with or without AS, backquoted or a keyword', () => {
    expect(parseExpression('a b')).toEqual({ kind: 'alias', child: col('a'), name: 'b' });
    expect(parseExpression('a AS `my name`')).toEqual({ kind: 'alias', child: col('a'), name: 'my name' });
    expect(parseExpression('count(*) AS count')).toEqual({ kind: 'alias', child: call('count', { kind: 'star' }), name: 'count' });
    expect(parseExpression('a date')).toEqual({ kind: 'alias', child: col('a'), name: 'date' });
  });

  it('keeps identifier case, unquotes backquotes (`` escapes `) and qualifies t.col', () => {
    expect(parseExpression('MyCol')).toEqual(col('MyCol'));
    expect(parseExpression('`a``b.c`')).toEqual(col('a`b.c'));
    expect(parseExpression('t.col')).toEqual(col('col', 't'));
    expect(parseExpression('`t`.`c d`')).toEqual(col('c d', 't'));
    expect(parseExpression('t.s.f')).toEqual({ kind: 'extract', child: col('s', 't'), field: str('f') });
    expect(parseExpression('(a).b')).toEqual(col('b', 'a'));
  });

  it('reads * and t.* as stars', () => {
    expect(parseExpression('*')).toEqual({ kind: 'star' });
    expect(parseExpression('t.*')).toEqual({ kind: 'star', qualifier: 't' });
    expect(parseExpression('a.b.*')).toEqual({ kind: 'star', qualifier: 'a.b' });
  });
});

describe('parseExpression: literals', () => {
  it('types integers as int, then bigint, and honours the L, S and Y suffixes', () => {
    expect(parseExpression('2147483647')).toEqual(int(2147483647));
    expect(parseExpression('2147483648')).toEqual(lit(2147483648, 'bigint'));
    expect(parseExpression('-2147483648')).toEqual(int(-2147483648));
    expect(parseExpression('10L')).toEqual(lit(10, 'bigint'));
    expect(parseExpression('10s')).toEqual(lit(10, 'smallint'));
    expect(parseExpression('10Y')).toEqual(lit(10, 'tinyint'));
    expect(parseExpression('-128Y')).toEqual(lit(-128, 'tinyint'));
  });

  it('reads a fraction (and BD) as a DECIMAL of its digits, exponents and D as double, F as float', () => {
    // Spark 4.2.0: 1.5 DECIMAL(2,1), 0.1 DECIMAL(1,1), 1.10 DECIMAL(3,2), .5 DECIMAL(1,1),
    // -1.5 DECIMAL(2,1), 1.5BD DECIMAL(2,1), 9223372036854775808 DECIMAL(19,0), 1e1 and 1.5D DOUBLE.
    expect(parseExpression('1.5')).toEqual(lit(15, 'decimal(2,1)'));
    expect(parseExpression('0.1')).toEqual(lit(1, 'decimal(1,1)'));
    expect(parseExpression('1.10')).toEqual(lit(110, 'decimal(3,2)'));
    expect(parseExpression('.5')).toEqual(lit(5, 'decimal(1,1)'));
    expect(parseExpression('0.001')).toEqual(lit(1, 'decimal(3,3)'));
    expect(parseExpression('-1.5')).toEqual(lit(-15, 'decimal(2,1)'));
    expect(parseExpression('1.5BD')).toEqual(lit(15, 'decimal(2,1)'));
    expect(parseExpression('9223372036854775808')).toEqual(lit(9223372036854775808n, 'decimal(19,0)'));
    expect(parseExpression('12345678901234567890.123456789012345678')).toEqual(lit(12345678901234567890123456789012345678n, 'decimal(38,18)'));
    expect(() => parseExpression('12345678901234567890123456789012345678.9')).toThrow('[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision 39 exceeds max precision 38. SQLSTATE: 22003');
    expect(parseExpression('1.5D')).toEqual(lit(1.5, 'double'));
    expect(parseExpression('1e3')).toEqual(lit(1000, 'double'));
    expect(parseExpression('1.5E-1')).toEqual(lit(0.15, 'double'));
    expect(parseExpression('2.5F')).toEqual(lit(2.5, 'float'));
  });

  it('reads a BIGINT literal exactly past 2^53', () => {
    expect(parseExpression('9223372036854775807')).toEqual(lit(9223372036854775807n, 'bigint'));
    expect(parseExpression('-9223372036854775808L')).toEqual(lit(-9223372036854775808n, 'bigint'));
    expect(parseExpression('9007199254740993L')).toEqual(lit(9007199254740993n, 'bigint'));
    expect(parseExpression('9007199254740991L')).toEqual(lit(9007199254740991, 'bigint'));
  });

  it('reads a digit-led word as an identifier, as the lexer does', () => {
    expect(parseExpression('1a')).toEqual(col('1a'));
  });

  it('reads single- and double-quoted strings with Spark\'s escapes, and joins adjacent ones', () => {
    expect(parseExpression("'it''s'")).toEqual(str('its'));
    expect(parseExpression('"a" \'b\'')).toEqual(str('ab'));
    expect(parseExpression("'a\\'b\\\"c'")).toEqual(str('a\'b"c'));
    expect(parseExpression("'\\n\\t\\\\\\0\\Z'")).toEqual(str('\n\t\\\u0000\u001A'));
    expect(parseExpression("'\\u0041\\101\\q'")).toEqual(str('AAq'));
    expect(parseExpression("'100\\%'")).toEqual(str('100\\%'));
    expect(parseExpression("r'\\n'")).toEqual(str('\\n'));
  });

  it('reads TRUE, FALSE and NULL', () => {
    expect(parseExpression('true')).toEqual(lit(true, 'boolean'));
    expect(parseExpression('FALSE')).toEqual(lit(false, 'boolean'));
    expect(parseExpression('NULL')).toEqual(lit(null, 'void'));
  });

  it('reads typed literals as casts of their string, and X\'..\' as binary', () => {
    expect(parseExpression("TIMESTAMP '2020-01-01 00:00:00'"))
      .toEqual({ kind: 'cast', child: str('2020-01-01 00:00:00'), type: 'timestamp' });
    expect(parseExpression("date '2020-01-01'")).toEqual({ kind: 'cast', child: str('2020-01-01'), type: 'date' });
    expect(parseExpression("X'1fA'")).toEqual(lit('01FA', 'binary'));
  });
});

describe('parseExpression: operators and precedence', () => {
  it('binds AND tighter than OR', () => {
    expect(parseExpression('a = 1 OR b = 2 AND c = 3'))
      .toEqual(bin('or', bin('=', col('a'), int(1)), bin('and', bin('=', col('b'), int(2)), bin('=', col('c'), int(3)))));
  });

  it('builds chains of AND/OR as Spark\'s balanced trees', () => {
    expect(parseExpression('a AND b AND c AND d'))
      .toEqual(bin('and', bin('and', col('a'), col('b')), bin('and', col('c'), col('d'))));
    expect(parseExpression('a OR b OR c')).toEqual(bin('or', bin('or', col('a'), col('b')), col('c')));
  });

  it('folds a minus into a numeric literal and binds * tighter than +', () => {
    expect(parseExpression('-1 + 2 * 3')).toEqual(bin('+', int(-1), bin('*', int(2), int(3))));
    expect(parseExpression('-a * b')).toEqual(bin('*', { kind: 'unary', op: 'negate', child: col('a') }, col('b')));
    expect(parseExpression('- -1')).toEqual({ kind: 'unary', op: 'negate', child: int(-1) });
    expect(parseExpression('a -1')).toEqual(bin('-', col('a'), int(1)));
  });

  it('applies NOT to a whole comparison, and binds NOT tighter than AND', () => {
    expect(parseExpression('NOT a = b')).toEqual(not(bin('=', col('a'), col('b'))));
    expect(parseExpression('NOT a AND b')).toEqual(bin('and', not(col('a')), col('b')));
    expect(parseExpression('!a')).toEqual(not(col('a')));
  });

  it('binds || like + and below comparisons', () => {
    expect(parseExpression("a || b = 'x'")).toEqual(bin('=', bin('||', col('a'), col('b')), str('x')));
    expect(parseExpression('a + b || c')).toEqual(bin('||', bin('+', col('a'), col('b')), col('c')));
  });

  it('maps every comparison operator, == to = and <> to !=', () => {
    const ops: Array<[string, BinaryOp]> = [
      ['=', '='], ['==', '='], ['!=', '!='], ['<>', '!='], ['<', '<'], ['<=', '<='],
      ['>', '>'], ['>=', '>='], ['<=>', '<=>'], ['!<', '>='], ['!>', '<='],
    ];
    for (const [token, op] of ops) expect(parseExpression(`a ${token} b`)).toEqual(bin(op, col('a'), col('b')));
  });

  it('reads arithmetic: / % DIV, left-associative', () => {
    expect(parseExpression('a - b - c')).toEqual(bin('-', bin('-', col('a'), col('b')), col('c')));
    expect(parseExpression('a / b % c div d'))
      .toEqual(bin('div', bin('%', bin('/', col('a'), col('b')), col('c')), col('d')));
  });

  it('reads bitwise operators and shifts as Spark\'s functions, at their levels', () => {
    expect(parseExpression('a | b ^ c & d << 1'))
      .toEqual(call('|', col('a'), call('^', col('b'), call('&', col('c'), call('shiftleft', col('d'), int(1))))));
    expect(parseExpression('~a + +b')).toEqual(bin('+', call('~', col('a')), call('positive', col('b'))));
    expect(parseExpression('a >> 1')).toEqual(call('shiftright', col('a'), int(1)));
  });
});

describe('parseExpression: predicates', () => {
  it('reads [NOT] LIKE, ILIKE and RLIKE', () => {
    expect(parseExpression("a LIKE 'x%'")).toEqual({ kind: 'like', child: col('a'), pattern: str('x%'), negated: false });
    expect(parseExpression("a NOT LIKE 'x%'")).toEqual({ kind: 'like', child: col('a'), pattern: str('x%'), negated: true });
    expect(parseExpression("a ILIKE 'x'")).toEqual(call('ilike', col('a'), str('x')));
    expect(parseExpression("a NOT RLIKE 'x'")).toEqual(not(call('rlike', col('a'), str('x'))));
  });

  it('reads [NOT] IN (list) and [NOT] BETWEEN a AND b', () => {
    expect(parseExpression('a IN (1, 2)')).toEqual({ kind: 'in', child: col('a'), list: [int(1), int(2)], negated: false });
    expect(parseExpression('a NOT IN (1)')).toEqual({ kind: 'in', child: col('a'), list: [int(1)], negated: true });
    expect(parseExpression('a BETWEEN 1 AND 2 AND b'))
      .toEqual(bin('and', { kind: 'between', child: col('a'), low: int(1), high: int(2), negated: false }, col('b')));
    expect(parseExpression('a NOT BETWEEN 1 AND 2'))
      .toEqual({ kind: 'between', child: col('a'), low: int(1), high: int(2), negated: true });
  });

  it('reads IS [NOT] NULL / TRUE / FALSE / DISTINCT FROM as Spark rewrites them', () => {
    expect(parseExpression('a IS NULL')).toEqual({ kind: 'unary', op: 'isnull', child: col('a') });
    expect(parseExpression('a + 1 IS NOT NULL')).toEqual({ kind: 'unary', op: 'isnotnull', child: bin('+', col('a'), int(1)) });
    expect(parseExpression('a IS TRUE')).toEqual(bin('<=>', col('a'), lit(true, 'boolean')));
    expect(parseExpression('a IS NOT FALSE')).toEqual(not(bin('<=>', col('a'), lit(false, 'boolean'))));
    expect(parseExpression('a IS DISTINCT FROM b')).toEqual(not(bin('<=>', col('a'), col('b'))));
    expect(parseExpression('a IS NOT DISTINCT FROM b')).toEqual(bin('<=>', col('a'), col('b')));
  });
});

describe('parseExpression: calls, casts, CASE and extraction', () => {
  it('lowercases function names and reads DISTINCT', () => {
    expect(parseExpression('COUNT(DISTINCT x)')).toEqual({ kind: 'call', name: 'count', args: [col('x')], distinct: true });
    expect(parseExpression('Upper(a, 1)')).toEqual(call('upper', col('a'), int(1)));
    expect(parseExpression('now()')).toEqual(call('now'));
    expect(parseExpression('count(t.*)')).toEqual(call('count', { kind: 'star', qualifier: 't' }));
    expect(parseExpression('db.F(a)')).toEqual(call('db.f', col('a')));
    expect(parseExpression('substring(s FROM 2 FOR 3)')).toEqual(call('substring', col('s'), int(2), int(3)));
    expect(parseExpression('extract(YEAR FROM ts)')).toEqual(call('extract', str('YEAR'), col('ts')));
    expect(parseExpression('struct(a, b AS c)'))
      .toEqual(call('struct', col('a'), { kind: 'alias', child: col('b'), name: 'c' }));
    expect(parseExpression('current_timestamp')).toEqual(call('current_timestamp'));
  });

  it('reads CAST with complex types and the :: shorthand', () => {
    expect(parseExpression('cast(a as array<int>)'))
      .toEqual({ kind: 'cast', child: col('a'), type: { kind: 'array', elementType: 'int', containsNull: true } });
    expect(parseExpression('a::bigint')).toEqual({ kind: 'cast', child: col('a'), type: 'bigint' });
  });

  it('reads searched and simple CASE', () => {
    expect(parseExpression("CASE WHEN a > 1 THEN 'x' ELSE 'y' END")).toEqual({
      kind: 'case', branches: [{ when: bin('>', col('a'), int(1)), then: str('x') }], otherwise: str('y'),
    });
    expect(parseExpression("case a when 1 then 'x' when 2 then 'y' end")).toEqual({
      kind: 'case', subject: col('a'), branches: [{ when: int(1), then: str('x') }, { when: int(2), then: str('y') }],
    });
  });

  it('reads parentheses, subscripts and fields of non-columns', () => {
    expect(parseExpression('(a + b) * c')).toEqual(bin('*', bin('+', col('a'), col('b')), col('c')));
    expect(parseExpression('a[0]')).toEqual({ kind: 'extract', child: col('a'), field: int(0) });
    expect(parseExpression("m['k'].f")).toEqual({
      kind: 'extract', child: { kind: 'extract', child: col('m'), field: str('k') }, field: str('f'),
    });
    expect(parseExpression('f(x).y')).toEqual({ kind: 'extract', child: call('f', col('x')), field: str('y') });
    expect(parseExpression('(a, b)')).toEqual(call('struct', col('a'), col('b')));
  });

  it('is case-insensitive for keywords and skips comments', () => {
    expect(parseExpression('a iS nOt NuLl -- trailing\n')).toEqual({ kind: 'unary', op: 'isnotnull', child: col('a') });
    expect(parseExpression('a /* x /* nested */ */ + 1')).toEqual(bin('+', col('a'), int(1)));
  });
});

describe('parseExpression: errors', () => {
  it('reports a missing operand at the end of input as Spark does', () => {
    expect(() => parseExpression('length(value) >'))
      .toThrow(expect.objectContaining({ code: 'PARSE_ERROR', name: 'ParseException', message: syntaxError('length(value) >', 15, 'end of input') }));
  });

  it('points at an unexpected token, with the extra-input hint before EOF', () => {
    expect(() => parseExpression('a + )')).toThrow(syntaxError('a + )', 4, "')'"));
    expect(() => parseExpression('a b c')).toThrow(syntaxError('a b c', 4, "'c'", ": extra input 'c'"));
    expect(() => parseExpression('a b c d')).toThrow(syntaxError('a b c d', 4, "'c'"));
    expect(() => parseExpression('f(a b')).toThrow(syntaxError('f(a b', 4, "'b'"));
    expect(() => parseExpression('a @')).toThrow(syntaxError('a @', 2, "'@'", ": extra input '@'"));
    expect(() => parseExpression("a = 'x")).toThrow(syntaxError("a = 'x", 4, "'''"));
  });

  it('draws the caret under the failing line of a multi-line command', () => {
    expect(() => parseExpression('a +\n  / b\nc')).toThrow(
      '[PARSE_SYNTAX_ERROR] Syntax error at or near \'/\'. SQLSTATE: 42601 (line 2, pos 2)\n\n== SQL ==\na +\n  / b\n--^^^\nc\n');
  });

  it('reports an empty command as PARSE_EMPTY_STATEMENT', () => {
    expect(() => parseExpression('  ')).toThrow(
      '[PARSE_EMPTY_STATEMENT] Syntax error, unexpected empty statement. SQLSTATE: 42617 (line 1, pos 2)\n\n== SQL ==\n  \n--^^^\n');
  });

  it('reports out-of-range suffixed literals and unclosed comments', () => {
    expect(() => parseExpression('128Y')).toThrow(
      '[INVALID_NUMERIC_LITERAL_RANGE] Numeric literal 128 is outside the valid range for tinyint with minimum value of -128 ' +
      'and maximum value of 127. Please adjust the value accordingly. SQLSTATE: 22003 (line 1, pos 0)');
    expect(() => parseExpression('a /* open')).toThrow(
      '[UNCLOSED_BRACKETED_COMMENT] Found an unclosed bracketed comment. Please, append */ at the end of the comment. ' +
      'SQLSTATE: 42601 (line 1, pos 2)');
  });

  it('reports unsupported types and typed literals', () => {
    expect(() => parseExpression('CAST(a AS xyz)')).toThrow(
      '[UNSUPPORTED_DATATYPE] Unsupported data type "XYZ". SQLSTATE: 0A000 (line 1, pos 10)\n\n== SQL ==\nCAST(a AS xyz)\n----------^^^\n');
    expect(() => parseExpression("foo 'bar'")).toThrow('[UNSUPPORTED_TYPED_LITERAL] Literals of the type "FOO" are not supported.');
    expect(() => parseExpression("X'zz'")).toThrow('[INVALID_TYPED_LITERAL] The value of the typed literal "X" is invalid: \'zz\'.');
  });

  it('throws ParseException, never a plain Error, for unfinished constructs', () => {
    for (const sql of ['(a', 'f(a', 'CASE WHEN a THEN b', 'a IN ()', 'CAST(a AS)', 'a BETWEEN 1', "'open", 'a AS']) {
      expect(() => parseExpression(sql)).toThrow(expect.objectContaining({ code: 'PARSE_ERROR' }));
    }
  });
});

describe('parseExpression: window specifications (OVER) and multi-aliases', () => {
  const asc = (child: Expr): Expr => ({ kind: 'sortOrder', child, direction: 'asc', nulls: 'first' });
  const desc = (child: Expr, nulls: 'first' | 'last' = 'last'): Expr => ({ kind: 'sortOrder', child, direction: 'desc', nulls });

  it('reads PARTITION BY and ORDER BY (nulls first ascending, last descending)', () => {
    expect(parseExpression('row_number() OVER (PARTITION BY word, n ORDER BY ts DESC, n NULLS LAST) AS rn')).toEqual({
      kind: 'alias', name: 'rn',
      child: { kind: 'window', function: call('row_number'), spec: { partitionBy: [col('word'), col('n')], orderBy: [desc(col('ts')), { ...asc(col('n')), nulls: 'last' }] } },
    });
    expect(parseExpression('rank() OVER ()')).toEqual({ kind: 'window', function: call('rank'), spec: { partitionBy: [], orderBy: [] } });
    expect(parseExpression('count(*) over (distribute by a sort by b desc nulls first)')).toEqual({
      kind: 'window', function: call('count', { kind: 'star' }), spec: { partitionBy: [col('a')], orderBy: [desc(col('b'), 'first')] },
    });
  });

  it('reads ROWS / RANGE frames, with one bound meaning "up to the current row"', () => {
    expect(parseExpression('sum(x) OVER (ORDER BY t ROWS BETWEEN 1 PRECEDING AND UNBOUNDED FOLLOWING)')).toEqual({
      kind: 'window', function: call('sum', col('x')),
      spec: { partitionBy: [], orderBy: [asc(col('t'))], frame: { type: 'rows', lower: { kind: 'offset', value: int(1), negated: true }, upper: { kind: 'unboundedFollowing' } } },
    });
    expect(parseExpression('sum(x) OVER (ORDER BY t RANGE UNBOUNDED PRECEDING)')).toEqual({
      kind: 'window', function: call('sum', col('x')),
      spec: { partitionBy: [], orderBy: [asc(col('t'))], frame: { type: 'range', lower: { kind: 'unboundedPreceding' }, upper: { kind: 'currentRow' } } },
    });
    expect(parseExpression('sum(x) OVER (ORDER BY t ROWS BETWEEN CURRENT ROW AND 2 + 1 FOLLOWING)')).toMatchObject({
      spec: { frame: { lower: { kind: 'currentRow' }, upper: { kind: 'offset', value: bin('+', int(2), int(1)), negated: false } } },
    });
    expect(() => parseExpression('sum(x) OVER (ORDER BY t ROWS BETWEEN 1 AND 2 FOLLOWING)')).toThrow('[PARSE_SYNTAX_ERROR]');
  });

  it('keeps OVER as an alias when no window follows, and reads AS (a, b) as a multi-alias', () => {
    expect(parseExpression('count(x) over')).toEqual({ kind: 'alias', child: call('count', col('x')), name: 'over' });
    expect(parseExpression('explode(m) AS (k, v)')).toEqual({ kind: 'multiAlias', child: call('explode', col('m')), names: ['k', 'v'] });
    expect(parseExpression('posexplode(a) (p, x)')).toEqual({ kind: 'multiAlias', child: call('posexplode', col('a')), names: ['p', 'x'] });
  });
});
