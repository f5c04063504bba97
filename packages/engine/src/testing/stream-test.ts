import type { Row, Value } from '../core/types.js';
import { IllegalStateError } from '../errors/illegal-state-error.js';
import type { DataStreamWriter } from '../api/data-stream-writer.js';
import { QueryExecution } from '../execution/query-execution.js';
import type { EventTimeStats } from '../operators/event-time-stats.js';
import type { StateMetrics } from '../operators/operator.js';
import type { QueryPlan } from '../plan/query-plan.js';
import { InMemoryStateStore } from '../state/in-memory-state-store.js';
import type { StateStore } from '../state/state-store.js';
import { CaseInsensitiveOptions } from '../core/options.js';
import { consoleBatch } from '../console/show-string.js';
import { streamingSources } from '../plan/logical-plan.js';
import { consoleShowOptions } from '../sinks/console-sink.js';
import type { MemoryStream } from './memory-stream.js';

/** A state store that counts the keys a batch writes and removes (per-operator progress). */
class RecordingStore extends InMemoryStateStore {
  writtenKeys = new Set<string>();
  removedKeys = new Set<string>();

  protected override written(key: string, json: string | null): void {
    if (json === null) {
      this.removedKeys.add(key);
      this.writtenKeys.delete(key);
    } else this.writtenKeys.add(key);
  }
}

/**
 * One stateful operator in a batch's progress (Spark's StateOperatorProgress): the counts the
 * operator reported when it is the query's only one; with several, the keys the batch wrote
 * to and removed from its store, and no count of late rows (the operators report them summed).
 */
export interface StateOperatorProgress {
  readonly operatorId: string;
  /** Keys in the operator's state after the batch. */
  readonly numRowsTotal: number;
  readonly numRowsUpdated: number;
  readonly numRowsRemoved: number;
  readonly numRowsDroppedByWatermark?: number;
  /** The operator's own metrics (Spark's `customMetrics`), for an operator that has some. */
  readonly customMetrics?: Readonly<Record<string, number>>;
}

/** What Spark's query progress says of one batch StreamTest ran. */
export interface BatchProgress {
  readonly batchId: number;
  /** The watermark the batch ran at (ms). */
  readonly batchWatermarkMs: number;
  /** The batch timestamp (the test clock, ms). */
  readonly batchTimestampMs: number;
  readonly numInputRows: number;
  /** Rows the sink got. */
  readonly numOutputRows: number;
  /** Rows in state after the batch, over every stateful operator. */
  readonly stateRows: number;
  /** The counts the stateful operators reported, summed over them. */
  readonly metrics: StateMetrics;
  /** Each stateful operator, top-down as Spark's progress lists them (for a chain of operators). */
  readonly stateOperators: readonly StateOperatorProgress[];
  /**
   * Spark's `eventTime`: with a watermark in the plan, `watermark` (the batch's) and, when a
   * watermark operator saw rows, their `max`, `min` and `avg`, as ISO-8601 UTC timestamps.
   */
  readonly eventTime: Readonly<Record<string, string>>;
}

/** ProgressReporter's eventTime map: the stats of the batch (if any rows), and the watermark. */
function progressEventTime(stats: EventTimeStats | null, watermarkMs: number): Record<string, string> {
  const format = (ms: number): string => new Date(ms).toISOString();
  const watermark = { watermark: format(watermarkMs) };
  return stats === null ? watermark : { max: format(stats.max), min: format(stats.min), avg: format(Math.trunc(stats.avg)), ...watermark };
}

interface RanBatch {
  readonly inputs: ReadonlyArray<readonly Row[]>;
  readonly clockMs: number;
  readonly watermarkMs: number;
  /** Every store's entries before the batch. */
  readonly stateBefore: ReadonlyMap<string, ReadonlyArray<[string, Value]>>;
}

/**
 * A stream-test DSL in the manner of Spark's StreamTest: add data to a memory source, run a
 * batch, check what the sink got, stop and start again from the checkpoint (the committed
 * state and watermark survive; uncommitted changes do not), advance the clock, expect a failure.
 * Each batch's progress is recorded (`progress`); a start may run another query on the same
 * checkpoint, or run again a last batch whose commit was lost (`purgeLastCommit`).
 *
 *   const t = StreamTest.of(df.writeStream.outputMode('update'));
 *   t.addData(['a b']).checkLastBatch([['a', 1], ['b', 1]]).stopStream().startStream().addData(['a'])...
 */
export class StreamTest {
  private execution: QueryExecution;
  private readonly stores = new Map<string, RecordingStore>();
  private batchId = 0;
  private clockMs = 0;
  private watermarkMs = 0;
  /** The settings the checkpoint's offset log pinned at its first batch (null before any batch). */
  private pinnedConf: Readonly<Record<string, string>> | null = null;
  private running = true;
  private lastBatch: RanBatch | null = null;
  private rerunLastBatch = false;
  /** Every batch the sink received, in order. */
  readonly batches: Row[][] = [];
  /** The progress of every batch run, in order. */
  readonly progress: BatchProgress[] = [];
  /** What a console sink printed, batch after batch (empty for other sinks). */
  consoleOutput = '';

