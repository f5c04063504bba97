import type { Row } from '../api/types.js';
import type { ScopeField } from '../expressions/binder.js';
import type { OperatorContext, PhysicalOperator } from './operator.js';

/**
 * Spark's streaming limit: in complete mode the first N rows of each batch's result; in
 * append mode a global limit (StreamingGlobalLimitExec) that counts the rows emitted so far in
 * its state and stops at N.
 */
export class LimitOperator implements PhysicalOperator {
  constructor(private readonly child: PhysicalOperator, private readonly limit: number, readonly operatorId: string) {}

  get output(): readonly ScopeField[] {
    return this.child.output;
  }

  get statefulIds(): readonly string[] {
    return [...this.child.statefulIds, this.operatorId];
  }

  execute(inputs: ReadonlyArray<readonly Row[]>, ctx: OperatorContext): Row[] {
    const rows = this.child.execute(inputs, ctx);
    if (ctx.outputMode === 'complete') return rows.slice(0, this.limit);
    const store = ctx.stores(this.operatorId);
    const emitted = Number(store.get('count') ?? 0);
    const take = rows.slice(0, Math.max(0, this.limit - emitted));
    if (take.length > 0) store.put('count', emitted + take.length);
    return take;
  }
}
