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

integerFormat('outage-ms', 0, 604_800_000, 'an integer number of milliseconds from 0 (no limit) to 604800000 (7 days)');
integerFormat('outage-backoff-ms', 1, 3_600_000, 'an integer number of milliseconds from 1 to 3600000');

function leaf(doc: string, format: string, key: keyof OutageLimits, env: string): { doc: string; format: string; default: number; env: string } {
  return { doc, format, default: DEFAULT_OUTAGE_LIMITS[key], env };
}

/** The `processor` block of a convict schema. */
export const processorSchema = {
  processor: {
    outageTimeoutMs: leaf('Stop the query once Kafka or Redis has been unreachable this long (0: wait without limit). Meanwhile the batch is retried, /readyz fails and a warning is logged every 30 s.', 'outage-ms', 'outageTimeoutMs', 'SLUICE_PROCESSOR_OUTAGE_TIMEOUT_MS'),
    retryBackoffMs: leaf('Wait before a batch that failed on an unreachable Kafka or Redis is tried again; doubles on each failure.', 'outage-backoff-ms', 'retryBackoffMs', 'SLUICE_PROCESSOR_RETRY_BACKOFF_MS'),
    retryBackoffMaxMs: leaf('Longest wait between tries of a batch while Kafka or Redis is unreachable.', 'outage-backoff-ms', 'retryBackoffMaxMs', 'SLUICE_PROCESSOR_RETRY_BACKOFF_MAX_MS'),
    scaleOut: {
      doc: 'Share the query with the other processor replicas started with this setting: Kafka partitions are tasks spread over the replicas (Kafka sources only; docs/scale-out.md).',
      format: Boolean,
      default: false,
      env: 'SLUICE_PROCESSOR_SCALE_OUT',
    },
  },
} as const;

export interface ProcessorConfig {
  readonly processor: OutageLimits & { readonly scaleOut: boolean };
}

/** The checks between keys convict cannot express; throws a ConfigError naming the key. */
export function checkOutageLimits(limits: OutageLimits): OutageLimits {
  if (limits.retryBackoffMaxMs < limits.retryBackoffMs) {
    throw new ConfigError('processor.retryBackoffMaxMs (env SLUICE_PROCESSOR_RETRY_BACKOFF_MAX_MS)', limits.retryBackoffMaxMs,
      `at least processor.retryBackoffMs (${limits.retryBackoffMs})`);
  }
  return limits;
}
