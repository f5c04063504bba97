import type { Row } from '../core/types.js';
import { bindExpr, type ScopeField, type BindSettings } from '../expressions/binder.js';
import type { Bound } from '../expressions/bound.js';
import { compareValues } from '../expressions/compare.js';
import type { Expr } from '../expressions/expr.js';
import type { OperatorContext, PhysicalOperator } from './operator.js';

/** Spark's Sort: stable, by each order in turn; NULLs first ascending, last descending by default. */
export class SortOperator implements PhysicalOperator {
  private readonly keys: Bound[];

  constructor(private readonly child: PhysicalOperator, orders: readonly Expr[], settings: BindSettings) {
    this.keys = orders.map((o) => bindExpr(o.kind === 'sortOrder' ? o : { kind: 'sortOrder', child: o, direction: 'asc', nulls: 'first' }, { fields: child.output, ...settings }));
  }

  get output(): readonly ScopeField[] {
    return this.child.output;
  }

  get statefulIds(): readonly string[] {
    return this.child.statefulIds;
  }

  execute(inputs: ReadonlyArray<readonly Row[]>, ctx: OperatorContext): Row[] {
    const rows = this.child.execute(inputs, ctx);
    const keyed = rows.map((row) => ({ row, keys: this.keys.map((k) => k.eval(row, ctx)) }));
    keyed.sort((a, b) => {
      for (let i = 0; i < this.keys.length; i++) {
        const order = this.keys[i]?.sortOrder;
        const x = a.keys[i] ?? null;
        const y = b.keys[i] ?? null;
        if (x === null || y === null) {
          if (x === y) continue;
          return (x === null) === (order?.nulls === 'first') ? -1 : 1;
        }
        const c = compareValues(x, y);
        if (c !== 0) return order?.direction === 'desc' ? -c : c;
      }
      return 0;
    });
    return keyed.map((k) => k.row);
  }
}
