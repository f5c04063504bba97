import { parseDataType, parseSchemaDdl } from './ddl-parser.js';
import type { DataType } from '../core/types.js';

const array = (elementType: DataType): DataType => ({ kind: 'array', elementType, containsNull: true });

describe('parseDataType', () => {
  it('reads every atomic type name and alias, in any case', () => {
    const cases: Array<[string, DataType]> = [
      ['string', 'string'], ['VARCHAR(10)', 'string'], ['char(3)', 'string'], ['character(3)', 'string'],
      ['boolean', 'boolean'], ['tinyint', 'tinyint'], ['BYTE', 'tinyint'], ['smallint', 'smallint'], ['short', 'smallint'],
      ['int', 'int'], ['Integer', 'int'], ['bigint', 'bigint'], ['long', 'bigint'], ['float', 'float'], ['real', 'float'],
      ['double', 'double'], ['timestamp', 'timestamp'], ['timestamp_ntz', 'timestamp'], ['TIMESTAMP_LTZ', 'timestamp'],
      ['date', 'date'], ['binary', 'binary'], ['void', 'void'],
    ];
    for (const [text, type] of cases) expect(parseDataType(text)).toEqual(type);
  });

  it('reads arrays and structs, nested, with `a:T` and `a T` fields', () => {
    expect(parseDataType('array<string>')).toEqual(array('string'));
    expect(parseDataType('ARRAY<ARRAY<INT>>')).toEqual(array(array('int')));
    expect(parseDataType('struct<a:int, b string NOT NULL COMMENT \'x\', `c d`: array<struct<e:date>>>')).toEqual({
      kind: 'struct',
      fields: [
        { name: 'a', type: 'int', nullable: true },
        { name: 'b', type: 'string', nullable: false },
        { name: 'c d', type: array({ kind: 'struct', fields: [{ name: 'e', type: 'date', nullable: true }] }), nullable: true },
      ],
    });
    expect(parseDataType('struct<>')).toEqual({ kind: 'struct', fields: [] });
    expect(parseDataType('STRUCT< >')).toEqual({ kind: 'struct', fields: [] });
  });

  it('rejects an unknown type with Spark\'s UNSUPPORTED_DATATYPE message', () => {
    expect(() => parseDataType('XYZ')).toThrow(expect.objectContaining({
      code: 'PARSE_ERROR',
      message: '[UNSUPPORTED_DATATYPE] Unsupported data type "XYZ". SQLSTATE: 0A000 (line 1, pos 0)\n\n== SQL ==\nXYZ\n^^^\n',
    }));
    expect(() => parseDataType('array<foo(1, 2)>')).toThrow('[UNSUPPORTED_DATATYPE] Unsupported data type "FOO(1,2)". SQLSTATE: 0A000 (line 1, pos 6)');
    expect(() => parseDataType('int(5)')).toThrow('Unsupported data type "INT(5)".');
    expect(() => parseDataType('decimal(1,2,3)')).toThrow('Unsupported data type "DECIMAL(1,2,3)".');
  });

  it('reads DECIMAL(p,s), DECIMAL(p) and DECIMAL as DECIMAL(10,0), also as DEC and NUMERIC', () => {
    expect(parseDataType('DECIMAL(10,2)')).toBe('decimal(10,2)');
    expect(parseDataType('decimal(5)')).toBe('decimal(5,0)');
    expect(parseDataType('DECIMAL')).toBe('decimal(10,0)');
    expect(parseDataType('dec(38, 38)')).toBe('decimal(38,38)');
    expect(parseDataType('NUMERIC(7,3)')).toBe('decimal(7,3)');
    expect(parseSchemaDdl('x DECIMAL(10,2) NOT NULL, y array<decimal(20,4)>')).toEqual([
      { name: 'x', type: 'decimal(10,2)', nullable: false },
      { name: 'y', type: { kind: 'array', elementType: 'decimal(20,4)', containsNull: true }, nullable: true },
    ]);
  });

  it('rejects a DECIMAL past 38 digits or with its scale above its precision, as Spark 4.2.0 does', () => {
    expect(() => parseDataType('DECIMAL(39,0)')).toThrow(expect.objectContaining({
      code: 'RUNTIME_ERROR', message: '[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision 39 exceeds max precision 38. SQLSTATE: 22003',
    }));
    expect(() => parseDataType('DECIMAL(5,6)')).toThrow('Decimal scale (6) cannot be greater than precision (5).');
  });

  it('reads MAP<K, V> (values nullable), nested in arrays and structs', () => {
    expect(parseDataType('map<string, int>')).toEqual({ kind: 'map', keyType: 'string', valueType: 'int', valueContainsNull: true });
    expect(parseDataType('ARRAY<MAP<INT, ARRAY<STRING>>>')).toEqual({
      kind: 'array', containsNull: true,
      elementType: { kind: 'map', keyType: 'int', valueType: { kind: 'array', elementType: 'string', containsNull: true }, valueContainsNull: true },
    });
    expect(parseSchemaDdl('m MAP<STRING, STRUCT<a: INT>> NOT NULL')).toEqual([
      { name: 'm', type: { kind: 'map', keyType: 'string', valueType: { kind: 'struct', fields: [{ name: 'a', type: 'int', nullable: true }] }, valueContainsNull: true }, nullable: false },
    ]);
    expect(() => parseDataType('map<string>')).toThrow('[PARSE_SYNTAX_ERROR]');
    expect(() => parseDataType('map')).toThrow('[INCOMPLETE_TYPE_DEFINITION.MAP]');
  });

  it('reports CHAR/VARCHAR without a length and ARRAY/STRUCT without element types', () => {
    expect(() => parseDataType('varchar')).toThrow(
      '[DATATYPE_MISSING_SIZE] DataType "VARCHAR" requires a length parameter, for example "VARCHAR"(10). Please specify the length. SQLSTATE: 42K01');
    expect(() => parseDataType('array')).toThrow(
      '[INCOMPLETE_TYPE_DEFINITION.ARRAY] Incomplete complex type: The definition of "ARRAY" type is incomplete. ' +
      'You must provide an element type. For example: "ARRAY<elementType>". SQLSTATE: 42K01 (line 1, pos 0)');
  });

  it('reports syntax errors at the failing token', () => {
    expect(() => parseDataType('array<int')).toThrow(
      '[PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 (line 1, pos 9)\n\n== SQL ==\narray<int\n---------^^^\n');
    expect(() => parseDataType('int int')).toThrow("Syntax error at or near 'int': extra input 'int'.");
    expect(() => parseDataType('')).toThrow('[PARSE_EMPTY_STATEMENT]');
  });
});

