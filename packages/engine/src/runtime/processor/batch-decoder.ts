/**
 * A planned batch's records turned into each source's input rows: Kafka records as Spark's
 * Kafka source rows, the records of the query's own source topics decoded by the source's
 * schema (a malformed one is counted and skipped).
 */
import type { Row } from '../../core/types.js';
import type { Logger } from '../../internal/logger.js';
import { metrics } from '../../observability/metrics.js';
import type { StreamingSourceNode } from '../../plan/logical-plan.js';
import { hasHeaders, kafkaRecordRow } from '../../sources/kafka-records.js';
import type { KafkaSourceColumns } from '../../plan/kafka-source-columns.js';
import type { ConsumedRecord } from '../../kafka/kafka-port.js';
import type { PlannedBatch, SourceLimits } from './batch-sources.js';
import type { SourceBuffer } from './source-buffer.js';
import { decodeSourceRow } from '../source-records.js';

/**
 * Spark's socket source deals a batch's lines round-robin over `numPartitions` partitions and
 * the result lists partition 0's rows, then partition 1's… (lines a..e over 2 partitions print
 * a, c, e, b, d). The default is Spark's local default parallelism: the number of cores.
 */
export function dealRoundRobin<T>(rows: readonly T[], partitions: number): T[] {
  if (partitions <= 1 || rows.length <= partitions) return [...rows];
  const out: T[] = [];
  for (let p = 0; p < partitions; p++) for (let i = p; i < rows.length; i += partitions) out.push(rows[i] as T);
  return out;
}

export interface BatchDecoderOptions {
  readonly sources: readonly StreamingSourceNode[];
  readonly limits: readonly SourceLimits[];
  readonly queryId: string;
  readonly log: Logger;
  /** How the plan takes each Kafka source's key and value (QueryExecution.kafkaColumns), by source index. */
  readonly kafkaColumns: () => ReadonlyMap<number, KafkaSourceColumns>;
}

export class BatchDecoder {
  constructor(private readonly o: BatchDecoderOptions) {}

  /** Takes the batch's records out of the buffers: one list of rows per source. */
  read(batch: PlannedBatch, buffers: readonly SourceBuffer[]): Row[][] {
    const kafkaColumns = this.o.kafkaColumns();
    return this.o.sources.map((source, i) => {
      const records = buffers[i]?.take(batch.start[i] ?? {}, batch.entry.offsets[i] ?? {}) ?? [];
      const rows = sourceRows(source, records, kafkaColumns.get(source.index), this.o.queryId, this.o.log);
      return source.format === 'socket' ? dealRoundRobin(rows, this.o.limits[i]?.socketPartitions ?? 1) : rows;
    });
  }
}

/**
 * One source's records as its rows: a Kafka record as a row of the Kafka source (key and value
 * in the form the plan takes them, `columns`), any other decoded by the source's schema; a
 * malformed one is counted and skipped, with a warning.
 */
export function sourceRows(
  source: StreamingSourceNode, records: readonly ConsumedRecord[], columns: KafkaSourceColumns | undefined, queryId: string, log: Logger,
): Row[] {
  const rows: Row[] = [];
  if (source.format === 'kafka') {
    const headers = hasHeaders(source.schema);
    for (const record of records) rows.push(kafkaRecordRow(record, headers, columns));
    return rows;
  }
  for (const record of records) {
    const decoded = decodeSourceRow(source.schema, record.value);
    if (decoded.ok) rows.push(decoded.row);
    else {
      metrics().skippedRecords.inc({ query: queryId, where: 'processor' });
      log.warn('skipping a malformed source record', { topic: record.topic, partition: record.partition, offset: record.offset, reason: decoded.reason });
    }
  }
  return rows;
}
