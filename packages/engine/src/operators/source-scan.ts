import type { Row } from '../core/types.js';
import type { ScopeField } from '../expressions/binder.js';
import type { StreamingSourceNode } from '../plan/logical-plan.js';
import type { OperatorContext, PhysicalOperator } from './operator.js';

/** Reads the batch's rows of one source. */
export class SourceScanOperator implements PhysicalOperator {
  readonly output: readonly ScopeField[];
  readonly statefulIds: readonly string[] = [];

  constructor(private readonly source: StreamingSourceNode) {
    this.output = source.schema;
  }

  execute(inputs: ReadonlyArray<readonly Row[]>, _ctx: OperatorContext): Row[] {
    return [...(inputs[this.source.index] ?? [])];
  }
}
