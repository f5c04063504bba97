import { typeSql, type DataType, type Row } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { resolveColumn, type ScopeField, type BindSettings } from '../expressions/binder.js';
import { EventTimeStats } from './event-time-stats.js';
import type { OperatorContext, PhysicalOperator } from './operator.js';

/** CheckAnalysis: a timestamp, or a struct whose `end` is one (a window). */
function isEventTimeType(type: DataType): boolean {
  if (type === 'timestamp') return true;
  return typeof type !== 'string' && type.kind === 'struct' && type.fields.some((f) => f.name === 'end' && f.type === 'timestamp');
}

/**
 * Spark's EventTimeWatermark: passes rows through, marks the column as event time, and
 * reports the batch's maximum event time so the watermark can advance after the batch, and
 * the batch's event-time statistics (Spark's EventTimeStats accumulator) for its progress.
 */
export class EventTimeWatermarkOperator implements PhysicalOperator {
  readonly output: ScopeField[];
  private readonly ordinal: number;

  /**
   * `describePlan` draws the analyzed plan with the event-time column's type, which Spark's
   * message carries after the error (CheckAnalysis fails with the plan).
   */
  constructor(
    private readonly child: PhysicalOperator, column: string, private readonly delayMs: number, settings: BindSettings, readonly operatorId: string,
    describePlan?: (eventTimeType: DataType) => string,
  ) {
    this.ordinal = resolveColumn(column, undefined, { fields: child.output, ...settings });
    const field = child.output[this.ordinal];
    if (field !== undefined && !isEventTimeType(field.type)) {
      const plan = describePlan === undefined ? '' : `;\n${describePlan(field.type)}`;
      throw new AnalysisException(
        `[EVENT_TIME_IS_NOT_ON_TIMESTAMP_TYPE] The event time \`${column}\` has the invalid type "${typeSql(field.type)}", but expected "TIMESTAMP". SQLSTATE: 42K09${plan}`,
      );
    }
    if (delayMs < 0) throw new AnalysisException(`delay threshold (${delayMs} ms) should not be negative.`);
    // EventTimeWatermark.output: the column gets the delay; any other column loses an earlier one.
    this.output = child.output.map((f, i) => {
      if (i === this.ordinal) return { ...f, eventTimeDelayMs: delayMs };
      if (f.eventTimeDelayMs === undefined) return f;
      const { eventTimeDelayMs: _dropped, ...rest } = f;
      return rest;
    });
  }

  get statefulIds(): readonly string[] {
    return this.child.statefulIds;
  }

  execute(inputs: ReadonlyArray<readonly Row[]>, ctx: OperatorContext): Row[] {
    const stats = EventTimeStats.zero();
    ctx.eventTime.register?.(this.operatorId, stats);
    const rows = this.child.execute(inputs, ctx);
    let max = Number.NEGATIVE_INFINITY;
    for (const row of rows) {
      const v = row[this.ordinal];
      const t = typeof v === 'number' ? v : Array.isArray(v) && typeof v[1] === 'number' ? v[1] - 1 : null;
      if (t === null) continue;
      if (t > max) max = t;
      stats.add(Math.floor(t / 1000));
    }
    if (max > Number.NEGATIVE_INFINITY) ctx.eventTime.observe(this.operatorId, Math.floor(max / 1000) - this.delayMs);
    return rows;
  }
}
