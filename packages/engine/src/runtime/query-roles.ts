import { CaseInsensitiveOptions } from '../core/options.js';
import type { StreamingQueryProgress } from '../core/streaming-query-progress.js';
import { OptionError } from '../errors/option-error.js';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from '../config/ingest-config.js';
import { withAdmin, type KafkaProducer } from '../kafka/kafka-port.js';
import { streamingSources } from '../plan/logical-plan.js';
import { IdempotentSink, type BatchWriter } from '../sinks/batch-sink.js';
import { consoleShowOptions, consoleWriter, writeStdout } from '../sinks/console-sink.js';
import { fileWriter } from '../sinks/file-sink.js';
import { foreachBatchWriter } from '../sinks/foreach-batch-sink.js';
import { MicroBatchExecutor, type MicroBatchExecutorOptions } from './processor/micro-batch-executor.js';
import { ScaleOutProcessor } from './scale-out/scale-out-processor.js';
import { queryTopics } from './query-topics.js';
import { ResultsReader } from './sink/results-reader.js';
import { checkpointKeys } from '../state/keys.js';
import { FileDropIngest } from './ingest/file-drop-ingest.js';
import { RateIngest } from './ingest/rate-ingest.js';
import { SocketIngest } from './ingest/socket-ingest.js';
import { offerTopicEnd } from './source-offered.js';

/**
 * The three roles of a query — ingest, processor, sink — each startable on its own, so they
 * run in one process (`query.start()`) or as three services over the same plan.
 */
export interface RoleContext extends Omit<MicroBatchExecutorOptions, 'minBatchesToRetain' | 'onProgress'> {
  /** The ingest's buffer, line, connection, retry and drain limits (defaults when absent). */
  readonly ingestLimits?: IngestLimits;
}

export interface RunningRole {
  stop(): Promise<void>;
}

/** What the ingest role runs per source. */
interface SourceIngest {
  awaitSettled(): Promise<void>;
  /** Stops reading, then writes what was read for at most `drainTimeoutMs`. */
  stop(drainTimeoutMs?: number): Promise<void>;
  /** Rejects when the source cannot go on (Kafka refused past ingest.deliveryTimeoutMs). */
  readonly failed: Promise<never>;
  /** Why its source topic cannot be written now, or null. */
  problem(): string | null;
}

/** On a terminal: one self-updating line of what a directory's ingest has taken so far. */
function liveCounter(directory: string): (stats: Readonly<{ files: number; records: number; malformed: number }>) => void {
  return (stats) => {
    process.stderr.write(`\r\x1b[Kingest ${directory}: ${stats.files} files, ${stats.records} records, ${stats.malformed} malformed`);
  };
}

/**
 * The ingest: every socket, file and rate source of the plan into its source topic, through
 * one bounded, retrying writer per source (SourceTopicWriter). `stop()` stops reading and
 * writes what was read within ingest.drainTimeoutMs.
 */
export class IngestRole implements RunningRole {
  private readonly ingests: SourceIngest[] = [];
  private producer: KafkaProducer | null = null;
  private readonly limits: IngestLimits;
  private rejectFailed: (err: unknown) => void = () => undefined;
  /** Rejects when a source cannot go on; the role should then be stopped. */
  readonly failed: Promise<never>;

  constructor(private readonly ctx: RoleContext) {
    this.limits = ctx.ingestLimits ?? DEFAULT_INGEST_LIMITS;
    this.failed = new Promise<never>((_, reject) => {
      this.rejectFailed = reject;
    });
    this.failed.catch(() => undefined);
  }

  /** For /readyz: what keeps the sources from writing their topics now, or null. */
  problem(): string | null {
    const problems = this.ingests.map((i) => i.problem()).filter((p): p is string => p !== null);
    return problems.length === 0 ? null : problems.join('; ');
  }

  private started(ingest: SourceIngest & { start(): void }): void {
    ingest.start();
    ingest.failed.catch((err: unknown) => this.rejectFailed(err));
    this.ingests.push(ingest);
  }

