import type { Row, Value } from '../api/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { bindAggregate, type BoundAggregate } from '../expressions/aggregate-functions.js';
import { aggregateKey, bindExpr, childrenOf, isAggregateCall, type Scope, type ScopeField } from '../expressions/binder.js';
import type { Bound } from '../expressions/bound.js';
import type { Expr } from '../expressions/expr.js';
import type { OperatorContext, PhysicalOperator } from './operator.js';
import { outputField } from './project.js';
import type { StateStore } from '../state/state-store.js';

/** Characters JSON.stringify would escape in a string. */
 
const NEEDS_JSON_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function collectAggregateCalls(expr: Expr, into: Map<string, Extract<Expr, { kind: 'call' }>>): void {
  if (isAggregateCall(expr) && expr.kind === 'call') {
    into.set(aggregateKey(expr), expr);
    return;
  }
  for (const c of childrenOf(expr)) collectAggregateCalls(c, into);
}

/**
 * Spark's streaming aggregation (StateStoreSave/Restore): per group a buffer of every
 * aggregate, kept in the operator's state store across batches. Complete mode emits every
 * group each batch; update mode the groups this batch changed.
 */
export class AggregateOperator implements PhysicalOperator {
  readonly output: ScopeField[];
  private readonly groupBound: Bound[];
  private readonly aggs: BoundAggregate[];
  private readonly results: Bound[];
  private readonly generatorAt: number;
  /** The grouping key holding watermarked event time (or -1), and how to read its time. */
  private readonly eventKey: number;
  /** The `session_window` key (or -1). */
  private readonly sessionAt: number;

  constructor(private readonly child: PhysicalOperator, grouping: readonly Expr[], aggregates: readonly Expr[], timeZone: string, readonly operatorId: string) {
    const input: Scope = { fields: child.output, timeZone };
    this.groupBound = grouping.map((g) => bindExpr(g, input));
    const generators = this.groupBound.filter((b) => b.generator !== undefined);
    if (generators.length > 1) {
      throw new AnalysisException('Multiple time/session window expressions would result in a cartesian product of rows, therefore they are currently not supported.');
    }
    this.generatorAt = this.groupBound.findIndex((b) => b.generator !== undefined);
    this.eventKey = this.groupBound.findIndex((b) => b.eventTime !== undefined);
    this.sessionAt = this.groupBound.findIndex((b) => b.session !== undefined);
    if (this.sessionAt >= 0 && this.generatorAt >= 0) {
      throw new AnalysisException('Multiple time/session window expressions would result in a cartesian product of rows, therefore they are currently not supported.');
    }
    const calls = new Map<string, Extract<Expr, { kind: 'call' }>>();
    for (const a of aggregates) collectAggregateCalls(a, calls);
    this.aggs = [...calls.values()].map((call) => {
      const star = call.args.length === 1 && call.args[0]?.kind === 'star';
      const args = star ? [] : call.args.map((a) => bindExpr(a, input));
      return bindAggregate(call.name === 'mean' ? 'avg' : call.name, args, star);
    });
    const groupFields: ScopeField[] = this.groupBound.map((g) => {
      const q = g.ordinal === undefined ? undefined : child.output[g.ordinal]?.qualifier;
      // A grouping key on event time keeps the watermark mark (Spark's attribute metadata), so a
      // following stateful operator sees it as event time.
      const delay = outputField(g, child.output).eventTimeDelayMs;
      return { name: g.name, type: g.type, nullable: g.nullable, ...(q === undefined ? {} : { qualifier: q }), ...(delay === undefined ? {} : { eventTimeDelayMs: delay }) };
    });
    const slotFields: ScopeField[] = this.aggs.map((a) => ({ name: a.sql, type: a.type, nullable: a.nullable }));
    const slots = new Map<string, number>([...calls.keys()].map((k, i) => [k, groupFields.length + i]));
    const intermediate: Scope = { fields: [...groupFields, ...slotFields], timeZone, aggregateSlots: slots };
    this.results = aggregates.map((a) => bindExpr(a, intermediate));
    this.output = [...groupFields, ...this.results.map((r) => ({ name: r.name, type: r.type, nullable: r.nullable }))];
  }

