import type { DataType, Row, Value } from '../core/types.js';
import { stringifyValue } from '../core/value-json.js';
import { resolveColumn, type ScopeField, type BindSettings } from '../expressions/binder.js';
import { checkNoMapKey } from '../expressions/map-functions.js';
import { addCustomMetric, type OperatorContext, type PhysicalOperator } from './operator.js';
import { byPartition, partitionOf } from './shuffle-order.js';

/**
 * Spark's streaming deduplication (BaseStreamingDeduplicateExec): the first row of each key is
 * emitted and the key kept in state; a later row of a key in state is dropped. Rows at or below
 * the watermark for late events are dropped first. The two kinds differ only in a key's expiry:
 * - `dropDuplicates` (StreamingDeduplicateExec): the value of a watermarked key column, when the
 *   keys hold one; without one, keys are kept for ever.
 * - `dropDuplicatesWithinWatermark` (StreamingDeduplicateWithinWatermarkExec, 3.5+): the row's
 *   event time plus the watermark delay, whatever the keys.
 * A key is evicted once the watermark reaches its expiry (microseconds).
 */
export class DeduplicateOperator implements PhysicalOperator {
  private readonly ordinals: number[];
  private readonly types: DataType[];
  /**
   * The input's event-time column (or -1): rows at or before the watermark are late and dropped
   * even when it is not a key (watermarkPredicateForDataForLateEvents).
   */
  private readonly lateOrdinal: number;
  /** The column whose value (plus `expiryDelayMicros`) is a key's expiry, or -1: never expires. */
  private readonly expiryOrdinal: number;
  private readonly expiryDelayMicros: number;

  constructor(
    private readonly child: PhysicalOperator,
    keys: readonly string[],
    settings: BindSettings,
    readonly operatorId: string,
    withinWatermark = false,
  ) {
    this.ordinals = keys.length === 0
      ? child.output.map((_, i) => i)
      : keys.map((k) => resolveColumn(k, undefined, { fields: child.output, ...settings }));
    checkNoMapKey(this.ordinals.map((i) => child.output[i]).filter((f) => f !== undefined));
    this.types = this.ordinals.map((i) => child.output[i]?.type ?? 'void');
    this.lateOrdinal = child.output.findIndex((f) => f.eventTimeDelayMs !== undefined);
    if (withinWatermark) {
      // Without a watermark the validator refuses the query (UnsupportedOperationChecker) before it runs.
      this.expiryOrdinal = this.lateOrdinal;
      this.expiryDelayMicros = (child.output[this.lateOrdinal]?.eventTimeDelayMs ?? 0) * 1000;
    } else {
      this.expiryOrdinal = this.ordinals.find((i) => child.output[i]?.eventTimeDelayMs !== undefined) ?? -1;
      this.expiryDelayMicros = 0;
    }
  }

  get output(): readonly ScopeField[] {
    return this.child.output;
  }

  get statefulIds(): readonly string[] {
    return [...this.child.statefulIds, this.operatorId];
  }

  readonly splittable = true;

  /** The shuffle partition of a row's key. */
  shufflePartitionsOf(_side: number, row: Row, ctx: OperatorContext): readonly number[] {
    return [partitionOf(this.keyOf(row), this.types, ctx.shufflePartitions)];
  }

  private keyOf(row: Row): Value[] {
    return this.ordinals.map((i) => row[i] ?? null);
  }

  execute(inputs: ReadonlyArray<readonly Row[]>, ctx: OperatorContext): Row[] {
    const store = ctx.stores(this.operatorId);
    const out: Row[] = [];
    const late = this.lateOrdinal;
    const expiry = this.expiryOrdinal;
    let dropped = 0;
    const owns = ctx.ownsPartition;
    for (const row of this.child.execute(inputs, ctx)) {
      // Split over tasks: another task's keys are skipped before anything else.
      if (owns !== undefined && !owns(partitionOf(this.keyOf(row), this.types, ctx.shufflePartitions))) continue;
      const eventTime = late < 0 ? null : row[late];
      if (typeof eventTime === 'number' && ctx.watermarkMs > 0 && eventTime / 1000 <= ctx.lateEventsWatermarkMs) {
        ctx.metrics.droppedByWatermark += 1;
        continue;
      }
      const key = stringifyValue(this.keyOf(row));
      if (store.get(key) !== undefined) {
        dropped += 1;
        continue;
      }
      const time = expiry < 0 ? null : row[expiry];
      store.put(key, typeof time === 'number' ? time + this.expiryDelayMicros : true);
      ctx.metrics.updated += 1;
      out.push(row);
    }
    // BaseStreamingDeduplicateExec's numDroppedDuplicateRows: rows whose key was seen before.
    addCustomMetric(ctx.metrics, this.operatorId, 'numDroppedDuplicateRows', dropped);
    // evictDupInfoFromState: the keys whose expiry the watermark reached.
    if (expiry >= 0 && ctx.watermarkMs > 0) {
      const expired = [...store.entries()].filter(([, v]) => typeof v === 'number' && v / 1000 <= ctx.watermarkMs).map(([k]) => k);
      for (const k of expired) store.delete(k);
      ctx.metrics.evicted += expired.length;
    }
    // Each shuffle partition's new rows in input order (shuffle-order.ts).
    const n = ctx.shufflePartitions;
    return byPartition(out, (row) => partitionOf(this.keyOf(row), this.types, n));
  }
}
