import type { DataType, Row, Schema, Value } from '../core/types.js';
import { decimalParts, isIntegral } from '../core/types.js';
import { stringifyValue } from '../core/value-json.js';
import { exactInteger, fromDouble, parseBigDecimal, toBig, toPlainString, toPrecision } from '../core/decimal.js';
import { formatJavaDouble, formatJavaFloat } from '../console/render-cell.js';
import { fitLong } from './exact-long.js';
import { parseTimestampMicros } from './cast.js';
import { OptionError } from '../errors/option-error.js';

/**
 * Reading text records into rows of a user schema, as Spark's file sources do: a value that does
 * not fit its field's type makes the record malformed; in PERMISSIVE mode that field is NULL,
 * the others keep their values and the raw text goes to `columnNameOfCorruptRecord` when the
 * schema has that column.
 */
export type ParseMode = 'PERMISSIVE' | 'DROPMALFORMED' | 'FAILFAST';

export interface RecordOptions {
  readonly schema: Schema;
  readonly timeZone: string;
  readonly mode: ParseMode;
  readonly corruptColumn: string;
}

export type ParsedRecord =
  | { readonly kind: 'row'; readonly row: Row }
  | { readonly kind: 'malformed'; readonly row: Row | null; readonly reason: string }
  | { readonly kind: 'skip' };

export class FieldTypeMismatch {
  constructor(readonly reason: string) {}
}

const SPECIAL_DOUBLES: ReadonlyMap<string, number> = new Map([['NaN', Number.NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]]);

/**
 * Converts one JSON or text value to a field type; throws FieldTypeMismatch when it cannot.
 * `positionalStructs`: a struct may also be a JSON array of its fields' values, in order.
 */
export function convertValue(raw: unknown, type: DataType, timeZone: string, fromText: boolean, positionalStructs = false): Value {
  if (raw === null || raw === undefined) return null;
  if (type === 'string') return typeof raw === 'string' ? raw : typeof raw === 'bigint' ? String(raw) : JSON.stringify(raw);
  const exact = exactNumber(raw, type, fromText);
  if (exact !== undefined) return exact;
  if (isIntegral(type) || type === 'double' || type === 'float') {
    // JSON has no literal for them: "NaN", "Infinity" and "-Infinity" stand for the doubles.
    const special = !isIntegral(type) && typeof raw === 'string' ? SPECIAL_DOUBLES.get(raw.trim()) : undefined;
    if (special !== undefined) return special;
    const n = typeof raw === 'number' ? raw : typeof raw === 'bigint' ? Number(raw) : fromText && typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    if (Number.isNaN(n) || (isIntegral(type) && !Number.isInteger(n))) throw new FieldTypeMismatch(`${stringifyValue(raw)} is not a ${type}`);
    // A FLOAT holds a 32-bit value: 16777217 is 1.6777216E7.
    return type === 'float' ? Math.fround(n) : n;
  }
  if (type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (fromText && typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) return raw.trim().toLowerCase() === 'true';
    throw new FieldTypeMismatch(`${stringifyValue(raw)} is not a boolean`);
  }
  if (type === 'timestamp' || type === 'date') {
    if (typeof raw !== 'string') throw new FieldTypeMismatch(`${stringifyValue(raw)} is not a ${type}`);
    const micros = parseTimestampMicros(raw, timeZone);
    if (micros === null) throw new FieldTypeMismatch(`'${raw}' is not a ${type}`);
    return type === 'date' ? Math.floor(micros / 86_400_000_000) : micros;
  }
  if (typeof type !== 'string' && type.kind === 'array' && Array.isArray(raw)) {
    return raw.map((item) => convertValue(item, type.elementType, timeZone, fromText, positionalStructs));
  }
  if (typeof type !== 'string' && type.kind === 'map' && typeof raw === 'object' && !Array.isArray(raw)) {
    // A JSON object: its keys are text, read as the key type.
    return Object.entries(raw as Record<string, unknown>).map(([k, v]): Value =>
      [convertValue(k, type.keyType, timeZone, true, positionalStructs), convertValue(v, type.valueType, timeZone, fromText, positionalStructs)]);
  }
  if (typeof type !== 'string' && type.kind === 'struct' && typeof raw === 'object' && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>;
    return type.fields.map((f) => convertValue(o[f.name], f.type, timeZone, fromText, positionalStructs));
  }
  // A struct written as its fields' values in order (as a Row is built), where the caller allows it.
  if (positionalStructs && typeof type !== 'string' && type.kind === 'struct' && Array.isArray(raw) && raw.length === type.fields.length) {
    return type.fields.map((f, i) => convertValue(raw[i], f.type, timeZone, fromText, positionalStructs));
  }
  throw new FieldTypeMismatch(`${stringifyValue(raw)} does not fit ${JSON.stringify(type)}`);
}

