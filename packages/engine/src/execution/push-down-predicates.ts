import { sameType } from '../core/types.js';
import { resolveColumn, type ScopeField } from '../expressions/binder.js';
import type { Expr } from '../expressions/expr.js';
import { compilePlan } from '../operators/compile-plan.js';
import { expandStars } from '../operators/project.js';
import { and, isDeterministic, positional, references, some, splitConjuncts, substitute } from '../plan/expr-references.js';
import { withChildren, type JoinNode, type JoinType, type LogicalPlan } from '../plan/logical-plan.js';

/*
 * Spark's predicate pushdown (Optimizer.scala: PushPredicateThroughNonJoin and the join-condition
 * case of PushPredicateThroughJoin), for what it changes in a streaming query: a filter below a
 * `withWatermark` keeps the rows it removes from the watermark, and a join condition on one side
 * filters that side before the join (and before its watermark). Part of optimizer.ts; the rows a
 * query returns are the same either way.
 *
 * Filters move down through:
 * - another, deterministic, Filter (CombineFilters: `below AND above`, then pushed as one);
 * - SubqueryAlias (eliminated by Spark's optimizer) and, conjunct by conjunct, Project (every
 *   expression deterministic; a conjunct goes down with the aliases replaced by what they name,
 *   unless that brings a generator or a time window into it);
 * - EventTimeWatermark: the deterministic conjuncts that do not read the event-time column;
 * - Union: the deterministic conjuncts, into every child.
 * - Join (not a using-join): see pushIntoJoin.
 * A join's condition gives its one-side conjuncts to that side as a Filter: both sides of an
 * inner, cross or left semi join, the right of a left outer or left anti join, the left of a right
 * outer join, none of a full outer join. Spark's pushdown through an Aggregate, and its
 * EliminateOuterJoin, are not reproduced.
 */

/** Calls whose column is not one value per input row (Generate, Expand, session windows). */
const MULTI_ROW = new Set([
  'explode', 'explode_outer', 'posexplode', 'posexplode_outer', 'inline', 'inline_outer', 'stack', 'json_tuple',
  'window', 'session_window',
]);

function hasMultiRowCall(e: Expr): boolean {
  return some(e, (x) => x.kind === 'call' && MULTI_ROW.has(x.name));
}

function stripAlias(e: Expr): Expr {
  return e.kind === 'alias' ? stripAlias(e.child) : e;
}

class PredicatePushdown {
  constructor(private readonly timeZone: string, private readonly conf: Readonly<Record<string, string>> | undefined) {}

  private output(plan: LogicalPlan): readonly ScopeField[] {
    return compilePlan(plan, this.timeZone, this.conf).output;
  }

  /** The plan with every Filter and join condition pushed as far down as the rules allow. */
  optimize(plan: LogicalPlan): LogicalPlan {
    const p = withChildren(plan, (c) => this.optimize(c));
    if (p.node === 'Filter') return this.push(p.condition, p.child);
    if (p.node === 'Join') return this.pushJoinCondition(p);
    return p;
  }

