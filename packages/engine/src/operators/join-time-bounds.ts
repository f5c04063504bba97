import type { Expr } from '../expressions/expr.js';
import type { ScopeField } from '../expressions/binder.js';

/**
 * One range conjunct of a stream-stream join condition solved for a side's state value
 * watermark (Spark's StreamingJoinHelper.getStateValueWatermark): from `otherTime + a < thisTime
 * + b` the side's rows with `time <= watermark + a − b` can never match again; for `<=` the
 * bound is one millisecond lower.
 */
export interface ValueWatermarkRule {
  /** `a − b` in microseconds. */
  readonly offsetUs: number;
  /** The conjunct was `<=` / `>=` (the state watermark is 1 ms lower). */
  readonly inclusive: boolean;
}

/** Which side a time column is of: the side whose state is bounded, or the watermarked other. */
type Side = 'own' | 'other';

interface Linear {
  readonly side: Side;
  readonly offset: number;
}

/** The conjuncts of a condition (`a AND b`; `x BETWEEN lo AND hi` as `x >= lo`, `x <= hi`). */
export function conjuncts(e: Expr): Expr[] {
  if (e.kind === 'binary' && e.op === 'and') return [...conjuncts(e.left), ...conjuncts(e.right)];
  if (e.kind === 'between' && !e.negated) {
    return [
      { kind: 'binary', op: '>=', left: e.child, right: e.low },
      { kind: 'binary', op: '<=', left: e.child, right: e.high },
    ];
  }
  return [e];
}

function sideOf(e: Expr, own: readonly ScopeField[], other: readonly ScopeField[]): Side | null {
  if (e.kind !== 'column') return null;
  // Of the other side only its watermarked column can be solved (replaced by the watermark).
  const match = (fields: readonly ScopeField[], watermarked: boolean): boolean =>
    fields.some((f) => f.type === 'timestamp' && f.name.toLowerCase() === e.name.toLowerCase()
      && (e.qualifier === undefined || f.qualifier?.toLowerCase() === e.qualifier.toLowerCase())
      && (!watermarked || f.eventTimeDelayMs !== undefined));
  if (match(own, false)) return 'own';
  if (match(other, true)) return 'other';
  return null;
}

/** `time`, `time + interval`, `time - interval`, as (side, offset µs). */
function linear(e: Expr, own: readonly ScopeField[], other: readonly ScopeField[]): Linear | null {
  const direct = sideOf(e, own, other);
  if (direct !== null && e.kind === 'column') return { side: direct, offset: 0 };
  if (e.kind === 'binary' && (e.op === '+' || e.op === '-') && e.right.kind === 'literal' && e.right.type === 'interval') {
    const base = linear(e.left, own, other);
    const d = Number(e.right.value) * (e.op === '-' ? -1 : 1);
    return base === null ? null : { ...base, offset: base.offset + d };
  }
  if (e.kind === 'binary' && e.op === '+' && e.left.kind === 'literal' && e.left.type === 'interval') {
    const base = linear(e.right, own, other);
    return base === null ? null : { ...base, offset: base.offset + Number(e.left.value) };
  }
  return null;
}

/**
 * The rules bounding the state of the side with fields `own` by the watermark of the side with
 * fields `other` (empty: the condition does not bound it). Only conjuncts `x < y`, `x <= y`,
 * `x > y`, `x >= y` (BETWEEN counts as two) over one time column of each side count, the
 * other side's column being its watermarked one.
 */
export function valueWatermarkRules(condition: Expr | undefined, own: readonly ScopeField[], other: readonly ScopeField[]): ValueWatermarkRule[] {
  const rules: ValueWatermarkRule[] = [];
  for (const c of condition === undefined ? [] : conjuncts(condition)) {
    if (c.kind !== 'binary' || !['<', '<=', '>', '>='].includes(c.op)) continue;
    // As `small < large` (or <=): this side's time must be the large one.
    const [small, large] = c.op === '<' || c.op === '<=' ? [c.left, c.right] : [c.right, c.left];
    const s = linear(small, own, other);
    const l = linear(large, own, other);
    if (s === null || l === null || s.side !== 'other' || l.side !== 'own') continue;
    rules.push({ offsetUs: s.offset - l.offset, inclusive: c.op === '<=' || c.op === '>=' });
  }
  return rules;
}

/** The state value watermark (ms) the rules give at this event-time watermark, or null. */
export function valueWatermarkMs(rules: readonly ValueWatermarkRule[], watermarkMs: number): number | null {
  if (rules.length === 0) return null;
  // Spark solves in double microseconds, then truncates to milliseconds.
  return Math.min(...rules.map((r) => Math.trunc((watermarkMs * 1000 + r.offsetUs) / 1000) - (r.inclusive ? 1 : 0)));
}
