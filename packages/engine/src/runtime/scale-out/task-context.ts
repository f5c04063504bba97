import { SHUFFLE_TASKS } from '../../core/streaming-conf.js';
import type { OffsetLogEntry } from '../../checkpoint/offset-log.js';
import type { Clock } from '../../core/clock.js';
import type { Row, Schema } from '../../core/types.js';
import type { BatchLimits } from '../../config/processor-config.js';
import type { StagedQuery } from '../../execution/staged-query.js';
import type { Logger } from '../../internal/logger.js';
import type { KafkaPort, ProducerTransaction } from '../../kafka/kafka-port.js';
import type { StreamingSourceNode } from '../../plan/logical-plan.js';
import type { QueryPlan } from '../../plan/query-plan.js';
import { kafkaSinkRecordsByTopic } from '../../sinks/kafka-sink.js';
import type { RedisClient } from '../../state/redis-connection.js';
import type { QueryTopics } from '../query-topics.js';
import { encodeBatch } from '../result-records.js';
import type { SourceTopicSet } from '../processor/source-topics.js';


/** What every part of a scaled-out processor replica shares. */
export interface TaskContext {
  readonly plan: QueryPlan;
  readonly queryId: string;
  readonly runId: string;
  readonly kafka: KafkaPort;
  readonly redis: RedisClient;
  readonly clock: Clock;
  readonly log: Logger;
  readonly topics: QueryTopics;
  readonly staged: StagedQuery;
  readonly sources: readonly StreamingSourceNode[];
  readonly sourceSets: readonly SourceTopicSet[];
  /** The processor's own batch cap (processor.maxBatchRecords): the leader plans by it, source tasks fetch by it. */
  readonly batchLimits: BatchLimits;
}

/** What a task's run of batch N is given: the batch's times and watermarks. */
export interface TaskBatch {
  readonly batchId: number;
  readonly batchTimestampMs: number;
  readonly watermarkMs: number;
  readonly lateEventsWatermarkMs: number;
}

/** The number of shuffle tasks a batch was planned with. */
export function shuffleTasksOf(entry: OffsetLogEntry): number {
  return Math.max(1, Number(entry.conf?.[SHUFFLE_TASKS] ?? 1));
}

/**
 * One task's part of a batch's output, inside the task's transaction: the user's Kafka topic
 * (exactly once by the transaction), or a part of the batch on the results topic, which the
 * sink assembles once the leader lists the parts.
 */
export async function sendOutput(ctx: TaskContext, txn: ProducerTransaction, batchId: number, part: string, rows: readonly Row[]): Promise<void> {
  const { plan } = ctx;
  const schema: Schema = ctx.staged.output.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable }));
  if (plan.sink.format === 'kafka') {
    await txn.sendAll(kafkaSinkRecordsByTopic(schema, rows, plan.sink.options['topic']));
    return;
  }
  await txn.send(ctx.topics.results, encodeBatch(ctx.queryId, batchId, plan.outputMode, schema, rows, part));
}

/** Whether an error says another owner of the task's transactional id took over (fenced). */
export function isFenced(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = (e as Error & { cause?: unknown }).cause) {
    const type = (e as { type?: unknown }).type;
    if (type === 'PRODUCER_FENCED' || type === 'INVALID_PRODUCER_EPOCH' || /fenced|epoch/i.test(e.message)) return true;
  }
  return false;
}
