import type { Schema } from '../core/types.js';
import { parseCsvLine, splitCsvLine } from './csv-lines.js';
import { firstJsonValueEnd, parseJsonLine, withDoubleQuotes } from './json-lines.js';
import type { RecordOptions } from './record-parser.js';

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

  it('makes a malformed line or a type mismatch an all-NULL row, with the text in the corrupt column', () => {
    expect(parseJsonLine('{"activity_type": "CPU"', options)).toMatchObject({ kind: 'malformed', row: [null, null, null] });
    expect(parseJsonLine('{"activity_count":"five"}', options)).toMatchObject({ kind: 'malformed', row: [null, null, null] });
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
