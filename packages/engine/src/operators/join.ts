import type { Row, Value } from '../core/types.js';
import { stringifyValue } from '../core/value-json.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { IllegalArgumentError } from '../errors/illegal-argument-error.js';
import { bindExpr, resolveColumn, type ScopeField, type BindSettings } from '../expressions/binder.js';
import type { Evaluator } from '../expressions/bound.js';
import type { Expr } from '../expressions/expr.js';
import type { JoinType } from '../plan/logical-plan.js';
import type { OperatorContext, PhysicalOperator } from './operator.js';
import { byPartition, partitionOf } from './shuffle-order.js';
import { eventTime, evictable, streamJoinSides, type JoinSide, type StreamJoinSides } from './stream-join-sides.js';

export interface JoinSpec {
  readonly joinType: JoinType;
  readonly condition?: Expr | undefined;
  readonly using?: readonly string[] | undefined;
  readonly leftStreaming: boolean;
  readonly rightStreaming: boolean;
}

/** A buffered row of one side, under its store key, with whether it has ever matched. */
interface Stored {
  readonly key: string;
  readonly row: Row;
  matched: boolean;
}

/**
 * Spark's joins for streaming queries. A stream with a static side is stateless: each batch's
 * stream rows meet the whole static side (outer rows padded with NULLs at once). Two streams
 * (StreamingSymmetricHashJoinExec) keep both sides in state: the batch's left rows meet the
 * right state, are stored, then the batch's right rows meet the left state.
 */
export class JoinOperator implements PhysicalOperator {
  readonly output: ScopeField[];
  /** The whole condition (empty: none), for a join with a static side. */
  private readonly condition: readonly Evaluator[];
  private readonly leftKeys: number[] = [];
  private readonly rightKeys: number[] = [];
  private readonly project: (left: Row, right: Row) => Row;
  /** The two inputs as a stream-stream join sees them. */
  private readonly sides: StreamJoinSides;
  /** A USING semi/anti join: the left row's columns in output order (keys first). */
  private semiOrder: number[] | undefined;

  constructor(private readonly left: PhysicalOperator, private readonly right: PhysicalOperator, private readonly spec: JoinSpec, settings: BindSettings, readonly operatorId: string) {
    const both = [...left.output, ...right.output];
    this.condition = spec.condition === undefined ? [] : [bindExpr(spec.condition, { fields: both, ...settings }).eval];
    const semi = spec.joinType === 'left_semi' || spec.joinType === 'left_anti';
    if (spec.using !== undefined && spec.using.length > 0) {
      for (const name of spec.using) {
        this.leftKeys.push(resolveColumn(name, undefined, { fields: left.output, ...settings }));
        this.rightKeys.push(resolveColumn(name, undefined, { fields: right.output, ...settings }));
      }
      const leftRest = left.output.map((_, i) => i).filter((i) => !this.leftKeys.includes(i));
      const rightRest = right.output.map((_, i) => i).filter((i) => !this.rightKeys.includes(i));
      const keyFrom = (l: Row, r: Row, k: number): Value => {
        const lv = l[this.leftKeys[k] ?? 0] ?? null;
        const rv = r[this.rightKeys[k] ?? 0] ?? null;
        return spec.joinType === 'right_outer' ? rv : spec.joinType === 'full_outer' ? lv ?? rv : lv;
      };
      const keyFields = this.leftKeys.map((li, k) => {
        const f = (spec.joinType === 'right_outer' ? right.output[this.rightKeys[k] ?? 0] : left.output[li]) as ScopeField;
        return { name: f.name, type: f.type, nullable: f.nullable || spec.joinType === 'full_outer' };
      });
      // Spark's USING join (ResolveNaturalAndUsingJoin): a semi/anti join prints the keys first too.
      const semiOrder = [...this.leftKeys, ...leftRest];
      if (semi) this.semiOrder = semiOrder;
      this.output = semi
        ? semiOrder.map((i) => left.output[i] as ScopeField)
        : [...keyFields, ...leftRest.map((i) => left.output[i] as ScopeField), ...rightRest.map((i) => right.output[i] as ScopeField)];
      this.project = semi
        ? (l) => l
        : (l, r) => [...this.leftKeys.map((_, k) => keyFrom(l, r, k)), ...leftRest.map((i) => l[i] ?? null), ...rightRest.map((i) => r[i] ?? null)];
    } else {
      this.output = semi ? [...left.output] : nullableFor(left.output, right.output, spec.joinType);
      this.project = semi ? (l) => l : (l, r) => [...l, ...r];
    }
    const usingKeys = this.leftKeys.map((l, k) => [l, this.rightKeys[k] ?? -1] as const);
    this.sides = streamJoinSides(spec.condition, left.output, right.output, usingKeys, settings);
  }

