import type { Value } from '../core/types.js';
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
    const m = /^\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text);
    return m === null ? -1 : m[0].length;
  }
  let depth = 0;
  let quote: string | null = null;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quote !== null) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * JSON text with its single-quoted strings and field names double-quoted: Spark's JSON reader
 * allows single quotes (allowSingleQuotes, on by default, Jackson's ALLOW_SINGLE_QUOTES), so
 * `{'value': 'keep'}` reads as `{"value": "keep"}`. An unterminated string stays unterminated.
 */
export function withDoubleQuotes(text: string): string {
  if (!text.includes("'")) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch !== '"' && ch !== "'") {
      out += ch;
      i++;
      continue;
    }
    let body = '';
    let j = i + 1;
    for (; j < text.length && text[j] !== ch; j++) {
      const c = text[j] ?? '';
      if (c === '\\') {
        const next = text[j + 1] ?? '';
        // \' is a quote (Jackson takes it when single quotes are allowed); other escapes are JSON's.
        body += next === "'" ? "'" : `\\${next}`;
        j++;
      } else body += ch === "'" && c === '"' ? '\\"' : c;
    }
    out += `"${body}${j < text.length ? '"' : ''}`;
    i = j + 1;
  }
  return out;
}

/** One line of a JSON-lines file as a row of the schema (Spark's JSON source, multiLine=false). */
export function parseJsonLine(line: string, options: RecordOptions): ParsedRecord {
  if (line.trim() === '') return { kind: 'skip' };
  const end = firstJsonValueEnd(line);
  let value: unknown;
  try {
    if (end < 0) throw new SyntaxError('no complete JSON value');
    value = JSON.parse(withDoubleQuotes(line.slice(0, end)));
  } catch {
    return malformed(options, line, 'malformed JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return malformed(options, line, 'not a JSON object');
  const obj = value as Record<string, unknown>;
  // A field that does not fit its type is NULL; the others keep their values (Spark's partial result).
  let reason: string | null = null;
  const row: Value[] = options.schema.map((f) => {
    if (f.name === options.corruptColumn) return null;
    try {
      return convertValue(obj[f.name], f.type, options.timeZone, false);
    } catch (err) {
      if (!(err instanceof FieldTypeMismatch)) throw err;
      reason ??= err.reason;
      return null;
    }
  });
  return reason === null ? { kind: 'row', row } : malformed(options, line, reason, row);
}
