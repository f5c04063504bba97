import type { Row, Schema, Value } from '../core/types.js';
import { parseValue, stringifyValue } from '../core/value-json.js';

/** The header naming the file a source-topic record was read from. */
export const HEADER_FILE = 'sluice-file';

/**
 * Source-topic encoding: one record per row, the row as a JSON object by column name.
 * Decoding happens once, on the way into the processor, into positional rows.
 */
export function encodeSourceRow(schema: Schema, row: Row): string {
  const out: Record<string, Value> = {};
  schema.forEach((field, i) => {
    out[field.name] = row[i] ?? null;
  });
  return stringifyValue(out);
}

export type DecodedSourceRow = { readonly ok: true; readonly row: Row } | { readonly ok: false; readonly reason: string };

export function decodeSourceRow(schema: Schema, value: Buffer | null): DecodedSourceRow {
  if (value === null) return { ok: false, reason: 'empty record value' };
  let body: unknown;
  try {
    body = parseValue(value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'record value is not JSON' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, reason: 'record value is not a JSON object' };
  const obj = body as Record<string, unknown>;
  const row = schema.map((field): Value => {
    const v = obj[field.name];
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? v : null;
  });
  return { ok: true, row };
}
