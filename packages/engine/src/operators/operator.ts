import type { Row } from '../api/types.js';
import type { ScopeField } from '../expressions/binder.js';
import type { EvalContext } from '../expressions/bound.js';
import type { OutputMode } from '../plan/query-plan.js';
import type { StateStoreProvider } from '../state/state-store.js';

/** What a batch gives every operator: its time, the output mode, and the state stores. */
export interface OperatorContext extends EvalContext {
  readonly batchId: number;
  readonly outputMode: OutputMode;
  readonly stores: StateStoreProvider;
}

/**
 * A compiled plan node: its output columns, and how it turns one batch of input rows (one
 * array per source) into its output rows. Pure: no I/O, no clock; state only through the
 * context's stores.
 */
export interface PhysicalOperator {
  readonly output: readonly ScopeField[];
  execute(inputs: ReadonlyArray<readonly Row[]>, ctx: OperatorContext): Row[];
  /** The operator ids of the stateful operators in this subtree. */
  readonly statefulIds: readonly string[];
}
