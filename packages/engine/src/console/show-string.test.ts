import type { Row, Schema } from '../core/types.js';
import { consoleBatch, showOutput, showString } from './show-string.js';

const value: Schema = [{ name: 'value', type: 'string', nullable: true }];
const defaults = { numRows: 20, truncate: 20, timeZone: 'UTC' };

describe('showString (Spark Dataset.showString, horizontal mode)', () => {
  it('pads right-aligned when truncating, with a minimum width of 3 (SEMANTICS 10.2, steps 4-5)', () => {
    expect(showString(value, [['hello'], ['streaming']], defaults)).toBe(
      '+---------+\n|    value|\n+---------+\n|    hello|\n|streaming|\n+---------+\n',
    );
    expect(showString([{ name: 'a', type: 'string', nullable: true }], [['x']], defaults)).toBe(
      '+---+\n|  a|\n+---+\n|  x|\n+---+\n',
    );
  });

  it('prints the header block then the closing border when there are no rows', () => {
    expect(showString(value, [], defaults)).toBe('+-----+\n|value|\n+-----+\n+-----+\n');
  });

  it('cuts cells longer than truncate to truncate-3 characters plus "..." (truncate=true is 20)', () => {
    const long = 'abcdefghijklmnopqrstuvwxyz';
    expect(showString(value, [[long]], defaults)).toBe(
      '+--------------------+\n|               value|\n+--------------------+\n|abcdefghijklmnopq...|\n+--------------------+\n',
    );
  });

  it('prints the half of a surrogate pair that truncation splits as ?, as Java writes it in UTF-8', () => {
    const emoji = '\u{1F600}'.repeat(11);
    expect(showString(value, [[emoji]], defaults).split('\n')[3]).toBe(`|${'\u{1F600}'.repeat(8)}?...|`);
  });

  it('keeps whole cells and aligns left with truncate=false (truncate 0)', () => {
    expect(showString(value, [['First Message'], ['ab']], { ...defaults, truncate: 0 })).toBe(
      '+-------------+\n|value        |\n+-------------+\n|First Message|\n|ab           |\n+-------------+\n',
    );
  });

  it('adds "only showing top N rows" when rows were left out, "row" for one, with no newline after it (4.x)', () => {
    const rows: Row[] = [['a'], ['b'], ['c']];
    expect(showString(value, rows, { ...defaults, numRows: 2 })).toBe(
      '+-----+\n|value|\n+-----+\n|    a|\n|    b|\n+-----+\nonly showing top 2 rows',
    );
    expect(showString(value, rows, { ...defaults, numRows: 1 })).toMatch(/\+\nonly showing top 1 row$/);
  });

  it('show prints it with println: a blank line after the table, none after the footer', () => {
    expect(showOutput(value, [['a']], defaults)).toBe('+-----+\n|value|\n+-----+\n|    a|\n+-----+\n\n');
    expect(showOutput(value, [['a'], ['b']], { ...defaults, numRows: 1 })).toBe(
      '+-----+\n|value|\n+-----+\n|    a|\n+-----+\nonly showing top 1 row\n',
    );
  });

  it('prints NULL for nulls (Spark 3.5+ ToPrettyString) and escapes control characters (3.4+)', () => {
    expect(showString(value, [[null], ['a\tb']], defaults)).toBe(
      '+-----+\n|value|\n+-----+\n| NULL|\n| a\\tb|\n+-----+\n',
    );
  });

  it('counts East-Asian wide characters as two columns (Utils.stringHalfWidth)', () => {
    expect(showString(value, [['日本']], defaults)).toBe('+-----+\n|value|\n+-----+\n| 日本|\n+-----+\n');
  });
});

describe('consoleBatch (ConsoleWrite: 43 dashes, Batch: N, table, blank line)', () => {
  it('matches SEMANTICS 13.2 batch 0 and an empty batch byte for byte', () => {
    expect(consoleBatch(0, value, [['hello']], defaults)).toBe(
      '-------------------------------------------\nBatch: 0\n-------------------------------------------\n' +
        '+-----+\n|value|\n+-----+\n|hello|\n+-----+\n\n',
    );
    expect(consoleBatch(1, value, [], defaults)).toBe(
      '-------------------------------------------\nBatch: 1\n-------------------------------------------\n' +
        '+-----+\n|value|\n+-----+\n+-----+\n\n',
    );
  });

  it('ends "only showing top N rows" with a newline and no blank line (Spark 4.x; 3.5 added one)', () => {
    const two = consoleBatch(2, value, [['a'], ['b'], ['c']], { ...defaults, numRows: 2 });
    expect(two).toBe(
      '-------------------------------------------\nBatch: 2\n-------------------------------------------\n' +
        '+-----+\n|value|\n+-----+\n|    a|\n|    b|\n+-----+\nonly showing top 2 rows\n',
    );
    // The next batch's header follows on the very next line.
    expect(two + consoleBatch(3, value, [], defaults)).toContain('only showing top 2 rows\n-------------------------------------------\nBatch: 3\n');
  });
});
