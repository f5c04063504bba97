import type { Schema } from '../core/types.js';
import { parseCsvLine, splitCsvLine } from './csv-lines.js';
import { firstJsonValueEnd, parseJsonLine, withDoubleQuotes } from './json-lines.js';
import { failFastMessage, type RecordOptions } from './record-parser.js';

const schema: Schema = [
  { name: 'activity_type', type: 'string', nullable: true },
  { name: 'activity_time', type: 'timestamp', nullable: true },
  { name: 'activity_count', type: 'int', nullable: true },
];
const options: RecordOptions = { schema, timeZone: 'UTC', mode: 'PERMISSIVE', corruptColumn: '_corrupt_record' };
const t = Date.UTC(2020, 7, 15, 5, 34, 45) * 1000;

describe('JSON lines (Spark JSON source, PERMISSIVE; SEMANTICS 8.3)', () => {
  it('reads the first JSON value and ignores a trailing comma', () => {
    const line = '{"activity_type":"CPU","activity_time":"2020-08-15T05:34:45","activity_count":5},';
    expect(firstJsonValueEnd(line)).toBe(line.length - 1);
    expect(parseJsonLine(line, options)).toEqual({ kind: 'row', row: ['CPU', t, 5] });
  });

  it('gives NULL for missing fields and ignores extra ones; skips blank lines', () => {
    expect(parseJsonLine('{"activity_type":"IO","x":1}', options)).toEqual({ kind: 'row', row: ['IO', null, null] });
    expect(parseJsonLine('   ', options)).toEqual({ kind: 'skip' });
  });

  it('makes a malformed line an all-NULL row and a type mismatch a partial row, with the text in the corrupt column', () => {
    expect(parseJsonLine('{"activity_type": "CPU"', options)).toMatchObject({ kind: 'malformed', row: [null, null, null] });
    expect(parseJsonLine('{"activity_count":"five"}', options)).toMatchObject({ kind: 'malformed', row: [null, null, null] });
    // Spark 4.2 (a run, PERMISSIVE): {"a":"five","b":"y"} with a INT, b STRING -> [null,y,{"a":"five","b":"y"}].
    const ab: RecordOptions = { ...options, schema: [
      { name: 'a', type: 'int', nullable: true }, { name: 'b', type: 'string', nullable: true }, { name: '_corrupt_record', type: 'string', nullable: true },
    ] };
    expect(parseJsonLine('{"a":"five","b":"y"}', ab)).toMatchObject({ kind: 'malformed', row: [null, 'y', '{"a":"five","b":"y"}'] });
    expect(parseJsonLine('{"a":1,"b":"x"}', ab)).toEqual({ kind: 'row', row: [1, 'x', null] });
    expect(parseJsonLine('{bad', ab)).toMatchObject({ kind: 'malformed', row: [null, null, '{bad'] });
    const withCorrupt: RecordOptions = { ...options, schema: [...schema, { name: '_corrupt_record', type: 'string', nullable: true }] };
    expect(parseJsonLine('oops', withCorrupt)).toMatchObject({ row: [null, null, null, 'oops'] });
    expect(parseJsonLine('oops', { ...options, mode: 'DROPMALFORMED' })).toMatchObject({ kind: 'malformed', row: null });
  });
});

describe('JSON lines with single quotes (Spark allowSingleQuotes, on by default)', () => {
  it('reads single-quoted field names and strings', () => {
    expect(withDoubleQuotes("{'value': 'keep2'}")).toBe('{"value": "keep2"}');
    expect(parseJsonLine("{'activity_type': 'IO', 'activity_count': 3}", options)).toEqual({ kind: 'row', row: ['IO', null, 3] });
  });

  it('keeps quotes inside strings, and an unterminated string malformed', () => {
    expect(JSON.parse(withDoubleQuotes(`{'a': 'say "hi"', "b": "it's", 'c': 'it\\'s'}`))).toEqual({ a: 'say "hi"', b: "it's", c: "it's" });
    expect(firstJsonValueEnd("{'a': '}'} trailing")).toBe(10);
    expect(parseJsonLine("{'activity_type': 'IO}", options)).toMatchObject({ kind: 'malformed' });
  });
});

