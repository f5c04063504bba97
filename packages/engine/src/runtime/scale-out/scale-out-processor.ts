import { OffsetLog, type OffsetLogEntry } from '../../checkpoint/offset-log.js';
import type { StreamingQueryProgress } from '../../core/streaming-query-progress.js';
import type { StreamingQueryStatus } from '../../core/streaming-query.js';
import { shuffleTasksSetting } from '../../core/streaming-conf.js';
import { SourceError } from '../../errors/source-error.js';
import { StagedQuery } from '../../execution/staged-query.js';
import type { KafkaAdmin, KafkaProducer } from '../../kafka/kafka-port.js';
import type { BatchLag, LiveReplica, LiveReplicas } from '../../observability/live-query.js';
import { streamingSources } from '../../plan/logical-plan.js';
import { checkpointKeys } from '../../state/keys.js';
import type { RedisClient } from '../../state/redis-connection.js';
import type { MicroBatchExecutorOptions } from '../processor/micro-batch-executor.js';
import { DEFAULT_BATCH_LIMITS, DEFAULT_OUTAGE_LIMITS } from '../../config/processor-config.js';
import { OutageGuard } from '../outage-guard.js';
import { queryTopics } from '../query-topics.js';
import { resolveSourceTopics } from '../processor/source-topics.js';
import { BatchLeader } from './batch-leader.js';
import { LeaderLease } from './leader-lease.js';
import { ShuffleTasks } from './shuffle-tasks.js';
import { ensureMarkerTopic } from './task-markers.js';
import { SourceTasks } from './source-tasks.js';
import { shuffleTasksOf, type TaskBatch, type TaskContext } from './task-context.js';

/** How long a leader's lease lasts without renewal: the pause before another replica leads. */
const LEASE_TTL_MS = 6000;
/** How often the lease is renewed (or, by a follower, tried). */
const LEASE_EVERY_MS = 1000;
/** How often the leader refreshes the query's registration without batches (`sluice status` trusts it for 30 s). */
const REGISTRY_HEARTBEAT_MS = 10_000;
/** How often an idle replica looks for a new batch or task input. */
const POLL_MS = 10;

/** What a replica reports of itself for `sluice status` and the live page. */
export type ReplicaTasks = LiveReplica;

/** A replica that has not reported for this long is gone (killed, cut off). */
export const REPLICA_STALE_MS = 10_000;

/** The replicas of a scaled-out query that reported lately, by run id. */
export async function readReplicas(redis: RedisClient, checkpointLocation: string, now: number): Promise<ReplicaTasks[]> {
  const all = await redis.hgetall(checkpointKeys(checkpointLocation).replicas);
  return Object.values(all)
    .map((text) => JSON.parse(text) as ReplicaTasks)
    .filter((r) => now - Date.parse(r.updatedAt) <= REPLICA_STALE_MS)
    .sort((a, b) => a.runId.localeCompare(b.runId));
}

/**
 * One processor replica of a scaled-out query. Every replica runs tasks: the source tasks and
 * shuffle tasks Kafka's consumer-group protocol gives it (source-tasks.ts, shuffle-tasks.ts);
 * the replica holding the Redis lease also plans and commits batches (batch-leader.ts), as
 * Spark's driver does for its executors. Replicas join and leave freely: a killed replica's
 * tasks move to the others after the group's session timeout, its lease after LEASE_TTL_MS.
 */
export class ScaleOutProcessor {
  private readonly stopSignal = new AbortController();
  private loop: Promise<void> | null = null;
  private admin: KafkaAdmin | null = null;
  private producer: KafkaProducer | null = null;
  private sourceTasks: SourceTasks | null = null;
  private shuffleTasks: ShuffleTasks | null = null;
  private leader: BatchLeader | null = null;
  private lease: LeaderLease;
  private leading = false;
  /** The query's live replicas as last read (every LEASE_EVERY_MS, with this replica's report). */
  private replicasSeen: ReplicaTasks[] = [];
  private readonly outage: OutageGuard;
  private readonly offsetLog: OffsetLog;
  private readonly log;

