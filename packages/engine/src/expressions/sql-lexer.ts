import { ParseException } from '../errors/parse-exception.js';

/**
 * The tokens of Spark's SqlBaseLexer.g4 that the expression and type parsers use, and Spark's
 * ParseException message (parsers.scala). Keywords are not reserved in Spark's default mode, so
 * every keyword is a `word`; the parsers compare `upper`. Anything the lexer cannot match becomes
 * a one-character `other` token (Spark's UNRECOGNIZED), so errors point at it.
 */
export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'op' | 'other' | 'eof';

/** The numeric token rules, in the lexer's order (earlier wins a tie on length). */
export type NumberKind =
  | 'bigint' | 'smallint' | 'tinyint' | 'integer' | 'exponent' | 'decimal' | 'float' | 'double' | 'bigdecimal';
const NUMBER_ORDER: readonly NumberKind[] = [
  'bigint', 'smallint', 'tinyint', 'integer', 'exponent', 'decimal', 'float', 'double', 'bigdecimal',
];

export interface Token {
  readonly kind: TokenKind;
  /** The source text. */
  readonly text: string;
  /** `text` upper-cased: keywords and operators are compared on it. */
  readonly upper: string;
  /** Unescaped string, backquoted identifier without quotes, or number without its suffix. */
  readonly value: string;
  readonly numberKind?: NumberKind;
  /** Offset in the command; 1-based line and 0-based position in the line, as ANTLR reports them. */
  readonly offset: number;
  readonly line: number;
  readonly pos: number;
}

// Longest first: the lexer takes the longest operator that matches.
const OPERATORS = [
  '<=>', '>>>', '/*+', '<<', '>>', '<=', '>=', '<>', '!=', '!>', '!<', '==', '=>', '->', '::', '||', '*/',
  '(', ')', ',', '.', '[', ']', '!', '=', '<', '>', '+', '-', '*', '/', '%', '~', '&', '|', '^', ':', '?', ';',
];
const WHITESPACE = /[ \t\n\f\r\u000B\u00A0\u1680\u2000-\u200A\u2028\u202F\u205F\u3000]/;
const IDENTIFIER_CHAR = /[\p{L}0-9_]/u;
// isValidDecimal(): a decimal token must not run into a letter, digit or underscore.
const DECIMAL_BLOCKER = /[A-Za-z0-9_]/;
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Splits `text` into tokens, ending with `eof`; `unclosedComment` marks a `/*` never closed. */
export function tokenize(text: string): { tokens: Token[]; unclosedComment?: Token } {
  const tokens: Token[] = [];
  let unclosedComment: Token | undefined;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  // Spark counts ARRAY/MAP/STRUCT keywords so that `>>` closes nested types instead of shifting.
  let complexLevel = 0;
  const advance = (to: number): void => {
    for (; i < to; i++) if (text[i] === '\n') { line++; lineStart = i + 1; }
  };
  const make = (kind: TokenKind, end: number, value: string, numberKind?: NumberKind): Token => {
    const raw = text.slice(i, end);
    const t: Token = { kind, text: raw, upper: raw.toUpperCase(), value, offset: i, line, pos: i - lineStart };
    return numberKind === undefined ? t : { ...t, numberKind };
  };
  const push = (t: Token, end: number): void => {
    tokens.push(t);
    advance(end);
  };
  while (i < text.length) {
    const c = text[i] ?? '';
    if (WHITESPACE.test(c)) { advance(i + 1); continue; }
    if (text.startsWith('--', i)) { advance(simpleCommentEnd(text, i)); continue; }
    if (text.startsWith('/*', i) && text[i + 2] !== '+') {
      const end = bracketedCommentEnd(text, i);
      if (end < 0) { unclosedComment = make('other', i + 2, ''); advance(text.length); continue; }
      advance(end);
      continue;
    }
    const quoted = scanQuoted(text, i);
    if (quoted !== undefined) {
      push(make(quoted.kind, quoted.end, quoted.value), quoted.end);
      continue;
    }
    const num = scanNumber(text, i);
    const word = scanIdentifier(text, i);
    if (num !== undefined && num.end >= word) {
      const strip = num.kind === 'bigdecimal' ? 2 : ['integer', 'exponent', 'decimal'].includes(num.kind) ? 0 : 1;
      push(make('number', num.end, text.slice(i, num.end - strip), num.kind), num.end);
      continue;
    }
    if (word > i) {
      const t = make('word', word, text.slice(i, word));
      if (t.upper === 'ARRAY' || t.upper === 'MAP' || t.upper === 'STRUCT') complexLevel++;
      push(t, word);
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i) && !(complexLevel > 0 && o.startsWith('>>')));
    if (op !== undefined) {
      if (op === '>' && complexLevel > 0) complexLevel--;
      push(make('op', i + op.length, op), i + op.length);
      continue;
    }
    push(make('other', i + 1, c), i + 1);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', upper: '<EOF>', value: '', offset: i, line, pos: i - lineStart });
  return unclosedComment === undefined ? { tokens } : { tokens, unclosedComment };
}

