import { randomUUID } from 'node:crypto';
import { resolve as resolvePath } from 'node:path';
import { AnalysisException } from '../errors/analysis-exception.js';
import { OptionError } from '../errors/option-error.js';
import { STREAMING_CONF_KEYS } from '../core/streaming-conf.js';
import { numberSources } from '../plan/logical-plan.js';
import { validatePlan } from '../execution/plan-validator.js';
import { checkPlanKafkaSecurity } from '../runtime/query-kafka-security.js';
import { OUTPUT_MODES, type OutputMode, type QueryPlan, type SinkFormat } from '../plan/query-plan.js';
import { registerForeachBatch } from '../sinks/foreach-batch-sink.js';
import { checkKafkaSinkSchema } from '../sinks/kafka-sink.js';
import { BatchDataFrame, type ForeachBatchFunction } from './batch-data-frame.js';
import type { DataFrame } from './data-frame.js';
import { OptionsBuilder } from './options-builder.js';
import type { RuntimeConfig } from './spark-session.js';
import { CaseInsensitiveOptions } from '../core/options.js';
import type { StreamingQuery } from '../core/streaming-query.js';
import { DEFAULT_TRIGGER, toTriggerSpec, type TriggerOptions, type TriggerSpec } from '../core/trigger.js';

const SUPPORTED_SINKS = ['console', 'foreachBatch', 'kafka', 'json', 'csv', 'text'] as const;
const FILE_SINKS = new Set(['json', 'csv', 'text']);

/** `df.writeStream`: where and how results go, as PySpark's DataStreamWriter. */
export class DataStreamWriter extends OptionsBuilder {
  private mode: OutputMode = 'append';
  private sinkFormat = 'console';
  private triggerSpec: TriggerSpec = DEFAULT_TRIGGER;
  private name: string | null = null;

  constructor(private readonly df: DataFrame) {
    super();
  }

  outputMode(mode: string): this {
    const m = mode.toLowerCase();
    if (!(OUTPUT_MODES as readonly string[]).includes(m)) {
      // InternalOutputModes.apply's message
      throw new OptionError(`Unknown output mode ${mode}. Accepted output modes are 'append', 'complete', 'update'`);
    }
    this.mode = m as OutputMode;
    return this;
  }

  format(sink: string): this {
    this.sinkFormat = sink.toLowerCase() === 'foreachbatch' ? 'foreachBatch' : sink.toLowerCase();
    return this;
  }

  trigger(options: TriggerOptions): this {
    this.triggerSpec = toTriggerSpec(options);
    return this;
  }

  /** Hands each batch's result to `fn` (in this process), as PySpark's foreachBatch. */
  foreachBatch(fn: ForeachBatchFunction): this {
    this.sinkFormat = 'foreachBatch';
    this.opts.set('function', registerForeachBatch((batchId, schema, rows, timeZone) => fn(new BatchDataFrame(schema, rows, timeZone), batchId)));
    return this;
  }

  queryName(name: string): this {
    this.name = name;
    return this;
  }

  /** The plan document `start()` runs; what `sluice plan` prints and the services take. */
  toPlan(): QueryPlan {
    if (!this.df.isStreaming) {
      throw new AnalysisException('Queries without streaming sources cannot be executed with writeStream.start()');
    }
    if (!(SUPPORTED_SINKS as readonly string[]).includes(this.sinkFormat)) {
      throw new OptionError(`unsupported sink format '${this.sinkFormat}'; supported: ${SUPPORTED_SINKS.join(', ')}`);
    }
    const session = this.df.sparkSession;
    const location = this.opts.get('checkpointLocation') ?? session.conf.get('spark.sql.streaming.checkpointLocation');
    if (FILE_SINKS.has(this.sinkFormat)) {
      if (this.mode !== 'append') {
        // QueryCompilationErrors.dataSourceOutputModeUnsupportedError (DataSource.createSink).
        throw new AnalysisException(
          `[STREAMING_OUTPUT_MODE.UNSUPPORTED_DATASOURCE] Invalid streaming output mode: ${this.mode}. This output mode is not supported in Data Source ${this.sinkFormat}. SQLSTATE: 42KDE`,
        );
      }
      const path = this.opts.get('path');
      if (path === undefined) throw new OptionError("'path' is not specified");
      this.opts.set('path', resolvePath(path));
    }
    if (this.sinkFormat === 'kafka' || FILE_SINKS.has(this.sinkFormat)) {
      if (location === undefined) {
        throw new AnalysisException(
          'checkpointLocation must be specified either through option("checkpointLocation", ...) or SparkSession.conf.set("spark.sql.streaming.checkpointLocation", ...)',
        );
      }
      if (this.sinkFormat === 'kafka') checkKafkaSinkSchema(this.df.schema, this.opts.get('topic'));
    }
    const sinkOptions = new CaseInsensitiveOptions(this.opts.toRecord());
    // Validate console options now, so a bad value fails at start().
    sinkOptions.getInt('numRows', 20, 0);
    sinkOptions.getBoolean('truncate', true);
    const plan: QueryPlan = {
      version: 1,
      name: this.name,
      checkpointLocation: location ?? `temporary-${randomUUID()}`,
      temporaryCheckpoint: location === undefined,
      outputMode: this.mode,
      sessionTimeZone: session.conf.get('spark.sql.session.timeZone') ?? 'UTC',
      ...streamingConfOf(session.conf),
      trigger: this.triggerSpec,
      sink: { format: this.sinkFormat as SinkFormat, options: sinkOptions.toRecord() },
      root: numberSources(this.df.plan),
    };
    validatePlan(plan);
    checkPlanKafkaSecurity(plan);
    return plan;
  }

  /**
   * Starts the query. Analysis errors throw here, as in Spark; connection and runtime errors
   * surface through `awaitStarted()` / `awaitTermination()`.
   */
  /** `writeStream.format("json").start("out/")`: the path may come with start. */
  start(path?: string): StreamingQuery {
    if (path !== undefined) this.opts.set('path', path);
    return this.startQuery();
  }

  private startQuery(): StreamingQuery {
    const plan = this.toPlan();
    planRecorder?.(plan);
    if (planRecorder !== null) return new RecordedQuery(plan);
    return this.df.sparkSession.manager.start(plan);
  }
}

/** The streaming settings the session has set, for the plan (none set: no `conf` in the plan). */
function streamingConfOf(conf: RuntimeConfig): { conf?: Record<string, string> } {
  const set = STREAMING_CONF_KEYS.flatMap((k): Array<[string, string]> => {
    const v = conf.get(k);
    return v === undefined ? [] : [[k, v]];
  });
  return set.length === 0 ? {} : { conf: Object.fromEntries(set) };
}

/** When set (by `sluice plan`), `start()` hands plans here instead of running them. */
let planRecorder: ((plan: QueryPlan) => void) | null = null;

export function recordPlansInstead(recorder: ((plan: QueryPlan) => void) | null): void {
  planRecorder = recorder;
}

/** The query handle of a plan that was recorded, not run. */
class RecordedQuery implements StreamingQuery {
  readonly id = '';
  readonly runId = '';
  readonly isActive = false;
  readonly lastProgress = null;
  readonly recentProgress = [];
  readonly status = { message: 'Recorded', isDataAvailable: false, isTriggerActive: false };

  constructor(private readonly plan: QueryPlan) {}

  get name(): string | null {
    return this.plan.name;
  }

  async awaitTermination(): Promise<boolean> {
    return true;
  }

  async awaitStarted(): Promise<void> {}

  async stop(): Promise<void> {}

  exception(): Error | null {
    return null;
  }
}
