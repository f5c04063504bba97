import type { DataFrame } from '../api/data-frame.js';
import type { Row } from '../core/types.js';
import { IllegalStateError } from '../errors/illegal-state-error.js';
import type { MemoryStream } from './memory-stream.js';
import { StreamTest, type BatchProgress, type StateOperatorProgress } from './stream-test.js';

type Data = ReadonlyArray<readonly unknown[]>;

function sortedJson(rows: readonly Row[]): string {
  return JSON.stringify(rows.map((r) => JSON.stringify(r)).sort());
}

function same(what: string, actual: unknown, expected: unknown): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new IllegalStateError(`SparkStreamTest: ${what} was ${a}, expected ${e}`);
}

/**
 * Spark's `testStream(df, outputMode)(actions...)` for transcribed Spark tests, over StreamTest:
 * `add` is AddData / MultiAddData followed by the no-data batches processAllAvailable lets run;
 * `checkNewAnswer` compares the rows the sink got since the last check in any order,
 * `checkAnswer` all rows the sink holds (in complete mode, as Spark's memory sink, only the
 * last batch). Progress (`assertNumStateRows`, the batch watermark) is StreamTest's record of
 * each batch; a restart starts a new query run, as Spark's StartStream does.
 *
 * With `withManualClock()` (Spark's StartStream(Trigger.ProcessingTime(...), manualClock)),
 * `add` only adds data: a batch runs at `startStream()` and at each `advanceManualClock`, with
 * the data added (or without data when the watermark moved), one batch a trigger.
 */
export class SparkStreamTest {
  private readonly test: StreamTest;
  private answered = 0;
  private checkedProgress = 0;
  private readonly complete: boolean;
  private manualClock = false;
  private clock = 0;
  private pending: Array<readonly [MemoryStream, Data]> = [];

  constructor(df: DataFrame, private readonly outputMode = 'append') {
    this.test = StreamTest.of(df.writeStream.outputMode(outputMode));
    this.complete = outputMode.toLowerCase() === 'complete';
  }

  /** One batch with these streams' rows, then the no-data batches Spark would run. */
  add(...entries: ReadonlyArray<readonly [MemoryStream, Data]>): this {
    if (this.manualClock) this.pending.push(...entries);
    else this.test.multiAddData(entries).processAllAvailable();
    return this;
  }

  /** Batches from now on run on a manual clock (see the class comment). */
  withManualClock(): this {
    this.manualClock = true;
    return this;
  }

  /** One trigger of a manual clock: the data added, else a no-data batch if Spark would run one. */
  private trigger(): void {
    if (this.pending.length > 0) {
      const entries = this.pending;
      this.pending = [];
      this.test.multiAddData(entries);
    } else if (this.test.needsNoDataBatch) this.test.runNoDataBatch();
  }

  /** Spark's AdvanceManualClock: the clock moves, one trigger fires. */
  advanceManualClock(ms: number): this {
    this.advanceClock(ms);
    this.trigger();
    return this;
  }

  /** Moves the clock without a trigger (Spark's `clock.advance` while the query is stopped). */
  advanceClock(ms: number): this {
    this.test.advanceClock(ms);
    this.clock += ms;
    return this;
  }

  /** The test clock (Spark's `clock.getTimeMillis()`), in ms. */
  get clockMs(): number {
    return this.clock;
  }

  /** Every batch's progress, in order (Spark's `recentProgress` over the query's runs). */
  get progress(): readonly BatchProgress[] {
    return this.test.progress;
  }

  get lastProgress(): BatchProgress {
    const last = this.test.progress[this.test.progress.length - 1];
    if (last === undefined) throw new IllegalStateError('SparkStreamTest: no progress made');
    return last;
  }

  /** What Spark's memory sink holds: every row, or in complete mode the last batch's. */
  private sinkRows(from: number): Row[] {
    if (!this.complete) return this.test.batches.slice(from).flat();
    return from < this.test.batches.length ? [...(this.test.batches[this.test.batches.length - 1] ?? [])] : [];
  }

  checkNewAnswer(...rows: Row[]): this {
    const got = this.sinkRows(this.answered);
    this.answered = this.test.batches.length;
    same('new answer', sortedJson(got), sortedJson(rows));
    return this;
  }

  checkAnswer(...rows: Row[]): this {
    this.answered = this.test.batches.length;
    same('answer', sortedJson(this.sinkRows(0)), sortedJson(rows));
    return this;
  }

