import { readDataType } from './ddl-parser.js';
import { decimalParts, type DataType, type Value } from '../core/types.js';
import { IllegalStateError } from '../errors/illegal-state-error.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { exactInteger, parseBigDecimal } from '../core/decimal.js';
import { literalDecimalType } from './decimal-type.js';
import type { BinaryOp, Expr, FrameBoundary, WindowFrame, WindowSpec } from './expr.js';
import { TokenStream, identifierName, isIdentifier, type Token } from './sql-lexer.js';
import { YEAR_MONTH } from '../core/types.js';
import { isFailure, MICROS_PER_DAY, sqlString, stringToInterval, unitToUnitInterval, type CalendarInterval, type IntervalField } from './interval.js';

/**
 * Parses one Spark SQL expression, as `selectExpr`, `expr()` and `filter(String)` do: Spark's
 * `singleExpression: namedExpression EOF` (SqlBaseParser.g4) built into unresolved trees the way
 * AstBuilder does. Precedence, lowest first: OR; AND; NOT; predicates (IS, [NOT] BETWEEN / IN /
 * LIKE / ILIKE / RLIKE); comparison; `|`; `^`; `&`; shifts; `+ - ||`; `* / % DIV`; unary
 * `- + ~`; then primaries with `[i]`, `.field` and `::type`. Syntax errors are ParseExceptions
 * with Spark's PARSE_SYNTAX_ERROR text.
 */
export function parseExpression(text: string): Expr {
  const ts = new TokenStream(text);
  const expr = new ExpressionParser(ts).namedExpression();
  ts.expectEnd();
  return expr;
}

type Combine = (left: Expr, right: Expr) => Expr;
const binary = (op: BinaryOp): Combine => (left, right) => ({ kind: 'binary', op, left, right });
const callOf = (name: string): Combine => (left, right) => ({ kind: 'call', name, args: [left, right] });
const literal = (value: Value, type: DataType): Expr => ({ kind: 'literal', value, type });

