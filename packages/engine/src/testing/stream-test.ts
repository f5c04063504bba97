import type { Row } from '../api/types.js';
import { IllegalStateError } from '../errors/illegal-state-error.js';
import type { DataStreamWriter } from '../api/data-stream-writer.js';
import { QueryExecution } from '../execution/query-execution.js';
import type { QueryPlan } from '../plan/query-plan.js';
import { InMemoryStateStore } from '../state/in-memory-state-store.js';
import type { StateStore } from '../state/state-store.js';
import { CaseInsensitiveOptions } from '../api/options.js';
import { consoleBatch } from '../console/show-string.js';
import { streamingSources } from '../plan/logical-plan.js';
import { consoleShowOptions } from '../sinks/console-sink.js';
import type { MemoryStream } from './memory-stream.js';

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
  /** What a console sink printed, batch after batch (empty for other sinks). */
  consoleOutput = '';

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
    return this.runBatch(inputs);
  }

  /** Runs one batch of these rows of a memory stream (Spark's `AddData(stream, rows...)`). */
  addTo(stream: MemoryStream, rows: ReadonlyArray<readonly unknown[]>): this {
    return this.multiAddData([[stream, rows]]);
  }

  /** Runs one batch holding the rows of several memory streams (Spark's `MultiAddData`). */
  multiAddData(entries: ReadonlyArray<readonly [MemoryStream, ReadonlyArray<readonly unknown[]>]>): this {
    if (!this.running) throw new IllegalStateError('StreamTest: addData on a stopped stream (call startStream)');
    const sources = streamingSources(this.plan.root);
    const inputs: Row[][] = sources.map(() => []);
    for (const [stream, rows] of entries) {
      const index = sources.findIndex((s) => s.format === 'memory' && s.options['id'] === stream.id);
      if (index < 0) throw new IllegalStateError(`StreamTest: ${stream.id} is not a source of this query`);
      inputs[index]?.push(...stream.toRows(rows));
    }
    return this.runBatch(inputs);
  }

  private runBatch(inputs: ReadonlyArray<readonly Row[]>): this {
    const { rows: out } = this.execution.runBatch(this.batchId, this.clockMs, this.execution.watermarkMs, inputs);
    void this.execution.commitState();
    this.watermarkMs = this.execution.watermarkMs;
    this.batches.push(out);
    if (this.plan.sink.format === 'console') {
      const schema = this.execution.operator.output.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable }));
      const show = consoleShowOptions(new CaseInsensitiveOptions(this.plan.sink.options), this.plan.sessionTimeZone);
      this.consoleOutput += consoleBatch(this.batchId, schema, out, show);
    }
    this.batchId += 1;
    return this;
  }

  /** Runs the no-data batch Spark runs when the watermark moved (if it would). */
  processAllAvailable(): this {
    while (this.execution.needsNoDataBatch()) this.runBatch(streamingSources(this.plan.root).map(() => []));
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