  private constructor(private plan: QueryPlan) {
    this.execution = this.newExecution();
  }

  static of(writer: DataStreamWriter): StreamTest {
    return new StreamTest(writer.toPlan());
  }

  private newExecution(): QueryExecution {
    const execution = new QueryExecution(this.plan, (id): StateStore => {
      let store = this.stores.get(id);
      if (store === undefined) this.stores.set(id, (store = new RecordingStore()));
      return store;
    });
    execution.restoreWatermark(this.watermarkMs);
    if (this.pinnedConf !== null) execution.restorePinnedConf(this.pinnedConf);
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

  private runBatch(inputs: ReadonlyArray<readonly Row[]>, clockMs = this.clockMs): this {
    const batchWatermarkMs = this.execution.watermarkMs;
    const stateBefore = new Map([...this.stores].map(([id, s]) => [id, [...s.entries()]]));
    for (const s of this.stores.values()) {
      s.writtenKeys.clear();
      s.removedKeys.clear();
    }
    // The offset log is written (with the pinned settings) before the batch runs.
    this.pinnedConf = this.execution.pinnedConf;
    const { rows: out, metrics, eventTimeStats } = this.execution.runBatch(this.batchId, clockMs, batchWatermarkMs, inputs);
    // Every store commits now: QueryExecution.commitState awaits them one after the other, so a
    // batch run right after (synchronously) would find all but the first uncommitted.
    for (const s of this.stores.values()) void s.commit();
    this.lastBatch = { inputs, clockMs, watermarkMs: batchWatermarkMs, stateBefore };
    this.watermarkMs = this.execution.watermarkMs;
    this.batches.push(out);
    const ids = [...this.execution.operator.statefulIds].reverse();
    const stateOperators = ids.map((operatorId): StateOperatorProgress => {
      const s = this.stores.get(operatorId);
      const numRowsTotal = s?.size ?? 0;
      const own = metrics.custom?.[operatorId];
      const custom = own === undefined ? {} : { customMetrics: { ...own } };
      if (ids.length === 1) {
        return { operatorId, numRowsTotal, numRowsUpdated: metrics.updated, numRowsRemoved: metrics.evicted, numRowsDroppedByWatermark: metrics.droppedByWatermark, ...custom };
      }
      return { operatorId, numRowsTotal, numRowsUpdated: s?.writtenKeys.size ?? 0, numRowsRemoved: s?.removedKeys.size ?? 0, ...custom };
    });
    this.progress.push({
      batchId: this.batchId, batchWatermarkMs, batchTimestampMs: clockMs, numInputRows: inputs.reduce((n, rows) => n + rows.length, 0),
      numOutputRows: out.length, stateRows: stateOperators.reduce((n, o) => n + o.numRowsTotal, 0), metrics, stateOperators,
      eventTime: this.execution.hasWatermark ? progressEventTime(eventTimeStats, batchWatermarkMs) : {},
    });
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
    while (this.execution.needsNoDataBatch()) this.runNoDataBatch();
    return this;
  }

  /** Whether Spark would now run a batch without new data (the watermark moved). */
  get needsNoDataBatch(): boolean {
    return this.execution.needsNoDataBatch();
  }

  /** Runs one batch without new data. */
  runNoDataBatch(): this {
    return this.runBatch(streamingSources(this.plan.root).map(() => []));
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

  /**
   * Starts again from the checkpoint: committed state and watermark, the next batch id. With a
   * writer, starts that query on this checkpoint (Spark's testStream of another DataFrame with
   * the same checkpointLocation); state is found by operator id.
   */
  startStream(writer?: DataStreamWriter): this {
    if (writer !== undefined) this.plan = writer.toPlan();
    const rerun = this.rerunLastBatch ? this.lastBatch : null;
    this.rerunLastBatch = false;
    if (rerun !== null) {
      for (const id of this.stores.keys()) {
        const restored = new RecordingStore();
        for (const [key, value] of rerun.stateBefore.get(id) ?? []) restored.put(key, value);
        void restored.commit();
        this.stores.set(id, restored);
      }
      this.watermarkMs = rerun.watermarkMs;
      this.batchId -= 1;
    }
    this.execution = this.newExecution();
    this.running = true;
    if (rerun !== null) this.runBatch(rerun.inputs, rerun.clockMs);
    return this;
  }

  /**
   * While stopped: as if the commit log had lost the last batch (Spark's `commitLog.purge`):
   * the next start runs that batch again, with its inputs, batch timestamp and watermark, from
   * the state before it; the sink gets its rows again.
   */
  purgeLastCommit(): this {
    if (this.running) throw new IllegalStateError('StreamTest: purgeLastCommit on a running stream (call stopStream)');
    if (this.lastBatch === null) throw new IllegalStateError('StreamTest: purgeLastCommit before any batch ran');
    this.rerunLastBatch = true;
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
