import { typeName, type DataType } from '../core/types.js';
import { childrenOf } from '../expressions/binder.js';
import type { Expr } from '../expressions/expr.js';
import { planChildren, type EventTimeWatermarkNode, type JoinType, type LogicalPlan } from './logical-plan.js';

/*
 * A logical plan drawn as Spark's `treeString` draws it: what an AnalysisException's message
 * carries after `;` and a newline.
 */

function exprText(e: Expr): string {
  switch (e.kind) {
    case 'column': return e.qualifier === undefined ? e.name : `${e.qualifier}.${e.name}`;
    case 'literal': return String(e.value);
    case 'alias': return `${exprText(e.child)} AS ${e.name}`;
    case 'call': return `${e.name}(${e.args.map(exprText).join(', ')})`;
    case 'star': return '*';
    default: return childrenOf(e).map(exprText).join(` ${e.kind} `);
  }
}

function nodeLine(plan: LogicalPlan): string {
  switch (plan.node) {
    case 'StreamingSource': return `StreamingRelation ${plan.format}, [${plan.schema.map((f) => f.name).join(', ')}]`;
    case 'Project': return `Project [${plan.exprs.map(exprText).join(', ')}]`;
    case 'Filter': return `Filter ${exprText(plan.condition)}`;
    case 'Aggregate': return `Aggregate [${plan.grouping.map(exprText).join(', ')}], [${[...plan.grouping, ...plan.aggregates].map(exprText).join(', ')}]`;
    case 'Sort': return `Sort [${plan.orders.map(exprText).join(', ')}], true`;
    case 'Limit': return `GlobalLimit ${plan.limit}`;
    case 'Union': return 'Union false, false';
    case 'Deduplicate': return `${plan.withinWatermark === true ? 'DeduplicateWithinWatermark' : 'Deduplicate'} [${plan.keys.join(', ')}]`;
    case 'SubqueryAlias': return `SubqueryAlias ${plan.alias}`;
    case 'EventTimeWatermark': return `EventTimeWatermark ${plan.column}, ${plan.delay}`;
    case 'LocalRelation': return `Relation [${plan.schema.map((f) => f.name).join(',')}] ${plan.description}`;
    case 'Join': return `Join ${JOIN_NAMES[plan.joinType]}${plan.condition === undefined ? '' : `, ${exprText(plan.condition)}`}`;
  }
}

/** The plan as Spark's `treeString` draws it (after the message of an AnalysisException). */
export function treeString(plan: LogicalPlan, depth = 0): string {
  return drawTree(plan, depth, nodeLine(plan));
}

/**
 * A watermark node's tree with its event-time column's resolved type on its line, as Spark's
 * analyzed EventTimeWatermark prints its attribute (`value#2: int`): the plan of the
 * EVENT_TIME_IS_NOT_ON_TIMESTAMP_TYPE error.
 */
export function watermarkTreeString(plan: EventTimeWatermarkNode, eventTimeType: DataType): string {
  return drawTree(plan, 0, `EventTimeWatermark ${plan.column}: ${typeName(eventTimeType)}, ${plan.delay}`);
}

function drawTree(plan: LogicalPlan, depth: number, line: string): string {
  const lines = [`${depth === 0 ? '' : `${'   '.repeat(depth - 1)}+- `}${line}`];
  for (const child of planChildren(plan)) lines.push(treeString(child, depth + 1));
  return lines.join('\n');
}

/** Spark's JoinType names (`LeftOuter`), as plans and messages print them. */
export const JOIN_NAMES: Readonly<Record<JoinType, string>> = {
  inner: 'Inner', cross: 'Cross', left_outer: 'LeftOuter', right_outer: 'RightOuter', full_outer: 'FullOuter', left_semi: 'LeftSemi', left_anti: 'LeftAnti',
};

