import type { Row, Schema } from '../core/types.js';
import { showString } from '../console/show-string.js';
import type { KafkaAdmin } from '../kafka/kafka-port.js';
import type { LiveReplicas, PartitionLag } from '../observability/live-query.js';
import { readReplicas } from '../runtime/scale-out/scale-out-processor.js';
import { sourceTaskLag } from '../runtime/scale-out/source-partition-lag.js';
import type { RedisClient } from '../state/redis-connection.js';

/**
 * What `sluice status` adds for a scaled-out query: the processor replicas that reported in the
 * last seconds with the tasks each runs, and per source partition the records beyond what its
 * source task committed (broker end offset minus the task group's committed offset).
 */

/** The registry's record of a query, as far as this needs it. */
export interface ScaleOutCandidate {
  readonly id: string;
  readonly checkpointLocation?: string;
  readonly lastProgress: { readonly sources?: ReadonlyArray<{ readonly endOffset: unknown }> } | null;
}

/**
 * The topics each source read in the last batch, from its Kafka end offsets
 * (`{topic: {partition: offset}}`); none before the first batch.
 */
export function sourceTopicsOf(q: ScaleOutCandidate): string[][] {
  return (q.lastProgress?.sources ?? []).map((s) => {
    const end = s.endOffset;
    if (end === null || typeof end !== 'object' || Array.isArray(end)) return [];
    return Object.entries(end).filter(([, partitions]) => partitions !== null && typeof partitions === 'object').map(([topic]) => topic);
  });
}

/**
 * Asks Redis for each query's replicas and, for a scaled-out one, Kafka for its partitions' lag
 * through one admin client, connected at its first use (`connect` is null when no broker is
 * known: the replicas are listed without the lag).
 */
export class ScaleOutStatus {
  private admin: Promise<KafkaAdmin> | null = null;
  /** Why the lag is missing, when it is. */
  private lagNote: string | null;

  constructor(private readonly redis: RedisClient, private readonly connect: (() => Promise<KafkaAdmin>) | null, private readonly now: number) {
    this.lagNote = connect === null ? 'No Kafka broker configured (KAFKA_BROKERS): the lag is not measured.' : null;
  }

  /** The replicas of `q` and its partitions' lag; null for a query one process runs (no replica reported). */
  async of(q: ScaleOutCandidate): Promise<LiveReplicas | null> {
    if (q.checkpointLocation === undefined) return null;
    const members = await readReplicas(this.redis, q.checkpointLocation, this.now);
    return members.length === 0 ? null : { members, lag: await this.lag(q) };
  }

  private async lag(q: ScaleOutCandidate): Promise<PartitionLag[]> {
    if (this.connect === null) return [];
    try {
      this.admin ??= this.connect();
      return await sourceTaskLag(await this.admin, q.id, sourceTopicsOf(q));
    } catch (err) {
      this.lagNote = `Cannot measure the lag: ${(err as Error).message}`;
      return [];
    }
  }

  /** The text form: a table of replicas, then one of partition lag. */
  tables(id: string, view: LiveReplicas): string {
    const n = view.members.length;
    const replicas = table(['runId', 'leader', 'sourceTasks', 'shuffleTasks', 'updatedAt'], view.members.map((m) => [
      m.runId, m.leader ? 'yes' : 'no', m.sourceTasks.join(' '), m.shuffleTasks.join(' '), m.updatedAt,
    ]));
    const lag = view.lag.length === 0
      ? `${this.lagNote ?? 'No source partition measured yet (the first batch has not run).'}\n`
      : table(['source', 'topic', 'partition', 'lag'], view.lag.map((p) => [String(p.source), p.topic, String(p.partition), String(p.records)]));
    return `\nQuery ${id} runs on ${n} processor replica${n === 1 ? '' : 's'}:\n${replicas}Lag per source partition (records beyond the source task's commit):\n${lag}`;
  }

  async close(): Promise<void> {
    await this.admin?.then((a) => a.close()).catch(() => undefined);
  }
}

const stringSchema = (names: readonly string[]): Schema => names.map((name) => ({ name, type: 'string', nullable: true }));
const table = (names: readonly string[], rows: Row[]): string => showString(stringSchema(names), rows, { numRows: 10_000, truncate: 0, timeZone: 'UTC' });
