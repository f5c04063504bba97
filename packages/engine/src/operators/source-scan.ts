import type { Row } from '../core/types.js';
import type { ScopeField } from '../expressions/binder.js';
import { KAFKA_BINARY_COLUMNS, kafkaColumnForm, type KafkaSourceColumns } from '../plan/kafka-source-columns.js';
import type { StreamingSourceNode } from '../plan/logical-plan.js';
import type { OperatorContext, PhysicalOperator } from './operator.js';

/**
 * Reads the batch's rows of one source. A Kafka source's `key` and `value` are binary unless
 * `columns` says the source hands them over as text (kafka-source-columns.ts): they are then
 * columns of type STRING.
 */
export class SourceScanOperator implements PhysicalOperator {
  readonly output: readonly ScopeField[];
  readonly statefulIds: readonly string[] = [];

  constructor(private readonly source: StreamingSourceNode, columns: KafkaSourceColumns = KAFKA_BINARY_COLUMNS) {
    this.output = source.schema.map((f, i) => (source.format === 'kafka' && kafkaColumnForm(columns, i) === 'text' ? { ...f, type: 'string' } : f));
  }

  execute(inputs: ReadonlyArray<readonly Row[]>, _ctx: OperatorContext): Row[] {
    return [...(inputs[this.source.index] ?? [])];
  }
}
