import { IllegalStateError } from '../errors/illegal-state-error.js';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { commonSchema, type CommonConfig } from '../config/config.js';
import { kafkaSecuritySettings, redisSettings } from '../config/security-config.js';
import { checkIngestLimits, type IngestLimits } from '../config/ingest-config.js';
import { batchLimitsOf, checkOutageLimits, type BatchLimits, type OutageLimits } from '../config/processor-config.js';
import { ConfigError } from '../errors/config-error.js';
import { PlanError } from '../errors/plan-error.js';
import { StreamError } from '../errors/stream-error.js';
import { systemClock } from '../core/clock.js';
import { createLogger, setLogLevel, type Logger } from '../internal/logger.js';
import { redactText } from '../internal/secrets.js';
import { KafkaSecuritySettings } from '../kafka/kafka-security.js';
import { KafkajsPort } from '../kafka/kafkajs-port.js';
import { parsePlan } from '../plan/plan-json.js';
import type { QueryPlan } from '../plan/query-plan.js';
import { connectRedis, type RedisSettings } from '../state/redis-connection.js';
import type { LiveQuery } from '../observability/live-query.js';
import { OpsServer, stackChecks } from '../observability/ops-server.js';
import { resolveQueryId } from './query-identity.js';
import { queryKafkaSecurity } from './query-kafka-security.js';
import { IngestRole, ProcessorRole, SinkRole, type RoleContext, type RunningRole } from './query-roles.js';
import { ScaleOutProcessor } from './scale-out/scale-out-processor.js';

export type RoleName = 'ingest' | 'processor' | 'sink';

export interface RoleServiceOptions {
  readonly role: RoleName;
  readonly planFile: string;
  readonly brokers: string;
  readonly redisUrl: string;
  readonly clientId: string;
  /** Port of /metrics, /healthz and /readyz (0: a free port). */
  readonly metricsPort: number;
  /** Their address (default 127.0.0.1) and bearer token (none by default). */
  readonly metricsHost?: string;
  readonly metricsToken?: string;
  /** The configured Kafka security (the plan's kafka.* options are laid over it). */
  readonly kafkaSecurity?: KafkaSecuritySettings;
  /** The configured Redis user, password and TLS files. */
  readonly redisSettings?: RedisSettings;
  readonly log: Logger;
  /** The ingest role's limits (its service config's `ingest` block). */
  readonly ingestLimits?: IngestLimits;
  /** The processor and sink roles' outage limits (their service config's `processor` block). */
  readonly outageLimits?: OutageLimits;
  /** The processor's cap on a batch (processor.maxBatchRecords, processor.maxBatchBytes). */
  readonly batchLimits?: BatchLimits;
  /** The processor shares the query with the other replicas (processor.scaleOut). */
  readonly scaleOut?: boolean;
}

/** Reads and checks a plan document file. */
export async function readPlanFile(path: string): Promise<QueryPlan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new PlanError(`cannot read the plan file ${path}: ${(cause as Error).message}`, { cause });
  }
  return parsePlan(text);
}

/**
 * Runs one role of a query as a service process: connects, resolves the query id from the
 * checkpoint, starts the role, and on SIGINT/SIGTERM stops it and closes every connection.
 * Resolves with the process exit code.
 */
export async function runRoleService(options: RoleServiceOptions): Promise<number> {
  const { role, log } = options;
  const plan = await readPlanFile(options.planFile);
  const security = await queryKafkaSecurity(plan, options.kafkaSecurity ?? KafkaSecuritySettings.empty());
  const redis = await connectRedis(options.redisUrl, log, options.redisSettings);
  const queryId = await resolveQueryId(redis, plan.checkpointLocation, log);
  const ctx: RoleContext = {
    plan,
    queryId,
    runId: randomUUID(),
    kafka: new KafkajsPort({ brokers: options.brokers.split(','), clientId: `${options.clientId}-${role}`, logger: log, security }),
    brokers: options.brokers,
    redis,
    clock: systemClock,
    log,
    ...(options.ingestLimits === undefined ? {} : { ingestLimits: options.ingestLimits }),
    ...(options.outageLimits === undefined ? {} : { outageLimits: options.outageLimits }),
    ...(options.batchLimits === undefined ? {} : { batchLimits: options.batchLimits }),
  };
  let running: RunningRole;
  let ended: Promise<void>;
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  if (role === 'processor') {
    const processor = new ProcessorRole(ctx, undefined, options.scaleOut === true);
    await processor.start();
    running = processor;
    ended = processor.executor.awaitTermination();
  } else if (role === 'ingest') {
    const ingest = new IngestRole(ctx);
    await ingest.start();
    running = ingest;
    ended = ingest.failed;
  } else {
    const sink = new SinkRole(ctx);
    await sink.start();
    running = sink;
    ended = sink.failed;
  }
  let roleAlive = true;
  let failure: unknown = null;
  void ended.then(() => { roleAlive = false; }, (err: unknown) => { roleAlive = false; failure = err; });
  const startTimestamp = ctx.clock.now();
  const ops = new OpsServer({
    port: options.metricsPort,
    ...(options.metricsHost === undefined ? {} : { host: options.metricsHost }),
    ...(options.metricsToken === undefined ? {} : { token: options.metricsToken }),
    log,
    checks: {
      ...stackChecks(redis, ctx.kafka),
      [role]: async () => {
        if (!roleAlive) throw new IllegalStateError(`${role} is not running`);
        // The role is alive but holding what it reads, or waiting for an unreachable Kafka or Redis.
        const problem = (running as IngestRole | ProcessorRole | SinkRole).problem();
        if (problem !== null) throw new IllegalStateError(problem);
      },
    },
    json: role === 'processor'
      ? {
          '/progress': () => (running as ProcessorRole).executor.lastProgress,
        }
      : {},
    ...(role === 'processor' ? {
      live: (): LiveQuery[] => {
        const loop = (running as ProcessorRole).executor;
        return [{
          id: queryId,
          runId: ctx.runId,
          name: plan.name,
          status: roleAlive ? 'RUNNING' : failure === null ? 'FINISHED' : 'FAILED',
          startTimestamp,
          lastError: failure === null ? null : String(failure),
          recentProgress: loop.recentProgress,
          consumerLag: loop.recentConsumerLag,
          // A replica of a scaled-out query shows the others and their tasks (/api/queries/<id> too).
          ...(loop instanceof ScaleOutProcessor ? { replicas: loop.replicas } : {}),
        }];
      },
    } : {}),
    clock: ctx.clock,
  });
  await ops.start();
  log.info('service started', { role, queryId, checkpointLocation: plan.checkpointLocation });
  // An ingest that cannot go on is stopped like on a signal (what it holds is logged), then fails the process.
  const ingestFailed = role === 'ingest' ? ended.then(() => 'finished' as const, () => 'failed' as const) : null;
  // A sink that cannot go on (Redis unreachable past processor.outageTimeoutMs) fails the process.
  const sinkFailed = role === 'sink' ? ended.then(() => 'finished' as const, () => 'failed' as const) : null;
  const reason = await Promise.race([stopped, ingestFailed ?? sinkFailed ?? ended.then(() => 'finished' as const)]);
  log.info('service stopping', { role, reason });
  await ops.stop();
  await running.stop();
  await redis.quit().catch(() => undefined);
  if (failure !== null) throw failure;
  return reason === 'SIGINT' ? 130 : reason === 'SIGTERM' ? 143 : 0;
}

