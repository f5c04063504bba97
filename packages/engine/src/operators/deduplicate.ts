import type { Row } from '../api/types.js';
import { resolveColumn, type ScopeField } from '../expressions/binder.js';
import type { OperatorContext, PhysicalOperator } from './operator.js';

/** Spark's streaming dropDuplicates: the first row of each key ever seen, keys kept in state. */
export class DeduplicateOperator implements PhysicalOperator {
  private readonly ordinals: number[];

  constructor(private readonly child: PhysicalOperator, keys: readonly string[], timeZone: string, readonly operatorId: string) {
    this.ordinals = keys.length === 0
      ? child.output.map((_, i) => i)
      : keys.map((k) => resolveColumn(k, undefined, { fields: child.output, timeZone }));
  }

  get output(): readonly ScopeField[] {
    return this.child.output;
  }

  get statefulIds(): readonly string[] {
    return [...this.child.statefulIds, this.operatorId];
  }

  execute(inputs: ReadonlyArray<readonly Row[]>, ctx: OperatorContext): Row[] {
    const store = ctx.stores(this.operatorId);
    const out: Row[] = [];
    for (const row of this.child.execute(inputs, ctx)) {
      const key = JSON.stringify(this.ordinals.map((i) => row[i] ?? null));
      if (store.get(key) !== undefined) continue;
      store.put(key, true);
      out.push(row);
    }
    return out;
  }
}