/** SIMPLE_COMMENT: `--` to the end of the line; a backslash before the newline continues it. */
function simpleCommentEnd(text: string, i: number): number {
  let j = i + 2;
  while (j < text.length) {
    if (text[j] === '\\' && text[j + 1] === '\n') { j += 2; continue; }
    if (text[j] === '\r' || text[j] === '\n') break;
    j++;
  }
  if (text[j] === '\r') j++;
  if (text[j] === '\n') j++;
  return j;
}

/** BRACKETED_COMMENT, which nests; -1 when it runs to the end of the input. */
function bracketedCommentEnd(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    if (text.startsWith('/*', j)) { depth++; j += 2; continue; }
    if (text.startsWith('*/', j)) { depth--; j += 2; if (depth === 0) return j; continue; }
    j++;
  }
  return -1;
}

/** String literals ('..', "..", R'..') and backquoted identifiers; undefined if none ends here. */
function scanQuoted(text: string, i: number): { kind: 'string' | 'quoted'; end: number; value: string } | undefined {
  const c = text[i];
  if ((c === 'r' || c === 'R') && (text[i + 1] === "'" || text[i + 1] === '"')) {
    const close = text.indexOf(text[i + 1] ?? '', i + 2);
    if (close >= 0) return { kind: 'string', end: close + 1, value: unescapeSqlString(text.slice(i, close + 1)) };
    return undefined;
  }
  if (c === "'" || c === '"') {
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === '\\') { j++; continue; }
      if (text[j] === c) return { kind: 'string', end: j + 1, value: unescapeSqlString(text.slice(i, j + 1)) };
    }
    return undefined;
  }
  if (c === '`') {
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] !== '`') continue;
      if (text[j + 1] === '`') { j++; continue; }
      return { kind: 'quoted', end: j + 1, value: text.slice(i + 1, j).replaceAll('``', '`') };
    }
  }
  return undefined;
}

/** End of an IDENTIFIER token at `i` (letters, digits, `_`); `i` when there is none. */
function scanIdentifier(text: string, i: number): number {
  let j = i;
  while (j < text.length && IDENTIFIER_CHAR.test(text[j] ?? '')) j++;
  return j;
}