  get statefulIds(): readonly string[] {
    const own = this.spec.leftStreaming && this.spec.rightStreaming ? [this.operatorId] : [];
    return [...this.left.statefulIds, ...this.right.statefulIds, ...own];
  }

  /** A stream-stream join with equi-join keys: its sides are hash-partitioned by them. */
  get splittable(): boolean {
    return this.spec.leftStreaming && this.spec.rightStreaming && this.sides.equiJoin;
  }

  /** The shuffle partition of a row of side 0 (left) or 1 (right), by its equi-join keys. */
  shufflePartitionsOf(side: number, row: Row, ctx: OperatorContext): readonly number[] {
    const keys = side === 0 ? this.sides.leftKeys : this.sides.rightKeys;
    return [partitionOf(keys.map((k) => k(row, ctx) ?? null), this.sides.keyTypes, ctx.shufflePartitions)];
  }

  /** The `using` keys are equal and `condition` holds on the pair (all of it, or the post-join part). */
  private matches(l: Row, r: Row, ctx: OperatorContext, condition: readonly Evaluator[]): boolean {
    for (let k = 0; k < this.leftKeys.length; k++) {
      const a = l[this.leftKeys[k] ?? 0] ?? null;
      const b = r[this.rightKeys[k] ?? 0] ?? null;
      if (a === null || b === null || (a !== b && stringifyValue(a) !== stringifyValue(b))) return false;
    }
    if (condition.length === 0) return true;
    const pair = [...l, ...r];
    return condition.every((c) => c(pair, ctx) === true);
  }

  private nulls(n: number): Row {
    return new Array<Value>(n).fill(null);
  }

  execute(inputs: ReadonlyArray<readonly Row[]>, ctx: OperatorContext): Row[] {
    const leftRows = this.left.execute(inputs, ctx);
    const rightRows = this.right.execute(inputs, ctx);
    const out = this.spec.leftStreaming && this.spec.rightStreaming ? this.streamStream(leftRows, rightRows, ctx) : this.nestedLoop(leftRows, rightRows, ctx);
    const order = this.semiOrder;
    return order === undefined ? out : out.map((row) => order.map((i) => row[i] ?? null));
  }

  /**
   * Stateless: one side is static (Spark broadcasts it: BroadcastHashJoinExec with an equi-join
   * key, else BroadcastNestedLoopJoinExec). The streamed side's rows keep their order, each with
   * its matches and, for an outer join, inline when unmatched. A hashed build side returns the
   * rows of a key newest first (HashedRelation links each key's rows in front of the previous).
   */
  private nestedLoop(leftRows: readonly Row[], rightRows: readonly Row[], ctx: OperatorContext): Row[] {
    const t = this.spec.joinType;
    const hashed = this.sides.equiJoin;
    const streamRight = this.spec.rightStreaming && !this.spec.leftStreaming && (t === 'inner' || t === 'cross' || t === 'right_outer');
    if (streamRight) {
      const build = hashed ? [...leftRows].reverse() : leftRows;
      const index = keyIndex(build.map((_, i) => i), (i) => build[i] as Row, this.sides.leftKeys, this.sides.keysHashable && build.length > 0, ctx);
      const out: Row[] = [];
      for (const r of rightRows) {
        let matched = false;
        for (const i of index.candidates(r, this.sides.rightKeys)) {
          const l = build[i] as Row;
          if (!this.matches(l, r, ctx, this.condition)) continue;
          matched = true;
          out.push(this.project(l, r));
        }
        if (!matched && t === 'right_outer') out.push(this.project(this.nulls(this.left.output.length), r));
      }
      return out;
    }
    const out: Row[] = [];
    const rightMatched = new Set<number>();
    const rightOrder = rightRows.map((_, j) => j);
    if (hashed && this.spec.leftStreaming && !this.spec.rightStreaming) rightOrder.reverse();
    const index = keyIndex(rightOrder, (j) => rightRows[j] as Row, this.sides.rightKeys, this.sides.keysHashable && rightRows.length > 0, ctx);
    for (const l of leftRows) {
      let matched = false;
      for (const j of index.candidates(l, this.sides.leftKeys)) {
        const r = rightRows[j] as Row;
        if (!this.matches(l, r, ctx, this.condition)) continue;
        matched = true;
        rightMatched.add(j);
        if (t === 'left_semi') break;
        if (t !== 'left_anti') out.push(this.project(l, r));
      }
      if (t === 'left_semi' && matched) out.push(l);
      if (t === 'left_anti' && !matched) out.push(l);
      if (!matched && (t === 'left_outer' || t === 'full_outer')) out.push(this.project(l, this.nulls(this.right.output.length)));
    }
    if (t === 'right_outer' || t === 'full_outer') {
      rightRows.forEach((r, j) => {
        if (!rightMatched.has(j)) out.push(this.project(this.nulls(this.left.output.length), r));
      });
    }
    return out;
  }

