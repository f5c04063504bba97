import { randomUUID } from 'node:crypto';
import type { StreamingQuery, StreamingQueryStatus } from '../core/streaming-query.js';
import type { StreamingQueryProgress } from '../core/streaming-query-progress.js';
import type { IngestLimits } from '../config/ingest-config.js';
import type { BatchLimits, OutageLimits } from '../config/processor-config.js';
import { KafkaSecuritySettings } from '../kafka/kafka-security.js';
import type { KafkaPort } from '../kafka/kafka-port.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../internal/logger.js';
import type { BatchLag } from '../observability/live-query.js';
import { KafkajsPort } from '../kafka/kafkajs-port.js';
import { streamingSources } from '../plan/logical-plan.js';
import type { QueryPlan } from '../plan/query-plan.js';
import { connectRedis, type RedisClient, type RedisSettings } from '../state/redis-connection.js';
import { deleteKeys, scanKeys } from '../state/redis-scan.js';
import { checkpointKeys, queryRegistryKey } from '../state/keys.js';
import { resolveQueryId } from './query-identity.js';
import { IngestRole, ProcessorRole, SinkRole, type RoleContext } from './query-roles.js';
import { queryKafkaSecurity } from './query-kafka-security.js';
import { queryTopics } from './query-topics.js';

export interface Connections {
  readonly brokers: string;
  readonly redisUrl: string;
  readonly ingestLimits?: IngestLimits;
  /** How long the processor and sink ride out an outage of Kafka or Redis. */
  readonly outageLimits?: OutageLimits;
  /** The processor's cap on a batch whose source sets no read limit. */
  readonly batchLimits?: BatchLimits;
  /** The configured Kafka security (the query's own kafka.* options are laid over it). */
  readonly kafkaSecurity?: KafkaSecuritySettings;
  /** The configured Redis user, password and TLS files. */
  readonly redisSettings?: RedisSettings;
}

const MAX_RECENT_PROGRESS = 100;
const SINK_DRAIN_TIMEOUT_MS = 15_000;

/**
 * A query run in this process: ingest, processor and sink roles over the real Kafka and
 * Redis. Starting happens in the background; `awaitStarted()` and `awaitTermination()` report
 * how it went.
 */
export class LocalStreamingQuery implements StreamingQuery {
  id = '';
  readonly runId = randomUUID();
  /** Epoch ms this run started (the live page's Start Time). */
  readonly startTimestamp: number;
  private active = true;
  private failure: Error | null = null;
  private readonly progress: StreamingQueryProgress[] = [];
  private redis: RedisClient | null = null;
  private kafka: KafkajsPort | null = null;
  private ingest: IngestRole | null = null;
  private processor: ProcessorRole | null = null;
  private sink: SinkRole | null = null;
  private readonly started: Promise<void>;
  private readonly terminated: Promise<void>;
  private stopping: Promise<void> | null = null;
  /** Callers of awaitTermination() waiting now: a failure is theirs to report. */
  private waiters = 0;
  private readonly log: Logger;

  constructor(
    readonly plan: QueryPlan,
    connections: Promise<Connections>,
    private readonly clock: Clock,
    log: Logger,
    private readonly onTerminated: (query: LocalStreamingQuery) => void,
  ) {
    this.startTimestamp = clock.now();
    this.log = log.child({ runId: this.runId });
    this.started = this.startRoles(connections);
    // The query ends with its processor, or fails when its ingest or sink cannot go on.
    this.terminated = this.started
      .then(() => Promise.race([this.processor?.executor.awaitTermination(), this.ingest?.failed, this.sink?.failed]))
      .then(() => this.stop(), (err: unknown) => this.failWith(err));
    // Failures surface through awaitStarted/awaitTermination, never as unhandled rejections.
    this.started.catch(() => undefined);
    this.terminated.catch(() => undefined);
  }

  get name(): string | null {
    return this.plan.name;
  }

  get isActive(): boolean {
    return this.active;
  }

  get lastProgress(): StreamingQueryProgress | null {
    return this.progress[this.progress.length - 1] ?? null;
  }

  get recentProgress(): readonly StreamingQueryProgress[] {
    return [...this.progress];
  }

  /** The consumer lag of every source partition after each of `recentProgress`. */
  get recentConsumerLag(): readonly BatchLag[] {
    return this.processor?.executor.recentConsumerLag ?? [];
  }

  get status(): StreamingQueryStatus {
    if (!this.active) return { message: 'Stopped', isDataAvailable: false, isTriggerActive: false };
    return this.processor?.executor.status ?? { message: 'Initializing StreamExecution', isDataAvailable: false, isTriggerActive: false };
  }

  /** Why this query's ingest cannot write its source topics now (for /readyz), or null. */
  ingestProblem(): string | null {
    return this.ingest?.problem() ?? null;
  }

  /** Why this query's processor or sink waits (Kafka or Redis unreachable) for /readyz, or null. */
  outageProblem(): string | null {
    const problems = [this.processor?.problem() ?? null, this.sink?.problem() ?? null].filter((p): p is string => p !== null);
    return problems.length === 0 ? null : problems.join('; ');
  }

