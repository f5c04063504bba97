import type { ParseException } from '../errors/parse-exception.js';
import { TokenStream, identifierName, isIdentifier, type Token } from './sql-lexer.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { decimalType, type AtomicType, type DataType, type StructField } from '../core/types.js';

/**
 * Spark's type and schema DDL (SqlBaseParser.g4 `dataType`, `colTypeList`; DataTypeAstBuilder):
 * `INT`, `array<string>`, `map<string, int>`, `struct<a:int, b string>`,
 * `a STRING, b INT NOT NULL COMMENT '...'`.
 * `DECIMAL(10,2)` (also `DEC`, `NUMERIC`). Names are case-insensitive. CHAR(n)/VARCHAR(n) read
 * as STRING, as Spark's schemas do.
 */
export function parseDataType(text: string): DataType {
  const ts = new TokenStream(text);
  const type = readDataType(ts);
  ts.expectEnd();
  return type;
}

/** `StructType.fromDDL`: a comma-separated column list; nullable unless `NOT NULL`. */
export function parseSchemaDdl(text: string): StructField[] {
  const ts = new TokenStream(text);
  const fields = [readField(ts, false)];
  while (ts.acceptOp(',')) fields.push(readField(ts, false));
  ts.expectEnd();
  return fields;
}

const PRIMITIVES: Readonly<Record<string, AtomicType>> = {
  BOOLEAN: 'boolean',
  TINYINT: 'tinyint', BYTE: 'tinyint',
  SMALLINT: 'smallint', SHORT: 'smallint',
  INT: 'int', INTEGER: 'int',
  BIGINT: 'bigint', LONG: 'bigint',
  FLOAT: 'float', REAL: 'float',
  DOUBLE: 'double',
  DATE: 'date',
  TIMESTAMP: 'timestamp', TIMESTAMP_LTZ: 'timestamp', TIMESTAMP_NTZ: 'timestamp',
  STRING: 'string',
  BINARY: 'binary',
  VOID: 'void',
};
const CHAR_TYPES = new Set(['CHAR', 'CHARACTER', 'VARCHAR']);
const COMPLEX_TYPES = new Set(['ARRAY', 'STRUCT', 'MAP']);

/** Reads one `dataType` from the stream (also used by CAST and `::` in expressions). */
export function readDataType(ts: TokenStream): DataType {
  const start = ts.peek();
  if (!isIdentifier(start)) throw ts.syntaxError();
  const word = start.kind === 'word' ? start.upper : '';
  if (word === 'ARRAY' && ts.isOp('<', 1)) {
    ts.next();
    ts.next();
    const elementType = readDataType(ts);
    ts.expectOp('>');
    return { kind: 'array', elementType, containsNull: true };
  }
  if (word === 'STRUCT' && ts.isOp('<>', 1)) {
    ts.next();
    ts.next();
    return { kind: 'struct', fields: [] };
  }
  if (word === 'STRUCT' && ts.isOp('<', 1)) {
    ts.next();
    ts.next();
    const fields: StructField[] = [];
    if (!ts.isOp('>')) {
      fields.push(readField(ts, true));
      while (ts.acceptOp(',')) fields.push(readField(ts, true));
    }
    ts.expectOp('>');
    return { kind: 'struct', fields };
  }
  if (word === 'MAP' && ts.isOp('<', 1)) {
    ts.next();
    ts.next();
    const keyType = readDataType(ts);
    ts.expectOp(',');
    const valueType = readDataType(ts);
    ts.expectOp('>');
    return { kind: 'map', keyType, valueType, valueContainsNull: true };
  }
  ts.next();
  const params: string[] = [];
  if (ts.acceptOp('(')) {
    do {
      const p = ts.peek();
      if (p.kind !== 'number' || p.numberKind !== 'integer') throw ts.syntaxError();
      params.push(ts.next().text);
    } while (ts.acceptOp(','));
    ts.expectOp(')');
  }
  const primitive = PRIMITIVES[word];
  if (primitive !== undefined && params.length === 0) return primitive;
  if (CHAR_TYPES.has(word) && params.length === 1) return 'string';
  const name = identifierName(start);
  if (CHAR_TYPES.has(word) && params.length === 0) {
    const type = `"${name.toUpperCase()}"`;
    throw ts.error(start, 'DATATYPE_MISSING_SIZE',
      `DataType ${type} requires a length parameter, for example ${type}(10). Please specify the length.`, '42K01');
  }
  if (COMPLEX_TYPES.has(word) && params.length === 0) throw incompleteType(ts, start, word);
  if (DECIMAL_NAMES.has(word) && params.length <= 2) return decimalOf(ts, start, params.map(Number));
  // INTERVAL, VARIANT...: Spark types Sluice has no representation for.
  throw unsupported(ts, start, params.length > 0 ? `${name}(${params.join(',')})` : name);
}

const DECIMAL_NAMES = new Set(['DECIMAL', 'DEC', 'NUMERIC']);

/** `DECIMAL` is DECIMAL(10,0), `DECIMAL(p)` DECIMAL(p,0) (DataTypeAstBuilder; DecimalType's checks). */
function decimalOf(ts: TokenStream, at: Token, params: readonly number[]): DataType {
  const [precision = 10, scale = 0] = params;
  if (scale > precision) {
    throw ts.error(at, '_LEGACY_ERROR_TEMP_1228', `Decimal scale (${scale}) cannot be greater than precision (${precision}).`, '');
  }
  if (precision > 38) {
    throw new RuntimeError(`[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision ${precision} exceeds max precision 38. SQLSTATE: 22003`);
  }
  return decimalType(precision, scale);
}

/** `name [:] type [NOT NULL] [COMMENT '...']` (complexColType; colType without the colon). */
function readField(ts: TokenStream, allowColon: boolean): StructField {
  const name = identifierName(ts.expectIdentifier());
  if (allowColon) ts.acceptOp(':');
  const type = readDataType(ts);
  let nullable = true;
  if ((ts.isWord('NOT') || ts.isOp('!')) && ts.isWord('NULL', 1)) {
    ts.next();
    ts.next();
    nullable = false;
  }
  if (ts.acceptWord('COMMENT')) {
    if (ts.peek().kind !== 'string') throw ts.syntaxError();
    ts.next();
  }
  return { name, type, nullable };
}

function unsupported(ts: TokenStream, at: Token, typeText: string): ParseException {
  return ts.error(at, 'UNSUPPORTED_DATATYPE', `Unsupported data type "${typeText.toUpperCase()}".`, '0A000');
}

function incompleteType(ts: TokenStream, at: Token, word: string): ParseException {
  const detail: Readonly<Record<string, string>> = {
    ARRAY: 'The definition of "ARRAY" type is incomplete. You must provide an element type. For example: "ARRAY<elementType>".',
    MAP: 'The definition of "MAP" type is incomplete. You must provide a key type and a value type. For example: "MAP<TIMESTAMP, INT>".',
    STRUCT: 'The definition of "STRUCT" type is incomplete. You must provide at least one field type. For example: "STRUCT<name STRING, phone DECIMAL(10, 0)>".',
  };
  return ts.error(at, `INCOMPLETE_TYPE_DEFINITION.${word}`, `Incomplete complex type: ${detail[word] ?? ''}`, '42K01');
}
