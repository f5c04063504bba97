/**
 * A query's sources as the micro-batch loop plans them: which topics each reads, where a new
 * query starts, and which offsets each offers for the next batch (step (a) of the protocol in
 * micro-batch-executor.ts), after read limits. The loop owns the fetched records (SourceBuffer)
 * and the committed offsets; this reads them to plan.
 */
import { availableParallelism } from 'node:os';
import type { SourceOffsets, OffsetLogEntry } from '../../checkpoint/offset-log.js';
import { CaseInsensitiveOptions } from '../../core/options.js';
import type { KafkaAdmin, TopicPartitionOffset } from '../../kafka/kafka-port.js';
import type { PartitionLag } from '../../observability/live-query.js';
import { streamingSources, type StreamingSourceNode } from '../../plan/logical-plan.js';
import type { QueryPlan } from '../../plan/query-plan.js';
import { maxFilesPerTrigger } from '../../sources/file-stream-options.js';
import { rateLimit } from '../../sources/kafka-rate-limit.js';
import { latestKafkaOffsets } from '../../sources/kafka-latest-offsets.js';
import { startingOffsetRangeLimit } from '../../sources/kafka-offset-range-limit.js';
import { resolveStartingOffsets } from '../../sources/kafka-starting-offsets.js';
import type { RedisClient } from '../../state/redis-connection.js';
import { checkpointKeys } from '../../state/keys.js';
import { DEFAULT_BATCH_LIMITS, type BatchLimits } from '../../config/processor-config.js';
import { capBatch } from './batch-cap.js';
import type { FetchBound } from './fetch-throttle.js';
import { HEADER_FILE } from '../source-records.js';
import type { QueryTopics } from '../query-topics.js';
import type { SourceBuffer } from './source-buffer.js';
import { readOffered } from '../source-offered.js';
import { resolveSourceTopics, type SourceTopicSet } from './source-topics.js';

/** A batch whose offsets are planned: from the end of the last committed batch to its entry's. */
export interface PlannedBatch {
  readonly batchId: number;
  readonly start: readonly SourceOffsets[];
  readonly entry: OffsetLogEntry;
}

/** What a source's options say about batches, read once per query. */
export interface SourceLimits {
  readonly maxFiles: number | null;
  readonly maxOffsets: number | null;
  /** Spark's socket numPartitions (default: the cores, as local[*]). */
  readonly socketPartitions: number;
}

/** Where the loop stands when it plans: what it fetched and committed. */
export interface PlanningState {
  readonly admin: KafkaAdmin | null;
  readonly buffers: readonly SourceBuffer[];
  readonly committed: readonly SourceOffsets[];
  /** No batch has committed yet (batch 0 is planned). */
  readonly firstBatch: boolean;
}

/** The file formats of Spark's file source (DataStreamReader.json/csv/text). */
const FILE_FORMATS: readonly string[] = ['json', 'csv', 'text'];

function sourceLimits(source: StreamingSourceNode): SourceLimits {
  const o = new CaseInsensitiveOptions(source.options);
  const n = o.getInt('numPartitions', availableParallelism(), 1);
  return {
    maxFiles: maxFilesPerTrigger(o),
    maxOffsets: o.has('maxOffsetsPerTrigger') ? o.getInt('maxOffsetsPerTrigger', 1, 1) : null,
    socketPartitions: n,
  };
}

export class BatchSources {
  readonly nodes: StreamingSourceNode[];
  readonly limits: SourceLimits[];
  /** The topics each source reads, resolved at start. */
  sets: SourceTopicSet[] = [];
  /** What each source offered when the last batch was planned, before read limits. */
  readonly latestAvailable: SourceOffsets[] = [];

  constructor(
    private readonly plan: QueryPlan,
    private readonly redis: RedisClient,
    /** The processor's cap on a batch whose source sets no read limit. */
    readonly batchLimits: BatchLimits = DEFAULT_BATCH_LIMITS,
  ) {
    this.nodes = streamingSources(plan.root);
    this.limits = this.nodes.map(sourceLimits);
  }

  /** Whether a source learns of new files through Redis (its listing) rather than as records. */
  get readsFiles(): boolean {
    return this.nodes.some((s) => FILE_FORMATS.includes(s.format));
  }

