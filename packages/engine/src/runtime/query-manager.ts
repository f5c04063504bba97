import { IllegalStateError } from '../errors/illegal-state-error.js';
import { loadEngineConfig, type MetricsConfig } from '../config/config.js';
import { kafkaSecuritySettings, redisSettings } from '../config/security-config.js';
import { batchLimitsOf } from '../config/processor-config.js';
import { ConfigError } from '../errors/config-error.js';
import { systemClock, type Clock } from '../core/clock.js';
import { applyConfiguredLogLevel, createLogger, type Logger } from '../internal/logger.js';
import type { QueryPlan } from '../plan/query-plan.js';
import { createRedisClient, type RedisClient } from '../state/redis-connection.js';
import { KafkajsPort } from '../kafka/kafkajs-port.js';
import type { KafkaPort } from '../kafka/kafka-port.js';
import type { LiveQuery } from '../observability/live-query.js';
import { OpsServer, stackChecks } from '../observability/ops-server.js';
import { warmLocalStack, type LocalStack } from './local-stack.js';
import { LocalStreamingQuery, type Connections } from './local-streaming-query.js';
import { queryKafkaSecurity } from './query-kafka-security.js';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from '../config/ingest-config.js';

/**
 * The queries this process runs, and what they share: the connections (the configured Kafka
 * and Redis, or the local ones, started on first use and left up for the next runs) and the
 * handling of SIGINT/SIGTERM, which stops every query, then exits.
 */
/** How many ended queries the live page keeps listing. */
const MAX_ENDED_QUERIES = 20;

/** A query as the live page shows it (once it has an id). */
function liveView(q: LocalStreamingQuery): LiveQuery {
  const failure = q.exception();
  return {
    id: q.id,
    runId: q.runId,
    name: q.name,
    status: q.isActive ? 'RUNNING' : failure === null ? 'FINISHED' : 'FAILED',
    startTimestamp: q.startTimestamp,
    lastError: failure === null ? null : String(failure),
    recentProgress: q.recentProgress,
    consumerLag: q.recentConsumerLag,
  };
}

export class QueryManager {
  private readonly queries = new Set<LocalStreamingQuery>();
  /** Queries that ended while the process runs, oldest first (Spark's completed queries). */
  private readonly ended: LiveQuery[] = [];
  private stack: Promise<LocalStack> | null = null;
  /** The configured ingest limits, read with the connections. */
  private ingestLimits: IngestLimits | null = null;
  private signalsInstalled = false;
  /** Exit code owed to a SIGINT (130) or SIGTERM (143) being handled, else null. */
  signalExitCode: number | null = null;
  private readonly log: Logger;
  private terminationWaiters: Array<() => void> = [];
  private readonly shutdownHooks: Array<() => Promise<void>> = [];
  private ops: Promise<OpsServer | null> | null = null;
  /** Rejects when the ops server cannot listen where configured (a port in use): queries fail. */
  private opsListening: Promise<void> = Promise.resolve();
  /** The configured Kafka security and Redis access, read with the connections. */
  private access: Pick<Connections, 'kafkaSecurity' | 'redisSettings' | 'outageLimits' | 'batchLimits'> = {};
  private opsRedis: RedisClient | null = null;

  constructor(private readonly clock: Clock = systemClock, log?: Logger) {
    this.log = log ?? createLogger({ component: 'sluice' });
  }

  get active(): LocalStreamingQuery[] {
    return [...this.queries].filter((q) => q.isActive);
  }

  /** Every query of the process that has an id: ended ones, then those running. */
  liveQueries(): LiveQuery[] {
    return [...this.ended, ...[...this.queries].filter((q) => q.id !== '').map(liveView)];
  }

  start(plan: QueryPlan): LocalStreamingQuery {
    this.installSignalHandlers();
    const query = new LocalStreamingQuery(plan, this.connections(), this.clock, this.log, (q) => this.terminated(q));
    this.queries.add(query);
    return query;
  }

  private connections(): Promise<Connections> {
    if (this.stack === null) {
      const config = loadEngineConfig();
      this.ingestLimits = config.ingest;
      this.access = { kafkaSecurity: kafkaSecuritySettings(config.kafka), redisSettings: redisSettings(config.redis), outageLimits: config.processor, batchLimits: batchLimitsOf(config.processor) };
      applyConfiguredLogLevel(config.log.level);
      this.stack = warmLocalStack({ brokers: config.kafka.brokers, redisUrl: config.redis.url }, this.log);
      // A stack that cannot be reached fails the query, which reports it: no second report here.
      const started = this.stack.then((s) => this.startOps(s, config.metrics));
      this.ops = started.catch((err: unknown) => {
        if (!(err instanceof ConfigError)) this.log.warn('cannot serve /metrics', { err });
        return null;
      });
      // A configuration the ops server cannot listen with (a port in use) fails the queries at start.
      this.opsListening = started.then(() => undefined, (err: unknown) => {
        if (err instanceof ConfigError) throw err;
      });
    }
    const ingestLimits = this.ingestLimits;
    const access = this.access;
    return Promise.all([this.stack, this.opsListening]).then(([s]) => ({
      brokers: s.brokers, redisUrl: s.redisUrl, ...(ingestLimits === null ? {} : { ingestLimits }), ...access,
    }));
  }