  get statefulIds(): readonly string[] {
    return [...this.child.statefulIds, this.operatorId];
  }

  execute(inputs: ReadonlyArray<readonly Row[]>, ctx: OperatorContext): Row[] {
    const rows = this.child.execute(inputs, ctx);
    if (this.sessionAt >= 0) return this.executeSessions(rows, ctx);
    const store = ctx.stores(this.operatorId);
    const changed = new Map<string, Value[]>();
    const g = this.generatorAt;
    const late = ctx.outputMode !== 'complete' && this.eventKey >= 0;
    // Hot path: one plain grouping key (no window): no per-row arrays, one string key.
    const single = g < 0 && this.groupBound.length === 1 ? this.groupBound[0] : undefined;
    for (const row of rows) {
      if (single !== undefined) {
        const v = single.eval(row, ctx);
        if (late && this.dropLate([v], ctx)) continue;
        const key = typeof v === 'string' && !NEEDS_JSON_ESCAPE.test(v) ? `["${v}"]` : JSON.stringify([v]);
        this.accumulate(changed, store, key, v, true, row, ctx);
        continue;
      }
      const base = this.groupBound.map((b, i) => (i === g ? null : b.eval(row, ctx)));
      // A window() key puts the row in every window it falls in (Spark's Expand).
      const keys = g < 0 ? [base] : ((this.groupBound[g]?.eval(row, ctx) ?? []) as readonly Value[]).map((w) => base.map((v, i) => (i === g ? w : v)));
      for (const groupValues of keys) {
        if (late && this.dropLate(groupValues, ctx)) continue;
        this.accumulate(changed, store, JSON.stringify(groupValues), groupValues, false, row, ctx);
      }
    }
    for (const [key, state] of changed) store.put(key, state);
    ctx.metrics.updated += changed.size;
    const out: Row[] = [];
    if (ctx.outputMode === 'complete') {
      for (const [, state] of store.entries()) out.push(this.finish(state as readonly Value[], ctx));
      return out;
    }
    if (ctx.outputMode === 'update') for (const [, state] of changed) out.push(this.finish(state, ctx));
    // Past the watermark a group can no longer change: append emits it once; both drop it.
    if (this.eventKey >= 0) {
      const done: Array<[string, readonly Value[]]> = [];
      for (const [key, state] of store.entries()) {
        const s = state as readonly Value[];
        if (this.isLate((s[0] ?? []) as readonly Value[], ctx.watermarkMs)) done.push([key, s]);
      }
      for (const [key, state] of done) {
        if (ctx.outputMode === 'append') out.push(this.finish(state, ctx));
        store.delete(key);
        ctx.metrics.evicted += 1;
      }
    }
    return out;
  }