  /**
   * Stream-stream join (StreamingSymmetricHashJoinExec, state format 2). Each side drops its
   * late rows (event time at or below the previous batch's watermark); a row failing its side's
   * own conditions never joins (an outer join emits it with NULLs at once). Left rows meet the
   * right state and are stored; right rows meet the left state (this batch's rows included)
   * and are stored unless they would be evicted now. Then each side's state below its state
   * watermark is evicted, an outer side emitting its never-matched rows with NULLs.
   */
  private streamStream(leftRows: readonly Row[], rightRows: readonly Row[], ctx: OperatorContext): Row[] {
    // Spark's StreamingJoinStrategy plans no stream-stream join without an equi-join key.
    if (!this.sides.equiJoin) throw new AnalysisException('Stream-stream join without equality predicate is not supported.');
    const t = this.spec.joinType;
    // StreamingSymmetricHashJoinExec's require(): planned at the first batch, a Cross join fails there.
    if (t === 'cross') throw new IllegalArgumentError('requirement failed: StreamingSymmetricHashJoinExec should not take Cross as the JoinType');
    const semi = t === 'left_semi';
    const store = ctx.stores(this.operatorId);
    const leftState: Stored[] = [];
    const rightState: Stored[] = [];
    for (const [key, value] of store.entries()) {
      const [row, matched] = value as [Row, boolean];
      (key.startsWith(this.sides.left.prefix) ? leftState : rightState).push({ key, row, matched });
    }
    const out: Row[] = [];
    // Each output row's shuffle partition (of the input row it comes from): Spark's output is
    // grouped by partition, in order; inside one the left rows' output, the right rows', the evicted.
    const parts: number[] = [];
    const partitions = ctx.shufflePartitions;
    const partOf = (keys: readonly Evaluator[], row: Row): number => partitionOf(keys.map((k) => k(row, ctx) ?? null), this.sides.keyTypes, partitions);
    const leftPart = (row: Row): number => partOf(this.sides.leftKeys, row);
    const rightPart = (row: Row): number => partOf(this.sides.rightKeys, row);
    const push = (row: Row, part: number): void => {
      out.push(row);
      parts.push(part);
    };
    const markMatched = (s: Stored): void => {
      if (s.matched) return;
      s.matched = true;
      store.put(s.key, [s.row, true]);
    };
    let stored = 0;
    const append = (side: JoinSide, row: Row, matched: boolean): Stored => {
      const s: Stored = { key: `${side.prefix}${ctx.batchId}.${stored++}`, row, matched };
      store.put(s.key, [row, matched]);
      ctx.metrics.updated += 1;
      return s;
    };
    // Split over tasks: another task's rows are skipped before anything else.
    const owns = ctx.ownsPartition;
    if (owns !== undefined) {
      leftRows = leftRows.filter((row) => owns(leftPart(row)));
      rightRows = rightRows.filter((row) => owns(rightPart(row)));
    }
    const leftNulls = this.nulls(this.sides.left.width);
    const rightNulls = this.nulls(this.sides.right.width);
    const leftIndex = keyIndex(leftState, (st) => st.row, this.sides.leftKeys, this.sides.keysHashable, ctx);
    const rightIndex = keyIndex(rightState, (st) => st.row, this.sides.rightKeys, this.sides.keysHashable, ctx);

    for (const l of this.notLate(leftRows, this.sides.left, ctx)) {
      if (!this.passes(this.sides.left, l, ctx)) {
        if (t === 'left_outer' || t === 'full_outer') push(this.project(l, rightNulls), leftPart(l));
        continue;
      }
      let matched = false;
      for (const r of rightIndex.candidates(l, this.sides.leftKeys)) {
        if (!this.matches(l, r.row, ctx, this.sides.post)) continue;
        markMatched(r);
        matched = true;
        if (semi) break;
        push(this.project(l, r.row), leftPart(l));
      }
      if (semi && matched) push(l, leftPart(l));
      else leftIndex.add(append(this.sides.left, l, matched));
    }

    const evictRight = evictable(this.sides.right, ctx.watermarkMs);
    for (const r of this.notLate(rightRows, this.sides.right, ctx)) {
      if (!this.passes(this.sides.right, r, ctx)) {
        if (t === 'right_outer' || t === 'full_outer') push(this.project(leftNulls, r), rightPart(r));
        continue;
      }
      let matched = false;
      for (const l of leftIndex.candidates(r, this.sides.rightKeys)) {
        if (semi && l.matched) continue;
        if (!this.matches(l.row, r, ctx, this.sides.post)) continue;
        markMatched(l);
        matched = true;
        push(semi ? l.row : this.project(l.row, r), rightPart(r));
      }
      const emitsUnmatched = (t === 'right_outer' || t === 'full_outer') && !matched;
      if (evictRight?.(r) !== true || emitsUnmatched) rightIndex.add(append(this.sides.right, r, matched));
    }

    // Eviction: an outer side emits its unmatched rows; the other removals count as removed rows.
    const evict = (state: readonly Stored[], side: JoinSide, emit: ((row: Row) => Row) | null, part: (row: Row) => number): void => {
      const gone = evictable(side, ctx.watermarkMs);
      if (gone === null) return;
      for (const s of state) {
        if (!gone(s.row)) continue;
        store.delete(s.key);
        if (emit === null) ctx.metrics.evicted += 1;
        else if (!s.matched) push(emit(s.row), part(s.row));
      }
    };
    const leftOuter = t === 'left_outer' || t === 'full_outer';
    const rightOuter = t === 'right_outer' || t === 'full_outer';
    evict(leftState, this.sides.left, leftOuter ? (row) => this.project(row, rightNulls) : null, leftPart);
    evict(rightState, this.sides.right, rightOuter ? (row) => this.project(leftNulls, row) : null, rightPart);
    return byPartition(out.map((_, i) => i), (i) => parts[i] ?? 0).map((i) => out[i] as Row);
  }

