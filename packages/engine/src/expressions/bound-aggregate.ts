import type { DataType, Row, Value } from '../core/types.js';
import type { EvalContext } from './bound.js';

/**
 * Spark's declarative aggregates over a serialisable buffer (so buffers can live in a state
 * store): the buffer starts at `init`, takes rows with `update`, and `result` gives the value.
 */
export interface BoundAggregate {
  readonly sql: string;
  readonly type: DataType;
  readonly nullable: boolean;
  init(): Value;
  update(buffer: Value, row: Row, ctx: EvalContext): Value;
  /** Combines two buffers (session windows merge their sessions' buffers). */
  merge(a: Value, b: Value): Value;
  result(buffer: Value): Value;
}
