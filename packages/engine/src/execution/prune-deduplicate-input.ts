import { childrenOf, resolveColumn, type ScopeField } from '../expressions/binder.js';
import type { Expr } from '../expressions/expr.js';
import { compilePlan } from '../operators/compile-plan.js';
import { positional, references } from '../plan/expr-references.js';
import { withChildren, type LogicalPlan } from '../plan/logical-plan.js';

/*
 * Spark's ColumnPruning (Optimizer.scala), for a projection over a streaming dropDuplicates: the
 * deduplication's input keeps only the columns its keys and the projection read
 * (`prunedChild(child, required)`). What it changes in a streaming query: an event-time column
 * nothing reads above it (e.g. an aggregation's window once a `window_time` of it is the key) is
 * not the deduplication's input, so it neither counts as a second event-time column
 * (WatermarkSupport.findEventTimeColumn) nor filters late rows. The rest of ColumnPruning changes
 * no answer and is not reproduced.
 */

function hasOrdinalRef(e: Expr): boolean {
  return (e.kind === 'column' && e.ordinal !== undefined) || childrenOf(e).some(hasOrdinalRef);
}

class DeduplicateInputPruning {
  constructor(private readonly timeZone: string, private readonly conf: Readonly<Record<string, string>> | undefined) {}

  private output(plan: LogicalPlan): readonly ScopeField[] {
    return compilePlan(plan, this.timeZone, this.conf).output;
  }

  optimize(plan: LogicalPlan): LogicalPlan {
    const p = withChildren(plan, (c) => this.optimize(c));
    if (p.node !== 'Project' || p.child.node !== 'Deduplicate' || p.child.keys.length === 0) return p;
    const dedup = p.child;
    // A reference by position would name another column once some are gone.
    if (p.exprs.some(hasOrdinalRef)) return p;
    const fields = this.output(dedup.child);
    const required = new Set<number>();
    for (const e of p.exprs) {
      const refs = references(e, fields);
      if (refs === null) return p;
      for (const i of refs) required.add(i);
    }
    try {
      for (const k of dedup.keys) required.add(resolveColumn(k, undefined, { fields, timeZone: this.timeZone }));
    } catch {
      return p;
    }
    if (required.size === fields.length) return p;
    const kept = fields.map((_, i) => i).filter((i) => required.has(i));
    const exprs = kept.map((i) => positional(fields)(i) as Expr);
    return { ...p, child: { ...dedup, child: { node: 'Project', exprs, child: dedup.child } } };
  }
}

/** The plan with every projected dropDuplicates reading only the columns needed above it. */
export function pruneDeduplicateInput(plan: LogicalPlan, timeZone: string, conf?: Readonly<Record<string, string>>): LogicalPlan {
  return new DeduplicateInputPruning(timeZone, conf).optimize(plan);
}