  /** This query's Kafka client once connected (it carries the query's credentials), else null. */
  get kafkaPort(): KafkaPort | null {
    return this.kafka;
  }

  exception(): Error | null {
    return this.failure;
  }

  awaitStarted(): Promise<void> {
    return this.started;
  }

  async awaitTermination(timeoutMs?: number): Promise<boolean> {
    this.waiters++;
    try {
      if (timeoutMs === undefined) {
        await this.terminated;
        if (this.failure !== null) throw this.failure;
        return true;
      }
      const done = await Promise.race([this.terminated.then(() => true), this.clock.sleep(timeoutMs).then(() => false)]);
      if (this.failure !== null) throw this.failure;
      return done;
    } finally {
      this.waiters--;
    }
  }

  private async startRoles(connections: Promise<Connections>): Promise<void> {
    const { brokers, redisUrl, ingestLimits, outageLimits, batchLimits, kafkaSecurity, redisSettings } = await connections;
    const security = await queryKafkaSecurity(this.plan, kafkaSecurity ?? KafkaSecuritySettings.empty());
    this.redis = await connectRedis(redisUrl, this.log, redisSettings);
    this.id = await resolveQueryId(this.redis, this.plan.checkpointLocation, this.log);
    this.kafka = new KafkajsPort({ brokers: brokers.split(','), clientId: `sluice-${this.id}`, logger: this.log, security });
    const ctx: RoleContext = {
      plan: this.plan,
      queryId: this.id,
      runId: this.runId,
      kafka: this.kafka,
      brokers,
      redis: this.redis,
      clock: this.clock,
      log: this.log,
      ...(ingestLimits === undefined ? {} : { ingestLimits }),
      ...(outageLimits === undefined ? {} : { outageLimits }),
      ...(batchLimits === undefined ? {} : { batchLimits }),
    };
    this.log.info('starting query', { queryId: this.id, name: this.plan.name, checkpointLocation: this.plan.checkpointLocation });
    this.sink = new SinkRole(ctx);
    await this.sink.start();
    this.ingest = new IngestRole(ctx);
    if (this.plan.trigger.kind !== 'processingTime') {
      // once / availableNow take what the sources hold at start: let the sockets deliver
      // what their servers send on connect before the processor takes its snapshot.
      await this.ingest.start();
      await this.ingest.awaitSettled();
    }
    this.processor = new ProcessorRole(ctx, (p) => {
      this.progress.push(p);
      if (this.progress.length > MAX_RECENT_PROGRESS) this.progress.shift();
    });
    await this.processor.start();
    if (this.plan.trigger.kind === 'processingTime') await this.ingest.start();
    this.log.info('query started', { queryId: this.id, name: this.plan.name });
  }

  private async failWith(err: unknown): Promise<void> {
    this.failure = err instanceof Error ? err : new Error(String(err));
    // Awaited, the error is thrown to the program (and `sluice run` prints it once); else it is logged.
    if (this.waiters > 0) this.log.debug('query failed', { err });
    else this.log.error('query failed', { err });
    await this.stop().catch((stopErr: unknown) => this.log.error('error while stopping a failed query', { err: stopErr }));
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    await this.started.catch(() => undefined);
    await this.ingest?.stop();
    await this.processor?.stop();
    const lastBatch = this.processor?.executor.lastBatchOfRun ?? -1;
    if (this.sink?.reader != null && lastBatch >= 0 && this.failure === null) {
      const drained = await this.sink.reader.waitForBatch(lastBatch, SINK_DRAIN_TIMEOUT_MS, (ms) => this.clock.sleep(ms));
      if (!drained) this.log.warn('sink did not catch up before stop', { lastBatch });
    }
    await this.sink?.stop();
    if (this.plan.temporaryCheckpoint) await this.removeTemporaryCheckpoint();
    await this.redis?.quit().catch(() => undefined);
    this.redis = null;
    this.active = false;
    this.log.info('query stopped', { queryId: this.id });
    this.onTerminated(this);
  }

  /** A checkpoint Sluice chose itself dies with the run, like Spark's temporary directory. */
  private async removeTemporaryCheckpoint(): Promise<void> {
    const redis = this.redis;
    if (redis === null || this.id === '') return;
    const keys = checkpointKeys(this.plan.checkpointLocation);
    await deleteKeys(redis, await scanKeys(redis, keys.all));
    await redis.hdel(queryRegistryKey(), this.id);
    const topics = queryTopics(this.id);
    if (this.kafka === null) return;
    const admin = await this.kafka.admin();
    try {
      const own = streamingSources(this.plan.root).filter((s) => s.format !== 'kafka').map((s) => topics.source(s.index));
      // A Kafka sink's query has no results topic (the processor writes the sink's topic itself).
      await admin.deleteTopics([...own, ...(this.plan.sink.format === 'kafka' ? [] : [topics.results])]);
    } catch (err) {
      this.log.warn('cannot remove the temporary topics', { err });
    } finally {
      await admin.close();
    }
  }
}
