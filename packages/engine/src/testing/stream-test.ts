import type { Row } from '../api/types.js';
import { IllegalStateError } from '../errors/illegal-state-error.js';
import type { DataStreamWriter } from '../api/data-stream-writer.js';
import { QueryExecution } from '../execution/query-execution.js';
import type { QueryPlan } from '../plan/query-plan.js';
import { InMemoryStateStore } from '../state/in-memory-state-store.js';
import type { StateStore } from '../state/state-store.js';

/**
 * A stream-test DSL in the manner of Spark's StreamTest: add data to a memory source, run a
 * batch, check what the sink got, stop and start again from the checkpoint (the committed
 * state and watermark survive; uncommitted changes do not), advance the clock, expect a failure.
 *
 *   const t = StreamTest.of(df.writeStream.outputMode('update'));
 *   t.addData(['a b']).checkLastBatch([['a', 1], ['b', 1]]).stopStream().startStream().addData(['a'])...
 */
export class StreamTest {
  private execution: QueryExecution;
  private readonly stores = new Map<string, InMemoryStateStore>();
  private batchId = 0;
  private clockMs = 0;
  private watermarkMs = 0;
  private running = true;
  /** Every batch the sink received, in order. */
  readonly batches: Row[][] = [];

  private constructor(private readonly plan: QueryPlan) {
    this.execution = this.newExecution();
  }

  static of(writer: DataStreamWriter): StreamTest {
    return new StreamTest(writer.toPlan());
  }

  private newExecution(): QueryExecution {
    const execution = new QueryExecution(this.plan, (id): StateStore => {
      let store = this.stores.get(id);
      if (store === undefined) this.stores.set(id, (store = new InMemoryStateStore()));
      return store;
    });
    execution.restoreWatermark(this.watermarkMs);
    return execution;
  }

  /** Runs one batch of these rows (of source 0, or one array per source with `perSource`). */
  addData(rows: ReadonlyArray<Row | string>, perSource = false): this {
    if (!this.running) throw new IllegalStateError('StreamTest: addData on a stopped stream (call startStream)');
    const asRows = (xs: ReadonlyArray<Row | string>): Row[] => xs.map((x) => (typeof x === 'string' ? [x] : x));
    const inputs = perSource ? (rows as unknown as ReadonlyArray<ReadonlyArray<Row | string>>).map(asRows) : [asRows(rows)];
    const { rows: out } = this.execution.runBatch(this.batchId, this.clockMs, this.execution.watermarkMs, inputs);
    void this.execution.commitState();
    this.watermarkMs = this.execution.watermarkMs;
    this.batches.push(out);
    this.batchId += 1;
    return this;
  }

  /** Runs the no-data batch Spark runs when the watermark moved (if it would). */
  processAllAvailable(): this {
    while (this.execution.needsNoDataBatch()) this.addData([]);
    return this;
  }

  /** The last batch the sink got equals `rows` (in order). */
  checkLastBatch(rows: readonly Row[]): this {
    const last = this.batches[this.batches.length - 1] ?? [];
    const actual = JSON.stringify(last);
    const expected = JSON.stringify(rows);
    if (actual !== expected) throw new IllegalStateError(`StreamTest: batch ${this.batches.length - 1} was ${actual}, expected ${expected}`);
    return this;
  }

  advanceClock(ms: number): this {
    this.clockMs += ms;
    return this;
  }

  stopStream(): this {
    this.running = false;
    return this;
  }

  /** Starts again from the checkpoint: committed state and watermark, the next batch id. */
  startStream(): this {
    this.execution = this.newExecution();
    this.running = true;
    return this;
  }

  /** Running a batch of these rows fails with an error whose message matches. */
  expectFailure(rows: ReadonlyArray<Row | string>, message: RegExp): this {
    try {
      this.addData(rows);
    } catch (err) {
      this.execution.abortState();
      if (!message.test((err as Error).message)) throw new IllegalStateError(`StreamTest: failed with '${(err as Error).message}', expected ${String(message)}`);
      return this;
    }
    throw new IllegalStateError(`StreamTest: expected a failure matching ${String(message)}`);
  }
}
