import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decimalParts, mapEntries, type Row, type Schema, type Value, type DataType } from '../core/types.js';
import { formatDateDays, formatTimestampMicros } from '../console/render-cell.js';
import { toBig, toJavaString } from '../core/decimal.js';
import { JsonNumber, writeJson } from '../expressions/json-text.js';
import type { BatchWriter } from './batch-sink.js';

export const FILE_SINK_FORMATS = ['json', 'csv', 'text'] as const;
export type FileSinkFormat = (typeof FILE_SINK_FORMATS)[number];

function jsonCell(v: Value, type: DataType, timeZone: string): unknown {
  if (v === null) return null;
  if (type === 'timestamp') return `${formatTimestampMicros(Number(v), timeZone).replace(' ', 'T')}${timeZone === 'UTC' ? 'Z' : ''}`;
  if (type === 'date') return formatDateDays(Number(v));
  if (typeof type !== 'string' && type.kind === 'struct') {
    const items = v as readonly Value[];
    return Object.fromEntries(type.fields.map((f, i) => [f.name, jsonCell(items[i] ?? null, f.type, timeZone)]).filter(([, x]) => x !== null));
  }
  if (typeof type !== 'string' && type.kind === 'array') return (v as readonly Value[]).map((x) => jsonCell(x, type.elementType, timeZone));
  if (typeof type !== 'string' && type.kind === 'map') {
    // A map is a JSON object keyed by each key's string form; NULL values stay (as null).
    return Object.fromEntries(mapEntries(v).map(([k, x]) => [String(jsonCell(k, type.keyType, timeZone)), jsonCell(x, type.valueType, timeZone)]));
  }
  // A DECIMAL as BigDecimal.toString, unquoted (bigints writeJson writes with all their digits).
  const decimal = decimalParts(type);
  if (decimal !== undefined) return new JsonNumber(toJavaString(toBig(v), decimal.scale));
  return v;
}

function csvCell(v: Value, type: DataType, timeZone: string): string {
  if (v === null) return '';
  const decimal = decimalParts(type);
  const text = type === 'timestamp' ? formatTimestampMicros(Number(v), timeZone) : type === 'date' ? formatDateDays(Number(v))
    : decimal !== undefined ? toJavaString(toBig(v), decimal.scale) : String(v);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One batch's rows as file content, as Spark's JSON (nulls left out), CSV and text writers. */
export function encodeFile(format: FileSinkFormat, schema: Schema, rows: readonly Row[], timeZone: string): string {
  return rows.map((row) => {
    switch (format) {
      case 'json':
        return writeJson(Object.fromEntries(schema.map((f, i) => [f.name, jsonCell(row[i] ?? null, f.type, timeZone)]).filter(([, x]) => x !== null)));
      case 'csv':
        return schema.map((f, i) => csvCell(row[i] ?? null, f.type, timeZone)).join(',');
      default:
        return String(row[0] ?? '');
    }
  }).map((line) => `${line}\n`).join('');
}

/**
 * Spark's file sink: each batch becomes a part file, then an entry in the directory's
 * `_spark_metadata` log; a batch whose entry exists is not written again (exactly once). Files
 * appear whole: written under a hidden name, then renamed.
 */
export function fileWriter(format: FileSinkFormat, directory: string, timeZone: string): BatchWriter {
  const metadata = join(directory, '_spark_metadata');
  return async (batchId, schema, rows) => {
    mkdirSync(metadata, { recursive: true });
    const entry = join(metadata, String(batchId));
    if (existsSync(entry)) return;
    const files: string[] = [];
    if (rows.length > 0) {
      const name = `part-${String(batchId).padStart(5, '0')}-${randomUUID()}.${format === 'text' ? 'txt' : format}`;
      const tmp = join(directory, `.${name}.tmp`);
      writeFileSync(tmp, encodeFile(format, schema, rows, timeZone));
      renameSync(tmp, join(directory, name));
      files.push(name);
    }
    const tmpEntry = join(metadata, `.${batchId}.tmp`);
    writeFileSync(tmpEntry, `v1\n${files.map((f) => JSON.stringify({ path: join(directory, f), action: 'add' })).join('\n')}\n`);
    renameSync(tmpEntry, entry);
  };
}
