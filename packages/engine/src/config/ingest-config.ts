import { ConfigError } from '../errors/config-error.js';
import { integerFormat } from './integer-format.js';

/**
 * The ingest's limits: how much it holds in memory before it stops reading its sources, how
 * large a line or record may be, how many line clients it serves, how it retries Kafka and how
 * long it drains on SIGTERM. A block of the ingest service's schema and of `sluice run`'s.
 */
export interface IngestLimits {
  /** Records read and not yet acknowledged by Kafka, per source, before reading pauses. */
  readonly maxBufferedRecords: number;
  /** The same bound in bytes (record values, keys and headers). */
  readonly maxBufferedBytes: number;
  /** A longer line (bytes, terminator excluded) is rejected and counted, never buffered whole. */
  readonly maxLineBytes: number;
  /** A record whose value, key and headers exceed this is rejected and counted (below the broker's message.max.bytes). */
  readonly maxRecordBytes: number;
  /** Line clients served at once by a listening socket source; more are refused and counted. */
  readonly maxConnections: number;
  /** Give up writing to Kafka after this long without success (0: retry without limit). */
  readonly deliveryTimeoutMs: number;
  /** First wait before a failed write is retried; it doubles up to retryBackoffMaxMs. */
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
  /** On SIGTERM, how long the ingest may take to write what it holds before it exits. */
  readonly drainTimeoutMs: number;
}

/**
 * Defaults: 16 MiB held per source (half the Kafka producer's buffer.memory: the process's peak
 * RSS, garbage included, stays under 300 MB with 1 KB records), records under the broker's
 * default message.max.bytes (1048588) with room for batch overhead, and a drain that ends
 * within Kubernetes' default 30 s grace period.
 */
export const DEFAULT_INGEST_LIMITS: IngestLimits = Object.freeze({
  maxBufferedRecords: 100_000,
  maxBufferedBytes: 16 * 1024 * 1024,
  maxLineBytes: 1_000_000,
  maxRecordBytes: 1_000_000,
  maxConnections: 100,
  deliveryTimeoutMs: 0,
  retryBackoffMs: 100,
  retryBackoffMaxMs: 5_000,
  drainTimeoutMs: 20_000,
});

/** Kafka's records cannot exceed 2^31-1 bytes; a Node string cannot hold much more than 2^29 characters. */
const MAX_BYTES = 512 * 1024 * 1024;

integerFormat('ingest-count', 1, 100_000_000, 'an integer from 1 to 100000000');
integerFormat('ingest-bytes', 1024, MAX_BYTES, `an integer number of bytes from 1024 to ${MAX_BYTES}`);
integerFormat('ingest-ms', 0, 86_400_000, 'an integer number of milliseconds from 0 to 86400000');
integerFormat('ingest-backoff-ms', 1, 3_600_000, 'an integer number of milliseconds from 1 to 3600000');

function leaf(doc: string, format: string, key: keyof IngestLimits, env: string): { doc: string; format: string; default: number; env: string } {
  return { doc, format, default: DEFAULT_INGEST_LIMITS[key], env };
}

/** The `ingest` block of a convict schema. */
export const ingestSchema = {
  ingest: {
    maxBufferedRecords: leaf('Records read and not yet acknowledged by Kafka, per source, before the ingest stops reading (it resumes at half).', 'ingest-count', 'maxBufferedRecords', 'SLUICE_INGEST_MAX_BUFFERED_RECORDS'),
    maxBufferedBytes: leaf('Bytes read and not yet acknowledged by Kafka, per source, before the ingest stops reading (it resumes at half).', 'ingest-bytes', 'maxBufferedBytes', 'SLUICE_INGEST_MAX_BUFFERED_BYTES'),
    maxLineBytes: leaf('Longest line (bytes) a socket or file source takes; a longer one is rejected, counted and logged.', 'ingest-bytes', 'maxLineBytes', 'SLUICE_INGEST_MAX_LINE_BYTES'),
    maxRecordBytes: leaf('Largest source record (bytes); keep it below the broker\'s message.max.bytes. A larger one is rejected, counted and logged.', 'ingest-bytes', 'maxRecordBytes', 'SLUICE_INGEST_MAX_RECORD_BYTES'),
    maxConnections: leaf('Line clients a listening socket source serves at once; further clients are refused and counted.', 'ingest-count', 'maxConnections', 'SLUICE_INGEST_MAX_CONNECTIONS'),
    deliveryTimeoutMs: leaf('Stop the ingest after Kafka has refused writes this long (0: retry without limit).', 'ingest-ms', 'deliveryTimeoutMs', 'SLUICE_INGEST_DELIVERY_TIMEOUT_MS'),
    retryBackoffMs: leaf('Wait before retrying a failed write to Kafka; doubles on each failure.', 'ingest-backoff-ms', 'retryBackoffMs', 'SLUICE_INGEST_RETRY_BACKOFF_MS'),
    retryBackoffMaxMs: leaf('Longest wait between retries of a failed write to Kafka.', 'ingest-backoff-ms', 'retryBackoffMaxMs', 'SLUICE_INGEST_RETRY_BACKOFF_MAX_MS'),
    drainTimeoutMs: leaf('On SIGTERM/SIGINT, how long the ingest may take to write what it has read before it exits (what is left is logged with a count).', 'ingest-ms', 'drainTimeoutMs', 'SLUICE_INGEST_DRAIN_TIMEOUT_MS'),
  },
} as const;

export interface IngestConfig {
  readonly ingest: IngestLimits;
}

/** The checks between keys convict cannot express; throws a ConfigError naming the key. */
export function checkIngestLimits(limits: IngestLimits): IngestLimits {
  if (limits.retryBackoffMaxMs < limits.retryBackoffMs) {
    throw new ConfigError('ingest.retryBackoffMaxMs (env SLUICE_INGEST_RETRY_BACKOFF_MAX_MS)', limits.retryBackoffMaxMs,
      `at least ingest.retryBackoffMs (${limits.retryBackoffMs})`);
  }
  if (limits.maxBufferedBytes < limits.maxRecordBytes) {
    throw new ConfigError('ingest.maxBufferedBytes (env SLUICE_INGEST_MAX_BUFFERED_BYTES)', limits.maxBufferedBytes,
      `at least ingest.maxRecordBytes (${limits.maxRecordBytes}): one record must fit`);
  }
  return limits;
}
