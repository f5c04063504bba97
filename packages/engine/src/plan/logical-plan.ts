import type { Schema } from '../api/types.js';

/**
 * Logical plan nodes. A plan is plain data so it serialises to JSON without loss: that JSON is
 * what the services exchange and run.
 */

/** A streaming source: rows arrive through the source topic `index` of the query. */
export interface StreamingSourceNode {
  readonly node: 'StreamingSource';
  /** Position of this source among the query's sources; names its Kafka topic. */
  readonly index: number;
  /** `socket`, and later `json`, `csv`, `text`, `kafka`, `rate`. */
  readonly format: string;
  readonly options: Readonly<Record<string, string>>;
  readonly schema: Schema;
}

export type LogicalPlan = StreamingSourceNode;

/** Output schema of a plan node. */
export function outputSchema(plan: LogicalPlan): Schema {
  switch (plan.node) {
    case 'StreamingSource':
      return plan.schema;
  }
}

/** All streaming sources in a plan, in index order. */
export function streamingSources(plan: LogicalPlan): StreamingSourceNode[] {
  switch (plan.node) {
    case 'StreamingSource':
      return [plan];
  }
}
