import type { Value } from '../core/types.js';
import { convertValue, FieldTypeMismatch, malformed, type ParsedRecord, type RecordOptions } from './record-parser.js';

/** Splits one CSV line (RFC 4180 quoting with `"`, doubled quotes inside). */
export function splitCsvLine(line: string, sep: string): Array<{ text: string; quoted: boolean }> {
  const out: Array<{ text: string; quoted: boolean }> = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let text = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            text += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += line[i];
        i++;
      }
      out.push({ text, quoted: true });
      const next = line.indexOf(sep, i);
      if (next < 0) break;
      i = next + sep.length;
    } else {
      const next = line.indexOf(sep, i);
      out.push({ text: next < 0 ? line.slice(i) : line.slice(i, next), quoted: false });
      if (next < 0) break;
      i = next + sep.length;
    }
  }
  return out;
}

/**
 * One CSV line as a row of the schema, by position; empty unquoted values are NULL. As Spark's
 * UnivocityParser: a line whose cell count differs from the data columns' is malformed (missing
 * cells NULL, extra ones dropped), and so is one with a value that does not fit its column; the
 * other columns still hold their values (the partial row PERMISSIVE keeps).
 */
export function parseCsvLine(line: string, sep: string, options: RecordOptions): ParsedRecord {
  if (line.trim() === '') return { kind: 'skip' };
  const cells = splitCsvLine(line, sep);
  const dataFields = options.schema.filter((f) => f.name !== options.corruptColumn).length;
  let reason: string | null = cells.length === dataFields ? null : `${cells.length} cells for ${dataFields} columns`;
  let k = 0;
  const row: Value[] = options.schema.map((f) => {
    if (f.name === options.corruptColumn) return null;
    const cell = cells[k++];
    if (cell === undefined || (cell.text === '' && !cell.quoted)) return null;
    try {
      return convertValue(f.type === 'string' ? cell.text : cell.text.trim(), f.type, options.timeZone, true);
    } catch (err) {
      if (!(err instanceof FieldTypeMismatch)) throw err;
      reason ??= err.reason;
      return null;
    }
  });
  return reason === null ? { kind: 'row', row } : malformed(options, line, reason, row);
}
