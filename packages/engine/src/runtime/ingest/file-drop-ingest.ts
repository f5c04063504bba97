import { randomUUID } from 'node:crypto';
import { basename, resolve } from 'node:path';
import type { RedisClient } from '../../state/redis-connection.js';
import type { CaseInsensitiveOptions } from '../../core/options.js';
import type { Schema } from '../../core/types.js';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from '../../config/ingest-config.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../internal/logger.js';
import type { KafkaProducer } from '../../kafka/kafka-port.js';
import { failFastMessage } from '../../expressions/record-parser.js';
import { SourceError } from '../../errors/source-error.js';
import { metrics } from '../../observability/metrics.js';
import { maybeCrash } from '../crash-point.js';
import type { KafkaPort } from '../../kafka/kafka-port.js';
import { countTopicRecords } from './count-topic-records.js';
import { FileRecordReader } from './file-record-reader.js';
import { HEADER_FILE } from '../source-records.js';
import { offerTopicEnd } from '../source-offered.js';
import { listSourceFiles } from './source-file-listing.js';
import { SourceTopicWriter } from './source-topic-writer.js';

export { HEADER_FILE } from '../source-records.js';

export interface FileDropIngestOptions {
  readonly directory: string;
  readonly format: 'json' | 'csv' | 'text';
  readonly options: CaseInsensitiveOptions;
  readonly schema: Schema;
  readonly timeZone: string;
  readonly topic: string;
  readonly queryId: string;
  readonly takenKey: string;
  /** Hash: file being taken → where its records start in the topic and how many there are. */
  readonly takingKey: string;
  /** String: how far batches may read the source topic (the end of the last complete listing). */
  readonly offeredKey: string;
  readonly kafka: KafkaPort;
  readonly producer: KafkaProducer;
  readonly redis: RedisClient;
  readonly clock: Clock;
  readonly log: Logger;
  readonly pollMs?: number;
  readonly limits?: IngestLimits;
  /** Called after each file taken (live counters on a terminal). */
  readonly onProgress?: (stats: Readonly<FileDropStats>) => void;
}

export interface FileDropStats {
  files: number;
  records: number;
  malformed: number;
  bytes: number;
  /** Lines over ingest.maxLineBytes and records over ingest.maxRecordBytes (counted, logged, not written). */
  rejected: number;
}

export { isInProgressName } from './source-file-listing.js';

const RECOVERY_RETRY_MS = 2000;

/**
 * The file source as Spark's: a watched directory whose every complete new file is read once
 * (in modification-time order, newest first with `latestFirst`), whatever its extension. The
 * set of taken files lives in Redis under the checkpoint, so a restart never re-reads one.
 * Each file's rows go to the source topic with the file name in a header. Batches read whole
 * directory listings: once every file a listing found is in the topic, the topic's end is
 * offered to the processor, so the files present when a query starts all land in batch 0, as
 * in Spark (FileStreamSource lists the directory when it plans a batch); sub-directories are
 * read only with recursiveFileLookup (source-file-listing.ts). A file is streamed,
 * never read whole: lines end at LF, CR or CR LF (Hadoop's LineReader), reading pauses while
 * the source topic's writer holds its limit of records not yet acknowledged, and a line over
 * ingest.maxLineBytes is rejected (counted, logged) as it is read (file-record-reader.ts).
 */
export class FileDropIngest {
  readonly stats: FileDropStats = { files: 0, records: 0, malformed: 0, bytes: 0, rejected: 0 };
  private readonly writer: SourceTopicWriter;
  private readonly limits: IngestLimits;
  private stopped = false;
  private readonly abort = new AbortController();
  private loop: Promise<void> = Promise.resolve();
  private scans = 0;
  /** Files taken by this run (numbers the crash points of tests). */
  private taken = 0;
  /** Taken files that may not have been offered to batches yet. */
  private unoffered = false;
  private readonly reader: FileRecordReader;
  /** Set when a malformed record fails the query (FAILFAST): nothing more is taken. */
  private failure: SourceError | null = null;
  private rejectFailFast: (err: SourceError) => void = () => undefined;
  private readonly failedFast: Promise<never>;
  /** Sub-directories already logged as not read (one line each, not one per poll). */
  private readonly loggedDirectories = new Set<string>();

