import { IllegalStateError } from '../errors/illegal-state-error.js';
import { loadEngineConfig } from '../config/config.js';
import { systemClock, type Clock } from '../execution/clock.js';
import { applyConfiguredLogLevel, createLogger, type Logger } from '../internal/logger.js';
import type { QueryPlan } from '../plan/query-plan.js';
import { createRedisClient, type RedisClient } from '../state/redis-connection.js';
import { KafkajsPort } from '../kafka/kafkajs-port.js';
import type { LiveQuery } from '../observability/live-query.js';
import { OpsServer, stackChecks } from '../observability/ops-server.js';
import { warmLocalStack, type LocalStack } from './local-stack.js';
import { LocalStreamingQuery, type Connections } from './local-streaming-query.js';

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
  private signalsInstalled = false;
  /** Exit code owed to a SIGINT (130) or SIGTERM (143) being handled, else null. */
  signalExitCode: number | null = null;
  private readonly log: Logger;
  private terminationWaiters: Array<() => void> = [];
  private readonly shutdownHooks: Array<() => Promise<void>> = [];
  private ops: Promise<OpsServer | null> | null = null;
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
      applyConfiguredLogLevel(config.log.level);
      this.stack = warmLocalStack({ brokers: config.kafka.brokers, redisUrl: config.redis.url }, this.log);
      // A stack that cannot be reached fails the query, which reports it: no second report here.
      this.ops = this.stack.then((s) => this.startOps(s, config.metrics.port).catch((err: unknown) => {
        this.log.warn('cannot serve /metrics', { err });
        return null;
      }), () => null);
    }
    return this.stack.then((s) => ({ brokers: s.brokers, redisUrl: s.redisUrl }));
  }

  /** /metrics, /healthz, /readyz, /progress and the live page for the queries of this process. */
  private async startOps(stack: LocalStack, port: number): Promise<OpsServer> {
    const redis = createRedisClient(stack.redisUrl, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    const kafka = new KafkajsPort({ brokers: stack.brokers.split(','), clientId: 'sluice-ops', logger: this.log });
    const server = new OpsServer({
      port,
      log: this.log,
      checks: {
        ...stackChecks(redis, kafka),
        queries: async () => {
          if (this.active.length === 0) throw new IllegalStateError('no query is running');
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
    if (process.stderr.isTTY === true) process.stderr.write(`sluice: live page at http://127.0.0.1:${bound}/\n`);
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
      void this.clock.sleep(30_000).then(() => process.exit(code));
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
