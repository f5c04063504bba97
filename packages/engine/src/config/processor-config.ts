import { ConfigError } from '../errors/config-error.js';
import { integerFormat } from './integer-format.js';

/**
 * How a query rides out an outage of Kafka or Redis: its processor and sink retry with a
 * doubling backoff, and only an outage longer than `outageTimeoutMs` stops the query. A block
 * of the processor and sink services' schemas and of `sluice run`'s.
 */
export interface OutageLimits {
  /** Stop the query once Kafka or Redis has been unreachable this long (0: wait without limit). */
  readonly outageTimeoutMs: number;
  /** First wait before a failed batch (or sink write) is tried again; it doubles up to retryBackoffMaxMs. */
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
}

/**
 * Five minutes: longer than a broker or Redis restart, a rolling upgrade or a leader election
 * (Spark's Kafka producer gives up after delivery.timeout.ms = 120 s; Kafka Streams keeps
 * retrying), short enough that an outage that will not end is reported the same hour.
 */
export const DEFAULT_OUTAGE_LIMITS: OutageLimits = Object.freeze({
  outageTimeoutMs: 300_000,
  retryBackoffMs: 500,
  retryBackoffMaxMs: 10_000,
});

/**
 * How much of a backlog one batch takes when its source sets no maxOffsetsPerTrigger or
 * maxFilesPerTrigger: Spark's executors stream a batch through the plan, this processor holds
 * a batch's records and rows in memory, so a batch of a whole backlog would hold all of it.
 */
export interface BatchLimits {
  /** Records a batch takes at most, spread over partitions as maxOffsetsPerTrigger is (0: no cap). */
  readonly maxBatchRecords: number;
  /** Bytes of record keys and values a batch takes at most, over the records fetched (0: no cap). */
  readonly maxBatchBytes: number;
}

/**
 * Measured with bench/backlog.bench.ts (a keyed count over a backlog of small JSON rows, the
 * processor with Node's default heap settings, 2 cores): over 5,000,000 rows, 20,000 records a
 * batch peaked at 316 MB and 10,000 at 281 MB, both at some 85,000 rows/s; over 600,000 rows,
 * 200,000 a batch peaked at 516 MB and 50,000 at 313 MB. V8 lets its heap grow well past the
 * live data while batches allocate (with the old space held to 160 MB, 100,000 a batch peaked
 * at 219 MB), so the cap is set for the peak, not the live data. 32 MiB caps batches of large
 * records (over some 3 KB) before their count does.
 */
export const DEFAULT_BATCH_LIMITS: BatchLimits = Object.freeze({
  maxBatchRecords: 10_000,
  maxBatchBytes: 32 * 1024 * 1024,
});

integerFormat('outage-ms', 0, 604_800_000, 'an integer number of milliseconds from 0 (no limit) to 604800000 (7 days)');
integerFormat('outage-backoff-ms', 1, 3_600_000, 'an integer number of milliseconds from 1 to 3600000');
integerFormat('batch-records', 0, 1_000_000_000, 'an integer number of records from 0 (no cap) to 1000000000');
integerFormat('batch-bytes', 0, 1_099_511_627_776, 'an integer number of bytes from 0 (no cap) to 1099511627776 (1 TiB)');

function leaf(doc: string, format: string, key: keyof OutageLimits, env: string): { doc: string; format: string; default: number; env: string } {
  return { doc, format, default: DEFAULT_OUTAGE_LIMITS[key], env };
}

/** The `processor` block of a convict schema. */
export const processorSchema = {
  processor: {
    outageTimeoutMs: leaf('Stop the query once Kafka or Redis has been unreachable this long (0: wait without limit). Meanwhile the batch is retried, /readyz fails and a warning is logged every 30 s.', 'outage-ms', 'outageTimeoutMs', 'SLUICE_PROCESSOR_OUTAGE_TIMEOUT_MS'),
    retryBackoffMs: leaf('Wait before a batch that failed on an unreachable Kafka or Redis is tried again; doubles on each failure.', 'outage-backoff-ms', 'retryBackoffMs', 'SLUICE_PROCESSOR_RETRY_BACKOFF_MS'),
    retryBackoffMaxMs: leaf('Longest wait between tries of a batch while Kafka or Redis is unreachable.', 'outage-backoff-ms', 'retryBackoffMaxMs', 'SLUICE_PROCESSOR_RETRY_BACKOFF_MAX_MS'),
    maxBatchRecords: {
      doc: 'Records a batch takes at most when its source sets no maxOffsetsPerTrigger or maxFilesPerTrigger (0: no cap); a larger backlog runs as several batches, so the processor\'s memory stays bounded.',
      format: 'batch-records',
      default: DEFAULT_BATCH_LIMITS.maxBatchRecords,
      env: 'SLUICE_PROCESSOR_MAX_BATCH_RECORDS',
    },
    maxBatchBytes: {
      doc: 'Bytes of record keys and values a batch takes at most, under the same conditions (0: no cap).',
      format: 'batch-bytes',
      default: DEFAULT_BATCH_LIMITS.maxBatchBytes,
      env: 'SLUICE_PROCESSOR_MAX_BATCH_BYTES',
    },
    scaleOut: {
      doc: 'Share the query with the other processor replicas started with this setting: Kafka partitions are tasks spread over the replicas (Kafka sources only; docs/scale-out.md).',
      format: Boolean,
      default: false,
      env: 'SLUICE_PROCESSOR_SCALE_OUT',
    },
  },
} as const;

export interface ProcessorConfig {
  readonly processor: OutageLimits & BatchLimits & { readonly scaleOut: boolean };
}

/** The batch cap of a `processor` block, with the defaults for keys it lacks. */
export function batchLimitsOf(block: Partial<BatchLimits>): BatchLimits {
  return {
    maxBatchRecords: block.maxBatchRecords ?? DEFAULT_BATCH_LIMITS.maxBatchRecords,
    maxBatchBytes: block.maxBatchBytes ?? DEFAULT_BATCH_LIMITS.maxBatchBytes,
  };
}

/** The checks between keys convict cannot express; throws a ConfigError naming the key. */
export function checkOutageLimits(limits: OutageLimits): OutageLimits {
  if (limits.retryBackoffMaxMs < limits.retryBackoffMs) {
    throw new ConfigError('processor.retryBackoffMaxMs (env SLUICE_PROCESSOR_RETRY_BACKOFF_MAX_MS)', limits.retryBackoffMaxMs,
      `at least processor.retryBackoffMs (${limits.retryBackoffMs})`);
  }
  return limits;
}