  constructor(private readonly options: MicroBatchExecutorOptions) {
    this.log = options.log.child({ role: 'processor', queryId: options.queryId, runId: options.runId });
    this.lease = new LeaderLease(options.redis, checkpointKeys(options.plan.checkpointLocation).leader, options.runId, LEASE_TTL_MS);
    this.offsetLog = new OffsetLog(options.redis, options.plan.checkpointLocation);
    this.outage = new OutageGuard({
      limits: options.outageLimits ?? DEFAULT_OUTAGE_LIMITS, clock: options.clock, log: this.log, queryId: options.queryId, role: 'processor',
    });
  }

  problem(): string | null {
    return this.outage.problem();
  }

  get lastProgress(): StreamingQueryProgress | null {
    return this.leader?.lastProgress ?? null;
  }

  get recentProgress(): readonly StreamingQueryProgress[] {
    return this.leader?.recentProgress ?? [];
  }

  /** Measured by the leader after each batch it committed; empty on a replica that never led. */
  get recentConsumerLag(): readonly BatchLag[] {
    return this.leader?.recentConsumerLag ?? [];
  }

  /** The query's replicas and, on the leader, the lag of every source partition after its last batch. */
  get replicas(): LiveReplicas {
    const lag = this.leading ? (this.recentConsumerLag.at(-1)?.partitions ?? []) : [];
    return { members: this.replicasSeen, lag };
  }

  get status(): StreamingQueryStatus {
    if (this.loop === null) return { message: 'Initializing StreamExecution', isDataAvailable: false, isTriggerActive: false };
    return { message: 'Waiting for data to arrive', isDataAvailable: false, isTriggerActive: false };
  }

  /** The last batch this replica committed as leader, or -1. */
  get lastBatchOfRun(): number {
    return this.leader?.lastProgress?.batchId ?? -1;
  }

  /** This replica's share of the work now. */
  get tasks(): ReplicaTasks {
    return {
      runId: this.options.runId, leader: this.leading,
      sourceTasks: this.sourceTasks?.ownedTasks() ?? [], shuffleTasks: this.shuffleTasks?.ownedTasks() ?? [],
      updatedAt: new Date(this.options.clock.now()).toISOString(),
    };
  }

  /** What `sluice status` and the live page show of this replica. */
  private async reportTasks(): Promise<void> {
    const key = checkpointKeys(this.options.plan.checkpointLocation).replicas;
    await this.options.redis.hset(key, this.options.runId, JSON.stringify(this.tasks));
  }

  async start(): Promise<void> {
    const { plan, kafka } = this.options;
    if (plan.trigger.kind === 'once' || plan.trigger.kind === 'availableNow') {
      throw new SourceError(`a scaled-out query runs with the default or a processing-time trigger, not ${plan.trigger.kind} (run it with one processor)`);
    }
    const sources = streamingSources(plan.root);
    const other = sources.find((s) => s.format !== 'kafka');
    if (other !== undefined) {
      throw new SourceError(`a scaled-out query reads Kafka sources only: its tasks are Kafka partitions, and a ${other.format} source has one (run it with one processor)`);
    }
    const topics = queryTopics(this.options.queryId);
    this.admin = await kafka.admin();
    const admin = this.admin;
    const sourceSets = [];
    for (const s of sources) sourceSets.push(await resolveSourceTopics(s, topics.source(s.index), admin));
    const staged = new StagedQuery(plan);
    const latest = await this.offsetLog.getLatest();
    staged.restorePinnedConf(latest?.entry.conf);
    const ctx: TaskContext = {
      plan, queryId: this.options.queryId, runId: this.options.runId, kafka, redis: this.options.redis, clock: this.options.clock,
      log: this.log, topics, staged, sources, sourceSets, batchLimits: this.options.batchLimits ?? DEFAULT_BATCH_LIMITS,
    };
    // A new checkpoint gets sluice.shuffle.tasks, else as many shuffle tasks as its widest source
    // has partitions; never more than there are Spark shuffle partitions to own.
    let widest = 1;
    for (const set of sourceSets) widest = Math.max(widest, Object.keys(await set.endOffsets(admin)).length);
    const tasks = latest === null
      ? Math.min(shuffleTasksSetting(plan.conf) ?? widest, staged.shufflePartitions)
      : shuffleTasksOf(latest.entry);
    if (plan.sink.format === 'kafka' && plan.sink.options['topic'] !== undefined) await admin.ensureTopic(plan.sink.options['topic'], 1);
    else await admin.ensureTopic(topics.results, 1);
    if (staged.exchange !== null) {
      const shuffleTasks = staged.exchange.splittable ? tasks : 1;
      await admin.ensureTopic(topics.shuffle, shuffleTasks);
      await ensureMarkerTopic(admin, topics.shuffleTaskMarkers, shuffleTasks);
    }
    this.producer = await kafka.producer();
    this.leader = new BatchLeader(ctx, () => this.need(this.admin), () => this.need(this.producer), tasks);
    this.sourceTasks = new SourceTasks(ctx, () => this.offsetLog.getLatest());
    if (staged.exchange !== null) {
      this.shuffleTasks = new ShuffleTasks(ctx);
      await this.shuffleTasks.start();
    }
    await this.sourceTasks.start();
    this.loop = this.run();
    this.loop.catch(() => undefined);
  }

