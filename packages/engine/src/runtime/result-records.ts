import type { Row, Schema } from '../core/types.js';
import { parseValue, stringifyValue } from '../core/value-json.js';
import type { Headers, OutgoingRecord } from '../kafka/kafka-port.js';
import type { OutputMode } from '../plan/query-plan.js';

/**
 * The results-topic encoding. A batch is a run of `rows` records (JSON arrays of positional
 * rows) closed by one `end` record carrying the schema and the row count. Headers carry query
 * id, batch id and output mode so a sink can reassemble a batch and drop one already written.
 */
export const HEADER_QUERY_ID = 'sluice-query-id';
export const HEADER_BATCH_ID = 'sluice-batch-id';
export const HEADER_OUTPUT_MODE = 'sluice-output-mode';
export const HEADER_KIND = 'sluice-kind';
/**
 * A scaled-out query's batch comes in parts, one per task, each a run of `rows` records closed
 * by its own `end`, all carrying the part's id; the leader's `end` without a part (after every
 * part is committed) lists the parts in the order their rows make the batch.
 */
export const HEADER_PART = 'sluice-part';

const ROWS_PER_RECORD = 500;

export interface BatchEnd {
  readonly schema: Schema;
  readonly rowCount: number;
  /** A batch made of parts: their ids, in order (the leader's end of a scaled-out batch). */
  readonly parts?: readonly string[];
}

/** A batch's rows and end record; with `part`, one task's part of the batch. */
export function encodeBatch(
  queryId: string, batchId: number, mode: OutputMode, schema: Schema, rows: readonly Row[], part?: string,
): OutgoingRecord[] {
  const headers = (kind: 'rows' | 'end'): Headers => ({
    [HEADER_QUERY_ID]: queryId,
    [HEADER_BATCH_ID]: String(batchId),
    [HEADER_OUTPUT_MODE]: mode,
    [HEADER_KIND]: kind,
    ...(part === undefined ? {} : { [HEADER_PART]: part }),
  });
  const records: OutgoingRecord[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_RECORD) {
    records.push({ key: String(batchId), value: stringifyValue(rows.slice(i, i + ROWS_PER_RECORD)), headers: headers('rows') });
  }
  const end: BatchEnd = { schema, rowCount: rows.length };
  records.push({ key: String(batchId), value: JSON.stringify(end), headers: headers('end') });
  return records;
}

/** The end of a batch made of parts (written once every part is committed). */
export function encodePartedBatchEnd(
  queryId: string, batchId: number, mode: OutputMode, schema: Schema, parts: readonly string[], rowCount: number,
): OutgoingRecord {
  const end: BatchEnd = { schema, rowCount, parts };
  return {
    key: String(batchId),
    value: JSON.stringify(end),
    headers: { [HEADER_QUERY_ID]: queryId, [HEADER_BATCH_ID]: String(batchId), [HEADER_OUTPUT_MODE]: mode, [HEADER_KIND]: 'end' },
  };
}

export type DecodedResult =
  | { readonly kind: 'rows'; readonly batchId: number; readonly rows: Row[]; readonly part?: string }
  | { readonly kind: 'end'; readonly batchId: number; readonly end: BatchEnd; readonly part?: string }
  | { readonly kind: 'invalid'; readonly reason: string };

export function decodeResult(headers: Headers, value: Buffer | null): DecodedResult {
  const batchId = Number(headers[HEADER_BATCH_ID]);
  if (!Number.isInteger(batchId) || batchId < 0) return { kind: 'invalid', reason: 'missing or bad batch id header' };
  if (value === null) return { kind: 'invalid', reason: 'empty record value' };
  let body: unknown;
  try {
    body = parseValue(value.toString('utf8'));
  } catch {
    return { kind: 'invalid', reason: 'record value is not JSON' };
  }
  const part = headers[HEADER_PART];
  const inPart = part === undefined ? {} : { part };
  switch (headers[HEADER_KIND]) {
    case 'rows':
      if (!Array.isArray(body)) return { kind: 'invalid', reason: 'rows record is not an array' };
      return { kind: 'rows', batchId, rows: body as Row[], ...inPart };
    case 'end': {
      const end = body as Partial<BatchEnd>;
      if (!Array.isArray(end.schema) || typeof end.rowCount !== 'number') return { kind: 'invalid', reason: 'bad end record' };
      if (end.parts !== undefined && !(Array.isArray(end.parts) && end.parts.every((p) => typeof p === 'string'))) return { kind: 'invalid', reason: 'bad parts list' };
      return { kind: 'end', batchId, end: { schema: end.schema, rowCount: end.rowCount, ...(end.parts === undefined ? {} : { parts: end.parts }) }, ...inPart };
    }
    default:
      return { kind: 'invalid', reason: `unknown record kind ${JSON.stringify(headers[HEADER_KIND])}` };
  }
}