/** The longest numeric literal at `i`, as SqlBaseLexer's number rules match it. */
function scanNumber(text: string, i: number): { end: number; kind: NumberKind } | undefined {
  const digitsEnd = (j: number): number => { while (isDigit(text[j])) j++; return j; };
  const up = (j: number): string => (text[j] ?? '').toUpperCase();
  const exponentEnd = (j: number): number => {
    if (up(j) !== 'E') return j;
    const k = text[j + 1] === '+' || text[j + 1] === '-' ? j + 2 : j + 1;
    const e = digitsEnd(k);
    return e > k ? e : j;
  };
  const valid = (j: number): boolean => !DECIMAL_BLOCKER.test(text[j] ?? '');
  const found: Array<{ end: number; kind: NumberKind }> = [];
  const suffixes = (j: number, decimal: boolean): void => {
    const ok = (end: number): boolean => !decimal || valid(end);
    if (up(j) === 'F' && ok(j + 1)) found.push({ end: j + 1, kind: 'float' });
    if (up(j) === 'D' && ok(j + 1)) found.push({ end: j + 1, kind: 'double' });
    if (up(j) === 'B' && up(j + 1) === 'D' && ok(j + 2)) found.push({ end: j + 2, kind: 'bigdecimal' });
  };
  const intEnd = digitsEnd(i);
  if (intEnd > i) {
    const c = up(intEnd);
    if (c === 'L') found.push({ end: intEnd + 1, kind: 'bigint' });
    if (c === 'S') found.push({ end: intEnd + 1, kind: 'smallint' });
    if (c === 'Y') found.push({ end: intEnd + 1, kind: 'tinyint' });
    found.push({ end: intEnd, kind: 'integer' });
    const exp = exponentEnd(intEnd);
    if (exp > intEnd) found.push({ end: exp, kind: 'exponent' });
    suffixes(exp, false);
  }
  const fractionStart = intEnd > i ? intEnd + 1 : i + 1;
  if (text[fractionStart - 1] === '.' && (intEnd > i || isDigit(text[fractionStart]))) {
    const decEnd = digitsEnd(fractionStart);
    if (valid(decEnd)) found.push({ end: decEnd, kind: 'decimal' });
    const exp = exponentEnd(decEnd);
    if (exp > decEnd && valid(exp)) found.push({ end: exp, kind: 'exponent' });
    suffixes(exp, true);
  }
  let best: { end: number; kind: NumberKind } | undefined;
  for (const f of found) {
    if (best === undefined || f.end > best.end ||
        (f.end === best.end && NUMBER_ORDER.indexOf(f.kind) < NUMBER_ORDER.indexOf(best.kind))) best = f;
  }
  return best;
}

/** Spark's SparkParserUtils.unescapeSQLString for a quoted literal (quotes included). */
export function unescapeSqlString(raw: string): string {
  if (raw.startsWith('r') || raw.startsWith('R')) return raw.slice(2, -1);
  const end = raw.length - 1;
  const isHex = (from: number, n: number): boolean => /^[0-9a-fA-F]+$/.test(raw.slice(from, from + n));
  let out = '';
  let i = 1;
  while (i < end) {
    const c = raw[i] ?? '';
    if (c !== '\\' || i + 1 === end) { out += c; i++; continue; }
    i++;
    const n = raw[i] ?? '';
    if (n === 'u' && i + 5 <= end && isHex(i + 1, 4)) {
      out += String.fromCharCode(parseInt(raw.slice(i + 1, i + 5), 16));
      i += 5;
    } else if (n === 'U' && i + 9 <= end && isHex(i + 1, 8)) {
      const cp = parseInt(raw.slice(i + 1, i + 9), 16);
      out += cp < 0x10000
        ? String.fromCharCode(cp)
        : String.fromCharCode(Math.floor((cp - 0x10000) / 0x400) + 0xd800, ((cp - 0x10000) % 0x400) + 0xdc00);
      i += 9;
    } else if (i + 3 <= end && /^[01][0-7][0-7]$/.test(raw.slice(i, i + 3))) {
      out += String.fromCharCode(parseInt(raw.slice(i, i + 3), 8));
      i += 3;
    } else {
      out += ESCAPES[n] ?? n;
      i++;
    }
  }
  return out;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\u0000', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\u001A', '%': '\\%', _: '\\_',
};

