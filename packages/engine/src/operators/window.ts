import type { Row, Value } from '../core/types.js';
import { bindExpr, childrenOf, windowKey, type Scope, type ScopeField } from '../expressions/binder.js';
import type { Expr } from '../expressions/expr.js';
import { bindWindowExpression, windowOrder, type BoundWindow } from '../expressions/window-functions.js';
import type { OperatorContext } from './operator.js';
import { byPartition, compareKeys, partitionOf } from './shuffle-order.js';

/** One window expression of a projection, under the name Spark's checker reports it by. */
export interface WindowOccurrence {
  readonly window: BoundWindow;
  /** The alias, the expression's SQL when it stands alone, else Spark's internal `_we<n>`. */
  readonly name: string;
}

/**
 * ExtractWindowExpressions' buffer: the window expressions of a projection in order, an aliased
 * or lone one under its name, one inside a larger expression under `_we<n>`.
 */
function extractWindows(exprs: readonly Expr[]): Array<{ expr: Extract<Expr, { kind: 'window' }>; alias: string | undefined }> {
  const found: Array<{ expr: Extract<Expr, { kind: 'window' }>; alias: string | undefined }> = [];
  const nested = (e: Expr): void => {
    if (e.kind === 'window') found.push({ expr: e, alias: `_we${found.length}` });
    else childrenOf(e).forEach(nested);
  };
  for (const e of exprs) {
    if (e.kind === 'alias' && e.child.kind === 'window') found.push({ expr: e.child, alias: e.name });
    else if (e.kind === 'window') found.push({ expr: e, alias: undefined });
    else nested(e);
  }
  return found;
}

/**
 * Spark's Window operators under a projection with window functions (each group of windows
 * with one partitioning and ordering is a WindowExec, stacked in the order the groups first
 * appear): every input row gets the windows' values as extra columns. Rows come out as the
 * last WindowExec leaves them: clustered by the shuffle partition of the partition keys (one
 * partition without keys), each partition sorted by the keys, then the window order.
 */
export class WindowStage {
  /** The extra columns, named by their window expression's SQL. */
  readonly fields: readonly ScopeField[];
  /** Each distinct window expression (windowKey) → its column in the extended row. */
  readonly slots: ReadonlyMap<string, number>;
  readonly occurrences: readonly WindowOccurrence[];
  /** Occurrences grouped per Window operator, bottom first. */
  readonly groups: ReadonlyArray<readonly WindowOccurrence[]>;
  private readonly distinct: ReadonlyArray<{ window: BoundWindow; slot: number }>;
  private readonly width: number;

  constructor(exprs: readonly Expr[], input: Scope) {
    this.width = input.fields.length;
    const slots = new Map<string, number>();
    const fields: ScopeField[] = [];
    const distinct: Array<{ window: BoundWindow; slot: number }> = [];
    this.occurrences = extractWindows(exprs).map(({ expr, alias }) => {
      const window = bindWindowExpression(expr, (e) => bindExpr(e, input), input.timeZone);
      const key = windowKey(expr);
      if (!slots.has(key)) {
        slots.set(key, this.width + fields.length);
        distinct.push({ window, slot: this.width + fields.length });
        fields.push({ name: window.sql, type: window.type, nullable: window.nullable });
      }
      return { window, name: alias ?? window.sql };
    });
    this.fields = fields;
    this.slots = slots;
    this.distinct = distinct;
    const byGroup = new Map<string, WindowOccurrence[]>();
    for (const o of this.occurrences) byGroup.set(o.window.groupKey, [...(byGroup.get(o.window.groupKey) ?? []), o]);
    this.groups = [...byGroup.values()];
  }

  /** The rows with the windows' values appended (extended rows), in Spark's output order. */
  run(rows: readonly Row[], ctx: OperatorContext): Row[] {
    let current: Value[][] = rows.map((r) => [...r, ...this.fields.map(() => null)]);
    for (const group of this.groups) {
      const first = group[0]?.window;
      if (first === undefined) continue;
      const keyTypes = first.partitionBy.map((p) => p.type);
      // Without partition keys a Window needs all rows in one partition (AllTuples).
      const partitions = keyTypes.length === 0 ? 1 : ctx.shufflePartitions;
      const order = windowOrder(first.orderBy, ctx);
      const keyed = current.map((row) => ({ row, key: first.partitionBy.map((p) => p.eval(row, ctx)) }));
      const sorted = byPartition(keyed, (k) => partitionOf(k.key, keyTypes, partitions), (a, b) => compareKeys(a.key, b.key) || order(a.row, b.row));
      const windows = this.distinct.filter((d) => d.window.groupKey === first.groupKey);
      for (let i = 0; i < sorted.length;) {
        let j = i + 1;
        while (j < sorted.length && compareKeys(sorted[i]?.key ?? [], sorted[j]?.key ?? []) === 0) j++;
        const part = sorted.slice(i, j).map((k) => k.row);
        for (const { window, slot } of windows) {
          const values = window.evaluate(part, ctx);
          part.forEach((row, r) => { row[slot] = values[r] ?? null; });
        }
        i = j;
      }
      current = sorted.map((k) => k.row);
    }
    return current;
  }
}
