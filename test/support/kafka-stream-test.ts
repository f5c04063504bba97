import { randomUUID } from 'node:crypto';
import type { DataFrame, Row, StreamingQuery, StreamingQueryProgress, StreamingSourceNode, TriggerOptions } from 'sluice';
import {
  CaseInsensitiveOptions, CommitLog, OffsetLog, checkpointKeys, connectRedis, deleteKeys, scanKeys, streamingSources, type RedisClient,
} from 'sluice/testing';
import type { KafkaTestUtils, TopicOffsets } from './kafka-test-utils.js';
import { silentLog } from './kafka-test-utils.js';
import type { StreamManualClock } from './stream-manual-clock.js';
import { waitFor } from './wait-for.js';

/**
 * How long a check waits for the query (Spark's streamingTimeout, 30 s in KafkaSourceTest):
 * Sluice's batches here take about a second, so a check that cannot be met fails sooner.
 */
export const STREAMING_TIMEOUT_MS = 15_000;

export interface StartStream {
  readonly trigger?: TriggerOptions;
  /** Another checkpoint than the test's own (Spark's StartStream(checkpointLocation = ...)). */
  readonly checkpointLocation?: string;
}

const sortedRows = (rows: readonly Row[]): string[] => rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).sort();

/**
 * Spark's testStream for a query over Kafka sources, run for real: the query writes every
 * batch to a memory sink (foreachBatch; a batch id seen twice is kept once, as MemorySink
 * does) under a checkpoint of the test, kept across StopStream / StartStream. What Spark's
 * AddKafkaData + CheckAnswer wait for, `processAllAvailable` waits for: that the query has
 * committed the latest offsets of every partition its sources read and its sink has the batch.
 */
export class KafkaStreamTest {
  readonly checkpointLocation = `test-${randomUUID()}`;
  private query: StreamingQuery | null = null;
  private readonly batches = new Map<number, Row[]>();
  private readonly queryIds = new Set<string>();
  private readonly checkpoints = new Set<string>();
  /** Batches seen by the last CheckNewAnswer / CheckAnswer (by id order). */
  private answered = 0;
  private readonly sources: StreamingSourceNode[];
  private readonly outputMode: string;

  constructor(
    private readonly df: DataFrame,
    private readonly utils: KafkaTestUtils,
    options: { readonly outputMode?: string; readonly clock?: StreamManualClock } = {},
  ) {
    this.outputMode = options.outputMode ?? 'append';
    this.clock = options.clock ?? null;
    this.sources = streamingSources(df.writeStream.outputMode(this.outputMode).toPlan().root);
  }

  private readonly clock: StreamManualClock | null;
  /** The manual clock's sleeps before the current run started. */
  private clockMark = 0;
  /** The checkpoint of the query started last. */
  private runCheckpoint = this.checkpointLocation;

  get current(): StreamingQuery {
    if (this.query === null) throw new Error('stream not running');
    return this.query;
  }

  get recentProgress(): readonly StreamingQueryProgress[] {
    return this.query?.recentProgress ?? [];
  }

  /** The rows of every batch, in batch order. */
  get allBatches(): Row[][] {
    return [...this.batches.entries()].sort(([a], [b]) => a - b).map(([, rows]) => rows);
  }

  async startStream(options: StartStream = {}): Promise<this> {
    if (this.query !== null) throw new Error('stream already running');
    const location = options.checkpointLocation ?? this.checkpointLocation;
    this.checkpoints.add(location);
    this.runCheckpoint = location;
    const writer = this.df.writeStream
      .outputMode(this.outputMode)
      .option('checkpointLocation', location)
      .trigger(options.trigger ?? { processingTime: 0 })
      .foreachBatch((batch, batchId) => {
        if (!this.batches.has(batchId)) this.batches.set(batchId, batch.rows.map((r) => [...r]));
      });
    this.clockMark = this.clock?.sleeps ?? 0;
    const query = writer.start();
    this.query = query;
    await query.awaitStarted();
    this.queryIds.add(query.id);
    return this;
  }