  /** `Filter(condition, child)`, its conjuncts moved below `child` where a rule lets them. */
  private push(condition: Expr, child: LogicalPlan): LogicalPlan {
    const keep = (conds: readonly Expr[], below: LogicalPlan): LogicalPlan =>
      (conds.length === 0 ? below : { node: 'Filter', condition: and(conds), child: below });
    switch (child.node) {
      case 'Filter': {
        // CombineFilters: below a deterministic filter, this one's deterministic conjuncts join it
        // (those it already has once); the others stay above.
        if (!isDeterministic(child.condition)) return keep([condition], child);
        const below = splitConjuncts(child.condition);
        const seen = new Set(below.map((c) => JSON.stringify(c)));
        const merged = splitConjuncts(condition).filter((c) => isDeterministic(c) && !seen.has(JSON.stringify(c)));
        return keep(splitConjuncts(condition).filter((c) => !isDeterministic(c)), this.push(and([...below, ...merged]), child.child));
      }
      case 'SubqueryAlias': {
        const moved = substitute(condition, this.output(child), positional(this.output(child.child)));
        return moved === null ? keep([condition], child) : { ...child, child: this.push(moved, child.child) };
      }
      case 'Project': {
        const input = this.output(child.child);
        const exprs = expandStars(child.exprs, input).map(stripAlias);
        const fields = this.output(child);
        if (fields.length !== exprs.length || !exprs.every(isDeterministic)) return keep([condition], child);
        const down: Expr[] = [];
        const stay: Expr[] = [];
        for (const c of splitConjuncts(condition)) {
          const moved = substitute(c, fields, (i) => exprs[i] ?? null);
          if (moved === null || hasMultiRowCall(moved)) stay.push(c);
          else down.push(moved);
        }
        if (down.length === 0) return keep(stay, child);
        return keep(stay, { ...child, child: this.push(and(down), child.child) });
      }
      case 'EventTimeWatermark': {
        const fields = this.output(child.child);
        let eventTime: number;
        try {
          eventTime = resolveColumn(child.column, undefined, { fields, timeZone: this.timeZone });
        } catch {
          return keep([condition], child);
        }
        const down: Expr[] = [];
        const stay: Expr[] = [];
        for (const c of splitConjuncts(condition)) {
          const refs = references(c, fields);
          if (refs !== null && isDeterministic(c) && !refs.has(eventTime)) down.push(c);
          else stay.push(c);
        }
        if (down.length === 0) return keep(stay, child);
        return keep(stay, { ...child, child: this.push(and(down), child.child) });
      }
      case 'Union': {
        const fields = this.output(child);
        const inputs = child.children.map((c) => this.output(c));
        const down: Expr[] = [];
        const stay: Expr[] = [];
        for (const c of splitConjuncts(condition)) {
          const refs = references(c, fields);
          // Spark widens a union's children by a projection of casts, which the filter then passes;
          // Sluice's Union casts inside, so a conjunct on a column of another type stays above it.
          const sameTypes = refs !== null && [...refs].every((i) => inputs.every((cols) => cols[i] !== undefined && sameType(cols[i].type, fields[i]?.type ?? 'void')));
          if (isDeterministic(c) && sameTypes) down.push(c);
          else stay.push(c);
        }
        if (down.length === 0) return keep(stay, child);
        const children = child.children.map((c, k) => {
          const moved = substitute(and(down), fields, positional(inputs[k] ?? []));
          return moved === null ? keep(down, c) : this.push(moved, c);
        });
        return keep(stay, { ...child, children });
      }
      case 'Join':
        return this.pushIntoJoin(condition, child);
      default:
        return keep([condition], child);
    }
  }

