import type { LogicalPlan } from '../plan/logical-plan.js';
import { pruneDeduplicateInput } from './prune-deduplicate-input.js';
import { pushDownPredicates } from './push-down-predicates.js';

/**
 * The plan a streaming query runs: the analysed plan rewritten by the rules of Spark's optimizer
 * that change what a streaming query does (where rows meet a watermark, what a stateful operator
 * sees as its input). Validation runs on the analysed plan, as Spark's UnsupportedOperationChecker
 * does; execution and its checks on this one.
 */
export function optimizePlan(plan: LogicalPlan, timeZone: string, conf?: Readonly<Record<string, string>>): LogicalPlan {
  return pruneDeduplicateInput(pushDownPredicates(plan, timeZone, conf), timeZone, conf);
}