  /**
   * How much each source may fetch beyond its planned batch before its partitions pause
   * (FetchThrottle): what its next batch can take. No bound under Trigger.Once (its one batch
   * takes everything) nor for a file source (a batch waits until a listing's records are all
   * fetched).
   */
  fetchBounds(): FetchBound[] {
    return this.nodes.map((node, i) => {
      const { maxOffsets } = this.limits[i] as SourceLimits;
      if (this.plan.trigger.kind === 'once' || FILE_FORMATS.includes(node.format)) return { records: 0, bytes: 0 };
      if (maxOffsets !== null) return { records: maxOffsets, bytes: 0 };
      return { records: this.batchLimits.maxBatchRecords, bytes: this.batchLimits.maxBatchBytes };
    });
  }

  /** Resolves the topics each source reads (its own source topic, or the user's Kafka topics). */
  async resolveTopics(topics: QueryTopics, admin: KafkaAdmin): Promise<void> {
    this.sets = [];
    for (const s of this.nodes) this.sets.push(await resolveSourceTopics(s, topics.source(s.index), admin));
  }

  /**
   * Kafka sources of a new query start where startingOffsets (`latest` by default, `earliest`,
   * or JSON offsets), startingOffsetsByTimestamp or startingTimestamp say. Fills in `committed`
   * in place: a batch 0 re-run after recovery starts from the same array.
   */
  async applyStartingOffsets(admin: KafkaAdmin | null, committed: SourceOffsets[]): Promise<void> {
    if (admin === null) return;
    for (const [i, source] of this.nodes.entries()) {
      const set = this.sets[i];
      if (source.format !== 'kafka' || set === undefined || Object.keys(committed[i] ?? {}).length > 0) continue;
      const limit = startingOffsetRangeLimit(new CaseInsensitiveOptions(source.options));
      const chosen: Record<string, number> = {};
      for (const p of await resolveStartingOffsets(limit, set.topics, (t, n) => set.accepts(t, n), admin)) chosen[set.key(p.topic, p.partition)] = p.offset;
      committed[i] = chosen;
    }
  }

  /** Where the consumer starts: the end of the last committed batch, per source partition. */
  async startPositions(admin: KafkaAdmin | null, committed: readonly SourceOffsets[]): Promise<TopicPartitionOffset[]> {
    if (admin === null) return [];
    const out: TopicPartitionOffset[] = [];
    for (const [i, set] of this.sets.entries()) out.push(...(await set.positions(admin, committed[i] ?? {})));
    return out;
  }

  /**
   * What once / availableNow read, fixed at start. A socket and the rate source offer nothing:
   * Spark runs Trigger.Once as a single batch and wraps them for availableNow with the offset
   * they report at start (AvailableNowMicroBatchStreamWrapper), before the socket has connected
   * (-1) and while the rate source is at second 0 — so their one batch is empty.
   */
  async snapshotLatestOffsets(admin: KafkaAdmin | null, committed: readonly SourceOffsets[]): Promise<SourceOffsets[]> {
    if (admin === null) return [];
    const out: SourceOffsets[] = [];
    for (const [i, set] of this.sets.entries()) {
      const format = this.nodes[i]?.format;
      out.push(format === 'socket' || format === 'rate' ? (committed[i] ?? {}) : await set.endOffsets(admin));
    }
    return out;
  }

  /** (a) The latest offsets every source can offer now (or the run's snapshot, if bounded). */
  async latestOffsets(state: PlanningState, snapshot: readonly SourceOffsets[] | null): Promise<SourceOffsets[]> {
    const out: SourceOffsets[] = [];
    for (const [i, buffer] of state.buffers.entries()) {
      const limits = this.limits[i] as SourceLimits;
      const { maxFiles, maxOffsets } = limits;
      const from = state.committed[i] ?? {};
      let available = await this.sourceLatest(i, buffer, snapshot !== null, state);
      this.latestAvailable[i] = available;
      if (maxFiles !== null) available = buffer.capByFiles(from, available, maxFiles, HEADER_FILE);
      // Trigger.Once reads all that is there, whatever the read limit (Spark: ReadAllAvailable).
      if (maxOffsets !== null && this.plan.trigger.kind !== 'once') available = rateLimit(maxOffsets, from, available);
      if (this.plan.trigger.kind !== 'once') available = capBatch(this.batchLimits, limits, from, available, buffer);
      const bound = snapshot?.[i];
      if (bound === undefined) {
        out.push(available);
        continue;
      }
      const capped: Record<string, number> = {};
      for (const [p, offset] of Object.entries(available)) capped[p] = Math.min(offset, bound[p] ?? offset);
      out.push(capped);
    }
    return out;
  }