  private need<T>(client: T | null): T {
    if (client === null) throw new TypeError('the processor is stopped');
    return client;
  }

  async awaitTermination(): Promise<void> {
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.stopSignal.signal;
    const { clock } = this.options;
    const leasing = this.keepLease();
    try {
      while (!signal.aborted) {
        const worked = await this.outage.run(async () => {
          const led = this.leading ? ((await this.leader?.step()) ?? false) : false;
          return (await this.runTasks()) || led;
        }, signal);
        if (worked !== true) await clock.sleep(POLL_MS, signal);
      }
    } finally {
      await leasing;
    }
  }

  /**
   * Takes or renews the lease every LEASE_EVERY_MS, beside the loop (a long batch must not let
   * it run out), and reports this replica's tasks at the same pace.
   */
  private async keepLease(): Promise<void> {
    const signal = this.stopSignal.signal;
    let publishedAt = -Infinity;
    while (!signal.aborted) {
      try {
        const leading = await this.lease.acquire();
        if (this.leading && !leading) {
          this.log.warn('lost the lead of the query to another replica');
          this.leader?.resign();
        }
        this.leading = leading;
        await this.reportTasks();
        if (leading && this.options.clock.now() - publishedAt >= REGISTRY_HEARTBEAT_MS) {
          publishedAt = this.options.clock.now();
          await this.leader?.publish();
        }
        this.replicasSeen = await readReplicas(this.options.redis, this.options.plan.checkpointLocation, this.options.clock.now());
      } catch (err) {
        // Redis unreachable: the loop's outage guard reports it; a lease not renewed runs out.
        this.log.debug('cannot renew the lease', { err });
      }
      await this.options.clock.sleep(LEASE_EVERY_MS, signal);
    }
  }

  /** Runs this replica's tasks of the batch being processed; true if any ran. */
  private async runTasks(): Promise<boolean> {
    const latest = await this.offsetLog.getLatest();
    if (latest === null) return false;
    const batch = taskBatch(latest.batchId, latest.entry);
    const ranSource = (await this.sourceTasks?.run(latest.batchId, latest.entry, batch)) ?? false;
    const ranShuffle = (await this.shuffleTasks?.run(latest.batchId, latest.entry, batch)) ?? false;
    return ranSource || ranShuffle;
  }

  async stop(): Promise<void> {
    this.stopSignal.abort();
    await this.loop?.catch(() => undefined);
    await this.sourceTasks?.stop();
    await this.shuffleTasks?.stop();
    if (this.leading) await this.lease.release().catch(() => undefined);
    await this.options.redis.hdel(checkpointKeys(this.options.plan.checkpointLocation).replicas, this.options.runId).catch(() => undefined);
    await this.producer?.close().catch(() => undefined);
    await this.admin?.close().catch(() => undefined);
    this.producer = null;
    this.admin = null;
  }
}

function taskBatch(batchId: number, entry: OffsetLogEntry): TaskBatch {
  return {
    batchId,
    batchTimestampMs: entry.batchTimestampMs,
    watermarkMs: entry.batchWatermarkMs,
    lateEventsWatermarkMs: entry.lateEventsWatermarkMs ?? entry.batchWatermarkMs,
  };
}
