import type { Value } from '../api/types.js';
import { convertValue, FieldTypeMismatch, malformed, type ParsedRecord, type RecordOptions } from './record-parser.js';

/**
 * The end of the first complete JSON value in `text` (Spark's line reader parses that value
 * and ignores the rest of the line: a trailing comma is harmless), or -1.
 */
export function firstJsonValueEnd(text: string): number {
  let i = 0;
  while (i < text.length && /\s/.test(text[i] ?? '')) i++;
  const open = text[i];
  if (open !== '{' && open !== '[') {
    const m = /^\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text);
    return m === null ? -1 : m[0].length;
  }
  let depth = 0;
  let inString = false;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** One line of a JSON-lines file as a row of the schema (Spark's JSON source, multiLine=false). */
export function parseJsonLine(line: string, options: RecordOptions): ParsedRecord {
  if (line.trim() === '') return { kind: 'skip' };
  const end = firstJsonValueEnd(line);
  let value: unknown;
  try {
    if (end < 0) throw new SyntaxError('no complete JSON value');
    value = JSON.parse(line.slice(0, end));
  } catch {
    return malformed(options, line, 'malformed JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return malformed(options, line, 'not a JSON object');
  const obj = value as Record<string, unknown>;
  try {
    const row: Value[] = options.schema.map((f) =>
      f.name === options.corruptColumn ? null : convertValue(obj[f.name], f.type, options.timeZone, false));
    return { kind: 'row', row };
  } catch (err) {
    if (err instanceof FieldTypeMismatch) return malformed(options, line, err.reason);
    throw err;
  }
}
