import type { Clock } from 'sluice/testing';

interface Sleeper {
  /** How many sleeps began before this one. */
  readonly seq: number;
  readonly start: number;
  readonly until: number;
  readonly wake: () => void;
}

/**
 * Spark's StreamManualClock: time moves only when the test advances it, and the test can see
 * that the stream is waiting for the next trigger at a given time.
 */
export class StreamManualClock implements Clock {
  private time: number;
  private sleepers: Sleeper[] = [];
  /** Sleeps begun so far. */
  private begun = 0;

  constructor(startMs = 0) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  getTimeMillis(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted === true) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        seq: this.begun++,
        start: this.time,
        until: this.time + ms,
        wake: () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          signal?.removeEventListener('abort', sleeper.wake);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', sleeper.wake, { once: true });
    });
  }

  advance(ms: number): void {
    this.time += ms;
    for (const s of [...this.sleepers]) if (s.until <= this.time) s.wake();
  }

  /** Sleeps begun so far: a mark for `isStreamWaitingAt`. */
  get sleeps(): number {
    return this.begun;
  }

  /**
   * Whether something sleeps since `time` (the stream waits for its next trigger there),
   * counting only sleeps begun after `mark` (a stopped run's leftover waits are not the stream's).
   */
  isStreamWaitingAt(time: number, mark = 0): boolean {
    return this.sleepers.some((s) => s.start === time && s.seq >= mark);
  }
}
