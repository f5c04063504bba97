import { CaseInsensitiveOptions } from '../../core/options.js';
import type { SourceProgress, StreamingQueryProgress } from '../../core/streaming-query-progress.js';
import type { SourceOffsets } from '../../checkpoint/offset-log.js';
import type { StateMetrics } from '../../operators/operator.js';
import type { StreamingSourceNode } from '../../plan/logical-plan.js';
import type { QueryPlan } from '../../plan/query-plan.js';
import { kafkaSourceMetrics } from '../../sources/kafka-source-metrics.js';

export interface ProgressInput {
  readonly plan: QueryPlan;
  readonly queryId: string;
  readonly runId: string;
  readonly batchId: number;
  readonly triggerStart: number;
  readonly triggerEnd: number;
  readonly previousTriggerStart: number | null;
  readonly sources: readonly StreamingSourceNode[];
  readonly sourceTopics: ReadonlyArray<readonly string[]>;
  readonly inputRows: readonly number[];
  readonly start: readonly SourceOffsets[];
  readonly end: readonly SourceOffsets[];
  /** What each source offered before read limits when the batch was planned (Spark's reportLatestOffset), if known. */
  readonly latest?: ReadonlyArray<SourceOffsets | undefined>;
  readonly outputRows: number;
  readonly durations: Readonly<Record<string, number>>;
  readonly watermarkMs: number | null;
  readonly state: { readonly metrics: StateMetrics; readonly rows: number; readonly bytes: number; readonly commitMs: number } | null;
}

const opt = (s: StreamingSourceNode, key: string): string | undefined => new CaseInsensitiveOptions(s.options).get(key);

/** How Spark names a source in progress: `TextSocketV2[host: h, port: p]`, … */
function describe(s: StreamingSourceNode, topics: readonly string[]): string {
  switch (s.format) {
    case 'socket': return `TextSocketV2[host: ${opt(s, 'host') ?? ''}, port: ${opt(s, 'port') ?? ''}]`;
    case 'kafka': return `KafkaV2[Subscribe[${topics.join(',')}]]`;
    case 'rate': return `RateStreamV2[rowsPerSecond=${opt(s, 'rowsPerSecond') ?? '1'}, rampUpTimeSeconds=0, numPartitions=default`;
    default: return `FileStreamSource[file:${opt(s, 'path') ?? ''}]`;
  }
}

/** Offsets as Spark shows them: a line number for sockets, `{topic: {partition: offset}}` for Kafka. */
function offsetJson(s: StreamingSourceNode, topics: readonly string[], offsets: SourceOffsets | undefined, batchId: number): unknown {
  if (offsets === undefined || Object.keys(offsets).length === 0) return null;
  if (s.format === 'socket') return (offsets['0'] ?? 0) - 1;
  if (s.format === 'kafka') {
    const out: Record<string, Record<string, number>> = {};
    for (const [key, offset] of Object.entries(offsets)) {
      const [topic, partition] = topics.length === 1 ? [topics[0] ?? '', key] : [key.slice(0, key.lastIndexOf(':')), key.slice(key.lastIndexOf(':') + 1)];
      (out[topic] ??= {})[partition] = offset;
    }
    return out;
  }
  return { logOffset: batchId };
}

/** A Kafka source's custom metrics (Spark leaves an empty map out of the progress). */
function sourceMetrics(s: StreamingSourceNode, end: SourceOffsets | undefined, latest: SourceOffsets | undefined): { metrics?: Record<string, string> } {
  if (s.format !== 'kafka') return {};
  const metrics = kafkaSourceMetrics(end ?? null, latest ?? null);
  return Object.keys(metrics).length === 0 ? {} : { metrics };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

function sorted(record: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** Spark 4's StreamingQueryProgress for one batch (key order and rounding as Spark emits them). */
export function buildProgress(p: ProgressInput): StreamingQueryProgress {
  const triggerExecution = p.triggerEnd - p.triggerStart;
  const numInputRows = p.inputRows.reduce((a, b) => a + b, 0);
  const sincePrevious = p.previousTriggerStart === null ? 0 : p.triggerStart - p.previousTriggerStart;
  const rate = (rows: number): number => (sincePrevious > 0 ? round1((rows * 1000) / sincePrevious) : 0);
  const processed = (rows: number): number => round1((rows * 1000) / Math.max(1, triggerExecution));
  const sources: SourceProgress[] = p.sources.map((s, i) => ({
    description: describe(s, p.sourceTopics[i] ?? []),
    startOffset: p.batchId === 0 ? null : offsetJson(s, p.sourceTopics[i] ?? [], p.start[i], p.batchId - 1),
    endOffset: offsetJson(s, p.sourceTopics[i] ?? [], p.end[i], p.batchId),
    latestOffset: offsetJson(s, p.sourceTopics[i] ?? [], (s.format === 'kafka' ? p.latest?.[i] : undefined) ?? p.end[i], p.batchId),
    numInputRows: p.inputRows[i] ?? 0,
    inputRowsPerSecond: rate(p.inputRows[i] ?? 0),
    processedRowsPerSecond: processed(p.inputRows[i] ?? 0),
    ...sourceMetrics(s, p.end[i], p.latest?.[i]),
  }));
  return {
    id: p.queryId,
    runId: p.runId,
    name: p.plan.name,
    timestamp: new Date(p.triggerStart).toISOString(),
    batchId: p.batchId,
    batchDuration: triggerExecution,
    numInputRows,
    inputRowsPerSecond: rate(numInputRows),
    processedRowsPerSecond: processed(numInputRows),
    durationMs: sorted({ ...p.durations, triggerExecution }),
    eventTime: p.watermarkMs === null ? {} : { watermark: new Date(p.watermarkMs).toISOString() },
    stateOperators: p.state === null ? [] : [{
      operatorName: 'stateStoreSave',
      numRowsTotal: p.state.rows,
      numRowsUpdated: p.state.metrics.updated,
      numRowsRemoved: p.state.metrics.evicted,
      commitTimeMs: p.state.commitMs,
      memoryUsedBytes: p.state.bytes,
      numRowsDroppedByWatermark: p.state.metrics.droppedByWatermark,
      numShufflePartitions: 1,
      numStateStoreInstances: 1,
    }],
    sources,
    sink: { description: sinkDescription(p.plan), numOutputRows: p.outputRows },
  };
}

function sinkDescription(plan: QueryPlan): string {
  switch (plan.sink.format) {
    case 'kafka': return `KafkaTable[${plan.sink.options['topic'] ?? ''}]`;
    case 'console': return 'ConsoleTable';
    case 'foreachBatch': return 'ForeachBatchSink';
    default: return `FileSink[${plan.sink.options['path'] ?? ''}]`;
  }
}
