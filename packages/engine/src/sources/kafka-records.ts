import type { Row, Schema } from '../api/types.js';
import type { ConsumedRecord } from '../kafka/kafka-port.js';

/** The columns of Spark's Kafka source. */
export const KAFKA_SOURCE_SCHEMA: Schema = [
  { name: 'key', type: 'binary', nullable: true },
  { name: 'value', type: 'binary', nullable: true },
  { name: 'topic', type: 'string', nullable: true },
  { name: 'partition', type: 'int', nullable: true },
  { name: 'offset', type: 'bigint', nullable: true },
  { name: 'timestamp', type: 'timestamp', nullable: true },
  { name: 'timestampType', type: 'int', nullable: true },
];

/** One Kafka record as a row of the Kafka source (binary held as hex). */
export function kafkaRecordRow(r: ConsumedRecord): Row {
  return [
    r.key === null ? null : r.key.toString('hex'),
    r.value === null ? null : r.value.toString('hex'),
    r.topic,
    r.partition,
    r.offset,
    r.timestamp * 1000,
    0,
  ];
}
