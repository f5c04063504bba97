import type { OutageLimits } from '../config/processor-config.js';
import type { Clock } from '../core/clock.js';
import { LocalStackError } from '../errors/local-stack-error.js';
import type { Logger } from '../internal/logger.js';
import { redactText } from '../internal/secrets.js';
import { metrics } from '../observability/metrics.js';

/** Which service a transient failure came from. */
export type OutageService = 'Kafka' | 'Redis';

/** How often a warning repeats while an outage lasts. */
const WARN_EVERY_MS = 30_000;

/** Kafka error codes that clear once a broker is back or a leader is elected (kafkajs `type`). */
const KAFKA_TRANSIENT_TYPES = new Set([
  'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION', 'NOT_LEADER_OR_FOLLOWER', 'BROKER_NOT_AVAILABLE', 'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION', 'COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR', 'COORDINATOR_LOAD_IN_PROGRESS', 'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'CONCURRENT_TRANSACTIONS', 'UNKNOWN_TOPIC_OR_PARTITION', 'KAFKA_STORAGE_ERROR',
]);

/** kafkajs errors that mean "no broker answered" rather than "the broker said no". */
const KAFKA_TRANSIENT_NAMES = new Set([
  'KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError', 'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound', 'KafkaJSMetadataNotLoaded', 'KafkaJSTopicMetadataNotLoaded', 'KafkaJSStaleTopicMetadataAssignment',
  'KafkaJSLockTimeout', 'KafkaJSTimeout',
]);

/** Socket errors of a server that is down or restarting. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

/** ioredis' words for a connection that is down, and Redis' replies of a server not ready yet. */
const REDIS_TRANSIENT = /^(Connection is closed|Stream isn't writeable|Reached the max retries per request limit|LOADING |TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY |Failed to refresh slots cache|None of startup nodes is available)/;

/** The error and its causes (kafkajs keeps a retried error as `originalError`). */
function chain(err: unknown): Error[] {
  const out: Error[] = [];
  for (let e: unknown = err; e instanceof Error && out.length < 10; e = e.cause ?? (e as { originalError?: unknown }).originalError) out.push(e);
  return out;
}

/**
 * The service a failure says is unreachable for now (connection refused or closed, broker or
 * leader not available, request timed out, Redis loading), or null for a failure a retry
 * cannot mend (bad credentials, a fenced producer, a checkpoint of another run, a bug).
 */
export function transientService(err: unknown): OutageService | null {
  const errors = chain(err);
  const kafka = errors.some((e) => e.name.startsWith('KafkaJS'));
  for (const e of errors) {
    if (e.name === 'KafkaJSSASLAuthenticationError' || e.name === 'KafkaJSInvalidProducerEpoch') return null;
    if (KAFKA_TRANSIENT_NAMES.has(e.name)) return 'Kafka';
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && KAFKA_TRANSIENT_TYPES.has(type)) return 'Kafka';
    if (e.name === 'MaxRetriesPerRequestError' || e.name === 'ClusterAllFailedError' || REDIS_TRANSIENT.test(e.message)) return 'Redis';
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined && SOCKET_CODES.has(code)) return kafka ? 'Kafka' : 'Redis';
  }
  return null;
}

export interface OutageGuardOptions {
  readonly limits: OutageLimits;
  readonly clock: Clock;
  readonly log: Logger;
  readonly queryId: string;
  /** The role waiting ('processor', 'sink'), for logs and metrics. */
  readonly role: string;
}

interface Outage {
  readonly since: number;
  service: OutageService;
  lastError: unknown;
  lastWarned: number;
  attempts: number;
}

/**
 * Rides out outages of Kafka and Redis: runs an attempt, and when it fails on an unreachable
 * service waits (doubling backoff), lets the caller rebuild its clients, and tries again —
 * until the outage has lasted processor.outageTimeoutMs, which fails with one line naming
 * what was unreachable and the setting. While it waits, `problem()` says why (for /readyz),
 * the sluice_outage_waiting gauge is 1 and a warning repeats every 30 s.
 */
