import type { Row, Value } from '../api/types.js';
import { bindExpr, resolveColumn, type ScopeField } from '../expressions/binder.js';
import type { Evaluator } from '../expressions/bound.js';
import type { Expr } from '../expressions/expr.js';
import type { JoinType } from '../plan/logical-plan.js';
import { timeBounds, type TimeBounds } from './join-time-bounds.js';
import type { OperatorContext, PhysicalOperator } from './operator.js';

export interface JoinSpec {
  readonly joinType: JoinType;
  readonly condition?: Expr | undefined;
  readonly using?: readonly string[] | undefined;
  readonly leftStreaming: boolean;
  readonly rightStreaming: boolean;
}

/**
 * Spark's joins for streaming queries. A stream with a static side is stateless: each batch's
 * stream rows meet the whole static side (outer rows padded with NULLs at once). Two streams
 * (StreamingSymmetricHashJoinExec) keep both sides in state: the batch's left rows meet the
 * right state, are stored, then the batch's right rows meet the left state.
 */
export class JoinOperator implements PhysicalOperator {
  readonly output: ScopeField[];
  private readonly condition: Evaluator | null;
  private readonly leftKeys: number[] = [];
  private readonly rightKeys: number[] = [];
  private readonly project: (left: Row, right: Row) => Row;
  readonly bounds: TimeBounds;
  private readonly leftTime: number;
  private readonly rightTime: number;
  private readonly leftWatermarked: boolean;
  private readonly rightWatermarked: boolean;