  /**
   * PushPredicateThroughJoin, a Filter over a join: one-side conjuncts go below into that side
   * (both sides of an inner or cross join; the left of a left outer, semi or anti join; the right
   * of a right outer join), an inner join's other conjuncts into its condition (first), the rest
   * stay above. A full outer join, and a using-join (its columns are not the sides' side by side),
   * keep the Filter.
   */
  private pushIntoJoin(condition: Expr, join: JoinNode): LogicalPlan {
    const keep: LogicalPlan = { node: 'Filter', condition, child: join };
    if (join.using !== undefined && join.using.length > 0) return keep;
    const t = join.joinType;
    const inner = t === 'inner' || t === 'cross';
    const leftOnly = inner || t === 'left_outer' || t === 'left_semi' || t === 'left_anti';
    const rightOnly = inner || t === 'right_outer';
    if (!leftOnly && !rightOnly) return keep;
    const leftFields = this.output(join.left);
    const rightFields = this.output(join.right);
    const semi = t === 'left_semi' || t === 'left_anti';
    const fields = semi ? leftFields : [...leftFields, ...rightFields];
    const left: Expr[] = [];
    const right: Expr[] = [];
    const common: Expr[] = [];
    for (const c of splitConjuncts(condition)) {
      const refs = isDeterministic(c) ? references(c, fields) : null;
      const ordinals = refs === null ? null : [...refs];
      if (ordinals !== null && ordinals.every((i) => i < leftFields.length)) left.push(c);
      else if (ordinals !== null && ordinals.every((i) => i >= leftFields.length)) right.push(c);
      else common.push(c);
    }
    const below = (conds: readonly Expr[], plan: LogicalPlan, offset: number, sideFields: readonly ScopeField[]): LogicalPlan | null => {
      if (conds.length === 0) return plan;
      const moved = substitute(and(conds), fields, (i) => positional(sideFields)(i - offset));
      return moved === null ? null : this.push(moved, plan);
    };
    const newLeft = below(leftOnly ? left : [], join.left, 0, leftFields);
    const newRight = below(rightOnly ? right : [], join.right, leftFields.length, rightFields);
    if (newLeft === null || newRight === null) return keep;
    const own = join.condition === undefined ? [] : [join.condition];
    // An inner join takes the other conjuncts into its condition (canEvaluateWithinJoin: all here).
    const conds = inner ? [...common, ...own] : own;
    const stay = [...(leftOnly ? [] : left), ...(rightOnly ? [] : right), ...(inner ? [] : common)];
    const { condition: _own, ...rest } = join;
    const newJoin: LogicalPlan = { ...rest, left: newLeft, right: newRight, ...(conds.length === 0 ? {} : { condition: and(conds) }) };
    return stay.length === 0 ? newJoin : { node: 'Filter', condition: and(stay), child: newJoin };
  }

  /** PushPredicateThroughJoin: the condition's one-side conjuncts become Filters of that side. */
  private pushJoinCondition(join: JoinNode): LogicalPlan {
    if (join.condition === undefined || (join.using !== undefined && join.using.length > 0)) return join;
    const toLeft = PUSH_LEFT.has(join.joinType);
    const toRight = PUSH_RIGHT.has(join.joinType);
    if (!toLeft && !toRight) return join;
    const leftFields = this.output(join.left);
    const rightFields = this.output(join.right);
    const both = [...leftFields, ...rightFields];
    const left: Expr[] = [];
    const right: Expr[] = [];
    const rest: Expr[] = [];
    for (const c of splitConjuncts(join.condition)) {
      const refs = isDeterministic(c) ? references(c, both) : null;
      const ordinals = refs === null ? null : [...refs];
      if (ordinals !== null && toLeft && ordinals.every((i) => i < leftFields.length)) left.push(c);
      else if (ordinals !== null && toRight && ordinals.every((i) => i >= leftFields.length)) right.push(c);
      else rest.push(c);
    }
    const side = (conds: readonly Expr[], plan: LogicalPlan, offset: number, fields: readonly ScopeField[]): LogicalPlan | null => {
      if (conds.length === 0) return plan;
      const moved = substitute(and(conds), both, (i) => positional(fields)(i - offset));
      return moved === null ? null : this.push(moved, plan);
    };
    const newLeft = side(left, join.left, 0, leftFields);
    const newRight = side(right, join.right, leftFields.length, rightFields);
    if (newLeft === null || newRight === null) return join;
    const { condition: _all, ...rest0 } = join;
    return { ...rest0, left: newLeft, right: newRight, ...(rest.length === 0 ? {} : { condition: and(rest) }) };
  }
}

/** Join types whose condition's left-only (right-only) conjuncts Spark pushes into that side. */
const PUSH_LEFT: ReadonlySet<JoinType> = new Set(['inner', 'cross', 'left_semi', 'right_outer']);
const PUSH_RIGHT: ReadonlySet<JoinType> = new Set(['inner', 'cross', 'left_semi', 'left_outer', 'left_anti']);

/** The plan a query runs: its Filters and join conditions pushed down as Spark's optimizer does. */
export function pushDownPredicates(plan: LogicalPlan, timeZone: string, conf?: Readonly<Record<string, string>>): LogicalPlan {
  return new PredicatePushdown(timeZone, conf).optimize(plan);
}