/**
 * A BIGINT from a bigint or from integer text (exact past 2^53), and any DECIMAL value (a number
 * by its shortest decimal digits, text by all of its digits, rounded HALF_UP to the type's
 * scale); undefined when the plain number path applies.
 */
function exactNumber(raw: unknown, type: DataType, fromText: boolean): Value | undefined {
  if (type === 'bigint') {
    // An integral double past 2^53 (JSON.parse's) holds a whole number too: kept as a bigint.
    const unsafe = typeof raw === 'number' && Number.isInteger(raw) && !Number.isSafeInteger(raw);
    const text = typeof raw === 'bigint' || unsafe ? BigInt(raw as number | bigint).toString()
      : fromText && typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw) ? raw.trim() : undefined;
    if (text === undefined) return undefined;
    const big = BigInt(text.replace(/^\+/, ''));
    const value = fitLong(big);
    if (value === null) throw new FieldTypeMismatch(`${text} is not a bigint`);
    return value;
  }
  const decimal = decimalParts(type);
  if (decimal === undefined) return undefined;
  const d = typeof raw === 'number' ? fromDouble(raw) : typeof raw === 'bigint' ? { unscaled: raw, scale: 0 } : typeof raw === 'string' ? parseBigDecimal(raw.trim()) : null;
  const u = d === null ? null : toPrecision(d.unscaled, d.scale, decimal.precision, decimal.scale);
  if (u === null) throw new FieldTypeMismatch(`${String(raw)} is not a ${type}`);
  return exactInteger(u);
}

/**
 * Builds the result for a malformed record as Spark's FailureSafeParser does: the fields the
 * parser could convert keep their values (`partial`, by schema position; NULL elsewhere) and the
 * raw text goes to `columnNameOfCorruptRecord`; under DROPMALFORMED there is no row. Under
 * FAILFAST the row is what the error message shows.
 */
export function malformed(options: RecordOptions, text: string, reason: string, partial: readonly Value[] = []): ParsedRecord {
  if (options.mode === 'DROPMALFORMED') return { kind: 'malformed', row: null, reason };
  const row = options.schema.map((f, i) => (f.name === options.corruptColumn ? text : partial[i] ?? null));
  return { kind: 'malformed', row, reason };
}

/**
 * Spark's FAILFAST error (MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION, SQLSTATE 22023) for
 * a malformed record whose partial row is `row`, shown as Spark's InternalRow.toString shows it:
 * values in their internal form (a timestamp as microseconds, a date as days).
 */
export function failFastMessage(schema: Schema, row: Row): string {
  const shown = row.map((v, i) => internalString(v, schema[i]?.type ?? 'string')).join(',');
  return `[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record parsing: [${shown}].\n`
    + "Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.  SQLSTATE: 22023";
}

function internalString(v: Value, type: DataType): string {
  if (v === null) return 'null';
  if (type === 'double') return formatJavaDouble(v as number);
  if (type === 'float') return formatJavaFloat(v as number);
  const decimal = decimalParts(type);
  if (decimal !== undefined) return toPlainString(toBig(v), decimal.scale);
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : stringifyValue(v);
}

/**
 * Rows given as plain values (timestamps and dates as strings in `timeZone`, arrays as arrays)
 * converted to a schema's values, for rows a program or a test writes by hand; `what` names the
 * caller in the error a value that does not fit raises.
 */
export function rowsOfValues(what: string, values: ReadonlyArray<readonly unknown[]>, schema: Schema, timeZone: string): Row[] {
  return values.map((v) => {
    if (v.length !== schema.length) throw new OptionError(`${what}: a row of ${v.length} values for ${schema.length} columns: ${stringifyValue(v)}`);
    return schema.map((f, i): Value => {
      try {
        return convertValue(v[i], f.type, timeZone, false, true);
      } catch (err) {
        if (err instanceof FieldTypeMismatch) throw new OptionError(`${what}: column ${f.name}: ${err.reason}`);
        throw err;
      }
    });
  });
}
