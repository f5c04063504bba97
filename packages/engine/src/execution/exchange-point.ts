import { isStreamingPlan, planChildren, type LogicalPlan } from '../plan/logical-plan.js';

/** Where a query is cut into a map and a reduce stage (staged-query.ts). */
export interface ExchangePoint {
  /** The nodes whose output crosses the exchange, with their side (the reduce stage's input index). */
  readonly sides: ReadonlyMap<LogicalPlan, number>;
  readonly sideCount: number;
  /** The stateful operator reading the sides; absent when the cut is above the sources. */
  readonly stateful?: LogicalPlan;
  /**
   * Whether the plan allows K > 1 tasks (the operator must also have keys: its `splittable`):
   * the one stateful operator is not a limit, and no sort or limit above it needs all its rows.
   */
  readonly splittable: boolean;
}

/** A node that keeps state across batches (compilePlan gives each an operator id). */
function isStateful(p: LogicalPlan): boolean {
  switch (p.node) {
    case 'Aggregate': case 'Limit': return isStreamingPlan(p.child);
    case 'Join': return isStreamingPlan(p.left) && isStreamingPlan(p.right);
    case 'Deduplicate': return true;
    default: return false;
  }
}

/** The indexes of the streaming sources under a node. */
export function sourcesOf(p: LogicalPlan): number[] {
  return p.node === 'StreamingSource' ? [p.index] : planChildren(p).flatMap(sourcesOf);
}

/** The paths from `p` to its stateful nodes (each path: the ancestors, then the node). */
function statefulPaths(p: LogicalPlan, above: readonly LogicalPlan[] = []): LogicalPlan[][] {
  const own = isStateful(p) ? [[...above, p]] : [];
  return [...own, ...planChildren(p).flatMap((c) => statefulPaths(c, [...above, p]))];
}

/**
 * Spark puts a shuffle before a stateful operator. With no stateful operator there is no
 * exchange (null): a source task runs the whole plan. With one, the exchange sits on its inputs
 * (a join's left is side 0, right side 1). With more, or when a source does not reach the
 * operator (a union above it), the exchange sits directly above the sources, each source its
 * own side, and the query runs as one task.
 */
export function findExchange(root: LogicalPlan): ExchangePoint | null {
  const paths = statefulPaths(root);
  if (paths.length === 0) return null;
  const path = paths.length === 1 ? paths[0] : undefined;
  const stateful = path?.[path.length - 1];
  if (path !== undefined && stateful !== undefined) {
    const inputs = stateful.node === 'Join' ? [stateful.left, stateful.right] : planChildren(stateful);
    const reached = inputs.flatMap(sourcesOf);
    const all = sourcesOf(root);
    if (reached.length === all.length && new Set(reached).size === reached.length) {
      const globalAbove = path.slice(0, -1).some((p) => p.node === 'Sort' || p.node === 'Limit');
      return {
        sides: new Map(inputs.map((input, side) => [input, side])),
        sideCount: inputs.length,
        stateful,
        splittable: stateful.node !== 'Limit' && !globalAbove,
      };
    }
  }
  const sources = new Map<LogicalPlan, number>();
  const collect = (p: LogicalPlan): void => {
    if (p.node === 'StreamingSource') sources.set(p, p.index);
    planChildren(p).forEach(collect);
  };
  collect(root);
  return { sides: sources, sideCount: Math.max(0, ...sourcesOf(root).map((i) => i + 1)), splittable: false };
}
