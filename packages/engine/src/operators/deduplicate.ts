import type { Row } from '../core/types.js';
import { stringifyValue } from '../core/value-json.js';
import { resolveColumn, type ScopeField } from '../expressions/binder.js';
import { checkNoMapKey } from '../expressions/map-functions.js';
import { addCustomMetric, type OperatorContext, type PhysicalOperator } from './operator.js';
import { byPartition, partitionOf } from './shuffle-order.js';

/** Spark's streaming dropDuplicates: the first row of each key ever seen, keys kept in state. */
export class DeduplicateOperator implements PhysicalOperator {
  private readonly ordinals: number[];
  /** A watermarked key column: bounds the state (Spark's dropDuplicates with watermark). */
  private readonly eventTimeOrdinal: number;
  /**
   * The input's event-time column (or -1): rows at or before the watermark are late and dropped
   * even when it is not a key (StreamingDeduplicateExec's watermarkPredicateForDataForLateEvents).
   */
  private readonly lateOrdinal: number;

  constructor(private readonly child: PhysicalOperator, keys: readonly string[], timeZone: string, readonly operatorId: string) {
    this.ordinals = keys.length === 0
      ? child.output.map((_, i) => i)
      : keys.map((k) => resolveColumn(k, undefined, { fields: child.output, timeZone }));
    checkNoMapKey(this.ordinals.map((i) => child.output[i]).filter((f) => f !== undefined));
    this.eventTimeOrdinal = this.ordinals.find((i) => child.output[i]?.eventTimeDelayMs !== undefined) ?? -1;
    this.lateOrdinal = child.output.findIndex((f) => f.eventTimeDelayMs !== undefined);
  }

  get output(): readonly ScopeField[] {
    return this.child.output;
  }

  get statefulIds(): readonly string[] {
    return [...this.child.statefulIds, this.operatorId];
  }

  execute(inputs: ReadonlyArray<readonly Row[]>, ctx: OperatorContext): Row[] {
    const store = ctx.stores(this.operatorId);
    const out: Row[] = [];
    const t = this.eventTimeOrdinal;
    let dropped = 0;
    for (const row of this.child.execute(inputs, ctx)) {
      const time = t < 0 ? null : row[t];
      const eventTime = this.lateOrdinal < 0 ? null : row[this.lateOrdinal];
      // With a watermark on the input's event time, rows at or before it are late and dropped.
      if (typeof eventTime === 'number' && ctx.watermarkMs > 0 && eventTime / 1000 <= ctx.lateEventsWatermarkMs) {
        ctx.metrics.droppedByWatermark += 1;
        continue;
      }
      const key = stringifyValue(this.ordinals.map((i) => row[i] ?? null));
      if (store.get(key) !== undefined) {
        dropped += 1;
        continue;
      }
      store.put(key, typeof time === 'number' ? time : true);
      ctx.metrics.updated += 1;
      out.push(row);
    }
    // BaseStreamingDeduplicateExec's numDroppedDuplicateRows: rows whose key was seen before.
    addCustomMetric(ctx.metrics, this.operatorId, 'numDroppedDuplicateRows', dropped);
    if (t >= 0 && ctx.watermarkMs > 0) {
      const expired = [...store.entries()].filter(([, v]) => typeof v === 'number' && v / 1000 <= ctx.watermarkMs).map(([k]) => k);
      for (const k of expired) store.delete(k);
      ctx.metrics.evicted += expired.length;
    }
    // StreamingDeduplicateExec emits each shuffle partition's new rows in input order (shuffle-order.ts).
    const types = this.ordinals.map((i) => this.child.output[i]?.type ?? 'void');
    const n = ctx.shufflePartitions ?? 200;
    return byPartition(out, (row) => partitionOf(this.ordinals.map((i) => row[i] ?? null), types, n));
  }
}