describe('parseSchemaDdl', () => {
  it('reads a column list: nullable unless NOT NULL, comments ignored', () => {
    expect(parseSchemaDdl("a STRING, b INT NOT NULL, c ARRAY<STRING> COMMENT 'tags', `d e` timestamp")).toEqual([
      { name: 'a', type: 'string', nullable: true },
      { name: 'b', type: 'int', nullable: false },
      { name: 'c', type: array('string'), nullable: true },
      { name: 'd e', type: 'timestamp', nullable: true },
    ]);
  });

  it('keeps column-name case and accepts keywords as names', () => {
    expect(parseSchemaDdl('Value string, timestamp TIMESTAMP')).toEqual([
      { name: 'Value', type: 'string', nullable: true },
      { name: 'timestamp', type: 'timestamp', nullable: true },
    ]);
  });

  it('rejects a missing type, a trailing comma and a colon at the top level', () => {
    expect(() => parseSchemaDdl('a')).toThrow('Syntax error at or near end of input.');
    expect(() => parseSchemaDdl('a int,')).toThrow('Syntax error at or near end of input.');
    expect(() => parseSchemaDdl('a: int')).toThrow("Syntax error at or near ':'.");
    expect(() => parseSchemaDdl('a int, b xyz')).toThrow('[UNSUPPORTED_DATATYPE] Unsupported data type "XYZ". SQLSTATE: 0A000 (line 1, pos 9)');
  });
});
