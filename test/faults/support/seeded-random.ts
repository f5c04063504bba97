/**
 * A seeded random source for fault schedules: the seed is printed, and SLUICE_FAULT_SEED set to
 * it replays the same schedule (the same victims, gaps and down times) after a failure.
 */
export class SeededRandom {
  private state: number;

  private constructor(readonly seed: number) {
    this.state = seed;
  }

  /** The seed from SLUICE_FAULT_SEED, else a fresh one; printed with the case's name. */
  static forCase(name: string): SeededRandom {
    const given = process.env['SLUICE_FAULT_SEED'];
    const seed = given !== undefined && given !== '' ? Number(given) >>> 0 : Math.floor(Math.random() * 2 ** 32) >>> 0;
    process.stdout.write(`FAULT ${name}: seed ${seed} (replay with SLUICE_FAULT_SEED=${seed})\n`);
    return new SeededRandom(seed);
  }

  /** A float in [0, 1) (mulberry32: small, and good enough to spread kills). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/** One kill of a schedule: wait `gapMs`, kill -9 `victim`, start it again `downMs` later. */
export interface Kill<V> {
  readonly gapMs: number;
  readonly victim: V;
  readonly downMs: number;
}

/** `min`–`max` kills with gaps of `gapMs` and down times of `downMs` (ranges), victims from `victims`. */
export function killSchedule<V>(
  random: SeededRandom,
  victims: readonly V[],
  count: readonly [number, number],
  gapMs: readonly [number, number],
  downMs: readonly [number, number],
): Array<Kill<V>> {
  return Array.from({ length: random.int(count[0], count[1]) }, () => ({
    gapMs: random.int(gapMs[0], gapMs[1]),
    victim: random.pick(victims),
    downMs: random.int(downMs[0], downMs[1]),
  }));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
