/** Spark's StreamingQueryProgress, with its field names, as `query.lastProgress` returns it. */
export interface SourceProgress {
  readonly description: string;
  readonly startOffset: unknown;
  readonly endOffset: unknown;
  readonly latestOffset: unknown;
  readonly numInputRows: number;
  readonly inputRowsPerSecond: number;
  readonly processedRowsPerSecond: number;
  /** The source's custom metrics (a Kafka source's offsets behind latest); absent when it has none. */
  readonly metrics?: Readonly<Record<string, string>>;
}

export interface SinkProgress {
  readonly description: string;
  readonly numOutputRows: number;
}

export interface StreamingQueryProgress {
  readonly id: string;
  readonly runId: string;
  readonly name: string | null;
  readonly timestamp: string;
  readonly batchId: number;
  readonly batchDuration: number;
  readonly numInputRows: number;
  readonly inputRowsPerSecond: number;
  readonly processedRowsPerSecond: number;
  readonly durationMs: Readonly<Record<string, number>>;
  readonly eventTime: Readonly<Record<string, string>>;
  readonly stateOperators: ReadonlyArray<Readonly<Record<string, unknown>>>;
  readonly sources: readonly SourceProgress[];
  readonly sink: SinkProgress;
}
