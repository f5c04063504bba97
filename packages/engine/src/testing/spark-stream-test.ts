import type { DataFrame } from '../api/data-frame.js';
import type { Row } from '../api/types.js';
import type { StateMetrics } from '../operators/operator.js';
import { streamingSources } from '../plan/logical-plan.js';
import { IllegalStateError } from '../errors/illegal-state-error.js';
import type { MemoryStream } from './memory-stream.js';
import { PlanRunner } from './plan-runner.js';
import { StreamTest } from './stream-test.js';

type Data = ReadonlyArray<readonly unknown[]>;

/** What Spark's query progress says of one batch: the watermark it ran at, its state counts. */
interface BatchProgress {
  readonly batchWatermarkMs: number;
  readonly stateRows: number;
  readonly metrics: StateMetrics;
}

function sortedJson(rows: readonly Row[]): string {
  return JSON.stringify(rows.map((r) => JSON.stringify(r)).sort());
}

function same(what: string, actual: unknown, expected: unknown): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new IllegalStateError(`SparkStreamTest: ${what} was ${a}, expected ${e}`);
}

/**
 * Spark's `testStream(df)(actions...)` for transcribed Spark tests, over StreamTest: `add` is
 * AddData / MultiAddData followed by the no-data batches processAllAvailable lets run;
 * `checkNewAnswer` compares the rows the sink got since the last check in any order,
 * `checkAnswer` all rows so far.
 *
 * StreamTest has no query progress yet, so a PlanRunner fed the same batches stands in for it
 * (`assertNumStateRows`, the batch watermark). The twin does not restart: a restart keeps the
 * state and the global watermark and only forgets each input's own watermark, which shows only
 * where a test watches the watermark across a restart.
 */
export class SparkStreamTest {
  private readonly test: StreamTest;
  private readonly twin: PlanRunner;
  /** The memory stream id of each source, by source index. */
  private readonly sourceIds: readonly string[];
  private answered = 0;
  private readonly progress: BatchProgress[] = [];
  private progressChecked = 0;

  constructor(df: DataFrame, outputMode = 'append') {
    const writer = df.writeStream.outputMode(outputMode);
    this.test = StreamTest.of(writer);
    const plan = writer.toPlan();
    this.twin = new PlanRunner(plan);
    this.sourceIds = streamingSources(plan.root).map((s) => s.options['id'] ?? '');
  }

  /** One batch with these streams' rows, then the no-data batches Spark would run. */
  add(...entries: ReadonlyArray<readonly [MemoryStream, Data]>): this {
    this.test.multiAddData(entries).processAllAvailable();
    const inputs = this.sourceIds.map((): Row[] => []);
    for (const [stream, rows] of entries) inputs[this.sourceIds.indexOf(stream.id)]?.push(...stream.toRows(rows));
    this.runTwin(inputs);
    while (this.twin.needsNoDataBatch) this.runTwin(this.sourceIds.map(() => []));
    return this;
  }

  private runTwin(inputs: ReadonlyArray<readonly Row[]>): void {
    const batchWatermarkMs = this.twin.watermarkMs;
    this.twin.runBatch(inputs, true);
    const metrics = this.twin.lastMetrics ?? { droppedByWatermark: 0, evicted: 0, updated: 0 };
    this.progress.push({ batchWatermarkMs, stateRows: this.twin.stateRows, metrics });
  }

  checkNewAnswer(...rows: Row[]): this {
    const got = this.test.batches.slice(this.answered).flat();
    this.answered = this.test.batches.length;
    same('new answer', sortedJson(got), sortedJson(rows));
    return this;
  }

  checkAnswer(...rows: Row[]): this {
    this.answered = this.test.batches.length;
    same('answer', sortedJson(this.test.batches.flat()), sortedJson(rows));
    return this;
  }

  /** Spark's CheckLastBatch: the last batch's rows, in any order. */
  checkLastBatch(...rows: Row[]): this {
    this.answered = this.test.batches.length;
    same('last batch', sortedJson(this.test.batches[this.test.batches.length - 1] ?? []), sortedJson(rows));
    return this;
  }

  /**
   * Spark's assertNumStateRows: rows in state after the last batch; rows added to state, rows
   * dropped as late (and removed, when given) summed over the batches since the last check.
   */
  assertNumStateRows(total: number, updated: number, droppedByWatermark = 0, removed?: number): this {
    const last = this.progress[this.progress.length - 1];
    if (last === undefined) throw new IllegalStateError('SparkStreamTest: no progress made, cannot check num state rows');
    const since = this.progress.slice(this.progressChecked);
    this.progressChecked = this.progress.length;
    const sum = (pick: (m: StateMetrics) => number): number => since.reduce((n, p) => n + pick(p.metrics), 0);
    same('state rows (total, updated, dropped)', [last.stateRows, sum((m) => m.updated), sum((m) => m.droppedByWatermark)], [total, updated, droppedByWatermark]);
    if (removed !== undefined) same('removed state rows', sum((m) => m.evicted), removed);
    return this;
  }

  /** The watermark the last batch ran at (Spark's `lastProgress.eventTime.watermark`), in ms. */
  get lastBatchWatermarkMs(): number {
    return this.progress[this.progress.length - 1]?.batchWatermarkMs ?? 0;
  }

  /** StopStream then StartStream: state and watermark from the checkpoint. */
  restart(): this {
    this.test.stopStream().startStream();
    return this;
  }

  /** The batch of these rows of source 0 fails with an error matching `message`. */
  expectFailure(rows: readonly Row[], message: RegExp): this {
    this.test.expectFailure(rows, message);
    return this;
  }
}
