import { AnalysisException } from '../errors/analysis-exception.js';
import type { LogicalPlan } from './logical-plan.js';
import type { QueryPlan } from './query-plan.js';

/** One line per node, indented as Spark's `treeString`. */
export function treeString(plan: LogicalPlan): string {
  switch (plan.node) {
    case 'StreamingSource':
      return `StreamingRelation ${plan.format}, [${plan.schema.map((f) => f.name).join(', ')}]`;
  }
}

function hasAggregation(plan: LogicalPlan): boolean {
  switch (plan.node) {
    case 'StreamingSource':
      return false;
  }
}

function fail(message: string, plan: LogicalPlan): never {
  // Spark's AnalysisException.getMessage: the message, ';', newline, the plan tree.
  throw new AnalysisException(`${message};\n${treeString(plan)}`);
}

/**
 * Spark's UnsupportedOperationChecker.checkForStreaming: rejects, before the first batch,
 * what a streaming query cannot do in its output mode, with Spark's message text.
 */
export function validatePlan(query: QueryPlan): void {
  const root = query.root;
  if (query.outputMode === 'complete' && !hasAggregation(root)) {
    fail('Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets', root);
  }
}
