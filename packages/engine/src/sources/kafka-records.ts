import type { Row, Schema, StructField } from '../core/types.js';
import type { ConsumedRecord } from '../kafka/kafka-port.js';
import { KAFKA_BINARY_COLUMNS, type BinaryColumnForm, type KafkaSourceColumns } from '../plan/kafka-source-columns.js';

/** The columns of Spark's Kafka source (KafkaRecordToRowConverter.schemaWithoutHeaders). */
export const KAFKA_SOURCE_SCHEMA: Schema = [
  { name: 'key', type: 'binary', nullable: true },
  { name: 'value', type: 'binary', nullable: true },
  { name: 'topic', type: 'string', nullable: true },
  { name: 'partition', type: 'int', nullable: true },
  { name: 'offset', type: 'bigint', nullable: true },
  { name: 'timestamp', type: 'timestamp', nullable: true },
  { name: 'timestampType', type: 'int', nullable: true },
];

/** `headers`, with option includeHeaders: array<struct<key: string, value: binary>>. */
const HEADERS_FIELD: StructField = {
  name: 'headers',
  type: {
    kind: 'array',
    elementType: { kind: 'struct', fields: [{ name: 'key', type: 'string', nullable: true }, { name: 'value', type: 'binary', nullable: true }] },
    containsNull: true,
  },
  nullable: true,
};

/** Spark's KafkaRecordToRowConverter.kafkaSchema. */
export function kafkaSourceSchema(includeHeaders: boolean): Schema {
  return includeHeaders ? [...KAFKA_SOURCE_SCHEMA, HEADERS_FIELD] : KAFKA_SOURCE_SCHEMA;
}

/** Whether a Kafka source's schema carries the headers column. */
export function hasHeaders(schema: Schema): boolean {
  return schema.length > KAFKA_SOURCE_SCHEMA.length;
}

/** A binary column's bytes in the form the plan takes them (kafka-source-columns.ts). */
function binaryCell(bytes: Buffer | null, form: BinaryColumnForm): string | null {
  if (bytes === null || form === 'unread') return null;
  return bytes.toString(form === 'text' ? 'utf8' : 'hex');
}

/**
 * One Kafka record as a row of the Kafka source (binary held as hex, or key and value as the
 * plan takes them: `columns`); a record without headers has NULL headers, as in Spark.
 */
export function kafkaRecordRow(r: ConsumedRecord, includeHeaders = false, columns: KafkaSourceColumns = KAFKA_BINARY_COLUMNS): Row {
  const row = [
    binaryCell(r.key, columns.key),
    binaryCell(r.value, columns.value),
    r.topic,
    r.partition,
    r.offset,
    r.timestamp * 1000,
    0,
  ];
  if (!includeHeaders) return row;
  const headers = r.headerList.length === 0 ? null : r.headerList.map((h) => [h.key, h.value === null ? null : h.value.toString('hex')]);
  return [...row, headers];
}
