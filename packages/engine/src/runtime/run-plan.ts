import type { Row } from '../api/types.js';
import type { LogicalPlan } from '../plan/logical-plan.js';

/**
 * Runs a plan over one batch of input rows (one array per source index) and returns the
 * batch's result rows.
 */
export function runPlan(plan: LogicalPlan, inputs: ReadonlyArray<readonly Row[]>): Row[] {
  switch (plan.node) {
    case 'StreamingSource':
      return [...(inputs[plan.index] ?? [])];
  }
}