  async stopStream(): Promise<this> {
    const q = this.query;
    this.query = null;
    await q?.stop();
    return this;
  }

  /** The topic-partitions the sources read now, with their latest offsets. */
  private async latestOffsets(source: StreamingSourceNode): Promise<TopicOffsets> {
    const o = new CaseInsensitiveOptions(source.options);
    const existing = await this.utils.listTopics();
    let topics: string[];
    let assigned: Record<string, number[]> | null = null;
    const pattern = o.get('subscribePattern');
    const assign = o.get('assign');
    if (pattern !== undefined) topics = existing.filter((t) => new RegExp(`^(?:${pattern})$`).test(t));
    else if (assign !== undefined) {
      assigned = JSON.parse(assign) as Record<string, number[]>;
      topics = Object.keys(assigned);
    } else topics = (o.get('subscribe') ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
    const latest = await this.utils.getLatestOffsets(topics.filter((t) => existing.includes(t)));
    if (assigned === null) return latest;
    const out: TopicOffsets = {};
    for (const [topic, parts] of Object.entries(latest)) {
      out[topic] = Object.fromEntries(Object.entries(parts).filter(([p]) => assigned?.[topic]?.includes(Number(p)) === true));
    }
    return out;
  }

  private failIfFailed(): void {
    const e = this.query?.exception() ?? null;
    if (e !== null) throw e;
  }

  /** Whether the sink holds the last batch the query reported. */
  private sinkCaughtUp(): boolean {
    const last = this.query?.lastProgress ?? null;
    return last === null || this.batches.has(last.batchId);
  }

  private redisClient: Promise<RedisClient> | null = null;

  private redis(): Promise<RedisClient> {
    this.redisClient ??= connectRedis(process.env['REDIS_URL'] ?? '', silentLog);
    return this.redisClient;
  }

  /**
   * The offsets the query has committed, per source, by topic and partition: from its last
   * progress, or (a restarted query before its first batch) from the checkpoint's logs.
   * The executor keys a source's offsets by partition when it reads one topic (`topics`
   * names it), by `topic:partition` when it reads several.
   */
  private async committedOffsets(targets: readonly TopicOffsets[]): Promise<TopicOffsets[] | null> {
    const last = this.current.lastProgress;
    if (last !== null) return this.sources.map((_, i) => (last.sources[i]?.endOffset ?? {}) as TopicOffsets);
    const redis = await this.redis();
    const location = this.runCheckpoint;
    const commit = await new CommitLog(redis, location).getLatest();
    if (commit === null) return null;
    const entry = await new OffsetLog(redis, location).get(commit.batchId);
    if (entry === null) return null;
    return this.sources.map((_, i) => {
      const out: TopicOffsets = {};
      const single = Object.keys(targets[i] ?? {});
      for (const [key, offset] of Object.entries(entry.offsets[i] ?? {})) {
        const cut = key.lastIndexOf(':');
        const topic = cut < 0 ? (single.length === 1 ? (single[0] ?? '') : '') : key.slice(0, cut);
        (out[topic] ??= {})[key.slice(cut + 1)] = offset;
      }
      return out;
    });
  }

  /**
   * Spark's processAllAvailable, and what CheckAnswer waits for after AddKafkaData: the latest
   * offsets of every partition the sources read, committed by the query and in its sink.
   */
  async processAllAvailable(timeoutMs = STREAMING_TIMEOUT_MS): Promise<this> {
    if (this.query === null) throw new Error('stream not running');
    const targets = await Promise.all(this.sources.map((s) => (s.format === 'kafka' ? this.latestOffsets(s) : Promise.resolve<TopicOffsets>({}))));
    await waitFor(async () => {
      this.failIfFailed();
      const committed = await this.committedOffsets(targets);
      if (committed === null) return false;
      const reached = targets.every((target, i) => Object.entries(target).every(([topic, parts]) =>
        Object.entries(parts).every(([p, offset]) => offset === 0 || (committed[i]?.[topic]?.[p] ?? 0) >= offset)));
      return reached && this.sinkCaughtUp();
    }, `the query to process ${JSON.stringify(targets)}`, timeoutMs);
    return this;
  }

  /**
   * Spark's AddKafkaData: with the query running, first all it has (no batch runs while the
   * data is sent); then the values to one of `topics`, spread over its partitions.
   */
  async addKafkaData(topics: readonly string[], data: readonly number[], ensureDataInMultiplePartition = false): Promise<this> {
    if (this.query?.isActive === true) await this.processAllAvailable();
    const topic = topics[Math.floor(Math.random() * topics.length)] ?? '';
    const sent = await this.utils.sendMessages(topic, data.map(String));
    if (ensureDataInMultiplePartition && new Set(sent.map((m) => m.partition)).size <= 1) {
      throw new Error(`Added data does not test multiple partitions: ${JSON.stringify(sent)}`);
    }
    return this;
  }

  /** Spark's waitUntilBatchProcessed on a StreamManualClock: the stream waits for its next trigger, its sink caught up. */
  async waitUntilBatchProcessed(): Promise<this> {
    const clock = this.clock;
    if (clock === null) throw new Error('no manual clock');
    await waitFor(() => {
      this.failIfFailed();
      const q = this.current;
      return !q.status.isTriggerActive && clock.isStreamWaitingAt(clock.getTimeMillis(), this.clockMark) && this.sinkCaughtUp();
    }, 'the stream to wait for its next trigger', STREAMING_TIMEOUT_MS);
    return this;
  }

  advanceManualClock(ms: number): this {
    if (this.clock === null) throw new Error('no manual clock');
    this.clock.advance(ms);
    return this;
  }

  /** The rows the sink holds: every batch in append mode, the last one in complete mode (MemorySink). */
  private sinkRows(): Row[] {
    const all = this.allBatches;
    return this.outputMode === 'complete' ? (all[all.length - 1] ?? []) : all.flat();
  }

  /** Spark's CheckAnswer: without a manual clock it first waits for all data to be processed. */
  async checkAnswer(...rows: Row[]): Promise<this> {
    if (this.clock === null && this.query !== null) await this.processAllAvailable();
    this.answered = this.batches.size;
    expect(sortedRows(this.sinkRows())).toEqual(sortedRows(rows));
    return this;
  }

  /** Spark's CheckNewAnswer: the rows of the batches since the last check. */
  async checkNewAnswer(...rows: Row[]): Promise<this> {
    if (this.clock === null && this.query !== null) await this.processAllAvailable();
    const got = this.allBatches.slice(this.answered).flat();
    this.answered = this.batches.size;
    expect(sortedRows(got)).toEqual(sortedRows(rows));
    return this;
  }

  /** Spark's CheckLastBatch. */
  async checkLastBatch(...rows: Row[]): Promise<this> {
    if (this.clock === null && this.query !== null) await this.processAllAvailable();
    const all = this.allBatches;
    this.answered = this.batches.size;
    expect(sortedRows(all[all.length - 1] ?? [])).toEqual(sortedRows(rows));
    return this;
  }

  /** Spark's ExpectFailure: the query fails; returns its error. */
  async expectFailure(timeoutMs = STREAMING_TIMEOUT_MS): Promise<Error> {
    const query = this.current;
    await waitFor(() => query.exception() !== null, 'the query to fail', timeoutMs);
    this.query = null;
    await query.stop();
    return query.exception() as Error;
  }

  /** Stops the query; removes its checkpoints and its own topics. */
  async close(): Promise<void> {
    await this.stopStream().catch(() => undefined);
    const redis = await this.redis();
    try {
      for (const location of this.checkpoints) await deleteKeys(redis, await scanKeys(redis, checkpointKeys(location).all));
    } finally {
      this.redisClient = null;
      await redis.quit();
    }
    const own = (await this.utils.listTopics()).filter((t) => [...this.queryIds].some((id) => id !== '' && t.startsWith(`sluice.${id}.`)));
    if (own.length > 0) {
      const admin = await this.utils.kafka.admin();
      try {
        await admin.deleteTopics(own);
      } finally {
        await admin.close();
      }
    }
  }
}
