import type { TriggerSpec } from '../core/trigger.js';
import type { LogicalPlan } from './logical-plan.js';

export const OUTPUT_MODES = ['append', 'update', 'complete'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

export const SINK_FORMATS = ['console', 'foreachBatch', 'kafka', 'json', 'csv', 'text'] as const;
export type SinkFormat = (typeof SINK_FORMATS)[number];

/**
 * Where results go: the console (Spark's format), the program's own function
 * (`foreachBatch`, options.function names it in the program's process), or a Kafka topic
 * (written by the processor, transactionally).
 */
export interface SinkSpec {
  readonly format: SinkFormat;
  readonly options: Readonly<Record<string, string>>;
}

/**
 * The document a started query becomes: everything the ingest, processor and sink services
 * need to run it. `checkpointLocation` is the Redis key prefix of the query's logs and state.
 */
export interface QueryPlan {
  readonly version: 1;
  readonly name: string | null;
  readonly checkpointLocation: string;
  /** True when Sluice chose the location (no `checkpointLocation` option): removed at stop. */
  readonly temporaryCheckpoint: boolean;
  readonly outputMode: OutputMode;
  /** Spark's `spark.sql.session.timeZone`: how timestamps print. */
  readonly sessionTimeZone: string;
  /** Streaming settings of the session at start (`spark.conf.set`), by Spark key; absent: defaults. */
  readonly conf?: Readonly<Record<string, string>>;
  readonly trigger: TriggerSpec;
  readonly sink: SinkSpec;
  readonly root: LogicalPlan;
}