const ROLE_DOC: Readonly<Record<RoleName, string>> = {
  ingest: 'Bridges the query\'s sources (sockets, file drops) into its Kafka source topics.',
  processor: 'Runs the query\'s micro-batches: offset and commit logs, state in Redis, results to Kafka.',
  sink: 'Writes the query\'s results to the console (Spark\'s format), exactly once per batch id.',
};

/** `--help`: what the service does and every configuration key with its env var and default. */
export function serviceHelp(role: RoleName, schema: object): string {
  const lines: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if ('doc' in o && 'default' in o) {
      lines.push(`  ${path.padEnd(16)} ${String(o['env'] ?? '').padEnd(22)} default ${JSON.stringify(o['default'])}`, `      ${String(o['doc'])}`);
      return;
    }
    for (const [k, v] of Object.entries(o)) walk(v, path === '' ? k : `${path}.${k}`);
  };
  walk(schema, '');
  return `Usage: sluice-${role} [--help]\n\n${ROLE_DOC[role]}\n\nConfiguration (environment, or a JSON file named by SLUICE_CONFIG):\n${lines.join('\n')}\n`;
}

/** The configuration every role service shares: the common blocks plus the query it serves. */
export interface ServiceConfig extends CommonConfig {
  readonly query: { readonly plan: string };
  /** The ingest service's limits (its schema adds the `ingest` block). */
  readonly ingest?: IngestLimits;
  /** The processor and sink services' outage limits (their schemas add the `processor` block), and the processor's scale-out switch. */
  readonly processor?: OutageLimits & Partial<BatchLimits> & { readonly scaleOut?: boolean };
}

export const serviceSchema = {
  ...commonSchema,
  query: {
    plan: {
      doc: 'Path of the query plan document (JSON, as `sluice plan` writes it).',
      format: String,
      default: '',
      env: 'SLUICE_QUERY_PLAN',
    },
  },
};

/**
 * A role service's whole life: load and check its configuration (a bad value ends the
 * process with code 1 and a line naming the key, the value and what is allowed), run the role,
 * exit with 0, 130 (SIGINT) or 143 (SIGTERM).
 */
export function serviceMain<C extends ServiceConfig>(role: RoleName, loadServiceConfig: () => C, schema: object = serviceSchema): void {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(serviceHelp(role, schema), () => process.exit(0));
    return;
  }
  const log = createLogger({ service: role });
  const main = async (): Promise<number> => {
    const config = loadServiceConfig();
    setLogLevel(config.log.level);
    if (config.query.plan === '') {
      throw new ConfigError('query.plan (env SLUICE_QUERY_PLAN)', '', 'the path of a query plan file (sluice plan <program> -o <file>)');
    }
    if (config.kafka.brokers === '') {
      throw new ConfigError('kafka.brokers (env KAFKA_BROKERS)', '', 'a comma-separated list of host:port of a running broker');
    }
    return runRoleService({
      role,
      planFile: config.query.plan,
      brokers: config.kafka.brokers,
      redisUrl: config.redis.url === '' ? 'redis://127.0.0.1:6379' : config.redis.url,
      clientId: config.kafka.clientId,
      metricsPort: config.metrics.port,
      metricsHost: config.metrics.host,
      metricsToken: config.metrics.token,
      kafkaSecurity: kafkaSecuritySettings(config.kafka),
      redisSettings: redisSettings(config.redis),
      log,
      ...(config.ingest === undefined ? {} : { ingestLimits: checkIngestLimits(config.ingest) }),
      ...(config.processor === undefined ? {} : { outageLimits: checkOutageLimits(config.processor), batchLimits: batchLimitsOf(config.processor) }),
      scaleOut: role === 'processor' && config.processor?.scaleOut === true,
    });
  };
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof StreamError) process.stderr.write(`${redactText(`${err.name}: ${err.message}`)}\n`);
      log.error(`${role} service failed`, { err });
      process.exit(1);
    },
  );
}