  /**
   * Session windows: per key (the other grouping values) a sorted list of sessions
   * [start, end, ...buffers]; an event's session [t, t + gap) merges with every session it
   * overlaps. Append emits a session once the watermark passes its end; complete emits all.
   */
  private executeSessions(rows: readonly Row[], ctx: OperatorContext): Row[] {
    const store = ctx.stores(this.operatorId);
    const at = this.sessionAt;
    const touched = new Set<string>();
    // Spark sorts a batch's rows by session start before merging (MergingSessionsExec), so the
    // buffers of a session combine in start order (what collect_list, first and last show).
    const withSessions: Array<{ row: Row; session: readonly number[] }> = [];
    for (const row of rows) {
      const session = this.groupBound[at]?.eval(row, ctx);
      if (Array.isArray(session)) withSessions.push({ row, session: session as readonly number[] });
    }
    withSessions.sort((a, b) => Number(a.session[0]) - Number(b.session[0]));
    for (const { row, session } of withSessions) {
      const [start, end] = session;
      if (ctx.outputMode !== 'complete' && this.eventKey >= 0 && ctx.lateEventsWatermarkMs > 0 && Number(end) / 1000 <= ctx.lateEventsWatermarkMs) {
        ctx.metrics.droppedByWatermark += 1;
        continue;
      }
      const others = this.groupBound.map((b, i) => (i === at ? null : b.eval(row, ctx)));
      const key = JSON.stringify(others);
      const sessions = ((store.get(key) as Value[][] | undefined) ?? []).map((x) => [...x]);
      let merged: Value[] = [start ?? 0, end ?? 0, ...this.aggs.map((a) => a.update(a.init(), row, ctx))];
      const kept: Value[][] = [];
      for (const s of sessions) {
        if (Number(s[0]) <= Number(merged[1]) && Number(merged[0]) <= Number(s[1])) {
          const storedFirst = Number(s[0]) <= Number(merged[0]);
          merged = [Math.min(Number(s[0]), Number(merged[0])), Math.max(Number(s[1]), Number(merged[1])),
            ...this.aggs.map((a, i) => (storedFirst ? a.merge(s[i + 2] ?? null, merged[i + 2] ?? null) : a.merge(merged[i + 2] ?? null, s[i + 2] ?? null)))];
        } else kept.push(s);
      }
      kept.push(merged);
      kept.sort((x, y) => Number(x[0]) - Number(y[0]));
      store.put(key, kept);
      touched.add(key);
    }
    ctx.metrics.updated += touched.size;
    const out: Row[] = [];
    const finish = (key: string, s: readonly Value[]): Row => {
      const others = JSON.parse(key) as Value[];
      const groupValues = others.map((v, i) => (i === at ? [s[0] ?? null, s[1] ?? null] : v));
      const intermediate: Value[] = [...groupValues, ...this.aggs.map((a, i) => a.result(s[i + 2] ?? null))];
      return [...groupValues, ...this.results.map((r) => r.eval(intermediate, ctx))];
    };
    for (const [key, value] of [...store.entries()]) {
      const sessions = value as Value[][];
      if (ctx.outputMode === 'complete') {
        for (const s of sessions) out.push(finish(key, s));
        continue;
      }
      const closed = sessions.filter((s) => ctx.watermarkMs > 0 && Number(s[1]) / 1000 <= ctx.watermarkMs);
      if (closed.length === 0) continue;
      for (const s of closed) out.push(finish(key, s));
      const open = sessions.filter((s) => !closed.includes(s));
      if (open.length === 0) store.delete(key);
      else store.put(key, open);
      ctx.metrics.evicted += closed.length;
    }
    return out;
  }

  /** Late rows (their group's event time at or before the previous watermark) are dropped and counted. */
  private dropLate(groupValues: readonly Value[], ctx: OperatorContext): boolean {
    if (!this.isLate(groupValues, ctx.lateEventsWatermarkMs)) return false;
    ctx.metrics.droppedByWatermark += 1;
    return true;
  }

  /**
   * Adds a row to its group's buffers, taken from this batch's changes or the store (copied,
   * so an aborted batch leaves the store as it was). `single` passes a one-key group as its value.
   */
  private accumulate(
    changed: Map<string, Value[]>, store: StateStore, key: string, group: Value | readonly Value[], single: boolean,
    row: Row, ctx: OperatorContext,
  ): void {
    let state = changed.get(key);
    if (state === undefined) {
      const stored = store.get(key);
      state = Array.isArray(stored) ? [...(stored as readonly Value[])] : [single ? [group as Value] : group as Value, ...this.aggs.map((a) => a.init())];
      changed.set(key, state);
    }
    const aggs = this.aggs;
    for (let i = 0; i < aggs.length; i++) state[i + 1] = (aggs[i] as BoundAggregate).update(state[i + 1] ?? null, row, ctx);
  }

  /** Spark's rule: a group is final once its event time (a window's end) <= the watermark. */
  private isLate(groupValues: readonly Value[], watermarkMs: number): boolean {
    if (this.eventKey < 0 || watermarkMs <= 0) return false;
    const v = groupValues[this.eventKey];
    const micros = Array.isArray(v) ? v[1] : v;
    return typeof micros === 'number' && micros / 1000 <= watermarkMs;
  }

  private finish(state: readonly Value[], ctx: OperatorContext): Row {
    const groupValues = (state[0] ?? []) as readonly Value[];
    const intermediate: Value[] = [...groupValues, ...this.aggs.map((a, i) => a.result(state[i + 1] ?? null))];
    return [...groupValues, ...this.results.map((r) => r.eval(intermediate, ctx))];
  }
}
