import { randomUUID } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RedisClient } from '../state/redis-connection.js';
import type { CaseInsensitiveOptions } from '../api/options.js';
import type { Schema } from '../api/types.js';
import type { Clock } from '../execution/clock.js';
import type { Logger } from '../internal/logger.js';
import type { KafkaProducer, OutgoingRecord } from '../kafka/kafka-port.js';
import { parseCsvLine } from '../sources/csv-lines.js';
import { parseJsonLine } from '../sources/json-lines.js';
import type { ParsedRecord, ParseMode, RecordOptions } from '../sources/record-parser.js';
import { metrics } from '../observability/metrics.js';
import { maybeCrash } from '../internal/crash-point.js';
import type { KafkaPort } from '../kafka/kafka-port.js';
import { readRange } from '../kafka/read-range.js';
import { offerTopicEnd } from './source-offered.js';
import { encodeSourceRow } from './source-records.js';

export const HEADER_FILE = 'sluice-file';

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
  /** Called after each file taken (live counters on a terminal). */
  readonly onProgress?: (stats: Readonly<FileDropStats>) => void;
}

export interface FileDropStats {
  files: number;
  records: number;
  malformed: number;
  bytes: number;
}

/** Names of files still being written (HDFS `._COPYING_`, hidden and `_` files): not taken yet. */
export function isInProgressName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_') || name.endsWith('._COPYING_');
}

const RECORDS_PER_SEND = 1000;

/**
 * The file source as Spark's: a watched directory whose every complete new file is read once
 * (in modification-time order, newest first with `latestFirst`), whatever its extension. The
 * set of taken files lives in Redis under the checkpoint, so a restart never re-reads one.
 * Each file's rows go to the source topic with the file name in a header. Batches read whole
 * directory listings: once every file a listing found is in the topic, the topic's end is
 * offered to the processor, so the files present when a query starts all land in batch 0, as
 * in Spark (FileStreamSource lists the directory when it plans a batch).
 */
export class FileDropIngest {
  readonly stats: FileDropStats = { files: 0, records: 0, malformed: 0, bytes: 0 };
  private stopped = false;
  private readonly abort = new AbortController();
  private loop: Promise<void> = Promise.resolve();
  private scans = 0;
  /** Files taken by this run (numbers the crash points of tests). */
  private taken = 0;
  /** Taken files that may not have been offered to batches yet. */
  private unoffered = false;
  private readonly recordOptions: RecordOptions;

  constructor(private readonly o: FileDropIngestOptions) {
    const mode = (o.options.get('mode') ?? 'PERMISSIVE').toUpperCase();
    this.recordOptions = {
      schema: o.schema,
      timeZone: o.timeZone,
      mode: (['PERMISSIVE', 'DROPMALFORMED', 'FAILFAST'].includes(mode) ? mode : 'PERMISSIVE') as ParseMode,
      corruptColumn: o.options.get('columnNameOfCorruptRecord') ?? '_corrupt_record',
    };
  }

  start(): void {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    try {
      await this.recover();
      // Files a previous run took are offered with the first listing, even if that run died
      // before it could offer them.
      this.unoffered = (await this.o.redis.scard(this.o.takenKey)) > 0;
    } catch (err) {
      this.o.log.error('file source recovery failed', { err, directory: this.o.directory });
    }
    while (!this.stopped) {
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
    while (this.scans < target && !this.stopped) await this.o.clock.sleep(20, this.abort.signal);
  }

  private async scan(): Promise<void> {
    const dir = resolve(this.o.directory);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const files: Array<{ path: string; mtime: number }> = [];
    for (const name of names) {
      if (isInProgressName(name)) continue;
      const path = join(dir, name);
      const s = await stat(path).catch(() => null);
      if (s?.isFile() === true) files.push({ path, mtime: s.mtimeMs });
    }
    files.sort((a, b) => a.mtime - b.mtime || a.path.localeCompare(b.path));
    if (this.o.options.getBoolean('latestFirst', false)) files.reverse();
    const fileNameOnly = this.o.options.getBoolean('fileNameOnly', false);
    let took = 0;
    for (const file of files) {
      if (this.stopped) return;
      const id = fileNameOnly ? file.path.slice(dir.length + 1) : file.path;
      if ((await this.o.redis.sismember(this.o.takenKey, id)) === 1) continue;
      await this.take(file.path, id);
      took += 1;
    }
    if (took > 0 || this.unoffered) await this.offer();
    this.unoffered = false;
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
      const { start, count, path } = JSON.parse(raw) as { start: number; count: number; path: string };
      const present = (await readRange(this.o.kafka, this.o.topic, 0, start, `${this.o.topic}.recovery.${randomUUID()}`, this.o.clock))
        .filter((r) => r.headers[HEADER_FILE] === id).length;
      this.o.log.warn('finishing a file a previous run was taking', { file: id, records: count, alreadyWritten: present });
      if (present < count) await this.take(path, id, present);
      else await this.markTaken(id);
    }
  }

