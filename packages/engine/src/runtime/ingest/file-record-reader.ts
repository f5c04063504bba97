/**
 * One streamed pass over a file of the file source: lines (ending at LF, CR or CR LF, as
 * Hadoop's LineReader) parsed as JSON, CSV or text records of the source's schema, and offered
 * as source-topic records to the writer, with the file's name in a header. Reading pauses
 * while the writer holds its limit of records not yet acknowledged; a line over
 * ingest.maxLineBytes or a record over ingest.maxRecordBytes is rejected (counted, logged).
 */
import { createReadStream } from 'node:fs';
import type { IngestLimits } from '../../config/ingest-config.js';
import type { CaseInsensitiveOptions } from '../../core/options.js';
import type { Row, Schema } from '../../core/types.js';
import { parseCsvLine } from '../../expressions/csv-lines.js';
import { parseJsonLine } from '../../expressions/json-lines.js';
import type { ParsedRecord, ParseMode, RecordOptions } from '../../expressions/record-parser.js';
import type { Logger } from '../../internal/logger.js';
import type { OutgoingRecord } from '../../kafka/kafka-port.js';
import { LineSplitter } from './line-splitter.js';
import { encodeSourceRow, HEADER_FILE } from '../source-records.js';
import { recordBytes, type SourceTopicWriter } from './source-topic-writer.js';

/** Bytes read from a file at a time. */
const READ_CHUNK_BYTES = 64 * 1024;

/** What one pass over a file found. */
export interface FileRead {
  /** Records the file yields (from the first on, those skipped included). */
  records: number;
  malformed: number;
  bytes: number;
  /** False when the ingest stopped before the end of the file. */
  complete: boolean;
  /** The first malformed record (its partial row), for FAILFAST. */
  firstMalformed: { row: Row; line: number; reason: string } | null;
}

export interface FileRecordReaderOptions {
  readonly format: 'json' | 'csv' | 'text';
  readonly options: CaseInsensitiveOptions;
  readonly schema: Schema;
  readonly timeZone: string;
  readonly limits: IngestLimits;
  readonly writer: SourceTopicWriter;
  readonly log: Logger;
  /** Whether the ingest has been stopped (a read ends part-way). */
  readonly stopped: () => boolean;
}

export class FileRecordReader {
  private readonly recordOptions: RecordOptions;

  constructor(private readonly o: FileRecordReaderOptions) {
    const mode = (o.options.get('mode') ?? 'PERMISSIVE').toUpperCase();
    this.recordOptions = {
      schema: o.schema,
      timeZone: o.timeZone,
      mode: (['PERMISSIVE', 'DROPMALFORMED', 'FAILFAST'].includes(mode) ? mode : 'PERMISSIVE') as ParseMode,
      corruptColumn: o.options.get('columnNameOfCorruptRecord') ?? '_corrupt_record',
    };
  }

  /** Spark's parse mode for malformed records (the `mode` option). */
  get mode(): ParseMode {
    return this.recordOptions.mode;
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
   * One streamed pass over a file: each line parsed into a record, and (unless `dryRun`) the
   * records from number `skip` on offered to the writer, reading paused while it is full.
   */
  async read(path: string, id: string, skip: number, dryRun: boolean): Promise<FileRead> {
    const { writer, limits } = this.o;
    const skipHeader = this.o.format === 'csv' && this.o.options.getBoolean('header', false);
    const out: FileRead = { records: 0, malformed: 0, bytes: 0, complete: false, firstMalformed: null };
    let lineNo = 0;
    const splitter = new LineSplitter(limits.maxLineBytes, {
      line: (text) => {
        lineNo += 1;
        if (skipHeader && lineNo === 1) return;
        const parsed = this.parse(text);
        if (parsed.kind === 'skip') return;
        if (parsed.kind === 'malformed') {
          out.malformed += 1;
          if (out.firstMalformed === null && parsed.row !== null) out.firstMalformed = { row: parsed.row, line: lineNo, reason: parsed.reason };
          if (!dryRun) this.o.log.warn('malformed record', { file: path, line: lineNo, reason: parsed.reason, mode: this.recordOptions.mode });
          if (parsed.row === null) return;
        }
        if (dryRun) return;
        const record: OutgoingRecord = { value: encodeSourceRow(this.o.schema, parsed.row ?? []), headers: { [HEADER_FILE]: id } };
        const bytes = recordBytes(record);
        if (bytes > limits.maxRecordBytes) {
          writer.reject('record-too-large', { file: path, line: lineNo, bytes, maxRecordBytes: limits.maxRecordBytes });
          return;
        }
        out.records += 1;
        if (out.records > skip) writer.offer(record);
      },
      tooLong: (bytes) => {
        lineNo += 1;
        if (!dryRun) writer.reject('line-too-long', { file: path, line: lineNo, bytes, maxLineBytes: limits.maxLineBytes });
      },
    });
    const stream = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        out.bytes += chunk.length;
        splitter.push(chunk);
        if (writer.isFull) await writer.whenWritable();
        if (this.o.stopped() || writer.isClosed) return out;
      }
    } finally {
      stream.destroy();
    }
    splitter.end();
    out.complete = true;
    return out;
  }
}
