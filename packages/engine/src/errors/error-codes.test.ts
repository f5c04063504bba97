import { col, when } from '../api/functions.js';
import { SparkSession } from '../api/spark-session.js';
import { QueryManager } from '../runtime/query-manager.js';
import { kafkaSinkRecordsByTopic } from '../sinks/kafka-sink.js';
import { parseExpression } from '../expressions/sql-parser.js';
import { resolveSourceTopics } from '../runtime/processor/source-topics.js';
import type { KafkaAdmin } from '../kafka/kafka-port.js';
import { ERROR_CODES } from './codes.js';
import { LocalStackError } from './local-stack-error.js';
import { StreamError } from './stream-error.js';

/** Codes raised from real call paths (the others are asserted where their feature is tested). */
describe('error codes', () => {
  it('every code is unique and errors carry code, retriability and context', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    const e = new LocalStackError('kafka.sh up failed', { retriable: true, topic: 't' });
    expect(e).toBeInstanceOf(StreamError);
    expect(e).toMatchObject({ code: 'LOCAL_STACK_ERROR', retriable: true, context: { topic: 't' }, name: 'LocalStackError' });
  });

  it('PARSE_ERROR for a SQL string that does not parse', () => {
    expect(() => parseExpression('length(value) >')).toThrow(expect.objectContaining({ code: 'PARSE_ERROR' }));
  });

  it('ILLEGAL_STATE for otherwise() twice', () => {
    expect(() => when(col('a').gt(1), 'x').otherwise('y').otherwise('z')).toThrow(expect.objectContaining({ code: 'ILLEGAL_STATE' }));
  });

  it('ILLEGAL_ARGUMENT for a negative withWatermark delay', () => {
    const spark = new SparkSession('test', new QueryManager());
    const df = spark.readStream.format('socket').option('host', 'localhost').option('port', 1).option('includeTimestamp', true).load();
    expect(() => df.withWatermark('timestamp', '-1 second')).toThrow(expect.objectContaining({ code: 'ILLEGAL_ARGUMENT' }));
  });

  it('SINK_ERROR for a Kafka sink row without a topic', () => {
    const schema = [{ name: 'value', type: 'string' as const, nullable: true }, { name: 'topic', type: 'string' as const, nullable: true }];
    expect(() => kafkaSinkRecordsByTopic(schema, [['v', null]], undefined)).toThrow(expect.objectContaining({ code: 'SINK_ERROR' }));
  });

  it('SOURCE_ERROR for a Kafka source naming topics two ways', async () => {
    const admin = { listTopics: async () => [] } as unknown as KafkaAdmin;
    await expect(resolveSourceTopics({
      node: 'StreamingSource', index: 0, format: 'kafka', options: { subscribe: 'a', assign: '{"a":[0]}' }, schema: [],
    }, 'own', admin)).rejects.toMatchObject({ code: 'SOURCE_ERROR' });
  });
});
