/**
 * Spark's EventTimeStats: the max, min, average and count of the event times (ms) one
 * `withWatermark` saw in a batch, which the query progress reports as `eventTime` (max, min,
 * avg). The average is kept as a running mean, so large values and counts do not overflow.
 */
export class EventTimeStats {
  constructor(public max: number, public min: number, public avg: number, public count: number) {}

  /** No event time seen yet (Spark's EventTimeStats.zero). */
  static zero(): EventTimeStats {
    return new EventTimeStats(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 0, 0);
  }

  add(eventTimeMs: number): void {
    this.max = Math.max(this.max, eventTimeMs);
    this.min = Math.min(this.min, eventTimeMs);
    this.count += 1;
    this.avg += (eventTimeMs - this.avg) / this.count;
  }

  merge(that: EventTimeStats): void {
    if (that.count === 0) return;
    if (this.count === 0) {
      this.max = that.max;
      this.min = that.min;
      this.count = that.count;
      this.avg = that.avg;
      return;
    }
    this.max = Math.max(this.max, that.max);
    this.min = Math.min(this.min, that.min);
    this.count += that.count;
    this.avg += ((that.avg - this.avg) * that.count) / this.count;
  }
}
