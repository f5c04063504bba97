import { childrenOf, resolveColumn, type ScopeField } from '../expressions/binder.js';
import type { Expr } from '../expressions/expr.js';

/*
 * What the optimizer rules (push-down-predicates.ts, prune-deduplicate-input.ts) need to know of
 * an unresolved expression: which input columns it reads, resolved as the binder resolves them.
 */

/** A column reference resolved as the binder resolves it: an input column, or a field of a struct one (`w.start`). */
export interface Ref {
  readonly ordinal: number;
  readonly field?: string;
}

export function resolveRef(e: Extract<Expr, { kind: 'column' }>, fields: readonly ScopeField[]): Ref | null {
  if (e.qualifier !== undefined && !fields.some((f) => f.qualifier?.toLowerCase() === e.qualifier?.toLowerCase())) {
    const i = fields.findIndex((f) => f.name.toLowerCase() === e.qualifier?.toLowerCase());
    const base = fields[i];
    if (base !== undefined && typeof base.type !== 'string' && base.type.kind === 'struct') return { ordinal: i, field: e.name };
  }
  const byPosition = e.ordinal === undefined ? undefined : fields[e.ordinal];
  if (e.ordinal !== undefined && byPosition?.name.toLowerCase() === e.name.toLowerCase()) return { ordinal: e.ordinal };
  try {
    return { ordinal: resolveColumn(e.name, e.qualifier, { fields, timeZone: 'UTC' }) };
  } catch {
    return null;
  }
}

/** The ordinals a predicate reads, or null when one of its columns does not resolve. */
export function references(e: Expr, fields: readonly ScopeField[]): Set<number> | null {
  const out = new Set<number>();
  const visit = (x: Expr): boolean => {
    if (x.kind === 'star') return false;
    if (x.kind !== 'column') return childrenOf(x).every(visit);
    const r = resolveRef(x, fields);
    if (r !== null) out.add(r.ordinal);
    return r !== null;
  };
  return visit(e) ? out : null;
}

/** Column `i` of `fields`, referenced by position (the binder takes the ordinal when the name matches). */
export function positional(fields: readonly ScopeField[]): (i: number) => Expr | null {
  return (i) => {
    const f = fields[i];
    return f === undefined ? null : { kind: 'column', name: f.name, ordinal: i };
  };
}

