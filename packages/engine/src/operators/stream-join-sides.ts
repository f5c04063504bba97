import type { DataType, Row, Value } from '../core/types.js';
import { commonType } from '../expressions/extra-functions.js';
import { bindExpr, childrenOf, resolveColumn, type ScopeField, type BindSettings } from '../expressions/binder.js';
import type { Evaluator } from '../expressions/bound.js';
import type { Expr } from '../expressions/expr.js';
import { conjuncts, valueWatermarkMs, valueWatermarkRules, type ValueWatermarkRule } from './join-time-bounds.js';

/**
 * One input of a stream-stream join as StreamingSymmetricHashJoinExec sees it: which rows are
 * late, which never join, and which of its buffered rows a watermark evicts.
 */
export interface JoinSide {
  /** Prefix of this side's rows in the join's state store (one entry per buffered row). */
  readonly prefix: 'L' | 'R';
  readonly width: number;
  /** This side's event-time (watermarked) column, or -1: rows at or below the watermark are late. */
  readonly eventTime: number;
  /** The conditions on this side's columns only: a row failing them never joins (nor is stored). */
  readonly preFilter: readonly Evaluator[];
  /** This side's column of the join key that carries a watermark (state key watermark), or -1. */
  readonly keyTime: number;
  /** Range conditions bounding this side by the other's watermark (state value watermark). */
  readonly valueRules: readonly ValueWatermarkRule[];
}

/** Spark's split of a stream-stream join condition (JoinConditionSplitPredicates) and state watermarks. */
export interface StreamJoinSides {
  readonly left: JoinSide;
  readonly right: JoinSide;
  /** The conjuncts that need both sides (the post-join filter). */
  readonly post: readonly Evaluator[];
  /** Whether some conjunct equates a left and a right expression (Spark's equi-join keys). */
  readonly equiJoin: boolean;
  /**
   * The equi-join keys (`=` conjuncts and `using` columns, Spark's ExtractEquiJoinKeys order) on
   * each side and their coerced types: the stream-stream join's shuffle hashes them.
   */
  readonly leftKeys: readonly Evaluator[];
  readonly rightKeys: readonly Evaluator[];
  /**
   * Whether equal keys always have the same text (`stringifyValue`): every key the same type on
   * both sides, and a type whose values have one form each (no floating point, decimals or
   * nested values). A join of a static side may then bucket that side by key.
   */
  readonly keysHashable: boolean;
  readonly keyTypes: readonly DataType[];
}

function hasColumn(e: Expr): boolean {
  return e.kind === 'column' || childrenOf(e).some(hasColumn);
}

/** An event time: a timestamp, or a window's end (Spark compares `window.end`). */
export function eventTime(v: Value | undefined): number | null {
  if (typeof v === 'number') return v;
  return Array.isArray(v) && typeof v[1] === 'number' ? v[1] : null;
}

/**
 * The sides of a stream-stream join with this condition and `using` key ordinals. Conjuncts on
 * one side's columns filter that side before the join; the rest is evaluated on the pair. The
 * state key watermark comes from the first equi-join key pair with a watermarked column (left
 * first: Spark's findJoinKeyOrdinalForWatermark), for both sides.
 */
/** Types whose equal values have one text each (integers as numbers, strings, days, microseconds). */
const ONE_FORM_TYPES: ReadonlySet<string> = new Set(['string', 'int', 'bigint', 'smallint', 'tinyint', 'boolean', 'date', 'timestamp']);

