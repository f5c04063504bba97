/** Offsets keyed by partition, as the executor keeps a source's offsets. */
type Offsets = Readonly<Record<string, number>>;

/**
 * Spark's maxOffsetsPerTrigger (KafkaMicroBatchStream.rateLimit): each partition with new
 * offsets gets its share of `limit` in proportion to what it has pending, rounded down, but a
 * share below one rounds up so that small partitions are not starved; never past `until`.
 * A partition missing from `from` starts at its earliest offset, 0.
 */
export function rateLimit(limit: number, from: Offsets, until: Offsets): Record<string, number> {
  const sizes = new Map<string, number>();
  for (const [p, end] of Object.entries(until)) {
    const size = end - (from[p] ?? 0);
    if (size > 0) sizes.set(p, size);
  }
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  if (total < 1) return { ...until };
  const out: Record<string, number> = {};
  for (const [p, end] of Object.entries(until)) {
    const size = sizes.get(p);
    if (size === undefined) {
      out[p] = end;
      continue;
    }
    const prorate = limit * (size / total);
    const share = prorate < 1 ? Math.ceil(prorate) : Math.floor(prorate);
    out[p] = Math.min(end, (from[p] ?? 0) + share);
  }
  return out;
}
