/**
 * Spark's ProcessingTimeExecutor: triggers fire at multiples of the interval; a batch is
 * "falling behind" only when it took longer than the interval, and the next trigger waits for
 * the next multiple after the batch's start (at once when that time has passed).
 */
export interface TriggerTiming {
  /** Milliseconds the batch took, when longer than the interval (Spark's warning), else null. */
  readonly behindMs: number | null;
  /** Milliseconds to wait before the next trigger. */
  readonly sleepMs: number;
}

export function processingTimeTiming(triggerStart: number, now: number, intervalMs: number): TriggerTiming {
  const next = Math.floor(triggerStart / intervalMs) * intervalMs + intervalMs;
  const elapsed = now - triggerStart;
  return { behindMs: elapsed > intervalMs ? elapsed : null, sleepMs: Math.max(0, next - now) };
}
