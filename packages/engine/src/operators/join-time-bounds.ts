import type { Expr } from '../expressions/expr.js';
import type { ScopeField } from '../expressions/binder.js';

/**
 * What a stream-stream join condition says about the two sides' event times (Spark's
 * StreamingJoinHelper): bounds on `leftTime − rightTime` in microseconds, from conjuncts like
 * `leftTime >= rightTime`, `leftTime <= rightTime + interval 1 hour`, `BETWEEN`, or an equality
 * of the two times (the watermark in the join keys).
 */
export interface TimeBounds {
  /** leftTime − rightTime >= lower (null: unbounded). */
  readonly lower: number | null;
  /** leftTime − rightTime <= upper (null: unbounded). */
  readonly upper: number | null;
  /** The time columns the bounds are about. */
  readonly leftColumn: string | null;
  readonly rightColumn: string | null;
}

type Side = 'left' | 'right';

interface Linear {
  readonly side: Side;
  readonly column: string;
  readonly offset: number;
}

function conjuncts(e: Expr): Expr[] {
  if (e.kind === 'binary' && e.op === 'and') return [...conjuncts(e.left), ...conjuncts(e.right)];
  if (e.kind === 'between' && !e.negated) {
    return [
      { kind: 'binary', op: '>=', left: e.child, right: e.low },
      { kind: 'binary', op: '<=', left: e.child, right: e.high },
    ];
  }
  return [e];
}

function sideOf(e: Expr, left: readonly ScopeField[], right: readonly ScopeField[]): Side | null {
  if (e.kind !== 'column') return null;
  const match = (fields: readonly ScopeField[]): boolean =>
    fields.some((f) => f.type === 'timestamp' && f.name.toLowerCase() === e.name.toLowerCase()
      && (e.qualifier === undefined || f.qualifier?.toLowerCase() === e.qualifier.toLowerCase()));
  if (match(left)) return 'left';
  if (match(right)) return 'right';
  return null;
}

/** `time`, `time + interval`, `time - interval`, as (side, offset µs). */
function linear(e: Expr, left: readonly ScopeField[], right: readonly ScopeField[]): Linear | null {
  const direct = sideOf(e, left, right);
  if (direct !== null && e.kind === 'column') return { side: direct, column: e.name, offset: 0 };
  if (e.kind === 'binary' && (e.op === '+' || e.op === '-') && e.right.kind === 'literal' && e.right.type === 'interval') {
    const base = linear(e.left, left, right);
    const d = Number(e.right.value) * (e.op === '-' ? -1 : 1);
    return base === null ? null : { ...base, offset: base.offset + d };
  }
  if (e.kind === 'binary' && e.op === '+' && e.left.kind === 'literal' && e.left.type === 'interval') {
    const base = linear(e.right, left, right);
    return base === null ? null : { ...base, offset: base.offset + Number(e.left.value) };
  }
  return null;
}

export function timeBounds(condition: Expr | undefined, left: readonly ScopeField[], right: readonly ScopeField[]): TimeBounds {
  let lower: number | null = null;
  let upper: number | null = null;
  let leftColumn: string | null = null;
  let rightColumn: string | null = null;
  const tighten = (lo: number | null, hi: number | null): void => {
    if (lo !== null) lower = lower === null ? lo : Math.max(lower, lo);
    if (hi !== null) upper = upper === null ? hi : Math.min(upper, hi);
  };
  for (const c of condition === undefined ? [] : conjuncts(condition)) {
    if (c.kind !== 'binary' || !['=', '<', '<=', '>', '>='].includes(c.op)) continue;
    const a = linear(c.left, left, right);
    const b = linear(c.right, left, right);
    if (a === null || b === null || a.side === b.side) continue;
    leftColumn = a.side === 'left' ? a.column : b.column;
    rightColumn = a.side === 'right' ? a.column : b.column;
    // a.time + a.offset  op  b.time + b.offset, rewritten as leftTime − rightTime op k.
    const flip = a.side === 'right';
    const k = flip ? a.offset - b.offset : b.offset - a.offset;
    const op = flip ? ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=' } as const)[c.op as '<' | '<=' | '>' | '>=' | '='] : c.op;
    if (op === '=') tighten(k, k);
    else if (op === '>=' || op === '>') tighten(k, null);
    else tighten(null, k);
  }
  return { lower, upper, leftColumn, rightColumn };
}