  constructor(private readonly o: FileDropIngestOptions) {
    this.limits = o.limits ?? DEFAULT_INGEST_LIMITS;
    this.writer = new SourceTopicWriter({
      topic: o.topic, queryId: o.queryId, format: o.format, producer: o.producer, limits: this.limits, clock: o.clock, log: o.log,
    });
    this.reader = new FileRecordReader({
      format: o.format, options: o.options, schema: o.schema, timeZone: o.timeZone, limits: this.limits, writer: this.writer, log: o.log,
      stopped: () => this.stopped,
    });
    this.failedFast = new Promise<never>((_, reject) => {
      this.rejectFailFast = reject;
    });
    this.failedFast.catch(() => undefined);
  }

  start(): void {
    this.loop = this.run();
  }

  /**
   * Rejects when the source topic could not be written for longer than ingest.deliveryTimeoutMs,
   * or when a file holds a malformed record in FAILFAST mode (Spark's error; the file stays unread).
   */
  get failed(): Promise<never> {
    return Promise.race([this.writer.failed, this.failedFast]);
  }

  /** For /readyz: why the source topic cannot be written now, or null. */
  problem(): string | null {
    return this.writer.problem();
  }

  private async run(): Promise<void> {
    // Until the interrupted takes are finished, no file is taken: one taken afresh would be written twice.
    while (!this.stopped) {
      try {
        await this.recover();
        // Files a previous run took are offered with the first listing, even if that run died
        // before it could offer them.
        this.unoffered = (await this.o.redis.scard(this.o.takenKey)) > 0;
        break;
      } catch (err) {
        this.o.log.error('file source recovery failed; retrying', { err, directory: this.o.directory });
        await this.o.clock.sleep(RECOVERY_RETRY_MS, this.abort.signal);
      }
    }
    while (!this.stopped && !this.writer.gaveUp && this.failure === null) {
      try {
        await this.scan();
      } catch (err) {
        this.o.log.error('file source scan failed', { err, directory: this.o.directory });
      }
      this.scans += 1;
      await this.o.clock.sleep(this.o.pollMs ?? 200, this.abort.signal);
    }
  }

  /** Resolves after a full scan of the directory has completed (bounded triggers). */
  async awaitSettled(): Promise<void> {
    const target = this.scans + 1;
    while (this.scans < target && !this.stopped && this.failure === null) await this.o.clock.sleep(20, this.abort.signal);
  }

  private async scan(): Promise<void> {
    const dir = resolve(this.o.directory);
    const recursive = this.o.options.getBoolean('recursiveFileLookup', false);
    const files = await listSourceFiles(dir, recursive, (path, name) => this.logDirectoryNotRead(path, name));
    files.sort((a, b) => a.mtime - b.mtime || a.path.localeCompare(b.path));
    if (this.o.options.getBoolean('latestFirst', false)) files.reverse();
    const fileNameOnly = this.o.options.getBoolean('fileNameOnly', false);
    let took = 0;
    for (const file of files) {
      if (this.stopped || this.failure !== null) return;
      const id = fileNameOnly ? basename(file.path) : file.path;
      if ((await this.o.redis.sismember(this.o.takenKey, id)) === 1) continue;
      await this.take(file.path, id);
      took += 1;
    }
    // Stopped part-way through a file: offering now would split it across batches.
    if (this.stopped || this.failure !== null) return;
    if (took > 0 || this.unoffered) await this.offer();
    this.unoffered = false;
  }

  /**
   * Once per sub-directory (not on every poll). Spark reads `key=value` directories as
   * partitions, adding a column: Sluice does not, and says so.
   */
  private logDirectoryNotRead(path: string, name: string): void {
    if (this.loggedDirectories.has(path)) return;
    this.loggedDirectories.add(path);
    if (name.includes('=')) {
      this.o.log.warn('partition directory not read: Sluice does not discover partitions (Spark reads it as a partition column)', { directory: path });
    } else {
      this.o.log.info('sub-directory not read (as Spark, files in sub-directories are read only with recursiveFileLookup=true)', { directory: path });
    }
  }