export function streamJoinSides(
  condition: Expr | undefined, left: readonly ScopeField[], right: readonly ScopeField[],
  usingKeys: ReadonlyArray<readonly [number, number]>, settings: BindSettings,
): StreamJoinSides {
  const bindOn = (e: Expr, fields: readonly ScopeField[]): Evaluator | null => {
    try {
      return bindExpr(e, { fields, ...settings }).eval;
    } catch {
      return null;
    }
  };
  const ordinal = (e: Expr, fields: readonly ScopeField[]): number => {
    if (e.kind !== 'column') return -1;
    try {
      return resolveColumn(e.name, e.qualifier, { fields, ...settings });
    } catch {
      return -1;
    }
  };
  const leftOnly: Evaluator[] = [];
  const rightOnly: Evaluator[] = [];
  const post: Evaluator[] = [];
  const keyColumns: Array<readonly [number, number]> = [...usingKeys];
  const leftKeys: Evaluator[] = [];
  const rightKeys: Evaluator[] = [];
  const keyTypes: DataType[] = [];
  let keysHashable = true;
  const addKey = (lt: DataType, rt: DataType, l: Evaluator, r: Evaluator): void => {
    leftKeys.push(l);
    rightKeys.push(r);
    keyTypes.push(commonType([lt, rt]) ?? lt);
    keysHashable &&= lt === rt && typeof lt === 'string' && ONE_FORM_TYPES.has(lt);
  };
  for (const [l, r] of usingKeys) {
    const lf = left[l];
    const rf = right[r];
    if (lf !== undefined && rf !== undefined) addKey(lf.type, rf.type, (row) => row[l] ?? null, (row) => row[r] ?? null);
  }
  const bindFull = (e: Expr, fields: readonly ScopeField[]) => {
    try {
      return bindExpr(e, { fields, ...settings });
    } catch {
      return null;
    }
  };
  let equalities = 0;
  for (const c of condition === undefined ? [] : conjuncts(condition)) {
    const l = bindOn(c, left);
    const r = bindOn(c, right);
    if (l !== null) leftOnly.push(l);
    if (r !== null) rightOnly.push(r);
    if (l === null && r === null) post.push(bindExpr(c, { fields: [...left, ...right], ...settings }).eval);
    if (c.kind !== 'binary' || (c.op !== '=' && c.op !== '<=>')) continue;
    const onSides = (a: Expr, b: Expr): boolean => hasColumn(a) && hasColumn(b) && bindOn(a, left) !== null && bindOn(b, right) !== null;
    if (onSides(c.left, c.right) || onSides(c.right, c.left)) equalities += 1;
    if (c.op !== '=') continue;
    const [ka, kb] = onSides(c.left, c.right) ? [c.left, c.right] : onSides(c.right, c.left) ? [c.right, c.left] : [null, null];
    const kl = ka === null ? null : bindFull(ka, left);
    const kr = kb === null ? null : bindFull(kb, right);
    if (kl !== null && kr !== null) addKey(kl.type, kr.type, kl.eval, kr.eval);
    const direct = [ordinal(c.left, left), ordinal(c.right, right)] as const;
    const swapped = [ordinal(c.right, left), ordinal(c.left, right)] as const;
    if (direct[0] >= 0 && direct[1] >= 0) keyColumns.push(direct);
    else if (swapped[0] >= 0 && swapped[1] >= 0) keyColumns.push(swapped);
  }
  const [leftKeyTime, rightKeyTime] = keyColumns.find(([l]) => left[l]?.eventTimeDelayMs !== undefined)
    ?? keyColumns.find(([, r]) => right[r]?.eventTimeDelayMs !== undefined)
    ?? [-1, -1];
  const watermarked = (fields: readonly ScopeField[]): number => fields.findIndex((f) => f.eventTimeDelayMs !== undefined);
  return {
    left: {
      prefix: 'L', width: left.length, eventTime: watermarked(left), preFilter: leftOnly, keyTime: leftKeyTime,
      valueRules: valueWatermarkRules(condition, left, right),
    },
    right: {
      prefix: 'R', width: right.length, eventTime: watermarked(right), preFilter: rightOnly, keyTime: rightKeyTime,
      valueRules: valueWatermarkRules(condition, right, left),
    },
    post,
    equiJoin: usingKeys.length > 0 || equalities > 0,
    leftKeys, rightKeys, keyTypes, keysHashable: keysHashable && leftKeys.length > 0,
  };
}

/**
 * Which buffered rows of a side the watermark (ms) evicts, or null: with a watermark in the
 * join key, those whose key time is at or below it; otherwise, when the condition bounds this
 * side by the other's watermark and this side has an event-time column, those whose event time
 * is at or below the state value watermark (Spark's getStateWatermarkPredicates).
 */
export function evictable(side: JoinSide, watermarkMs: number): ((row: Row) => boolean) | null {
  const below = (ordinal: number, limitMs: number) => (row: Row): boolean => {
    const time = eventTime(row[ordinal]);
    return time !== null && time <= limitMs * 1000;
  };
  if (side.keyTime >= 0) return below(side.keyTime, watermarkMs);
  const valueWatermark = valueWatermarkMs(side.valueRules, watermarkMs);
  if (side.eventTime < 0 || valueWatermark === null) return null;
  return below(side.eventTime, valueWatermark);
}
