import type { Row } from '../core/types.js';
import { stringifyValue } from '../core/value-json.js';
import { resolveColumn, type ScopeField } from '../expressions/binder.js';
import { checkNoMapKey } from '../expressions/map-functions.js';
import { addCustomMetric, type OperatorContext, type PhysicalOperator } from './operator.js';
import { byPartition, partitionOf } from './shuffle-order.js';

/**
 * Spark's StreamingDeduplicateWithinWatermarkExec (`dropDuplicatesWithinWatermark`, 3.5+): the
 * first row of a key is emitted and the key kept in state with an expiry of its event time plus
 * the watermark delay (microseconds); a later row of the key is dropped while the key is in
 * state, whatever its event time. Rows at or below the watermark for late events are dropped;
 * a key is evicted once the watermark reaches its expiry.
 */
export class DeduplicateWithinWatermarkOperator implements PhysicalOperator {
  private readonly ordinals: number[];
  /** The child's watermarked column (the event time of the expiry). */
  private readonly eventTimeOrdinal: number;
  private readonly delayMicros: number;

  constructor(private readonly child: PhysicalOperator, keys: readonly string[], timeZone: string, readonly operatorId: string) {
    this.ordinals = keys.length === 0
      ? child.output.map((_, i) => i)
      : keys.map((k) => resolveColumn(k, undefined, { fields: child.output, timeZone }));
    checkNoMapKey(this.ordinals.map((i) => child.output[i]).filter((f) => f !== undefined));
    this.eventTimeOrdinal = child.output.findIndex((f) => f.eventTimeDelayMs !== undefined);
    // Without one the validator refuses the query (UnsupportedOperationChecker) before it runs.
    this.delayMicros = (child.output[this.eventTimeOrdinal]?.eventTimeDelayMs ?? 0) * 1000;
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
      if (typeof time === 'number' && ctx.watermarkMs > 0 && time / 1000 <= ctx.lateEventsWatermarkMs) {
        ctx.metrics.droppedByWatermark += 1;
        continue;
      }
      const key = stringifyValue(this.ordinals.map((i) => row[i] ?? null));
      if (store.get(key) !== undefined) {
        dropped += 1;
        continue;
      }
      store.put(key, typeof time === 'number' ? time + this.delayMicros : true);
      ctx.metrics.updated += 1;
      out.push(row);
    }
    // BaseStreamingDeduplicateExec's numDroppedDuplicateRows: rows whose key was seen before.
    addCustomMetric(ctx.metrics, this.operatorId, 'numDroppedDuplicateRows', dropped);
    // evictDupInfoFromState: the keys whose expiry the watermark reached.
    if (ctx.watermarkMs > 0) {
      const expired = [...store.entries()].filter(([, v]) => typeof v === 'number' && ctx.watermarkMs * 1000 >= v).map(([k]) => k);
      for (const k of expired) store.delete(k);
      ctx.metrics.evicted += expired.length;
    }
    // As StreamingDeduplicateExec: each shuffle partition's new rows in input order (shuffle-order.ts).
    const types = this.ordinals.map((i) => this.child.output[i]?.type ?? 'void');
    const n = ctx.shufflePartitions ?? 200;
    return byPartition(out, (row) => partitionOf(this.ordinals.map((i) => row[i] ?? null), types, n));
  }
}