describe('CSV lines', () => {
  it('splits with quotes and a custom separator', () => {
    expect(splitCsvLine('a,"b,c","d""e"', ',').map((c) => c.text)).toEqual(['a', 'b,c', 'd"e']);
    expect(splitCsvLine('a;b', ';').map((c) => c.text)).toEqual(['a', 'b']);
  });

  it('converts by position; empty values are NULL', () => {
    const s: RecordOptions = { ...options, schema: [{ name: 'name', type: 'string', nullable: true }, { name: 'age', type: 'int', nullable: true }] };
    expect(parseCsvLine('virat,32', ',', s)).toEqual({ kind: 'row', row: ['virat', 32] });
    expect(parseCsvLine('rohit,', ',', s)).toEqual({ kind: 'row', row: ['rohit', null] });
    expect(parseCsvLine('dhoni,old', ',', s)).toMatchObject({ kind: 'malformed' });
  });
});

/*
 * Spark 4.2.0, run on the file "1,x / 2,y,extra / 3 / 4,z / five,w / 6,"q" / , / 7," (CSV,
 * schema a INT, b STRING): UnivocityParser makes a wrong cell count malformed, keeps the cells it
 * could convert (the partial row) and puts the line in the corrupt column, wherever it stands.
 */
describe('CSV lines: ragged rows and partial rows as Spark', () => {
  const a = { name: 'a', type: 'int', nullable: true } as const;
  const b = { name: 'b', type: 'string', nullable: true } as const;
  const corrupt = { name: '_corrupt_record', type: 'string', nullable: true } as const;
  const lines = ['1,x', '2,y,extra', '3', '4,z', 'five,w', '6,"q"', ',', '7,'];
  const parseAll = (o: RecordOptions) => lines.map((l) => parseCsvLine(l, ',', o)).flatMap((p) => (p.kind === 'skip' || p.row === null ? [] : [p.row]));

  it('PERMISSIVE: partial rows', () => {
    expect(parseAll({ ...options, schema: [a, b] })).toEqual([[1, 'x'], [2, 'y'], [3, null], [4, 'z'], [null, 'w'], [6, 'q'], [null, null], [7, null]]);
  });

  it('PERMISSIVE: the line in the corrupt column, at the end or between the data columns', () => {
    expect(parseAll({ ...options, schema: [a, b, corrupt] })).toEqual([
      [1, 'x', null], [2, 'y', '2,y,extra'], [3, null, '3'], [4, 'z', null], [null, 'w', 'five,w'], [6, 'q', null], [null, null, null], [7, null, null],
    ]);
    expect(parseAll({ ...options, schema: [a, corrupt, b] })).toEqual([
      [1, null, 'x'], [2, '2,y,extra', 'y'], [3, '3', null], [4, null, 'z'], [null, 'five,w', 'w'], [6, null, 'q'], [null, null, null], [7, null, null],
    ]);
  });

  it('DROPMALFORMED: ragged rows and type mismatches dropped', () => {
    expect(parseAll({ ...options, schema: [a, b], mode: 'DROPMALFORMED' })).toEqual([[1, 'x'], [4, 'z'], [6, 'q'], [null, null], [7, null]]);
  });

  it("FAILFAST: Spark's error shows the partial row", () => {
    const o: RecordOptions = { ...options, schema: [a, b], mode: 'FAILFAST' };
    const tooMany = parseCsvLine('2,y,extra', ',', o);
    const typeMismatch = parseCsvLine('five,y', ',', o);
    if (tooMany.kind !== 'malformed' || tooMany.row === null || typeMismatch.kind !== 'malformed' || typeMismatch.row === null) throw new Error('expected malformed rows');
    expect(failFastMessage(o.schema, tooMany.row)).toBe(
      '[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record parsing: [2,y].\n'
      + "Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.  SQLSTATE: 22023",
    );
    expect(failFastMessage(o.schema, typeMismatch.row)).toContain('record parsing: [null,y].');
    // Spark 4.2 runs: the corrupt column shown too; a timestamp as microseconds, a double as Java prints it; bad JSON all NULL.
    const withCorrupt: RecordOptions = { ...o, schema: [a, b, corrupt] };
    const shown = (p: ReturnType<typeof parseCsvLine>, schema = withCorrupt.schema) => (p.kind === 'malformed' && p.row !== null ? failFastMessage(schema, p.row) : '');
    expect(shown(parseCsvLine('2,y,extra', ',', withCorrupt))).toContain('record parsing: [2,y,2,y,extra].');
    const td: RecordOptions = { ...o, schema: [{ name: 't', type: 'timestamp', nullable: true }, { name: 'd', type: 'double', nullable: true }] };
    expect(shown(parseCsvLine('2024-01-01 00:00:01,1.5,x', ',', td), td.schema)).toContain('record parsing: [1704067201000000,1.5].');
    expect(shown(parseJsonLine('{bad', o))).toContain('record parsing: [null,null].');
  });
});
