import type { DataType, Row, Value } from '../core/types.js';
import { parseValues, stringifyValue } from '../core/value-json.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { bindAggregate } from '../expressions/aggregate-functions.js';
import type { BoundAggregate } from '../expressions/bound-aggregate.js';
import { aggregateKey, bindExpr, childrenOf, isAggregateCall, scopeAnsi, type Scope, type ScopeField, type BindSettings } from '../expressions/binder.js';
import { withSortedMaps } from '../expressions/map-functions.js';
import type { Bound } from '../expressions/bound.js';
import type { Expr } from '../expressions/expr.js';
import type { OperatorContext, PhysicalOperator } from './operator.js';
import { outputField } from './project.js';
import type { StateStore } from '../state/state-store.js';
import { StateMapOrder } from '../state/state-map-order.js';
import { unsafeRowHashCode } from '../state/unsafe-row.js';
import { byPartition, compareKeys, groupKeyLocator, isMutableBufferType, partitionOf } from './shuffle-order.js';
import { windowGroups, type WindowGrouping } from './window-groups.js';

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
  /**
   * Spark plans SortAggregateExec (groups sorted in each partition) when a buffer is not
   * fixed-width (min/max/first/last of a string, binary, array or struct) and no aggregate is a
   * collect_list/collect_set (which take ObjectHashAggregateExec, in insertion order).
   */
  private readonly sortBased: boolean;
  /** The state store's iteration order (complete and append mode), for a partition count. */
  private mapOrder: { readonly partitions: number; readonly order: StateMapOrder } | undefined;
  /** Set when the generator key is a `window(...)`: its groups are built by windowGroups. */
  private readonly windowed: WindowGrouping | undefined;
  private readonly keyTypes: readonly DataType[];

  constructor(private readonly child: PhysicalOperator, grouping: readonly Expr[], aggregates: readonly Expr[], settings: BindSettings, readonly operatorId: string) {
    const input: Scope = { fields: child.output, ...settings };
    // Maps in a key are grouped sorted by key (Spark's InsertMapSortInGroupingExpressions).
    this.groupBound = grouping.map((g) => withSortedMaps(bindExpr(g, input)));
    const generators = this.groupBound.filter((b) => b.generator !== undefined);
    if (generators.length > 1) {
      throw new AnalysisException('Multiple time/session window expressions would result in a cartesian product of rows, therefore they are currently not supported.');
    }
    this.generatorAt = this.groupBound.findIndex((b) => b.generator !== undefined);
    this.keyTypes = this.groupBound.map((b) => b.type);
    this.eventKey = this.groupBound.findIndex((b) => b.eventTime !== undefined);
    this.sessionAt = this.groupBound.findIndex((b) => b.session !== undefined);
    if (this.sessionAt >= 0 && this.generatorAt >= 0) {
      throw new AnalysisException('Multiple time/session window expressions would result in a cartesian product of rows, therefore they are currently not supported.');
    }
    const spec = this.groupBound[this.generatorAt]?.window;
    const calls = new Map<string, Extract<Expr, { kind: 'call' }>>();
    for (const a of aggregates) collectAggregateCalls(a, calls);
    this.aggs = [...calls.values()].map((call) => {
      const star = call.args.length === 1 && call.args[0]?.kind === 'star';
      const args = star ? [] : call.args.map((a) => bindExpr(a, input));
      return bindAggregate(call.name === 'mean' ? 'avg' : call.name, args, star, scopeAnsi(input));
    });
    this.windowed = spec !== undefined && spec.assigns === this.groupBound[this.generatorAt]?.eval
      ? { keys: this.groupBound, windowAt: this.generatorAt, window: spec, eventKey: this.eventKey, aggs: this.aggs }
      : undefined;
    const objectHash = [...calls.values()].some((c) => c.name === 'collect_list' || c.name === 'collect_set' || c.name === 'array_agg');
    this.sortBased = !objectHash && this.aggs.some((a) => /^(min|max|first|last)\(/.test(a.sql) && !isMutableBufferType(a.type));
    const groupFields: ScopeField[] = this.groupBound.map((g) => {
      const q = g.ordinal === undefined ? undefined : child.output[g.ordinal]?.qualifier;
      // A grouping key on event time keeps the watermark mark (Spark's attribute metadata), so a
      // following stateful operator sees it as event time.
      const delay = outputField(g, child.output).eventTimeDelayMs;
      return { name: g.name, type: g.type, nullable: g.nullable, ...(q === undefined ? {} : { qualifier: q }), ...(delay === undefined ? {} : { eventTimeDelayMs: delay }) };
    });
    const slotFields: ScopeField[] = this.aggs.map((a) => ({ name: a.sql, type: a.type, nullable: a.nullable }));
    const slots = new Map<string, number>([...calls.keys()].map((k, i) => [k, groupFields.length + i]));
    const intermediate: Scope = { fields: [...groupFields, ...slotFields], ...settings, aggregateSlots: slots };
    this.results = aggregates.map((a) => bindExpr(a, intermediate));
    this.output = [...groupFields, ...this.results.map((r) => ({ name: r.name, type: r.type, nullable: r.nullable }))];
  }

  get statefulIds(): readonly string[] {
    return [...this.child.statefulIds, this.operatorId];
  }

  /** Keys to split by: a grouping key, and no session window (its sessions merge across keys' rows). */
  get splittable(): boolean {
    return this.groupBound.length > 0 && this.sessionAt < 0;
  }

  /** The shuffle partitions of a row's groups: one, or one per window it falls in. */
  shufflePartitionsOf(_side: number, row: Row, ctx: OperatorContext): readonly number[] {
    const types = this.keyTypes;
    const n = ctx.shufflePartitions;
    if (this.sessionAt >= 0) return [this.sessionPartition(row, ctx)];
    const g = this.generatorAt;
    const base = this.groupBound.map((b, i) => (i === g ? null : b.eval(row, ctx)));
    if (g < 0) return [partitionOf(base, types, n)];
    const windows = (this.groupBound[g]?.eval(row, ctx) ?? []) as readonly Value[];
    return [...new Set(windows.map((w) => partitionOf(base.map((v, i) => (i === g ? w : v)), types, n)))];
  }

  /** A session aggregation's partition: of the grouping keys without the session. */
  private sessionPartition(row: Row, ctx: OperatorContext): number {
    const at = this.sessionAt;
    const keys = this.groupBound.filter((_, i) => i !== at).map((b) => b.eval(row, ctx));
    return partitionOf(keys, this.keyTypes.filter((_, i) => i !== at), ctx.shufflePartitions);
  }

  execute(inputs: ReadonlyArray<readonly Row[]>, ctx: OperatorContext): Row[] {
    const rows = this.child.execute(inputs, ctx);
    if (this.sessionAt >= 0) return this.executeSessions(rows, ctx);
    const store = ctx.stores(this.operatorId);
    const late = ctx.outputMode !== 'complete' && this.eventKey >= 0;
    const changed = this.windowed === undefined ? this.groupRows(rows, late, ctx) : windowGroups(rows, this.windowed, late, ctx);
    // Rows come out by shuffle partition (shuffle-order.ts); complete mode and append mode's
    // evictions in the order Spark's state store iterates (state-map-order.ts).
    const order = ctx.outputMode === 'update' ? undefined : this.stateOrder(ctx);
    order?.begin(ctx.batchId, store);
    for (const [key, state] of changed) {
      const combined = this.combine(state, store.get(key));
      changed.set(key, combined);
      store.put(key, combined);
      order?.put(key);
    }
    ctx.metrics.updated += changed.size;
    const out: Row[] = [];
    if (ctx.outputMode === 'complete') {
      const entries = order === undefined ? this.byPartition([...store.entries()] as Array<[string, readonly Value[]]>, ctx) : this.stored(order, store);
      for (const [, state] of entries) out.push(this.finish(state, ctx));
      order?.end();
      return out;
    }
    if (ctx.outputMode === 'update') for (const [, state] of this.byPartition([...changed], ctx)) out.push(this.finish(state, ctx));
    // Past the watermark a group can no longer change: append emits it once; both drop it.
    if (this.eventKey >= 0) {
      const isDone = ([, s]: [string, readonly Value[]]): boolean => this.isLate((s[0] ?? []) as readonly Value[], ctx.watermarkMs);
      let done: Array<[string, readonly Value[]]>;
      if (order !== undefined) done = this.stored(order, store).filter(isDone);
      else {
        done = ([...store.entries()] as Array<[string, readonly Value[]]>).filter(isDone);
        if (ctx.outputMode === 'append') done = this.byPartition(done, ctx);
      }
      for (const [key, state] of done) {
        if (ctx.outputMode === 'append') out.push(this.finish(state, ctx));
        store.delete(key);
        order?.remove(key);
        ctx.metrics.evicted += 1;
      }
    }
    order?.end();
    return out;
  }

  /** The batch's groups, first seen first, keyed by the JSON of their grouping values: `[groupValues, ...buffers]`. */
  private groupRows(rows: readonly Row[], late: boolean, ctx: OperatorContext): Map<string, Value[]> {
    const changed = new Map<string, Value[]>();
    const g = this.generatorAt;
    // Hot path: one plain grouping key (no window): no per-row arrays, one string key.
    const single = g < 0 && this.groupBound.length === 1 ? this.groupBound[0] : undefined;
    // Split over tasks: another task's groups are skipped before anything else.
    const owns = ctx.ownsPartition;
    const foreign = (groupValues: readonly Value[]): boolean => owns !== undefined && !owns(partitionOf(groupValues, this.keyTypes, ctx.shufflePartitions));
    for (const row of rows) {
      if (single !== undefined) {
        const v = single.eval(row, ctx);
        if (owns !== undefined && foreign([v])) continue;
        if (late && this.dropLate([v], ctx)) continue;
        const key = typeof v === 'string' && !NEEDS_JSON_ESCAPE.test(v) ? `["${v}"]` : stringifyValue([v]);
        this.accumulate(changed, key, v, true, row, ctx);
        continue;
      }
      const base = this.groupBound.map((b, i) => (i === g ? null : b.eval(row, ctx)));
      // A window() key puts the row in every window it falls in (Spark's Expand: latest first).
      const keys = g < 0 ? [base] : ((this.groupBound[g]?.eval(row, ctx) ?? []) as readonly Value[]).map((w) => base.map((v, i) => (i === g ? w : v)));
      for (const groupValues of keys) {
        if (foreign(groupValues)) continue;
        if (late && this.dropLate(groupValues, ctx)) continue;
        this.accumulate(changed, stringifyValue(groupValues), groupValues, false, row, ctx);
      }
    }
    return changed;
  }

  /** The order model of the state store (none for a sort-based aggregation: it sorts anyway). */
  private stateOrder(ctx: OperatorContext): StateMapOrder | undefined {
    if (this.sortBased) return undefined;
    const partitions = ctx.shufflePartitions;
    if (this.mapOrder?.partitions !== partitions) {
      this.mapOrder = { partitions, order: new StateMapOrder(groupKeyLocator(this.groupBound.map((b) => b.type), partitions)) };
    }
    return this.mapOrder.order;
  }

  /** Every stored group, partition by partition, each in its map's iteration order. */
  private stored(order: StateMapOrder, store: StateStore): Array<[string, readonly Value[]]> {
    const out: Array<[string, readonly Value[]]> = [];
    for (const p of order.partitions()) {
      for (const key of order.keys(p)) {
        const s = store.get(key);
        if (Array.isArray(s)) out.push([key, s as readonly Value[]]);
      }
    }
    return out;
  }

  /** Groups by shuffle partition; in a partition as given, or sorted for a sort aggregate. */
  private byPartition<T extends readonly [string, readonly Value[]]>(entries: readonly T[], ctx: OperatorContext): T[] {
    const types = this.groupBound.map((b) => b.type);
    const n = ctx.shufflePartitions;
    const groups = ([, s]: T): readonly Value[] => (s[0] ?? []) as readonly Value[];
    return byPartition(entries, (e) => partitionOf(groups(e), types, n), this.sortBased ? (a, b) => compareKeys(groups(a), groups(b)) : undefined);
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
    const order = this.sessionOrder(ctx, store);
    /** The sessions of each touched key before the batch. */
    const before = new Map<string, readonly Value[][]>();
    // Spark sorts a batch's rows by session start before merging (MergingSessionsExec), so the
    // buffers of a session combine in start order (what collect_list, first and last show).
    const withSessions: Array<{ row: Row; session: readonly number[] }> = [];
    const owns = ctx.ownsPartition;
    for (const row of owns === undefined ? rows : rows.filter((r) => owns(this.sessionPartition(r, ctx)))) {
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
      const key = stringifyValue(others);
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
      if (!before.has(key)) before.set(key, sessions);
      store.put(key, kept);
      touched.add(key);
    }
    ctx.metrics.updated += touched.size;
    const out: Row[] = [];
    const finish = (key: string, s: readonly Value[]): Row => {
      const others = parseValues(key);
      const groupValues = others.map((v, i) => (i === at ? [s[0] ?? null, s[1] ?? null] : v));
      const intermediate: Value[] = [...groupValues, ...this.aggs.map((a, i) => a.result(s[i + 2] ?? null))];
      return [...groupValues, ...this.results.map((r) => r.eval(intermediate, ctx))];
    };
    // Rows come out by shuffle partition (of the keys without the session), each partition in
    // its state store's order (keys and session start: StreamingSessionWindowStateManagerImplV1).
    const keysOf = (key: string): Value[] => (parseValues(key)).filter((_, i) => i !== at);
    if (order !== undefined) {
      // SessionWindowStateStoreSaveExec.putRows, key by key in sorted order: the key's sessions
      // that merged away are removed, then all its sessions put, by start.
      for (const key of [...touched].sort((a, b) => compareKeys(keysOf(a), keysOf(b)))) {
        const now = ((store.get(key) as Value[][] | undefined) ?? []).map((x) => sessionKey(key, x[0] ?? null));
        for (const x of before.get(key) ?? []) if (!now.includes(sessionKey(key, x[0] ?? null))) order.remove(sessionKey(key, x[0] ?? null));
        for (const k of now) order.put(k);
      }
    }
    const listed: Array<[string, readonly Value[]]> = [];
    if (order !== undefined) {
      for (const p of order.partitions()) {
        for (const k of order.keys(p)) {
          const [key, start] = splitSessionKey(k);
          const x = ((store.get(key) as Value[][] | undefined) ?? []).find((y) => Number(y[0]) === start);
          if (x !== undefined) listed.push([key, x]);
        }
      }
    } else {
      for (const [key, value] of store.entries()) for (const x of value as Value[][]) listed.push([key, x]);
      const types = this.groupBound.filter((_, i) => i !== at).map((b) => b.type);
      const n = ctx.shufflePartitions;
      listed.splice(0, listed.length, ...byPartition(listed, ([k]) => partitionOf(keysOf(k), types, n),
        (a, b) => compareKeys([...keysOf(a[0]), a[1][0] ?? null], [...keysOf(b[0]), b[1][0] ?? null])));
    }
    if (ctx.outputMode === 'complete') {
      for (const [key, x] of listed) out.push(finish(key, x));
      order?.end();
      return out;
    }
    const closed = listed.filter(([, x]) => ctx.watermarkMs > 0 && Number(x[1]) / 1000 <= ctx.watermarkMs);
    for (const [key, x] of closed) {
      out.push(finish(key, x));
      const open = ((store.get(key) as Value[][] | undefined) ?? []).filter((y) => Number(y[0]) !== Number(x[0]));
      if (open.length === 0) store.delete(key);
      else store.put(key, open);
      order?.remove(sessionKey(key, x[0] ?? null));
      ctx.metrics.evicted += 1;
    }
    order?.end();
    return out;
  }

  /**
   * The order model of a session aggregation's store (none for a sort-based one), begun for
   * this batch: one state key per key and session start, placed by the keys without the session.
   */
  private sessionOrder(ctx: OperatorContext, store: StateStore): StateMapOrder | undefined {
    if (this.sortBased) return undefined;
    const at = this.sessionAt;
    const partitions = ctx.shufflePartitions;
    if (this.mapOrder?.partitions !== partitions) {
      const types = this.groupBound.filter((_, i) => i !== at).map((b) => b.type);
      this.mapOrder = {
        partitions,
        order: new StateMapOrder((k) => {
          const [key, start] = splitSessionKey(k);
          const keys = (parseValues(key)).filter((_, i) => i !== at);
          return [partitionOf(keys, types, partitions), unsafeRowHashCode([...keys, start], [...types, 'timestamp'])];
        }),
      };
    }
    const order = this.mapOrder.order;
    order.begin(ctx.batchId, store, function* () {
      for (const [key, value] of store.entries()) for (const x of value as Value[][]) yield sessionKey(key, x[0] ?? null);
    });
    return order;
  }

  /** Late rows (their group's event time at or before the previous watermark) are dropped and counted. */
  private dropLate(groupValues: readonly Value[], ctx: OperatorContext): boolean {
    if (!this.isLate(groupValues, ctx.lateEventsWatermarkMs)) return false;
    ctx.metrics.droppedByWatermark += 1;
    return true;
  }

  /**
   * Adds a row to its group's buffers of this batch (begun empty: the stored ones are merged in
   * after the batch, combine). `single` passes a one-key group as its value.
   */
  private accumulate(
    changed: Map<string, Value[]>, key: string, group: Value | readonly Value[], single: boolean, row: Row, ctx: OperatorContext,
  ): void {
    let state = changed.get(key);
    if (state === undefined) {
      state = [single ? [group as Value] : group as Value, ...this.aggs.map((a) => a.init())];
      changed.set(key, state);
    }
    const aggs = this.aggs;
    for (let i = 0; i < aggs.length; i++) state[i + 1] = (aggs[i] as BoundAggregate).update(state[i + 1] ?? null, row, ctx);
  }

  /**
   * A group's buffers after the batch, combined as Spark's plan combines them, merge by merge
   * (which decides how doubles round): the batch's partial buffers merged into empty ones
   * (PartialMerge after the shuffle), then the stored buffers (StateStoreRestore puts them
   * first) and those merged into empty ones again (the PartialMerge StateStoreSave saves).
   */
  private combine(batch: readonly Value[], stored: Value | undefined): Value[] {
    const restored = Array.isArray(stored) ? (stored as readonly Value[]) : undefined;
    return [batch[0] ?? null, ...this.aggs.map((a, i) => {
      const partial = a.merge(a.init(), batch[i + 1] ?? null);
      const before = restored === undefined ? a.init() : a.merge(a.init(), restored[i + 1] ?? null);
      return a.merge(before, partial);
    })];
  }

  /** Spark's rule: a group is final once its event time (a window's end) <= the watermark. */
  private isLate(groupValues: readonly Value[], watermarkMs: number): boolean {
    if (this.eventKey < 0 || watermarkMs <= 0) return false;
    const v = groupValues[this.eventKey];
    const micros = Array.isArray(v) ? v[1] : v;
    return typeof micros === 'number' && micros / 1000 <= watermarkMs;
  }

  /** The group's output row: the Final aggregation merges the saved buffers into empty ones, then evaluates. */
  private finish(state: readonly Value[], ctx: OperatorContext): Row {
    const groupValues = (state[0] ?? []) as readonly Value[];
    const intermediate: Value[] = [...groupValues, ...this.aggs.map((a, i) => a.result(a.merge(a.init(), state[i + 1] ?? null)))];
    return [...groupValues, ...this.results.map((r) => r.eval(intermediate, ctx))];
  }
}

/** A session's state key: its start and its key's JSON. */
function sessionKey(key: string, start: Value): string {
  return `${Number(start)}|${key}`;
}

function splitSessionKey(k: string): [key: string, start: number] {
  const bar = k.indexOf('|');
  return [k.slice(bar + 1), Number(k.slice(0, bar))];
}