  /** Offers the source topic, up to its end, to batches: the listing is complete. */
  private offer(): Promise<void> {
    return offerTopicEnd(this.o.redis, this.o.offeredKey, this.o.kafka, this.o.topic);
  }

  /**
   * Finishes the files a killed run was taking: their records are counted in the source topic
   * from where they started, and only the missing tail is written (one producer per source
   * topic, in order), so no record of a file is lost or written twice.
   */
  private async recover(): Promise<void> {
    const taking = await this.o.redis.hgetall(this.o.takingKey);
    for (const [id, raw] of Object.entries(taking)) {
      if (this.stopped || this.failure !== null) return;
      const { start, path } = JSON.parse(raw) as { start: number; path: string };
      const present = await countTopicRecords(this.o.kafka, this.o.topic, start, HEADER_FILE, id, `${this.o.topic}.recovery.${randomUUID()}`, this.o.clock);
      this.o.log.warn('finishing a file a previous run was taking', { file: id, alreadyWritten: present });
      await this.take(path, id, present);
    }
  }

  private async markTaken(id: string): Promise<void> {
    await this.o.redis.sadd(this.o.takenKey, id);
    await this.o.redis.hdel(this.o.takingKey, id);
  }

  /**
   * Reads one file, writes its rows (from record `skip` on, when finishing an interrupted
   * take), then records it as taken once Kafka has acknowledged them. Before writing, where its
   * records start is recorded, so a kill or a stop part-way is finished exactly (recover()).
   */
  private async take(path: string, id: string, skip = 0): Promise<void> {
    if (this.reader.mode === 'FAILFAST') {
      // A first pass: a malformed record anywhere fails the query before any row of the file is
      // written, and the file is not marked read (a restart fails on it again, as Spark's batch).
      const check = await this.reader.read(path, id, Number.POSITIVE_INFINITY, true);
      if (!check.complete) return;
      const bad = check.firstMalformed;
      if (bad !== null) {
        const cause = new SourceError(`malformed record in ${path} at line ${bad.line}: ${bad.reason}`);
        this.failure = new SourceError(failFastMessage(this.o.schema, bad.row), { cause });
        this.o.log.error('malformed record in FAILFAST mode: the query fails; the file is not marked read', { file: path, line: bad.line, reason: bad.reason });
        this.stats.malformed += check.malformed;
        metrics().ingestMalformed.inc({ query: this.o.queryId }, check.malformed);
        this.rejectFailFast(this.failure);
        return;
      }
    }
    if (skip === 0) {
      const admin = await this.o.kafka.admin();
      let start = 0;
      try {
        start = (await admin.endOffsets(this.o.topic)).find((p) => p.partition === 0)?.offset ?? 0;
      } finally {
        await admin.close();
      }
      await this.o.redis.hset(this.o.takingKey, id, JSON.stringify({ start, path }));
    }
    const rejectedBefore = this.writer.stats.rejected;
    const read = await this.reader.read(path, id, skip, false);
    // Stopped part-way (or Kafka given up on): the file stays being taken; a later run finishes it.
    if (!read.complete) return;
    await this.writer.flushed();
    if (this.writer.gaveUp) return;
    maybeCrash('file-produced', this.taken);
    this.taken += 1;
    await this.markTaken(id);
    const m = metrics();
    const query = this.o.queryId;
    const rejected = this.writer.stats.rejected - rejectedBefore;
    m.ingestFiles.inc({ query });
    m.ingestMalformed.inc({ query }, read.malformed);
    m.ingestBytes.inc({ query, format: this.o.format }, read.bytes);
    this.stats.files += 1;
    this.stats.records += read.records;
    this.stats.malformed += read.malformed;
    this.stats.bytes += read.bytes;
    this.stats.rejected += rejected;
    this.o.log.info('took file', { file: id, records: read.records, malformed: read.malformed, rejected });
    this.o.onProgress?.(this.stats);
  }

  /** Stops taking files, then writes what it has read, for at most `drainTimeoutMs`. */
  async stop(drainTimeoutMs = this.limits.drainTimeoutMs): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    // Closing first wakes a read waiting for room; the drain runs while the loop winds down.
    const closing = this.writer.close(drainTimeoutMs);
    await this.loop;
    await closing;
  }
}
