import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Prometheus metric Sluice exposes, in one registry per process (prom-client). Names
 * follow Prometheus conventions: `sluice_` prefix, base units, `_total` for counters.
 */
export class SluiceMetrics {
  readonly registry = new Registry();

  // processor
  readonly batches = new Counter({ name: 'sluice_batches_total', help: 'Micro-batches committed.', labelNames: ['query'], registers: [this.registry] });
  readonly batchDuration = new Histogram({
    name: 'sluice_batch_duration_seconds', help: 'Duration of a micro-batch, trigger start to commit.', labelNames: ['query'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry],
  });
  readonly inputRows = new Counter({ name: 'sluice_input_rows_total', help: 'Rows read by micro-batches.', labelNames: ['query'], registers: [this.registry] });
  readonly inputRate = new Gauge({ name: 'sluice_input_rows_per_second', help: 'inputRowsPerSecond of the last batch.', labelNames: ['query'], registers: [this.registry] });
  readonly processedRate = new Gauge({ name: 'sluice_processed_rows_per_second', help: 'processedRowsPerSecond of the last batch.', labelNames: ['query'], registers: [this.registry] });
  readonly stateRows = new Gauge({ name: 'sluice_state_rows', help: 'Rows held in state by the stateful operators.', labelNames: ['query'], registers: [this.registry] });
  readonly stateBytes = new Gauge({ name: 'sluice_state_bytes', help: 'Approximate bytes of state (JSON size).', labelNames: ['query'], registers: [this.registry] });
  readonly watermark = new Gauge({ name: 'sluice_watermark_seconds', help: 'Event-time watermark (seconds since the epoch).', labelNames: ['query'], registers: [this.registry] });
  readonly lateRows = new Counter({ name: 'sluice_late_rows_dropped_total', help: 'Rows dropped as later than the watermark.', labelNames: ['query'], registers: [this.registry] });
  readonly consumerLag = new Gauge({ name: 'sluice_consumer_lag_records', help: 'Records available in a source partition beyond the last batch.', labelNames: ['query', 'source', 'partition'], registers: [this.registry] });

  readonly skippedRecords = new Counter({
    name: 'sluice_skipped_records_total', help: 'Records that could not be read and were skipped (and logged), by where.',
    labelNames: ['query', 'where'], registers: [this.registry],
  });

  // ingest
  readonly ingestConnections = new Counter({ name: 'sluice_ingest_connections_total', help: 'Socket source connections made.', labelNames: ['query'], registers: [this.registry] });
  readonly ingestRecords = new Counter({ name: 'sluice_ingest_records_total', help: 'Lines and file records written to source topics (acknowledged by Kafka).', labelNames: ['query', 'format'], registers: [this.registry] });
  readonly ingestRejected = new Counter({
    name: 'sluice_ingest_rejected_records_total', help: 'Lines and records rejected by the ingest\'s limits (counted and logged), by reason.',
    labelNames: ['query', 'reason'], registers: [this.registry],
  });
  readonly ingestUnwritten = new Counter({
    name: 'sluice_ingest_unwritten_records_total', help: 'Records read but not written to a source topic (drain timeout or delivery timeout; logged with their count).',
    labelNames: ['query'], registers: [this.registry],
  });
  readonly ingestWriteRetries = new Counter({ name: 'sluice_ingest_write_retries_total', help: 'Failed writes to a source topic, retried.', labelNames: ['query', 'topic'], registers: [this.registry] });
  readonly ingestWritable = new Gauge({ name: 'sluice_ingest_source_topic_writable', help: '1 while writes to the source topic succeed, 0 while they fail and are retried.', labelNames: ['query', 'topic'], registers: [this.registry] });
  readonly ingestBufferedRecords = new Gauge({ name: 'sluice_ingest_buffered_records', help: 'Records read and not yet acknowledged by Kafka.', labelNames: ['query', 'topic'], registers: [this.registry] });
  readonly ingestBufferedBytes = new Gauge({ name: 'sluice_ingest_buffered_bytes', help: 'Bytes of records read and not yet acknowledged by Kafka.', labelNames: ['query', 'topic'], registers: [this.registry] });
  readonly ingestPauses = new Counter({ name: 'sluice_ingest_backpressure_pauses_total', help: 'Times a source stopped reading because its buffer was full.', labelNames: ['query', 'topic'], registers: [this.registry] });
  readonly ingestRefused = new Counter({ name: 'sluice_ingest_connections_refused_total', help: 'Line clients refused by a listening socket source (maxConnections).', labelNames: ['query'], registers: [this.registry] });
  readonly ingestBytes = new Counter({ name: 'sluice_ingest_bytes_total', help: 'Bytes read by sources.', labelNames: ['query', 'format'], registers: [this.registry] });
  readonly ingestFiles = new Counter({ name: 'sluice_ingest_files_total', help: 'Files taken by file sources.', labelNames: ['query'], registers: [this.registry] });
  readonly ingestMalformed = new Counter({ name: 'sluice_ingest_malformed_records_total', help: 'Malformed records (counted and logged).', labelNames: ['query'], registers: [this.registry] });

  // sink
  readonly sinkRows = new Counter({ name: 'sluice_sink_rows_total', help: 'Rows written by sinks.', labelNames: ['query', 'sink'], registers: [this.registry] });
  readonly sinkBatches = new Counter({ name: 'sluice_sink_batches_total', help: 'Batches written by sinks.', labelNames: ['query', 'sink'], registers: [this.registry] });
  readonly sinkDuplicates = new Counter({ name: 'sluice_sink_duplicates_dropped_total', help: 'Batches dropped as already written.', labelNames: ['query', 'sink'], registers: [this.registry] });

  // outages of Kafka or Redis ridden out by the processor and the sink
  readonly outageWaiting = new Gauge({ name: 'sluice_outage_waiting', help: '1 while the role waits for an unreachable Kafka or Redis and retries, else 0.', labelNames: ['query', 'role'], registers: [this.registry] });
  readonly outageRetries = new Counter({ name: 'sluice_outage_retries_total', help: 'Attempts that failed on an unreachable Kafka or Redis and were retried.', labelNames: ['query', 'role', 'service'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'sluice_' });
  }
}

let shared: SluiceMetrics | null = null;

/** The process's metrics. */
export function metrics(): SluiceMetrics {
  shared ??= new SluiceMetrics();
  return shared;
}
