/**
 * Step (d) of the protocol in micro-batch-executor.ts: batch N's output in one Kafka
 * transaction. Rows for the sink role go to the results topic with the batch's end marker; a
 * Kafka sink's rows go to the user's topic with a marker on the query's sink-commits topic, so
 * a re-run batch whose transaction committed is not written again (exactly once, by batch id).
 */
import type { Clock } from '../../core/clock.js';
import { CaseInsensitiveOptions } from '../../core/options.js';
import type { Row, Schema } from '../../core/types.js';
import { SourceError } from '../../errors/source-error.js';
import type { Logger } from '../../internal/logger.js';
import { withAdmin, type KafkaAdmin, type KafkaPort, type KafkaProducer } from '../../kafka/kafka-port.js';
import type { QueryPlan } from '../../plan/query-plan.js';
import { kafkaSinkRecordsByTopic, lastCommittedSinkBatch } from '../../sinks/kafka-sink.js';
import type { QueryTopics } from '../query-topics.js';
import { encodeBatch } from '../result-records.js';

/**
 * Kafka sources and sinks are read and written through the stack's own cluster (one client,
 * one transaction for output and checkpoint marker); another cluster is refused clearly.
 */
export function checkSameCluster(options: Readonly<Record<string, string>>, brokers: string): void {
  const wanted = new CaseInsensitiveOptions(options).get('kafka.bootstrap.servers');
  if (wanted === undefined) return;
  const norm = (list: string): string[] => list.split(',').map((b) => b.trim().replace(/^localhost:/, '127.0.0.1:')).filter(Boolean).sort();
  const stack = norm(brokers);
  if (!norm(wanted).some((b) => stack.includes(b))) {
    throw new SourceError(`kafka.bootstrap.servers '${wanted}' is not the cluster this stack runs on (${brokers}): Sluice reads and writes Kafka topics of its own cluster`);
  }
}

export interface BatchOutputOptions {
  readonly plan: QueryPlan;
  readonly queryId: string;
  readonly runId: string;
  readonly topics: QueryTopics;
  readonly kafka: KafkaPort;
  readonly clock: Clock;
  readonly log: Logger;
}

export class BatchOutput {
  /** Kafka sink: the last batch id whose output transaction committed (-1 for none). */
  private lastSinkBatch = -1;
  private producer: KafkaProducer | null = null;
  /** The output topics being created meanwhile (prepare), awaited before the first write. */
  private topicsReady: Promise<void> = Promise.resolve();

  constructor(private readonly o: BatchOutputOptions) {}

  /**
   * The results topic the sink role reads; for a Kafka sink, which the processor writes itself,
   * its topic (when named by the `topic` option) and the query's sink-commits topic instead.
   * One at a time: kafkajs' admin client is not safe to share between concurrent calls.
   */
  private async ensureTopics(admin: KafkaAdmin): Promise<void> {
    const { plan: { sink }, topics } = this.o;
    const wanted = sink.format !== 'kafka' ? [topics.results]
      : [topics.sinkCommits, ...(sink.options['topic'] === undefined ? [] : [sink.options['topic']])];
    for (const topic of wanted) await admin.ensureTopic(topic, 1);
  }

  /**
   * The output topics, and for a Kafka sink the last batch whose output committed (from the
   * sink-commits markers). A query that has planned no batch (`written` false) has written
   * nothing: there is nothing to look up, and its topics are created on an admin client of
   * their own while it starts, awaited before its first write (creating a topic takes the
   * broker some 30 to 100 ms, a tenth of a warm 500,000-row run).
   */
  async prepare(admin: KafkaAdmin, written: boolean): Promise<void> {
    if (!written) {
      const ready = withAdmin(this.o.kafka, (own) => this.ensureTopics(own));
      // Awaited by write(); until then a failure must not count as unhandled.
      ready.catch(() => undefined);
      this.topicsReady = ready;
      return;
    }
    await this.ensureTopics(admin);
    if (this.o.plan.sink.format !== 'kafka') return;
    const { kafka, topics, runId, clock } = this.o;
    this.lastSinkBatch = await lastCommittedSinkBatch(kafka, topics.sinkCommits, `${topics.processorGroup(runId)}.marker`, clock);
  }

  /** The transactional producer of the query's output. */
  async open(): Promise<void> {
    this.producer = await this.o.kafka.producer({ transactionalId: this.o.topics.processorTransactionalId });
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.close();
  }

  /** (d) Batch N's rows and its end marker, in one transaction on the results topic. */
  async write(batchId: number, fields: Schema, rows: readonly Row[]): Promise<void> {
    const producer = this.producer;
    if (producer === null) return;
    const { plan, queryId, topics } = this.o;
    const schema = fields.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable }));
    if (plan.sink.format === 'kafka' && batchId <= this.lastSinkBatch) {
      this.o.log.info('batch output already committed to Kafka; not written again', { batchId });
      return;
    }
    await this.topicsReady;
    const txn = await producer.transaction();
    try {
      if (plan.sink.format === 'kafka') {
        // The user's topic and the batch marker in one transaction: exactly once, by batch id.
        const output = kafkaSinkRecordsByTopic(schema, rows, plan.sink.options['topic']);
        await txn.sendAll([...output, { topic: topics.sinkCommits, records: [{ key: queryId, value: String(batchId) }] }]);
      } else {
        await txn.send(topics.results, encodeBatch(queryId, batchId, plan.outputMode, schema, rows));
      }
      await txn.commit();
      if (plan.sink.format === 'kafka') this.lastSinkBatch = batchId;
    } catch (err) {
      await txn.abort().catch(() => undefined);
      throw err;
    }
  }
}