  /** /metrics, /healthz, /readyz, /progress and the live page for the queries of this process. */
  private async startOps(stack: LocalStack, metrics: MetricsConfig): Promise<OpsServer> {
    const security = this.access.kafkaSecurity === undefined ? undefined : await queryKafkaSecurity(null, this.access.kafkaSecurity);
    const own = new KafkajsPort({ brokers: stack.brokers.split(','), clientId: 'sluice-ops', logger: this.log, ...(security === undefined ? {} : { security }) });
    // Readiness asks Kafka through a running query's client: its options may carry the credentials.
    const kafka: KafkaPort = {
      admin: () => (this.active.map((q) => q.kafkaPort).find((k) => k !== null) ?? own).admin(),
      producer: (options) => own.producer(options),
      consumer: (options) => own.consumer(options),
    };
    const redis = createRedisClient(stack.redisUrl, { maxRetriesPerRequest: 1, ...(this.access.redisSettings === undefined ? {} : { settings: this.access.redisSettings }) });
    redis.on('error', () => undefined);
    const server = new OpsServer({
      port: metrics.port,
      host: metrics.host,
      token: metrics.token,
      log: this.log,
      checks: {
        ...stackChecks(redis, kafka),
        queries: async () => {
          if (this.active.length === 0) throw new IllegalStateError('no query is running');
        },
        ingest: async () => {
          const problems = this.active.map((q) => q.ingestProblem()).filter((p): p is string => p !== null);
          if (problems.length > 0) throw new IllegalStateError(problems.join('; '));
        },
        // A query waiting for an unreachable Kafka or Redis is alive but not processing.
        outages: async () => {
          const problems = this.active.map((q) => q.outageProblem()).filter((p): p is string => p !== null);
          if (problems.length > 0) throw new IllegalStateError(problems.join('; '));
        },
      },
      json: {
        '/progress': () => this.active.map((q) => ({ id: q.id, name: q.name, lastProgress: q.lastProgress })),
      },
      live: () => this.liveQueries(),
      clock: this.clock,
    });
    const bound = await server.start();
    // As spark-shell names its web UI: on a terminal, where info logs are hidden, say where the page is.
    const shown = metrics.host === '0.0.0.0' || metrics.host === '::' ? '127.0.0.1' : metrics.host.includes(':') ? `[${metrics.host}]` : metrics.host;
    if (process.stderr.isTTY === true) process.stderr.write(`sluice: live page at http://${shown}:${bound}/\n`);
    this.opsRedis = redis;
    return server;
  }

  private terminated(query: LocalStreamingQuery): void {
    this.queries.delete(query);
    if (query.id !== '') this.ended.push(liveView(query));
    if (this.ended.length > MAX_ENDED_QUERIES) this.ended.shift();
    const waiters = this.terminationWaiters;
    this.terminationWaiters = [];
    for (const w of waiters) w();
    if (this.queries.size === 0) {
      void this.stopOps();
      void this.releaseStack();
    }
  }

  /** Resolves when any query of this process terminates. */
  awaitAnyTermination(): Promise<void> {
    return new Promise((resolve) => this.terminationWaiters.push(resolve));
  }

  /** Runs after every query stopped on shutdown (the CLI stops the services it started). */
  addShutdownHook(hook: () => Promise<void>): void {
    this.shutdownHooks.push(hook);
  }

  private stoppingAll: Promise<void> | null = null;

  /** Stops every query, then the local services this process started. Callers share one run. */
  stopAll(): Promise<void> {
    this.stoppingAll ??= this.stopEverything().finally(() => {
      this.stoppingAll = null;
    });
    return this.stoppingAll;
  }

  private async stopEverything(): Promise<void> {
    await Promise.all([...this.queries].map((q) => q.stop().catch(() => undefined)));
    await this.stopOps();
    await this.releaseStack();
    for (const hook of this.shutdownHooks.splice(0)) {
      await hook().catch((err: unknown) => this.log.warn('shutdown hook failed', { err }));
    }
  }

  private async stopOps(): Promise<void> {
    const ops = this.ops;
    this.ops = null;
    await (await ops)?.stop();
    this.opsRedis?.disconnect();
    this.opsRedis = null;
  }

  private async releaseStack(): Promise<void> {
    const stack = this.stack;
    this.stack = null;
    if (stack === null) return;
    try {
      await (await stack.catch(() => null))?.stop();
    } catch (err) {
      this.log.warn('cannot stop the local services', { err });
    }
  }

  /** On SIGINT/SIGTERM: stop everything, then exit 130/143. */
  installSignalHandlers(): void {
    if (this.signalsInstalled) return;
    this.signalsInstalled = true;
    const onSignal = (signal: NodeJS.Signals): void => {
      this.log.info('stopping on signal', { signal });
      const code = signal === 'SIGINT' ? 130 : 143;
      this.signalExitCode = code;
      // A last resort if stopping hangs: after the ingest's drain bound and the sink's catch-up.
      void this.clock.sleep((this.ingestLimits ?? DEFAULT_INGEST_LIMITS).drainTimeoutMs + 30_000).then(() => process.exit(code));
      void this.stopAll().finally(() => process.exit(code));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
}

let shared: QueryManager | null = null;

/** The process-wide manager behind every SparkSession. */
export function queryManager(): QueryManager {
  shared ??= new QueryManager();
  return shared;
}