  async start(): Promise<void> {
    const { plan, queryId, kafka, clock } = this.ctx;
    const limits = this.limits;
    const log = this.ctx.log.child({ role: 'ingest', queryId });
    const topics = queryTopics(queryId);
    // A Kafka source is read where it is: no source topic, nothing to ingest.
    const sources = streamingSources(plan.root).filter((s) => s.format !== 'kafka');
    if (sources.length === 0) return;
    await withAdmin(kafka, async (admin) => {
      for (const source of sources) await admin.ensureTopic(topics.source(source.index), 1);
    });
    this.producer = await kafka.producer();
    for (const source of sources) {
      const options = new CaseInsensitiveOptions(source.options);
      if (source.format === 'json' || source.format === 'csv' || source.format === 'text') {
        const ingest = new FileDropIngest({
          directory: options.get('path') ?? '.',
          format: source.format,
          options,
          schema: source.schema,
          timeZone: plan.sessionTimeZone,
          topic: topics.source(source.index),
          queryId,
          takenKey: checkpointKeys(plan.checkpointLocation).sourceFiles(source.index),
          takingKey: checkpointKeys(plan.checkpointLocation).sourceTaking(source.index),
          offeredKey: checkpointKeys(plan.checkpointLocation).sourceOffered(source.index),
          kafka,
          producer: this.producer,
          redis: this.ctx.redis,
          clock,
          log,
          limits,
          ...(process.stderr.isTTY === true ? { onProgress: liveCounter(options.get('path') ?? '.') } : {}),
        });
        this.started(ingest);
        continue;
      }
      if (source.format === 'rate') {
        const admin = await kafka.admin();
        let startValue = 0;
        try {
          // Values go on after a restart: the source topic holds one row per value so far.
          startValue = (await admin.endOffsets(topics.source(source.index))).reduce((n, p) => n + p.offset, 0);
        } finally {
          await admin.close();
        }
        const ingest = new RateIngest({
          rowsPerSecond: options.getInt('rowsPerSecond', 1, 0), schema: source.schema, topic: topics.source(source.index),
          queryId, producer: this.producer, clock, log, startValue, limits,
        });
        this.started(ingest);
        continue;
      }
      if (source.format !== 'socket') continue;
      const host = options.get('host');
      const port = options.getInt('port', -1);
      if (host === undefined || port < 0 || port > 65535) {
        throw new OptionError(`socket source needs options 'host' and 'port' (0-65535), got host=${String(host)} port=${String(options.get('port'))}`);
      }
      log.warn('The socket source should not be used for production applications! It does not support recovery.');
      // The socket has an offset once it connects (again, for a new ingest).
      const offeredKey = checkpointKeys(plan.checkpointLocation).sourceOffered(source.index);
      await this.ctx.redis.del(offeredKey);
      const bindAddress = options.get('bindAddress');
      const ingest = new SocketIngest({
        host, port,
        includeTimestamp: options.getBoolean('includeTimestamp', false),
        listen: options.getBoolean('listen', false),
        ...(bindAddress === undefined ? {} : { bindAddress }),
        schema: source.schema,
        topic: topics.source(source.index),
        queryId,
        producer: this.producer,
        clock,
        log,
        limits,
        onReady: () => offerTopicEnd(this.ctx.redis, offeredKey, kafka, topics.source(source.index)),
      });
      this.started(ingest);
    }
  }

  /** Waits until every socket has delivered what its server sent on connect (bounded triggers). */
  async awaitSettled(): Promise<void> {
    await Promise.all(this.ingests.map((i) => i.awaitSettled()));
  }

  /** Stops reading every source, then writes what they read, all within ingest.drainTimeoutMs. */
  async stop(): Promise<void> {
    await Promise.all(this.ingests.map((ingest) => ingest.stop(this.limits.drainTimeoutMs)));
    await this.producer?.close().catch((err: unknown) => this.ctx.log.warn('cannot close the ingest producer', { err }));
    this.producer = null;
  }
}

/** What the processor role runs: the single-process loop, or one replica of a scaled-out query. */
export type ProcessorLoop = Pick<MicroBatchExecutor,
  'start' | 'stop' | 'problem' | 'awaitTermination' | 'lastProgress' | 'recentProgress' | 'recentConsumerLag' | 'status' | 'lastBatchOfRun'>;

export class ProcessorRole implements RunningRole {
  readonly executor: ProcessorLoop;

  /** With `scaleOut`, one replica among those of the query (runtime/scale-out/); else the whole query. */
  constructor(ctx: RoleContext, onProgress?: (p: StreamingQueryProgress) => void, scaleOut = false) {
    this.executor = scaleOut
      ? new ScaleOutProcessor({ ...ctx })
      : new MicroBatchExecutor({ ...ctx, ...(onProgress === undefined ? {} : { onProgress }) });
  }

  start(): Promise<void> {
    return this.executor.start();
  }

  /** For /readyz: why no batch can run now (Kafka or Redis unreachable), or null. */
  problem(): string | null {
    return this.executor.problem();
  }

  stop(): Promise<void> {
    return this.executor.stop();
  }
}

export class SinkRole implements RunningRole {
  /** Null for a Kafka sink: the processor writes the topic itself, in its transaction. */
  readonly reader: ResultsReader | null;

  constructor(ctx: RoleContext, write: (text: string) => Promise<void> = writeStdout) {
    const { sink: spec, sessionTimeZone } = ctx.plan;
    if (spec.format === 'kafka') {
      this.reader = null;
      return;
    }
    const writer: BatchWriter = spec.format === 'foreachBatch'
      ? foreachBatchWriter(spec.options['function'] ?? '', sessionTimeZone)
      : spec.format === 'console'
        ? consoleWriter(consoleShowOptions(new CaseInsensitiveOptions(spec.options), sessionTimeZone), write)
        : fileWriter(spec.format, spec.options['path'] ?? '.', sessionTimeZone);
    const sink = new IdempotentSink(ctx.redis, ctx.plan.checkpointLocation, spec.format, writer);
    this.reader = new ResultsReader({
      queryId: ctx.queryId, runId: ctx.runId, redis: ctx.redis, kafka: ctx.kafka, sink, log: ctx.log, clock: ctx.clock,
      ...(ctx.outageLimits === undefined ? {} : { outageLimits: ctx.outageLimits }),
      offsetKey: checkpointKeys(ctx.plan.checkpointLocation).sinkOffset(spec.format),
      sinkName: spec.format,
    });
  }

  async start(): Promise<void> {
    await this.reader?.start();
  }

  /** Rejects when the sink cannot go on (Redis unreachable past processor.outageTimeoutMs). */
  get failed(): Promise<never> {
    return this.reader?.failed ?? new Promise<never>(() => undefined);
  }

  /** For /readyz: why no batch can be written now (Redis unreachable), or null. */
  problem(): string | null {
    return this.reader?.problem() ?? null;
  }

  async stop(): Promise<void> {
    await this.reader?.stop();
  }
}
