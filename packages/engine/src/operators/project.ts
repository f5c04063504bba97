import type { Row, Value } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { bindExpr, containsWindow, type Scope, type ScopeField, type BindSettings } from '../expressions/binder.js';
import type { Bound } from '../expressions/bound.js';
import type { Expr } from '../expressions/expr.js';
import type { PhysicalOperator } from './operator.js';
import { WindowStage } from './window.js';

/** Expands `*` and `t.*` into the input's columns. */
export function expandStars(exprs: readonly Expr[], input: readonly ScopeField[]): Expr[] {
  return exprs.flatMap((e): Expr[] => {
    if (e.kind !== 'star') return [e];
    const fields = e.qualifier === undefined ? input : input.filter((f) => f.qualifier?.toLowerCase() === e.qualifier?.toLowerCase());
    const struct = e.qualifier === undefined || fields.length > 0 ? undefined : input.find((f) => f.name.toLowerCase() === e.qualifier?.toLowerCase());
    if (struct !== undefined && typeof struct.type !== 'string' && struct.type.kind === 'struct') {
      // `data.*` on a struct column: one column per field (Spark's star expansion of a struct).
      return struct.type.fields.map((f): Expr => ({ kind: 'extract', child: { kind: 'column', name: struct.name }, field: { kind: 'literal', value: f.name, type: 'string' } }));
    }
    if (e.qualifier !== undefined && fields.length === 0) {
      throw new AnalysisException(`[CANNOT_RESOLVE_STAR_EXPAND] Cannot resolve \`${e.qualifier}\`.* given input columns ${input.map((f) => `\`${f.name}\``).join(', ')}. Please check that the specified table or struct exists and is accessible in the input columns. SQLSTATE: 42704`);
    }
    return fields.map((f) => ({ kind: 'column', name: f.name, ...(f.qualifier === undefined ? {} : { qualifier: f.qualifier }) }));
  });
}

/**
 * The output field of a bound expression: a direct column reference keeps its qualifier and
 * its watermark mark (Spark keeps the attribute's metadata); a window over event time too.
 */
export function outputField(b: Bound, input: readonly ScopeField[]): ScopeField {
  const source = b.ordinal === undefined ? undefined : input[b.ordinal];
  const qualifier = source !== undefined && b.name === source.name ? source.qualifier : undefined;
  const delay = source?.eventTimeDelayMs ?? (b.eventTime === 'window' ? windowDelay(input) : undefined);
  return {
    name: b.name, type: b.type, nullable: b.nullable,
    ...(qualifier === undefined ? {} : { qualifier }),
    ...(delay === undefined ? {} : { eventTimeDelayMs: delay }),
  };
}

function windowDelay(input: readonly ScopeField[]): number | undefined {
  return input.find((f) => f.eventTimeDelayMs !== undefined)?.eventTimeDelayMs;
}

/** Spark's Project (and Generate, for one `explode` among the expressions; Window, for window functions). */
export class ProjectOperator implements PhysicalOperator {
  readonly output: ScopeField[];
  private readonly bound: Bound[];
  private readonly generatorAt: number;
  /** A `session_window(...)` column (or -1): rows without a session are dropped. */
  private readonly sessionAt: number;
  /** The window functions among the expressions (Spark's Window operators below the Project). */
  readonly windows: WindowStage | undefined;

  constructor(private readonly child: PhysicalOperator, exprs: readonly Expr[], settings: BindSettings) {
    const expanded = expandStars(exprs, child.output);
    // Window functions are computed first, as extra input columns the expressions then read.
    const windows = expanded.some(containsWindow) ? new WindowStage(expanded, { fields: child.output, ...settings }) : undefined;
    this.windows = windows;
    const scope: Scope = windows === undefined
      ? { fields: child.output, ...settings }
      : { fields: [...child.output, ...windows.fields], ...settings, windowSlots: windows.slots };
    this.bound = expanded.map((e) => bindExpr(e, scope));
    const generators = this.bound.filter((b) => b.generator !== undefined);
    if (generators.length > 1) {
      throw new AnalysisException(`[UNSUPPORTED_GENERATOR.MULTI_GENERATOR] The generator is not supported: only one generator allowed per SELECT clause but found ${generators.length}: ${generators.map((g) => `"${g.sql}"`).join(', ')}. SQLSTATE: 42K0E`);
    }
    this.generatorAt = this.bound.findIndex((b) => b.generator !== undefined);
    this.sessionAt = this.bound.findIndex((b) => b.session !== undefined);
    // A generator of several columns (posexplode) gives all of them, in its place.
    this.output = this.bound.flatMap((b) => b.generator?.columns?.map((f): ScopeField => ({ ...f })) ?? [outputField(b, child.output)]);
  }

  get statefulIds(): readonly string[] {
    return this.child.statefulIds;
  }

  execute(inputs: ReadonlyArray<readonly Row[]>, ctx: Parameters<PhysicalOperator['execute']>[1]): Row[] {
    const input = this.child.execute(inputs, ctx);
    const rows = this.windows === undefined ? input : this.windows.run(input, ctx);
    const bound = this.bound;
    const g = this.generatorAt;
    if (g < 0) {
      // Plain loops: a closure per row (bound.map over the row) was a third of a projection's cost.
      const evals = bound.map((b) => b.eval);
      const n = evals.length;
      const out: Row[] = new Array<Row>(rows.length);
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r] as Row;
        const values: Value[] = new Array<Value>(n);
        for (let i = 0; i < n; i++) values[i] = (evals[i] as (typeof evals)[number])(row, ctx);
        out[r] = values;
      }
      // SessionWindowing filters the rows without a session (NULL time; gap NULL, invalid or <= 0).
      const s = this.sessionAt;
      return s < 0 ? out : out.filter((row) => row[s] !== null);
    }
    const out: Row[] = [];
    const columns = bound[g]?.generator?.columns;
    if (columns !== undefined) {
      // Each element is a row of the generator's columns, spread in its place.
      for (const row of rows) {
        const before = bound.slice(0, g).map((b) => b.eval(row, ctx));
        const after = bound.slice(g + 1).map((b) => b.eval(row, ctx));
        const items = bound[g]?.eval(row, ctx) ?? null;
        const list = Array.isArray(items) ? (items as readonly Value[]) : [];
        if (list.length === 0 && bound[g]?.generator?.outer === true) out.push([...before, ...columns.map(() => null), ...after]);
        for (const item of list) out.push([...before, ...(item as readonly Value[]), ...after]);
      }
      return out;
    }
    const only = bound.length === 1 ? bound[0] : undefined;
    if (only !== undefined && only.generator?.outer === false) {
      // select(explode(...)) alone: one row per element, no intermediate arrays.
      for (const row of rows) {
        const items = only.eval(row, ctx);
        if (Array.isArray(items)) for (const item of items as readonly Value[]) out.push([item]);
      }
      return out;
    }
    for (const row of rows) {
      const values = bound.map((b, i) => (i === g ? null : b.eval(row, ctx)));
      const items = bound[g]?.eval(row, ctx) ?? null;
      const list = Array.isArray(items) ? (items as readonly Value[]) : [];
      if (list.length === 0 && bound[g]?.generator?.outer === true) out.push(values);
      for (const item of list) out.push(values.map((v, i) => (i === g ? item : v)));
    }
    return out;
  }
}