  /** Spark's CheckLastBatch: the last batch's rows, in any order. */
  checkLastBatch(...rows: Row[]): this {
    this.answered = this.test.batches.length;
    same('last batch', sortedJson(this.test.batches[this.test.batches.length - 1] ?? []), sortedJson(rows));
    return this;
  }

  /** Spark's CheckLastBatch(isSorted = true, ...): the last batch's rows, in this order. */
  checkLastBatchInOrder(...rows: Row[]): this {
    this.answered = this.test.batches.length;
    same('last batch', this.test.batches[this.test.batches.length - 1] ?? [], rows);
    return this;
  }

  /**
   * Spark's assertNumStateRows: rows in state after the last batch; rows added to state, rows
   * dropped as late (and removed, when given) summed over the batches since the last check.
   * One number per stateful operator, top-down, as Spark's `Seq`s; a single number (or a
   * one-element array) for a query with one. With several operators the rows dropped as late
   * are only known summed over them (see StateOperatorProgress), so their sum is compared.
   */
  assertNumStateRows(
    total: number | readonly number[], updated: number | readonly number[],
    droppedByWatermark: number | readonly number[] = 0, removed?: number | readonly number[],
  ): this {
    const last = this.lastProgress;
    const since = this.test.progress.slice(this.checkedProgress);
    this.checkedProgress = this.test.progress.length;
    const sum = (pick: (p: BatchProgress) => number): number => since.reduce((n, p) => n + pick(p), 0);
    const list = (x: number | readonly number[]): readonly number[] => (typeof x === 'number' ? [x] : x);
    if (list(total).length <= 1) {
      // One operator (or the join suite's scalar form): the counts the query's operators reported.
      same('state rows (total, updated, dropped)', [last.stateRows, sum((p) => p.metrics.updated), sum((p) => p.metrics.droppedByWatermark)],
        [list(total)[0], list(updated)[0], list(droppedByWatermark)[0] ?? 0]);
      if (removed !== undefined) same('removed state rows', sum((p) => p.metrics.evicted), list(removed)[0]);
      return this;
    }
    const ops = last.stateOperators;
    same('stateful operators', ops.length, list(total).length);
    const perOp = (pick: (o: StateOperatorProgress) => number): number[] =>
      ops.map((_, i) => since.reduce((n, p) => n + (p.stateOperators[i] === undefined ? 0 : pick(p.stateOperators[i])), 0));
    same('state rows per operator', ops.map((o) => o.numRowsTotal), list(total));
    same('updated state rows per operator', perOp((o) => o.numRowsUpdated), list(updated));
    same('rows dropped by watermark (summed over the operators)', sum((p) => p.metrics.droppedByWatermark),
      list(droppedByWatermark).reduce((a, b) => a + b, 0));
    if (removed !== undefined) same('removed state rows per operator', perOp((o) => o.numRowsRemoved), list(removed));
    return this;
  }

  /**
   * Marks the progress so far as checked, as Spark's other progress assertions do besides their
   * check (e.g. assertStateOperatorProgressMetric, on shuffle partitions and state store
   * instances, which Sluice has not).
   */
  markProgressChecked(): this {
    this.checkedProgress = this.test.progress.length;
    return this;
  }

  /** The watermark the last batch ran at (Spark's `lastProgress.eventTime.watermark`), in ms. */
  get lastBatchWatermarkMs(): number {
    return this.test.progress[this.test.progress.length - 1]?.batchWatermarkMs ?? 0;
  }

  /** Spark's StopStream. */
  stopStream(): this {
    this.test.stopStream();
    return this;
  }

  /**
   * Spark's StartStream: state and watermark from the checkpoint; a new run of the query (its
   * progress counted afresh). With a DataFrame, that query on this checkpoint. On a manual
   * clock, the first trigger fires (unless the start re-ran a batch whose commit was lost).
   */
  startStream(df?: DataFrame): this {
    const before = this.test.progress.length;
    this.test.startStream(df?.writeStream.outputMode(this.outputMode));
    this.checkedProgress = before;
    if (this.manualClock && this.test.progress.length === before) this.trigger();
    return this;
  }

  /** While stopped: the last batch's commit is lost; the next start runs it again (see StreamTest). */
  purgeLastCommit(): this {
    this.test.purgeLastCommit();
    return this;
  }

  /** StopStream then StartStream: state and watermark from the checkpoint. */
  restart(df?: DataFrame): this {
    return this.stopStream().startStream(df);
  }

  /** The batch of these rows of source 0 fails with an error matching `message`. */
  expectFailure(rows: readonly Row[], message: RegExp): this {
    this.test.expectFailure(rows, message);
    return this;
  }
}