  constructor(private readonly left: PhysicalOperator, private readonly right: PhysicalOperator, private readonly spec: JoinSpec, timeZone: string, readonly operatorId: string) {
    const both = [...left.output, ...right.output];
    this.bounds = timeBounds(spec.condition, left.output, right.output);
    const named = (fields: readonly ScopeField[], name: string | null): number =>
      name === null ? -1 : fields.findIndex((f) => f.name.toLowerCase() === name.toLowerCase());
    this.leftTime = named(left.output, this.bounds.leftColumn);
    this.rightTime = named(right.output, this.bounds.rightColumn);
    this.leftWatermarked = left.output.some((f) => f.eventTimeDelayMs !== undefined);
    this.rightWatermarked = right.output.some((f) => f.eventTimeDelayMs !== undefined);
    this.condition = spec.condition === undefined ? null : bindExpr(spec.condition, { fields: both, timeZone }).eval;
    const semi = spec.joinType === 'left_semi' || spec.joinType === 'left_anti';
    if (spec.using !== undefined && spec.using.length > 0) {
      for (const name of spec.using) {
        this.leftKeys.push(resolveColumn(name, undefined, { fields: left.output, timeZone }));
        this.rightKeys.push(resolveColumn(name, undefined, { fields: right.output, timeZone }));
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
      this.output = semi
        ? [...left.output]
        : [...keyFields, ...leftRest.map((i) => left.output[i] as ScopeField), ...rightRest.map((i) => right.output[i] as ScopeField)];
      this.project = semi
        ? (l) => l
        : (l, r) => [...this.leftKeys.map((_, k) => keyFrom(l, r, k)), ...leftRest.map((i) => l[i] ?? null), ...rightRest.map((i) => r[i] ?? null)];
    } else {
      this.output = semi ? [...left.output] : nullableFor(left.output, right.output, spec.joinType);
      this.project = semi ? (l) => l : (l, r) => [...l, ...r];
    }
  }

  get statefulIds(): readonly string[] {
    const own = this.spec.leftStreaming && this.spec.rightStreaming ? [this.operatorId] : [];
    return [...this.left.statefulIds, ...this.right.statefulIds, ...own];
  }

  private matches(l: Row, r: Row, ctx: OperatorContext): boolean {
    for (let k = 0; k < this.leftKeys.length; k++) {
      const a = l[this.leftKeys[k] ?? 0] ?? null;
      const b = r[this.rightKeys[k] ?? 0] ?? null;
      if (a === null || b === null || JSON.stringify(a) !== JSON.stringify(b)) return false;
    }
    return this.condition === null || this.condition([...l, ...r], ctx) === true;
  }

  private nulls(n: number): Row {
    return new Array<Value>(n).fill(null);
  }

  execute(inputs: ReadonlyArray<readonly Row[]>, ctx: OperatorContext): Row[] {
    const leftRows = this.left.execute(inputs, ctx);
    const rightRows = this.right.execute(inputs, ctx);
    if (this.spec.leftStreaming && this.spec.rightStreaming) return this.streamStream(leftRows, rightRows, ctx);
    return this.nestedLoop(leftRows, rightRows, ctx);
  }

  /** Stateless: every left row against every right row of this batch (one side is static). */
  private nestedLoop(leftRows: readonly Row[], rightRows: readonly Row[], ctx: OperatorContext): Row[] {
    const t = this.spec.joinType;
    const out: Row[] = [];
    const rightMatched = new Set<number>();
    for (const l of leftRows) {
      let matched = false;
      for (let j = 0; j < rightRows.length; j++) {
        const r = rightRows[j] as Row;
        if (!this.matches(l, r, ctx)) continue;
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
   * Stream-stream join over both sides' state. Each stored row carries whether it matched.
   * With watermarks and a time range (`bounds`), rows that can no longer match are evicted;
   * an outer join emits an evicted, never-matched row with NULLs for the other side then.
   */
  private streamStream(leftRows: readonly Row[], rightRows: readonly Row[], ctx: OperatorContext): Row[] {
    const t = this.spec.joinType;
    const semi = t === 'left_semi';
    const store = ctx.stores(this.operatorId);
    const side = (name: 'left' | 'right'): Array<[Row, boolean]> =>
      ((store.get(name) as Array<[Row, boolean]> | undefined) ?? []).map(([row, m]) => [row, m]);
    const left = side('left');
    const right = side('right');
    const out: Row[] = [];
    for (const l of leftRows) {
      const entry: [Row, boolean] = [l, false];
      for (const r of right) {
        if (!this.matches(l, r[0], ctx)) continue;
        r[1] = true;
        if (semi) {
          if (!entry[1]) out.push(l);
        } else out.push(this.project(l, r[0]));
        entry[1] = true;
      }
      left.push(entry);
    }
    for (const r of rightRows) {
      const entry: [Row, boolean] = [r, false];
      for (const l of left) {
        if (!this.matches(l[0], r, ctx)) continue;
        if (semi) {
          if (!l[1]) out.push(l[0]);
        } else out.push(this.project(l[0], r));
        l[1] = true;
        entry[1] = true;
      }
      right.push(entry);
    }
    const w = ctx.watermarkMs * 1000;
    const { lower, upper } = this.bounds;
    const keepLeft = left.filter(([row, matched]) => {
      const lt = row[this.leftTime];
      const gone = w > 0 && lower !== null && this.rightWatermarked && typeof lt === 'number' && lt <= w + lower;
      if (gone && !matched && (t === 'left_outer' || t === 'full_outer')) out.push(this.project(row, this.nulls(this.right.output.length)));
      return !gone;
    });
    const keepRight = right.filter(([row, matched]) => {
      const rt = row[this.rightTime];
      const gone = w > 0 && upper !== null && this.leftWatermarked && typeof rt === 'number' && rt + upper <= w;
      if (gone && !matched && (t === 'right_outer' || t === 'full_outer')) out.push(this.project(this.nulls(this.left.output.length), row));
      return !gone;
    });
    ctx.metrics.evicted += left.length - keepLeft.length + right.length - keepRight.length;
    store.put('left', keepLeft);
    store.put('right', keepRight);
    return out;
  }

  /**
   * Whether a side's rows can ever be settled: the other side has a watermark and the
   * condition bounds the times (Spark: a watermark on the nullable side and a range condition).
   */
  canEvict(sideName: 'left' | 'right'): boolean {
    if (sideName === 'left') return this.leftTime >= 0 && this.bounds.lower !== null && this.rightWatermarked;
    return this.rightTime >= 0 && this.bounds.upper !== null && this.leftWatermarked;
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