export class OutageGuard {
  private outage: Outage | null = null;

  constructor(private readonly options: OutageGuardOptions) {}

  /** Why the role is waiting now, or null. */
  problem(): string | null {
    const o = this.outage;
    if (o === null) return null;
    const seconds = Math.round((this.options.clock.now() - o.since) / 1000);
    return `${this.options.role}: ${o.service} unreachable for ${seconds} s (retrying): ${this.describe(o.lastError)}`;
  }

  /**
   * Runs `attempt` until it succeeds. After a transient failure: waits, runs `recover` (a
   * transient failure of it counts as one more), then tries again. Resolves null when `signal`
   * aborts while waiting; any other failure is thrown as it is.
   */
  async run<T>(attempt: () => Promise<T>, signal: AbortSignal, recover: () => Promise<void> = async () => undefined): Promise<T | null> {
    let needsRecovery = false;
    for (;;) {
      try {
        if (needsRecovery) {
          await recover();
          needsRecovery = false;
        }
        const result = await attempt();
        this.ended();
        return result;
      } catch (err) {
        const service = transientService(err);
        if (service === null) throw err;
        this.failed(service, err);
        needsRecovery = true;
        await this.options.clock.sleep(this.backoff(), signal);
        if (signal.aborted) {
          this.clear();
          return null;
        }
      }
    }
  }

  private describe(err: unknown): string {
    // ioredis' own advice (raise maxRetriesPerRequest) is not the setting to change here.
    if (chain(err).some((e) => e.name === 'MaxRetriesPerRequestError')) return 'no connection to Redis (it refused or closed every attempt)';
    return redactText(err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  }

  private backoff(): number {
    const { retryBackoffMs, retryBackoffMaxMs } = this.options.limits;
    const attempts = this.outage?.attempts ?? 1;
    return Math.min(retryBackoffMaxMs, retryBackoffMs * 2 ** Math.min(attempts - 1, 30));
  }

  private failed(service: OutageService, err: unknown): void {
    const { clock, log, limits, queryId, role } = this.options;
    const now = clock.now();
    if (this.outage === null) {
      this.outage = { since: now, service, lastError: err, lastWarned: now, attempts: 0 };
      metrics().outageWaiting.set({ query: queryId, role }, 1);
      log.warn(`${service} is unreachable; the ${role} waits and retries`, { service, error: this.describe(err), outageTimeoutMs: limits.outageTimeoutMs });
    }
    const o = this.outage;
    o.service = service;
    o.lastError = err;
    o.attempts++;
    metrics().outageRetries.inc({ query: queryId, role, service });
    const waited = now - o.since;
    if (limits.outageTimeoutMs > 0 && waited >= limits.outageTimeoutMs) {
      this.clear();
      throw new LocalStackError(
        `${service} unreachable for ${Math.round(waited / 1000)} s, longer than processor.outageTimeoutMs = ${limits.outageTimeoutMs} (env SLUICE_PROCESSOR_OUTAGE_TIMEOUT_MS): ${this.describe(err)}`,
        { cause: err, retriable: true },
      );
    }
    if (now - o.lastWarned >= WARN_EVERY_MS) {
      o.lastWarned = now;
      log.warn(`${service} still unreachable; the ${role} keeps retrying`, { service, waitedMs: waited, attempts: o.attempts, error: this.describe(err) });
    }
  }

  /** The outage is over without the service coming back (stop, or given up). */
  private clear(): void {
    if (this.outage === null) return;
    this.outage = null;
    metrics().outageWaiting.set({ query: this.options.queryId, role: this.options.role }, 0);
  }

  private ended(): void {
    const o = this.outage;
    if (o === null) return;
    this.clear();
    this.options.log.info(`${o.service} reachable again; the ${this.options.role} goes on`, { waitedMs: this.options.clock.now() - o.since, attempts: o.attempts });
  }
}
