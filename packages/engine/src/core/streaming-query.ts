import type { StreamingQueryProgress } from './streaming-query-progress.js';

/** Spark's StreamingQueryStatus. */
export interface StreamingQueryStatus {
  readonly message: string;
  readonly isDataAvailable: boolean;
  readonly isTriggerActive: boolean;
}

/** A handle to a running query, as PySpark's StreamingQuery. */
export interface StreamingQuery {
  /** Stable across restarts from the same checkpoint; empty until the query has started. */
  readonly id: string;
  /** New for every start. */
  readonly runId: string;
  readonly name: string | null;
  readonly isActive: boolean;
  readonly lastProgress: StreamingQueryProgress | null;
  readonly recentProgress: readonly StreamingQueryProgress[];
  readonly status: StreamingQueryStatus;
  /**
   * Waits until the query ends, by `stop()`, by itself (once / availableNow triggers) or by
   * failure (then it rejects with the error). With a timeout, resolves false if still running.
   */
  awaitTermination(timeoutMs?: number): Promise<boolean>;
  /** Resolves when the query has started (connections made, checkpoint recovered). */
  awaitStarted(): Promise<void>;
  /** Stops the query after the batch in flight and releases everything it holds. */
  stop(): Promise<void>;
  exception(): Error | null;
}