  private async markTaken(id: string): Promise<void> {
    await this.o.redis.sadd(this.o.takenKey, id);
    await this.o.redis.hdel(this.o.takingKey, id);
  }

  private parse(line: string): ParsedRecord {
    switch (this.o.format) {
      case 'json':
        return parseJsonLine(line, this.recordOptions);
      case 'csv':
        return parseCsvLine(line, this.o.options.get('sep') ?? this.o.options.get('delimiter') ?? ',', this.recordOptions);
      default:
        return { kind: 'row', row: [line] };
    }
  }

  /**
   * Reads one file, writes its rows (from record `skip` on, when finishing an interrupted
   * take), then records it as taken. Before writing, where its records start is recorded, so a
   * kill between the two steps is recovered exactly (see recover()).
   */
  private async take(path: string, id: string, skip = 0): Promise<void> {
    const text = await readFile(path, 'utf8');
    const lines = text.split(/\r?\n/);
    if (lines[lines.length - 1] === '') lines.pop();
    const skipHeader = this.o.format === 'csv' && this.o.options.getBoolean('header', false);
    const records: OutgoingRecord[] = [];
    let malformed = 0;
    lines.forEach((line, i) => {
      if (skipHeader && i === 0) return;
      const parsed = this.parse(line);
      if (parsed.kind === 'skip') return;
      if (parsed.kind === 'malformed') {
        malformed += 1;
        this.o.log.warn('malformed record', { file: path, line: i + 1, reason: parsed.reason, mode: this.recordOptions.mode });
        if (parsed.row === null) return;
      }
      const row = parsed.row ?? [];
      records.push({ value: encodeSourceRow(this.o.schema, row), headers: { [HEADER_FILE]: id } });
    });
    if (malformed > 0 && this.recordOptions.mode === 'FAILFAST') {
      this.o.log.error('malformed records in FAILFAST mode: the file is skipped', { file: path, malformed });
      this.stats.malformed += malformed;
      metrics().ingestMalformed.inc({ query: this.o.queryId }, malformed);
      await this.markTaken(id);
      return;
    }
    if (skip === 0) {
      const admin = await this.o.kafka.admin();
      let start = 0;
      try {
        start = (await admin.endOffsets(this.o.topic)).find((p) => p.partition === 0)?.offset ?? 0;
      } finally {
        await admin.close();
      }
      await this.o.redis.hset(this.o.takingKey, id, JSON.stringify({ start, count: records.length, path }));
    }
    const rest = records.slice(skip);
    for (let i = 0; i < rest.length; i += RECORDS_PER_SEND) {
      await this.o.producer.send(this.o.topic, rest.slice(i, i + RECORDS_PER_SEND));
    }
    maybeCrash('file-produced', this.taken);
    this.taken += 1;
    await this.markTaken(id);
    const m = metrics();
    const query = this.o.queryId;
    m.ingestFiles.inc({ query });
    m.ingestRecords.inc({ query, format: this.o.format }, records.length);
    m.ingestMalformed.inc({ query }, malformed);
    m.ingestBytes.inc({ query, format: this.o.format }, Buffer.byteLength(text, 'utf8'));
    this.stats.files += 1;
    this.stats.records += records.length;
    this.stats.malformed += malformed;
    this.stats.bytes += Buffer.byteLength(text, 'utf8');
    this.o.log.info('took file', { file: id, records: records.length, malformed });
    this.o.onProgress?.(this.stats);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.loop;
  }
}