  /** The rows of a side above the late-events watermark (the others counted as dropped). */
  private notLate(rows: readonly Row[], side: JoinSide, ctx: OperatorContext): readonly Row[] {
    if (side.eventTime < 0) return rows;
    const limit = ctx.lateEventsWatermarkMs * 1000;
    return rows.filter((row) => {
      const time = eventTime(row[side.eventTime]);
      const late = time !== null && time <= limit;
      if (late) ctx.metrics.droppedByWatermark += 1;
      return !late;
    });
  }

  private passes(side: JoinSide, row: Row, ctx: OperatorContext): boolean {
    return side.preFilter.every((f) => f(row, ctx) === true);
  }

  /**
   * Whether a side's rows can ever be settled, as Spark's checker asks of an outer or semi
   * join: a watermark in the join keys, or a range condition bounding this side by the other
   * side's watermark.
   */
  canEvict(sideName: 'left' | 'right'): boolean {
    const side = this.sides[sideName];
    return side.keyTime >= 0 || side.valueRules.length > 0;
  }
}

function nullableFor(left: readonly ScopeField[], right: readonly ScopeField[], t: JoinType): ScopeField[] {
  const leftNull = t === 'right_outer' || t === 'full_outer';
  const rightNull = t === 'left_outer' || t === 'full_outer';
  return [
    ...left.map((f) => ({ ...f, nullable: f.nullable || leftNull })),
    ...right.map((f) => ({ ...f, nullable: f.nullable || rightNull })),
  ];
}

/** A join side's items and, for a row of the other side, the ones it can match, in item order. */
interface KeyIndex<T> {
  /** Appends to the items (and to its key's). */
  add(item: T): T;
  candidates(probe: Row, probeKeys: readonly Evaluator[]): readonly T[];
}

/**
 * With `hashed` (keys whose equal values have equal text), the items of the probe row's key only,
 * as a hash join looks them up; else every item. The join's own test still decides a match, so
 * the output is the full loop's. `items` is the array `add` appends to.
 */
function keyIndex<T>(items: T[], rowOf: (item: T) => Row, keys: readonly Evaluator[], hashed: boolean, ctx: OperatorContext): KeyIndex<T> {
  if (!hashed) {
    return {
      add: (item) => {
        items.push(item);
        return item;
      },
      candidates: () => items,
    };
  }
  const keyText = (row: Row, on: readonly Evaluator[]): string => stringifyValue(on.map((k) => k(row, ctx) ?? null));
  const byKey = new Map<string, T[]>();
  const file = (item: T): void => {
    const key = keyText(rowOf(item), keys);
    const same = byKey.get(key);
    if (same === undefined) byKey.set(key, [item]);
    else same.push(item);
  };
  for (const item of items) file(item);
  const none: readonly T[] = [];
  return {
    add: (item) => {
      items.push(item);
      file(item);
      return item;
    },
    candidates: (probe, probeKeys) => byKey.get(keyText(probe, probeKeys)) ?? none,
  };
}
