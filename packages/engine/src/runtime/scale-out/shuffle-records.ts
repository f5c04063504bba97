import type { Row } from '../../core/types.js';
import { parseValue, stringifyValue } from '../../core/value-json.js';
import type { ConsumedRecord, OutgoingRecord } from '../../kafka/kafka-port.js';

/**
 * The shuffle topic's records. A source task sends, for batch N, the rows each shuffle task
 * owns to that task's partition (`rows` records), then one `end` record to EVERY shuffle
 * partition, rows or not: a shuffle task runs batch N once it holds the end of every source
 * task of N. All of one source task's records for N are in one Kafka transaction.
 */
const HEADER_BATCH = 'sluice-batch-id';
const HEADER_KIND = 'sluice-kind';
const HEADER_SOURCE = 'sluice-source';
const HEADER_PARTITION = 'sluice-source-partition';
const HEADER_SIDE = 'sluice-side';
const HEADER_VERSION = 'sluice-shuffle-version';
/** The encoding's version tag: a reader refuses records of another. */
const VERSION = '1';

const ROWS_PER_RECORD = 500;

/** What a source task tells each shuffle task at the end of its part of a batch. */
export interface SourceTaskEnd {
  /** Records the source task read for the batch (its input rows). */
  readonly inputRows: number;
  /** Watermark operators' `max event time − delay` seen by the source task, by operator id. */
  readonly observed: Readonly<Record<string, number>>;
}

/** One source task: a source and one partition of its topics (keyed as SourceTopicSet.key). */
export interface SourceTaskId {
  readonly source: number;
  readonly partitionKey: string;
}

export function taskIdText(id: SourceTaskId): string {
  return `${id.source}|${id.partitionKey}`;
}

/** Source tasks in the order a single processor reads them: by source, then partition. */
export function compareTaskIds(a: SourceTaskId, b: SourceTaskId): number {
  return a.source - b.source || a.partitionKey.localeCompare(b.partitionKey, undefined, { numeric: true });
}

export function shuffleRowRecords(batchId: number, from: SourceTaskId, side: number, shufflePartition: number, rows: readonly Row[]): OutgoingRecord[] {
  const headers = { ...baseHeaders(batchId, from), [HEADER_KIND]: 'rows', [HEADER_SIDE]: String(side) };
  const out: OutgoingRecord[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_RECORD) {
    out.push({ partition: shufflePartition, value: stringifyValue(rows.slice(i, i + ROWS_PER_RECORD)), headers });
  }
  return out;
}

export function shuffleEndRecord(batchId: number, from: SourceTaskId, shufflePartition: number, end: SourceTaskEnd): OutgoingRecord {
  return { partition: shufflePartition, value: JSON.stringify(end), headers: { ...baseHeaders(batchId, from), [HEADER_KIND]: 'end' } };
}

function baseHeaders(batchId: number, from: SourceTaskId): Record<string, string> {
  return { [HEADER_VERSION]: VERSION, [HEADER_BATCH]: String(batchId), [HEADER_SOURCE]: String(from.source), [HEADER_PARTITION]: from.partitionKey };
}

export type ShuffleRecord =
  | { readonly kind: 'rows'; readonly batchId: number; readonly from: SourceTaskId; readonly side: number; readonly rows: Row[] }
  | { readonly kind: 'end'; readonly batchId: number; readonly from: SourceTaskId; readonly end: SourceTaskEnd };

/** Decodes a shuffle record; throws on one this version did not write (a bug, not bad input). */
export function decodeShuffleRecord(record: ConsumedRecord): ShuffleRecord {
  const h = record.headers;
  if (h[HEADER_VERSION] !== VERSION) throw new TypeError(`shuffle record at offset ${record.offset} has version ${String(h[HEADER_VERSION])}, not ${VERSION}`);
  const batchId = Number(h[HEADER_BATCH]);
  const from: SourceTaskId = { source: Number(h[HEADER_SOURCE]), partitionKey: h[HEADER_PARTITION] ?? '' };
  const text = record.value?.toString('utf8') ?? '';
  if (h[HEADER_KIND] === 'end') return { kind: 'end', batchId, from, end: JSON.parse(text) as SourceTaskEnd };
  return { kind: 'rows', batchId, from, side: Number(h[HEADER_SIDE]), rows: parseValue(text) as Row[] };
}
