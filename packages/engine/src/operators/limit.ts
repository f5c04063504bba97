import type { Row } from '../core/types.js';
import type { ScopeField } from '../expressions/binder.js';
import type { OperatorContext, PhysicalOperator } from './operator.js';

/** How Spark plans a limit (SparkStrategies' StreamingGlobalLimitStrategy). */
export interface LimitPlanning {
  /** The limit's child is a streaming subplan. */
  readonly streaming: boolean;
  /** The child contains a streaming aggregation. */
  readonly streamingAggBelow: boolean;
}

/**
 * Spark's streaming limit. A limit whose child "generates streaming appends" (a streaming
 * child in append mode, or in complete mode with no streaming aggregation below it) is a
 * StreamingGlobalLimitExec: it counts the rows it let through over the whole stream in its
 * state and stops at N. Any other limit — over a static subplan (SPARK-30657), or over a
 * streaming aggregation in complete mode (SPARK-30658) — is a plain batch limit: the first N
 * rows of each batch's result.
 */
export class LimitOperator implements PhysicalOperator {
  constructor(
    private readonly child: PhysicalOperator,
    private readonly limit: number,
    readonly operatorId: string,
    private readonly planning: LimitPlanning = { streaming: true, streamingAggBelow: false },
  ) {}

  get output(): readonly ScopeField[] {
    return this.child.output;
  }

  get statefulIds(): readonly string[] {
    return this.planning.streaming ? [...this.child.statefulIds, this.operatorId] : this.child.statefulIds;
  }

  execute(inputs: ReadonlyArray<readonly Row[]>, ctx: OperatorContext): Row[] {
    const rows = this.child.execute(inputs, ctx);
    const generatesAppends = this.planning.streaming
      && (ctx.outputMode === 'append' || (ctx.outputMode === 'complete' && !this.planning.streamingAggBelow));
    if (!generatesAppends) return rows.slice(0, this.limit);
    const store = ctx.stores(this.operatorId);
    const emitted = Number(store.get('count') ?? 0);
    const take = rows.slice(0, Math.max(0, this.limit - emitted));
    if (take.length > 0) store.put('count', emitted + take.length);
    return take;
  }
}
