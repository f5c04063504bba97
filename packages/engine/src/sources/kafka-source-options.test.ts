import { IllegalArgumentError } from '../errors/illegal-argument-error.js';
import type { StreamingSourceNode } from '../plan/logical-plan.js';
import { KAFKA_SOURCE_SCHEMA } from './kafka-records.js';
import { kafkaConsumerOptions, validateKafkaStreamOptions } from './kafka-source-options.js';
import { CaseInsensitiveOptions } from '../core/options.js';

const kafka = (options: Record<string, string>): StreamingSourceNode =>
  ({ node: 'StreamingSource', index: 0, format: 'kafka', options, schema: KAFKA_SOURCE_SCHEMA });

describe('validateKafkaStreamOptions', () => {
  it('throws IllegalArgumentError with the code ILLEGAL_ARGUMENT', () => {
    let caught: unknown = null;
    try {
      validateKafkaStreamOptions(new CaseInsensitiveOptions({ 'kafka.bootstrap.servers': 'b', subscribe: 't', minPartitions: '0' }));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(IllegalArgumentError);
    expect((caught as IllegalArgumentError).code).toBe('ILLEGAL_ARGUMENT');
    expect((caught as Error).message).toBe('minPartitions must be positive');
  });

  it("names the strategies as Spark's message does (lower case, its order)", () => {
    expect(() => validateKafkaStreamOptions(new CaseInsensitiveOptions({}))).toThrow(
      'One of the following options must be specified for Kafka source: subscribe, subscribepattern, assign. See the docs for more details.',
    );
  });
});

describe('kafkaConsumerOptions', () => {
  it("reads uncommitted records, as Kafka's consumer does, unless a source says read_committed", () => {
    expect(kafkaConsumerOptions([kafka({})])).toEqual({ readUncommitted: true });
    expect(kafkaConsumerOptions([kafka({}), kafka({ 'kafka.isolation.level': 'READ_COMMITTED' })])).toEqual({ readUncommitted: false });
  });

  it('refreshes metadata as often as the most eager source asks', () => {
    expect(kafkaConsumerOptions([kafka({ 'kafka.metadata.max.age.ms': '500' }), kafka({ 'kafka.metadata.max.age.ms': '1' })]))
      .toEqual({ readUncommitted: true, metadataMaxAgeMs: 1 });
  });

  it('leaves a query without Kafka sources to the defaults', () => {
    expect(kafkaConsumerOptions([{ ...kafka({}), format: 'socket' }])).toEqual({});
  });
});
