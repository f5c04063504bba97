import { childrenOf, resolveColumn, type ScopeField } from '../expressions/binder.js';
import type { Expr } from '../expressions/expr.js';

/*
 * What the optimizer rules (push-down-predicates.ts, prune-deduplicate-input.ts) need to know of
 * an unresolved expression and do with it: which input columns it reads (resolved as the binder
 * resolves them), whether it is deterministic, its conjuncts, and its columns replaced.
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

/** Functions a streaming batch evaluates non-deterministically (rand, ids, and the batch time, CurrentBatchTimestamp). */
const NONDETERMINISTIC = new Set([
  'rand', 'randn', 'random', 'uuid', 'shuffle', 'monotonically_increasing_id', 'spark_partition_id', 'input_file_name',
  'current_timestamp', 'now', 'current_date', 'curdate', 'localtimestamp', 'current_time',
]);

/** The children of an expression, and a rebuild with new ones; null for a kind not handled here. */
function mapExpr(e: Expr, f: (child: Expr) => Expr | null): Expr | null {
  const all = (xs: readonly Expr[]): Expr[] | null => {
    const out: Expr[] = [];
    for (const x of xs) {
      const y = f(x);
      if (y === null) return null;
      out.push(y);
    }
    return out;
  };
  switch (e.kind) {
    case 'column': case 'literal': return e;
    case 'star': return null;
    case 'alias': case 'unary': case 'cast': case 'sortOrder': {
      const child = f(e.child);
      return child === null ? null : { ...e, child };
    }
    case 'binary': {
      const xs = all([e.left, e.right]);
      return xs === null ? null : { ...e, left: xs[0] as Expr, right: xs[1] as Expr };
    }
    case 'call': {
      const args = all(e.args);
      return args === null ? null : { ...e, args };
    }
    case 'case': {
      const subject = e.subject === undefined ? undefined : f(e.subject);
      const branches = all(e.branches.flatMap((b) => [b.when, b.then]));
      const otherwise = e.otherwise === undefined ? undefined : f(e.otherwise);
      if (subject === null || branches === null || otherwise === null) return null;
      return {
        kind: 'case',
        ...(subject === undefined ? {} : { subject }),
        branches: e.branches.map((_, i) => ({ when: branches[2 * i] as Expr, then: branches[2 * i + 1] as Expr })),
        ...(otherwise === undefined ? {} : { otherwise }),
      };
    }
    case 'like': {
      const xs = all([e.child, e.pattern]);
      return xs === null ? null : { ...e, child: xs[0] as Expr, pattern: xs[1] as Expr };
    }
    case 'in': {
      const xs = all([e.child, ...e.list]);
      return xs === null ? null : { ...e, child: xs[0] as Expr, list: xs.slice(1) };
    }
    case 'between': {
      const xs = all([e.child, e.low, e.high]);
      return xs === null ? null : { ...e, child: xs[0] as Expr, low: xs[1] as Expr, high: xs[2] as Expr };
    }
    case 'extract': {
      const xs = all([e.child, e.field]);
      return xs === null ? null : { ...e, child: xs[0] as Expr, field: xs[1] as Expr };
    }
    default: return null;
  }
}

export function some(e: Expr, test: (x: Expr) => boolean): boolean {
  return test(e) || childrenOf(e).some((c) => some(c, test));
}

/** Spark's `deterministic`: no call of a non-deterministic function (unix_timestamp() reads the batch time). */
export function isDeterministic(e: Expr): boolean {
  return !some(e, (x) => x.kind === 'call' && (NONDETERMINISTIC.has(x.name) || (x.name === 'unix_timestamp' && x.args.length === 0)));
}

/** `a AND b AND c` as its conjuncts (Spark's splitConjunctivePredicates). */
export function splitConjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'and' ? [...splitConjuncts(e.left), ...splitConjuncts(e.right)] : [e];
}

export function and(es: readonly Expr[]): Expr {
  return es.slice(1).reduce<Expr>((l, r) => ({ kind: 'binary', op: 'and', left: l, right: r }), es[0] as Expr);
}

/**
 * The predicate over a child's columns: every column reference (resolved against `fields`, the
 * node's output) replaced by what the child gives for that output column; null if one does not
 * resolve or has no replacement.
 */
export function substitute(e: Expr, fields: readonly ScopeField[], replacement: (ordinal: number) => Expr | null): Expr | null {
  if (e.kind === 'column') {
    const r = resolveRef(e, fields);
    const base = r === null ? null : replacement(r.ordinal);
    if (r === null || base === null) return null;
    return r.field === undefined ? base : { kind: 'extract', child: base, field: { kind: 'literal', value: r.field, type: 'string' } };
  }
  return mapExpr(e, (c) => substitute(c, fields, replacement));
}