  /**
   * What source `i` offers now, before read limits (Spark's latestOffset of the source):
   * - socket: nothing in batch 0. Spark connects while it plans batch 0, whose range is
   *   (-1, -1] (TextSocketMicroBatchStream: initialOffset and latestOffset -1 until a line is
   *   read; initialize() runs in planInputPartitions); lines follow in batches 1, 2, …
   * - rate: nothing in batch 0, which reads seconds (0, 0] (RateStreamMicroBatchStream:
   *   latestOffset is the whole seconds since the query started, 0 at its first trigger).
   * - kafka: the broker's end offsets (KafkaMicroBatchStream.latestOffset fetches them), e.g.
   *   all that is there with startingOffsets earliest; after batch 0 those of the partitions
   *   the consumer reads (latestKafkaOffsets).
   * - file: the records of complete directory listings, once all have arrived (Spark lists the
   *   directory when it plans a batch and takes every new file: FileStreamSource.fetchMaxOffset).
   * After batch 0, socket and rate offer what has arrived.
   */
  private async sourceLatest(i: number, buffer: SourceBuffer, bounded: boolean, state: PlanningState): Promise<SourceOffsets> {
    const from = state.committed[i] ?? {};
    const { admin, firstBatch } = state;
    const format = this.nodes[i]?.format ?? '';
    if (format === 'socket' || format === 'rate') return firstBatch ? from : buffer.available();
    if (format === 'kafka') {
      const set = this.sets[i];
      if (bounded || admin === null || set === undefined) return buffer.available();
      if (firstBatch) return set.endOffsets(admin);
      return latestKafkaOffsets(set.topics, (t, p) => set.accepts(t, p), (t, p) => set.key(t, p), buffer.available(), admin);
    }
    // A bounded run's snapshot was taken after a complete listing.
    if (bounded) return buffer.available();
    const offered = await this.offered(i);
    return offered !== null && buffer.hasReached(offered) ? offered : from;
  }

  /** What the ingest of source `i` (socket or file) has offered so far; null before it has an offset. */
  private offered(i: number): Promise<SourceOffsets | null> {
    const index = this.nodes[i]?.index ?? i;
    return readOffered(this.redis, checkpointKeys(this.plan.checkpointLocation).sourceOffered(index));
  }

  /**
   * Whether source `i` has an offset yet. With nothing committed, Spark runs batch 0 as soon as
   * any source reports one (MicroBatchExecution.isNewDataAvailable: a source with an end offset
   * and no start offset has new data): the rate source and a kafka source at once, a socket
   * once it connects, a file source once files are listed.
   */
  private async sourceHasOffset(i: number): Promise<boolean> {
    const source = this.nodes[i];
    if (source === undefined) return false;
    if (source.format === 'rate') return true;
    if (source.format === 'kafka') return (this.sets[i]?.topics.length ?? 0) > 0;
    return (await this.offered(i)) !== null;
  }

  async anySourceHasOffset(): Promise<boolean> {
    for (const i of this.nodes.keys()) if (await this.sourceHasOffset(i)) return true;
    return false;
  }

  /**
   * Records each source partition holds beyond the last committed batch: fetched from Kafka and
   * waiting for a batch (Spark's Kafka source reports the same as offsetsBehindLatest).
   */
  partitionLag(buffers: readonly SourceBuffer[], committed: readonly SourceOffsets[]): PartitionLag[] {
    const out: PartitionLag[] = [];
    for (const [i, buffer] of buffers.entries()) {
      const end = committed[i] ?? {};
      for (const [key, fetched] of Object.entries(buffer.available())) {
        // Keys are the partition for one topic, `topic:partition` for several (SourceTopicSet.key).
        const cut = key.lastIndexOf(':');
        const topic = cut < 0 ? (this.sets[i]?.topics[0] ?? '') : key.slice(0, cut);
        out.push({ source: i, topic, partition: Number(key.slice(cut + 1)), records: Math.max(0, fetched - (end[key] ?? 0)) });
      }
    }
    return out.sort((a, b) => a.source - b.source || a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }
}