/** unitInMultiUnits (singular; the plural is the same keyword with an S). */
const MULTI_UNITS = new Set(['NANOSECOND', 'MICROSECOND', 'MILLISECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'YEAR']);
/** unitInUnitToUnit. */
const UNIT_TO_UNIT = new Set(['SECOND', 'MINUTE', 'HOUR', 'DAY', 'MONTH', 'YEAR']);
const multiUnit = (t: Token): string | null => {
  if (t.kind !== 'word') return null;
  const single = t.upper.endsWith('S') && MULTI_UNITS.has(t.upper.slice(0, -1)) ? t.upper.slice(0, -1) : t.upper;
  return MULTI_UNITS.has(single) ? single.toLowerCase() : null;
};
const not = (child: Expr): Expr => ({ kind: 'unary', op: 'not', child });

const COMPARISONS: ReadonlyArray<[string, BinaryOp]> = [
  ['=', '='], ['==', '='], ['<=>', '<=>'], ['<>', '!='], ['!=', '!='],
  ['<', '<'], ['<=', '<='], ['!>', '<='], ['>', '>'], ['>=', '>='], ['!<', '>='],
];

/** valueExpression's binary levels, lowest first (SqlBaseParser.g4 order; all left-associative). */
const VALUE_LEVELS: ReadonlyArray<ReadonlyMap<string, Combine>> = [
  new Map(COMPARISONS.map(([token, op]) => [token, binary(op)])),
  new Map([['|', callOf('|')]]),
  new Map([['^', callOf('^')]]),
  new Map([['&', callOf('&')]]),
  new Map([['<<', callOf('shiftleft')], ['>>', callOf('shiftright')], ['>>>', callOf('shiftrightunsigned')]]),
  new Map([['+', binary('+')], ['-', binary('-')], ['||', binary('||')]]),
  new Map([['*', binary('*')], ['/', binary('/')], ['%', binary('%')], ['DIV', binary('div')]]),
];

/** Keywords that may follow `NOT` in a predicate (`a NOT IN (...)`). */
const NEGATABLE = new Set(['BETWEEN', 'IN', 'LIKE', 'ILIKE', 'RLIKE', 'REGEXP']);

/** AstBuilder.visitLogicalBinary: a chain of one operator becomes a balanced tree. */
function balanced(items: readonly Expr[], op: 'and' | 'or', low: number, high: number): Expr {
  if (low === high) return items[low] as Expr;
  const mid = low + Math.floor((high - low) / 2);
  return { kind: 'binary', op, left: balanced(items, op, low, mid), right: balanced(items, op, mid + 1, high) };
}

class ExpressionParser {
  constructor(private readonly ts: TokenStream) {}

  /** `expression [[AS] alias]`; the alias may be any identifier, keywords included. */
  namedExpression(): Expr {
    const expr = this.expression();
    const as = this.ts.acceptWord('AS');
    // `explode(m) AS (k, v)`: an identifierList names a generator's columns (MultiAlias).
    if (this.ts.isOp('(') && (as || isIdentifier(this.ts.peek(1)))) {
      this.ts.next();
      const names = [identifierName(this.ts.expectIdentifier())];
      while (this.ts.acceptOp(',')) names.push(identifierName(this.ts.expectIdentifier()));
      this.ts.expectOp(')');
      return { kind: 'multiAlias', child: expr, names };
    }
    if (as || isIdentifier(this.ts.peek())) {
      return { kind: 'alias', child: expr, name: identifierName(this.ts.expectIdentifier()) };
    }
    return expr;
  }

  expression(): Expr {
    return this.logical('OR', () => this.logical('AND', () => this.notExpression()));
  }

  private logical(word: 'AND' | 'OR', operand: () => Expr): Expr {
    const items = [operand()];
    while (this.ts.acceptWord(word)) items.push(operand());
    return balanced(items, word === 'AND' ? 'and' : 'or', 0, items.length - 1);
  }

  private notExpression(): Expr {
    if (this.ts.isWord('NOT') || this.ts.isOp('!')) {
      this.ts.next();
      return not(this.notExpression());
    }
    return this.predicate(this.valueExpression());
  }

  /** At most one predicate follows a value (`valueExpression predicate?`). */
  private predicate(value: Expr): Expr {
    const ts = this.ts;
    const negated = (ts.isWord('NOT') || ts.isOp('!')) && ts.peek(1).kind === 'word' && NEGATABLE.has(ts.peek(1).upper);
    if (negated) ts.next();
    const t = ts.peek();
    if (t.kind !== 'word') return value;
    const maybeNot = (e: Expr): Expr => (negated ? not(e) : e);
    switch (t.upper) {
      case 'BETWEEN': {
        ts.next();
        const low = this.valueExpression();
        ts.expectWord('AND');
        return { kind: 'between', child: value, low, high: this.valueExpression(), negated };
      }
      case 'IN': {
        ts.next();
        ts.expectOp('(');
        const list = [this.expression()];
        while (ts.acceptOp(',')) list.push(this.expression());
        ts.expectOp(')');
        return { kind: 'in', child: value, list, negated };
      }
      case 'LIKE':
        ts.next();
        // LIKE ANY/SOME/ALL (...) is not supported.
        if (['ANY', 'SOME', 'ALL'].includes(ts.peek().upper) && ts.isOp('(', 1)) throw ts.syntaxError();
        return { kind: 'like', child: value, pattern: this.valueExpression(), negated };
      case 'ILIKE':
        ts.next();
        return maybeNot({ kind: 'call', name: 'ilike', args: [value, this.valueExpression()] });
      case 'RLIKE':
      case 'REGEXP':
        ts.next();
        return maybeNot({ kind: 'call', name: 'rlike', args: [value, this.valueExpression()] });
      case 'IS':
        return this.isPredicate(value);
      default:
        return value;
    }
  }

  /** IS [NOT] NULL | TRUE | FALSE | UNKNOWN | DISTINCT FROM x, as withPredicate rewrites them. */
  private isPredicate(value: Expr): Expr {
    const ts = this.ts;
    ts.next();
    const negated = ts.isWord('NOT') || ts.isOp('!');
    if (negated) ts.next();
    const t = ts.next();
    switch (t.kind === 'word' ? t.upper : '') {
      case 'NULL':
      case 'UNKNOWN':
        return { kind: 'unary', op: negated ? 'isnotnull' : 'isnull', child: value };
      case 'TRUE':
      case 'FALSE': {
        const e = binary('<=>')(value, literal(t.upper === 'TRUE', 'boolean'));
        return negated ? not(e) : e;
      }
      case 'DISTINCT': {
        ts.expectWord('FROM');
        const e = binary('<=>')(value, this.valueExpression());
        return negated ? e : not(e);
      }
      default:
        throw ts.syntaxError(t);
    }
  }

  private valueExpression(level = 0): Expr {
    const ops = VALUE_LEVELS[level];
    if (ops === undefined) return this.unary();
    let left = this.valueExpression(level + 1);
    for (;;) {
      const t = this.ts.peek();
      const combine = t.kind === 'op' ? ops.get(t.text) : t.kind === 'word' ? ops.get(t.upper) : undefined;
      if (combine === undefined) return left;
      this.ts.next();
      left = combine(left, this.valueExpression(level + 1));
    }
  }

  /** `-1` is a negative literal (the grammar's `number: MINUS? ...`); `-x` is a negation. */
  private unary(): Expr {
    const ts = this.ts;
    if (ts.isOp('-') && ts.peek(1).kind !== 'number') {
      ts.next();
      return { kind: 'unary', op: 'negate', child: this.unary() };
    }
    if (ts.acceptOp('+')) return { kind: 'call', name: 'positive', args: [this.unary()] };
    if (ts.acceptOp('~')) return { kind: 'call', name: '~', args: [this.unary()] };
    return this.postfix(this.primary());
  }

  private postfix(base: Expr): Expr {
    const ts = this.ts;
    let e = base;
    for (;;) {
      if (ts.acceptOp('[')) {
        const field = this.valueExpression();
        ts.expectOp(']');
        e = { kind: 'extract', child: e, field };
      } else if (ts.isOp('.') && isIdentifier(ts.peek(1))) {
        ts.next();
        const name = identifierName(ts.next());
        // visitDereference: a dot on a column name extends the name; on anything else it extracts.
        e = e.kind === 'column' && e.qualifier === undefined
          ? { kind: 'column', qualifier: e.name, name }
          : { kind: 'extract', child: e, field: literal(name, 'string') };
      } else if (ts.acceptOp('::')) {
        e = { kind: 'cast', child: e, type: readDataType(ts) };
      } else {
        return e;
      }
    }
  }

  private primary(): Expr {
    const ts = this.ts;
    const t = ts.peek();
    if (t.kind === 'number') return numberLiteral(ts, ts.next(), t);
    if (t.kind === 'string') {
      let value = '';
      while (ts.peek().kind === 'string') value += ts.next().value;
      return literal(value, 'string');
    }
    if (t.kind === 'quoted') return this.reference();
    if (t.kind === 'word') return this.wordPrimary(t);
    if (ts.isOp('-')) {
      ts.next();
      return numberLiteral(ts, ts.next(), t);
    }
    if (ts.acceptOp('*')) return { kind: 'star' };
    if (ts.isOp('(')) return this.parenthesized();
    throw ts.syntaxError(t);
  }

  private wordPrimary(t: Token): Expr {
    const ts = this.ts;
    const next = ts.peek(1);
    if (t.upper === 'NULL' || t.upper === 'TRUE' || t.upper === 'FALSE') {
      ts.next();
      return t.upper === 'NULL' ? literal(null, 'void') : literal(t.upper === 'TRUE', 'boolean');
    }
    const ends = next.kind === 'eof' || (next.kind === 'op' && [')', ',', ']'].includes(next.text));
    if (t.upper === 'CASE' && !ends) return this.caseExpression();
    const signed = next.kind === 'op' && (next.text === '+' || next.text === '-') && ['string', 'number'].includes(ts.peek(2).kind);
    if (t.upper === 'INTERVAL' && (next.kind === 'string' || next.kind === 'number' || signed)) return this.intervalLiteral();
    if (next.kind === 'string') return this.typedLiteral();
    if ((t.upper === 'CAST' || t.upper === 'TRY_CAST') && ts.isOp('(', 1)) {
      ts.next();
      ts.next();
      const child = this.expression();
      ts.expectWord('AS');
      const type = readDataType(ts);
      ts.expectOp(')');
      return t.upper === 'TRY_CAST' ? { kind: 'cast', child, type, try: true } : { kind: 'cast', child, type };
    }
    if (t.upper === 'STRUCT' && ts.isOp('(', 1)) {
      ts.next();
      return { kind: 'call', name: 'struct', args: this.list(() => this.namedExpression()) };
    }
    if ((t.upper === 'CURRENT_DATE' || t.upper === 'CURRENT_TIMESTAMP') && !ts.isOp('(', 1)) {
      ts.next();
      return { kind: 'call', name: t.text.toLowerCase(), args: [] };
    }
    return this.reference();
  }

  /** `( [item (, item)*] )`. */
  private list(item: () => Expr): Expr[] {
    const items: Expr[] = [];
    this.ts.expectOp('(');
    if (!this.ts.isOp(')')) {
      items.push(item());
      while (this.ts.acceptOp(',')) items.push(item());
    }
    this.ts.expectOp(')');
    return items;
  }

  /** intervalValue: `[+|-] (INTEGER_VALUE | DECIMAL_VALUE | stringLit)`, or null when none starts here. */
  private intervalValue(): { sign: string | undefined; token: Token } | null {
    const ts = this.ts;
    const first = ts.peek();
    const sign = first.kind === 'op' && (first.text === '+' || first.text === '-') ? first.text : undefined;
    const value = ts.peek(sign === undefined ? 0 : 1);
    const numeric = value.kind === 'number' && (value.numberKind === 'integer' || value.numberKind === 'decimal');
    if (value.kind !== 'string' && !numeric) return null;
    if (sign !== undefined) ts.next();
    ts.next();
    return { sign, token: value };
  }

  /**
   * An interval literal as AstBuilder.visitInterval builds it with ANSI intervals: unit lists
   * (`INTERVAL 1 HOUR 30 MINUTES`, `INTERVAL '10' SECOND`, `INTERVAL -1 YEAR 2 MONTHS`) and
   * unit-to-unit forms (`INTERVAL '1 10:30:00' DAY TO SECOND`, `INTERVAL '1-2' YEAR TO MONTH`).
   * Year-month literals hold months, day-time ones microseconds.
   */
  private intervalLiteral(): Expr {
    const ts = this.ts;
    const start = ts.next();
    const firstAt = ts.peek();
    const first = this.intervalValue();
    if (first === null) throw ts.syntaxError();
    const unitToken = ts.peek();
    if (first.token.kind === 'string' && multiUnit(unitToken) === null && !(unitToken.kind === 'word' && UNIT_TO_UNIT.has(unitToken.upper))) {
      if (first.sign !== undefined) throw ts.syntaxError(unitToken);
      return this.typedInterval(start, first.token);
    }
    if (unitToken.kind === 'word' && UNIT_TO_UNIT.has(unitToken.upper) && ts.isWord('TO', 1)) {
      ts.next();
      ts.next();
      const toToken = ts.peek();
      if (toToken.kind !== 'word' || !UNIT_TO_UNIT.has(toToken.upper)) throw ts.syntaxError(toToken);
      ts.next();
      if (first.token.kind !== 'string') throw ts.error(firstAt, '_LEGACY_ERROR_TEMP_0027', 'The value of from-to unit must be a string.', '');
      const text = first.token.value;
      const value = first.sign !== '-' ? text : text.startsWith('-') ? text.replace('-', '') : `-${text}`;
      const from = unitToken.text.toLowerCase() as IntervalField;
      const to = toToken.text.toLowerCase() as IntervalField;
      const supported = ['year-month', 'day-hour', 'day-minute', 'day-second', 'hour-minute', 'hour-second', 'minute-second'];
      if (!supported.includes(`${from}-${to}`)) throw ts.error(firstAt, '_LEGACY_ERROR_TEMP_0028', `Intervals FROM ${from} TO ${to} are not supported.`, '');
      const result = unitToUnitInterval(value, from, to);
      if (isFailure(result)) throw ts.error(firstAt, '_LEGACY_ERROR_TEMP_0063', `${result.error}.`, '');
      return to === 'month' ? literal(result.months, YEAR_MONTH) : literal(result.micros, 'interval');
    }
    const pairs: Array<{ value: string; unit: string }> = [];
    let value: { sign: string | undefined; token: Token } | null = first;
    let last: Token = unitToken;
    while (value !== null) {
      const unit = multiUnit(ts.peek());
      if (unit === null) throw ts.syntaxError();
      last = ts.next();
      let text = value.token.kind === 'string' ? value.token.value : value.token.text;
      if (value.token.kind === 'string') {
        // SPARK-32840: a quoted value must not carry units of its own.
        if (/\p{L}/u.test(text)) {
          throw ts.error(firstAt, '_LEGACY_ERROR_TEMP_0026', `Can only use numbers in the interval value part for multiple unit value pairs interval form, but got invalid value: ${text}.`, '');
        }
        if (value.sign === '-') text = text.startsWith('-') ? text.replace('-', '') : `-${text}`;
      } else if (value.sign !== undefined) {
        text = `${value.sign}${text}`;
      }
      pairs.push({ value: text, unit: last.text });
      value = this.intervalValue();
    }
    const interval = stringToInterval(pairs.map((p) => ` ${p.value} ${p.unit}`).join(''));
    if (isFailure(interval)) throw ts.error(firstAt, '_LEGACY_ERROR_TEMP_0062', `${interval.error}.`, '');
    const source = ts.command.slice(start.offset, last.offset + last.text.length);
    return this.multiUnitsLiteral(start, source, interval, pairs.map((p) => p.unit.toLowerCase().replace(/s$/, '')));
  }

  /** AstBuilder.constructMultiUnitsIntervalLiteral: year-month or day-time, never both. */
  private multiUnitsLiteral(start: Token, source: string, interval: CalendarInterval, units: readonly string[]): Expr {
    const yearMonth = units.some((u) => u === 'year' || u === 'month');
    const dayTime = units.some((u) => u !== 'year' && u !== 'month');
    if (yearMonth && dayTime) throw this.ts.error(start, '_LEGACY_ERROR_TEMP_0029', `Cannot mix year-month and day-time fields: ${source}.`, '');
    if (yearMonth) return literal(interval.months, YEAR_MONTH);
    return literal(interval.micros + interval.days * MICROS_PER_DAY + interval.months * 31 * MICROS_PER_DAY, 'interval');
  }

  /** `INTERVAL '1 day 2 hours'` (visitTypeConstructor): the string read by stringToInterval. */
  private typedInterval(start: Token, token: Token): Expr {
    const value = token.value;
    const interval = stringToInterval(value);
    if (isFailure(interval)) {
      throw this.ts.error(start, 'INVALID_TYPED_LITERAL', `The value of the typed literal "INTERVAL" is invalid: ${sqlString(value)}.`, '42604');
    }
    const units = value.split(/\s/).map((u) => u.toLowerCase().replace(/s$/, '')).filter((u) => u !== 'interval' && /^[a-z]+$/.test(u));
    return this.multiUnitsLiteral(start, this.ts.command.slice(start.offset, token.offset + token.text.length), interval, units);
  }

  /** `DATE '..'` and `TIMESTAMP '..'` become casts of the string; `X'..'` is a binary literal. */
  private typedLiteral(): Expr {
    const ts = this.ts;
    const type = ts.next();
    const value = ts.next().value;
    switch (type.upper) {
      case 'DATE':
        return { kind: 'cast', child: literal(value, 'string'), type: 'date' };
      case 'TIMESTAMP':
      case 'TIMESTAMP_LTZ':
      case 'TIMESTAMP_NTZ':
        return { kind: 'cast', child: literal(value, 'string'), type: 'timestamp' };
      case 'X':
        if (!/^[0-9a-fA-F]*$/.test(value)) {
          const quoted = `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
          throw ts.error(type, 'INVALID_TYPED_LITERAL', `The value of the typed literal "X" is invalid: ${quoted}.`, '42604');
        }
        return literal((value.length % 2 === 0 ? value : `0${value}`).toUpperCase(), 'binary');
      default:
        throw ts.error(type, 'UNSUPPORTED_TYPED_LITERAL', `Literals of the type "${type.text.toUpperCase()}" are not supported. ` +
          'Supported types are "DATE", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP", "X".', '0A000');
    }
  }

  private caseExpression(): Expr {
    const ts = this.ts;
    ts.next();
    const subject = ts.isWord('WHEN') ? undefined : this.expression();
    const branches: Array<{ when: Expr; then: Expr }> = [];
    while (ts.acceptWord('WHEN')) {
      const when = this.expression();
      ts.expectWord('THEN');
      branches.push({ when, then: this.expression() });
    }
    if (branches.length === 0) throw ts.syntaxError();
    const otherwise = ts.acceptWord('ELSE') ? this.expression() : undefined;
    ts.expectWord('END');
    return {
      kind: 'case',
      ...(subject === undefined ? {} : { subject }),
      branches,
      ...(otherwise === undefined ? {} : { otherwise }),
    };
  }

  /** `(e)`, or `(a, b AS c)` which Spark reads as a struct (rowConstructor). */
  private parenthesized(): Expr {
    const ts = this.ts;
    ts.next();
    const first = this.namedExpression();
    if (ts.isOp(',')) {
      const args = [first];
      while (ts.acceptOp(',')) args.push(this.namedExpression());
      ts.expectOp(')');
      return { kind: 'call', name: 'struct', args };
    }
    if (first.kind === 'alias') throw ts.syntaxError();
    ts.expectOp(')');
    return first;
  }

  /** A column (`a`, `t.a`, `t.a.f`), a star (`t.*`) or a call (`f(..)`, `db.f(..)`). */
  private reference(): Expr {
    const ts = this.ts;
    const parts = [identifierName(ts.next())];
    for (;;) {
      if (ts.isOp('.') && ts.isOp('*', 1)) {
        ts.next();
        ts.next();
        return { kind: 'star', qualifier: parts.join('.') };
      }
      if (!ts.isOp('.') || !isIdentifier(ts.peek(1))) break;
      ts.next();
      parts.push(identifierName(ts.next()));
    }
    if (ts.isOp('(')) return this.functionCall(parts);
    const [first = '', second] = parts;
    let e: Expr = second === undefined ? { kind: 'column', name: first } : { kind: 'column', qualifier: first, name: second };
    for (const field of parts.slice(2)) e = { kind: 'extract', child: e, field: literal(field, 'string') };
    return e;
  }

  /** `name([DISTINCT|ALL] args)`, plus `SUBSTRING(s FROM p [FOR l])` and `EXTRACT(f FROM x)`. */
  private functionCall(parts: readonly string[]): Expr {
    const ts = this.ts;
    const name = parts.join('.').toLowerCase();
    ts.expectOp('(');
    if (name === 'extract' && isIdentifier(ts.peek()) && ts.isWord('FROM', 1)) {
      const field = literal(identifierName(ts.next()), 'string');
      ts.next();
      const source = this.valueExpression();
      ts.expectOp(')');
      return { kind: 'call', name, args: [field, source] };
    }
    const args: Expr[] = [];
    let distinct = false;
    if (!ts.isOp(')')) {
      if ((ts.isWord('DISTINCT') || ts.isWord('ALL')) && !ts.isOp(')', 1) && !ts.isOp(',', 1)) {
        distinct = ts.next().upper === 'DISTINCT';
      }
      args.push(this.expression());
      if ((name === 'substring' || name === 'substr') && !distinct && ts.acceptWord('FROM')) {
        args.push(this.valueExpression());
        if (ts.acceptWord('FOR')) args.push(this.valueExpression());
      } else {
        while (ts.acceptOp(',')) args.push(this.expression());
      }
    }
    ts.expectOp(')');
    const call: Expr = distinct ? { kind: 'call', name, args, distinct } : { kind: 'call', name, args };
    return ts.isWord('OVER') && ts.isOp('(', 1) ? { kind: 'window', function: call, spec: this.windowSpec() } : call;
  }

  /** `OVER ( [PARTITION BY e, ..] [ORDER BY sortItem, ..] [frame] )` (windowSpec). */
  private windowSpec(): WindowSpec {
    const ts = this.ts;
    ts.next();
    ts.expectOp('(');
    const partitionBy: Expr[] = [];
    if ((ts.isWord('PARTITION') || ts.isWord('DISTRIBUTE') || ts.isWord('CLUSTER')) && ts.isWord('BY', 1)) {
      ts.next();
      ts.next();
      do partitionBy.push(this.expression()); while (ts.acceptOp(','));
    }
    const orderBy: Expr[] = [];
    if ((ts.isWord('ORDER') || ts.isWord('SORT')) && ts.isWord('BY', 1)) {
      ts.next();
      ts.next();
      do orderBy.push(this.sortItem()); while (ts.acceptOp(','));
    }
    let frame: WindowFrame | undefined;
    if (ts.isWord('ROWS') || ts.isWord('RANGE')) {
      const type = ts.next().upper === 'ROWS' ? 'rows' : 'range';
      if (ts.acceptWord('BETWEEN')) {
        const lower = this.frameBound();
        ts.expectWord('AND');
        frame = { type, lower, upper: this.frameBound() };
      } else {
        frame = { type, lower: this.frameBound(), upper: { kind: 'currentRow' } };
      }
    }
    ts.expectOp(')');
    return frame === undefined ? { partitionBy, orderBy } : { partitionBy, orderBy, frame };
  }

  /** `expression [ASC | DESC] [NULLS FIRST | LAST]`; nulls come first ascending, last descending. */
  private sortItem(): Expr {
    const ts = this.ts;
    const child = this.expression();
    const direction = ts.acceptWord('DESC') ? 'desc' : 'asc';
    if (direction === 'asc') ts.acceptWord('ASC');
    let nulls: 'first' | 'last' = direction === 'asc' ? 'first' : 'last';
    if (ts.acceptWord('NULLS')) {
      if (ts.acceptWord('FIRST')) nulls = 'first';
      else {
        ts.expectWord('LAST');
        nulls = 'last';
      }
    }
    return { kind: 'sortOrder', child, direction, nulls };
  }

  /** `UNBOUNDED PRECEDING | UNBOUNDED FOLLOWING | CURRENT ROW | expr PRECEDING | expr FOLLOWING`. */
  private frameBound(): FrameBoundary {
    const ts = this.ts;
    if (ts.isWord('UNBOUNDED') && (ts.isWord('PRECEDING', 1) || ts.isWord('FOLLOWING', 1))) {
      ts.next();
      return { kind: ts.next().upper === 'PRECEDING' ? 'unboundedPreceding' : 'unboundedFollowing' };
    }
    if (ts.isWord('CURRENT') && ts.isWord('ROW', 1)) {
      ts.next();
      ts.next();
      return { kind: 'currentRow' };
    }
    const value = this.valueExpression();
    if (ts.acceptWord('PRECEDING')) return { kind: 'offset', value, negated: true };
    ts.expectWord('FOLLOWING');
    return { kind: 'offset', value, negated: false };
  }
}

const INTEGRAL_RANGES = {
  tinyint: [-128n, 127n],
  smallint: [-32768n, 32767n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
} as const;
const INT_RANGE = [-2147483648n, 2147483647n] as const;
const FRACTIONAL_RANGES = {
  double: [Number.MAX_VALUE, '1.7976931348623157E+308'],
  float: [3.4028234663852886e38, '3.4028234663852886E+38'],
} as const;

/**
 * A numeric literal, typed as AstBuilder types it: integers are int, then bigint, then DECIMAL;
 * suffixes L, S, Y, F, D, BD; exponents are double; a fraction (`1.50`) is a DECIMAL of its
 * digits (DECIMAL(3,2)). `start` is the `-` when the literal is negative.
 */
function numberLiteral(ts: TokenStream, token: Token, start: Token): Expr {
  if (token.kind !== 'number') throw ts.syntaxError(token);
  const raw = `${start === token ? '' : '-'}${token.value}`;
  const outOfRange = (typeName: string, min: string, max: string) => ts.error(start, 'INVALID_NUMERIC_LITERAL_RANGE',
    `Numeric literal ${raw} is outside the valid range for ${typeName} with minimum value of ${min} and maximum value of ${max}. ` +
    'Please adjust the value accordingly.', '22003');
  switch (token.numberKind) {
    case 'integer': {
      const v = BigInt(raw);
      if (v >= INT_RANGE[0] && v <= INT_RANGE[1]) return literal(Number(v), 'int');
      const [min, max] = INTEGRAL_RANGES.bigint;
      return v >= min && v <= max ? literal(exactInteger(v), 'bigint') : decimalLiteral(raw);
    }
    case 'bigint':
    case 'smallint':
    case 'tinyint': {
      const [min, max] = INTEGRAL_RANGES[token.numberKind];
      const v = BigInt(raw);
      if (v < min || v > max) throw outOfRange(token.numberKind, String(min), String(max));
      return literal(exactInteger(v), token.numberKind);
    }
    case 'exponent':
    case 'double':
    case 'float': {
      const type = token.numberKind === 'float' ? 'float' : 'double';
      const [limit, text] = FRACTIONAL_RANGES[type];
      const v = Number(raw);
      if (!(Math.abs(v) <= limit)) throw outOfRange(type, `-${text}`, text);
      return literal(v, type);
    }
    default:
      return decimalLiteral(raw);
  }
}

/** `Literal(BigDecimal(raw))`: a DECIMAL of the literal's digits; past 38 digits an error. */
function decimalLiteral(raw: string): Expr {
  const d = parseBigDecimal(raw);
  if (d === null) throw new IllegalStateError(`not a numeric literal: ${raw}`);
  const type = literalDecimalType(d.unscaled, d.scale);
  const precision = decimalParts(type)?.precision ?? 0;
  if (precision > 38) throw new RuntimeError(`[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision ${precision} exceeds max precision 38. SQLSTATE: 22003`);
  return literal(exactInteger(d.unscaled), type);
}
