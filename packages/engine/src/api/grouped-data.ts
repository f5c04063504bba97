import type { Expr } from '../expressions/expr.js';
import type { Column } from './column.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import type { DataFrame } from './data-frame.js';
import { colExpr } from './functions.js';

const AGG_NAMES: Readonly<Record<string, string>> = { avg: 'avg', mean: 'avg', max: 'max', min: 'min', sum: 'sum', count: 'count' };

/**
 * `df.groupBy(...)`: PySpark's GroupedData. Output: the grouping columns, then the aggregates.
 * The frame passes `derive` (a DataFrame of the same session over a new plan), so this module
 * needs DataFrame only as a type and the two do not import each other at run time.
 */
export class GroupedData {
  constructor(
    private readonly df: DataFrame,
    private readonly grouping: readonly Expr[],
    private readonly derive: (plan: LogicalPlan) => DataFrame,
  ) {}

  private aggregate(aggregates: readonly Expr[]): DataFrame {
    return this.derive({ node: 'Aggregate', child: this.df.plan, grouping: this.grouping, aggregates });
  }

  /** `agg(sum("x"), count("*"))` or `agg({ x: "max" })`. */
  agg(...exprs: Array<Column | Readonly<Record<string, string>>>): DataFrame {
    const out: Expr[] = [];
    for (const e of exprs) {
      if ('expr' in e && typeof e.expr === 'object') out.push((e as Column).expr);
      else {
        for (const [name, fn] of Object.entries(e as Readonly<Record<string, string>>)) {
          const f = AGG_NAMES[fn.toLowerCase()] ?? fn.toLowerCase();
          out.push({ kind: 'call', name: f, args: [name === '*' ? { kind: 'star' } : colExpr(name)] });
        }
      }
    }
    return this.aggregate(out);
  }

  /** `count()` names its column `count` (Spark: `count(1) AS count`). */
  count(): DataFrame {
    return this.aggregate([{ kind: 'alias', child: { kind: 'call', name: 'count', args: [{ kind: 'star' }] }, name: 'count' }]);
  }

  private each(fn: string, names: readonly string[]): DataFrame {
    return this.aggregate(names.map((n) => ({ kind: 'call', name: fn, args: [colExpr(n)] })));
  }

  sum(...names: string[]): DataFrame { return this.each('sum', names); }
  avg(...names: string[]): DataFrame { return this.each('avg', names); }
  mean(...names: string[]): DataFrame { return this.each('avg', names); }
  max(...names: string[]): DataFrame { return this.each('max', names); }
  min(...names: string[]): DataFrame { return this.each('min', names); }
}