/** Java's `String.split("\n")`: trailing empty strings dropped. */
function javaLines(text: string): string[] {
  if (!text.includes('\n')) return [text];
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Spark's ParseException.getMessage: `[CLASS] message SQLSTATE: s (line l, pos p)`, then the
 * command with a caret line under line l. (Scala's getMessage also starts with a newline; we don't.)
 */
export function sparkParseException(
  command: string, errorClass: string, message: string, sqlState: string, at: { line: number; pos: number },
): ParseException {
  const lines = javaLines(command);
  // Legacy error classes (_LEGACY_ERROR_TEMP_*) print their message alone, without class or SQLSTATE.
  const head = errorClass.startsWith('_LEGACY_ERROR_') ? message : `[${errorClass}] ${message} SQLSTATE: ${sqlState}`;
  let text = `${head} (line ${at.line}, pos ${at.pos})\n\n== SQL ==\n`;
  for (const l of lines.slice(0, at.line)) text += `${l}\n`;
  text += `${'-'.repeat(at.pos)}^^^\n`;
  for (const l of lines.slice(at.line)) text += `${l}\n`;
  return new ParseException(text);
}

/** ANTLR's token display in errors: quoted, whitespace escaped; EOF is `end of input`. */
export function tokenDisplay(t: Token): string {
  if (t.kind === 'eof') return 'end of input';
  return `'${t.text.replaceAll('\n', '\\n').replaceAll('\r', '\\r').replaceAll('\t', '\\t')}'`;
}

export const isIdentifier = (t: Token): boolean => t.kind === 'word' || t.kind === 'quoted';
export const identifierName = (t: Token): string => (t.kind === 'quoted' ? t.value : t.text);

/** A cursor over the tokens of one command, with Spark's syntax errors. */
export class TokenStream {
  private index = 0;
  private readonly tokens: Token[];
  private readonly unclosedComment: Token | undefined;

  constructor(readonly command: string) {
    const { tokens, unclosedComment } = tokenize(command);
    this.tokens = tokens;
    this.unclosedComment = unclosedComment;
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.index++;
    return t;
  }

  isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'word' && t.upper === word;
  }

  isOp(op: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'op' && t.text === op;
  }

  acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.index++;
    return true;
  }

  acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.index++;
    return true;
  }

  expectWord(word: string): Token {
    if (!this.isWord(word)) throw this.syntaxError();
    return this.next();
  }

  expectOp(op: string): Token {
    if (!this.isOp(op)) throw this.syntaxError();
    return this.next();
  }

  expectIdentifier(): Token {
    if (!isIdentifier(this.peek())) throw this.syntaxError();
    return this.next();
  }

  /** PARSE_SYNTAX_ERROR at `token` (PARSE_EMPTY_STATEMENT for a blank command, as withCommand does). */
  syntaxError(token: Token = this.peek(), hint = ''): ParseException {
    // Java's trim(): strips characters up to U+0020.
    if ([...this.command].every((ch) => ch <= ' ')) {
      return this.error(token, 'PARSE_EMPTY_STATEMENT', 'Syntax error, unexpected empty statement.', '42617');
    }
    return this.error(token, 'PARSE_SYNTAX_ERROR', `Syntax error at or near ${tokenDisplay(token)}${hint}.`, '42601');
  }

  error(token: Token, errorClass: string, message: string, sqlState: string): ParseException {
    return sparkParseException(this.command, errorClass, message, sqlState, token);
  }

  /**
   * The end of a single* rule: EOF must follow. One stray token before EOF gets ANTLR's
   * "extra input" hint; an unclosed comment fails a parse that otherwise succeeded.
   */
  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'eof') {
      throw this.syntaxError(t, this.peek(1).kind === 'eof' ? `: extra input ${tokenDisplay(t)}` : '');
    }
    if (this.unclosedComment !== undefined) {
      throw this.error(this.unclosedComment, 'UNCLOSED_BRACKETED_COMMENT',
        'Found an unclosed bracketed comment. Please, append */ at the end of the comment.', '42601');
    }
  }
}
