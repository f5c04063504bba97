import type { DataType, Row, Schema, Value } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { SinkError } from '../errors/sink-error.js';
import type { Clock } from '../core/clock.js';
import type { KafkaPort, OutgoingRecord } from '../kafka/kafka-port.js';
import { readRange } from '../kafka/read-range.js';

/**
 * Spark's Kafka sink: each row becomes a record of its `value` (string or binary), optional
 * `key`, and topic (the `topic` option, else a `topic` column).
 */
export function checkKafkaSinkSchema(schema: Schema, topicOption: string | undefined): void {
  const has = (name: string): boolean => schema.some((f) => f.name.toLowerCase() === name);
  if (!has('value')) throw new AnalysisException("Required attribute 'value' not found");
  if (topicOption === undefined && !has('topic')) {
    throw new AnalysisException("topic option required when no 'topic' attribute is present. Use the topic option for setting a topic.");
  }
}

function bytes(v: Value, type: DataType): string | Buffer | null {
  if (v === null) return null;
  return type === 'binary' ? Buffer.from(String(v), 'hex') : String(v);
}

/**
 * The Kafka sink's records of `rows`, grouped by topic (the `topic` option's, else each row's
 * `topic` column), each topic's in row order: what ProducerTransaction.sendAll takes.
 */
export function kafkaSinkRecordsByTopic(schema: Schema, rows: readonly Row[], topicOption: string | undefined): Array<{ topic: string; records: OutgoingRecord[] }> {
  const at = (name: string): number => schema.findIndex((f) => f.name.toLowerCase() === name);
  const vi = at('value');
  const ki = at('key');
  const ti = at('topic');
  const valueType = schema[vi]?.type ?? 'string';
  const keyType = schema[ki]?.type ?? 'string';
  const byTopic = new Map<string, OutgoingRecord[]>();
  let lastTopic: string | undefined;
  let list: OutgoingRecord[] = [];
  for (const row of rows) {
    const topic = topicOption ?? String(row[ti] ?? '');
    if (topic === '') throw new SinkError('a row has no topic: set the topic option or a non-null topic column');
    const value = bytes(row[vi] ?? null, valueType);
    const key = ki < 0 ? null : bytes(row[ki] ?? null, keyType);
    if (topic !== lastTopic) {
      list = byTopic.get(topic) ?? [];
      byTopic.set(topic, list);
      lastTopic = topic;
    }
    list.push({ key: key === null ? null : key.toString(), value: value ?? '' });
  }
  return [...byTopic].map(([topic, records]) => ({ topic, records }));
}

/**
 * The last batch id a query's Kafka sink committed: read from the marker topic, whose records
 * are written in the same transaction as each batch's output. read_committed, so a batch whose
 * transaction aborted does not count. The topic exists (BatchOutput.ensureTopics); an empty one,
 * a new query's, is answered without a reader.
 */
export async function lastCommittedSinkBatch(kafka: KafkaPort, markerTopic: string, groupId: string, clock: Clock): Promise<number> {
  const admin = await kafka.admin();
  let end = 0;
  try {
    end = (await admin.endOffsets(markerTopic)).find((p) => p.partition === 0)?.offset ?? 0;
  } finally {
    await admin.close();
  }
  if (end === 0) return -1;
  // Each batch's marker and its transaction's commit marker take two offsets: the last few hold it.
  const records = await readRange(kafka, markerTopic, 0, Math.max(0, end - 20), groupId, clock);
  return records.reduce((last, r) => Math.max(last, Number(r.value?.toString() ?? -1)), -1);
}
