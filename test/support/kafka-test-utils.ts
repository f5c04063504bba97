import { randomUUID } from 'node:crypto';
import type { Logger } from 'sluice';
import { KafkajsPort, type KafkaAdmin, type KafkaConsumer, type KafkaProducer } from 'sluice/testing';
import { waitFor } from './wait-for.js';

export const silentLog: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLog,
};

/** One record to send, as Spark's RecordBuilder builds it. */
export interface TestRecord {
  readonly topic: string;
  readonly value: string | null;
  readonly key?: string | null;
  readonly partition?: number;
  /** CreateTime, ms. */
  readonly timestamp?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Latest offsets by topic, then partition. */
export type TopicOffsets = Record<string, Record<string, number>>;

/**
 * Spark's KafkaTestUtils against the real broker of the integration run: topics, partitions,
 * records (plain or in transactions), offsets and consumer groups. Every topic it creates is
 * deleted by `teardown`.
 */
export class KafkaTestUtils {
  readonly brokerAddress = process.env['KAFKA_BROKERS'] ?? '';
  readonly kafka = new KafkajsPort({ brokers: this.brokerAddress.split(','), clientId: `test-${randomUUID()}`, logger: silentLog });
  private admin: Promise<KafkaAdmin> | null = null;
  /** A producer that knew a topic before it was deleted or grew would send with stale metadata: one per topic layout. */
  private producer: Promise<KafkaProducer> | null = null;
  private readonly topics = new Set<string>();
  /** Where the next record without a partition goes, per topic (round robin). */
  private readonly next = new Map<string, number>();

  private adminClient(): Promise<KafkaAdmin> {
    this.admin ??= this.kafka.admin();
    return this.admin;
  }

  private async producerClient(): Promise<KafkaProducer> {
    this.producer ??= this.kafka.producer();
    return this.producer;
  }

  private async dropProducer(): Promise<void> {
    const p = this.producer;
    this.producer = null;
    await (await p)?.close();
  }

  async createTopic(topic: string, partitions = 1): Promise<void> {
    this.topics.add(topic);
    const admin = await this.adminClient();
    await admin.ensureTopic(topic, partitions);
    await waitFor(async () => (await this.partitionCount(topic)) === partitions, `${topic} with ${partitions} partitions`, 30_000);
  }

  async deleteTopic(topic: string): Promise<void> {
    await this.dropProducer();
    const admin = await this.adminClient();
    await admin.deleteTopics([topic]);
    await waitFor(async () => !(await admin.listTopics()).includes(topic), `${topic} deleted`, 30_000);
  }

  /** Grows the topic to `partitions` partitions. */
  async addPartitions(topic: string, partitions: number): Promise<void> {
    const admin = await this.adminClient();
    await admin.createPartitions(topic, partitions);
    await this.dropProducer();
    await waitFor(async () => (await this.partitionCount(topic)) === partitions, `${topic} with ${partitions} partitions`, 30_000);
  }

  async partitionCount(topic: string): Promise<number> {
    const admin = await this.adminClient();
    try {
      return (await admin.endOffsets(topic)).length;
    } catch {
      return 0;
    }
  }

  /**
   * Spark's sendMessages: the values in order, to `partition`, or spread round robin over the
   * topic's partitions (Spark's producer picks them itself); returns where each went.
   */
  async sendMessages(topic: string, values: readonly string[], partition?: number): Promise<Array<{ value: string; partition: number }>> {
    const count = partition === undefined ? await this.partitionCount(topic) : 0;
    const placed = values.map((value) => {
      if (partition !== undefined) return { value, partition };
      const p = (this.next.get(topic) ?? 0) % Math.max(1, count);
      this.next.set(topic, p + 1);
      return { value, partition: p };
    });
    const producer = await this.producerClient();
    await producer.send(topic, placed.map((m) => ({ value: m.value, partition: m.partition })));
    return placed;
  }

  async sendRecords(records: readonly TestRecord[]): Promise<void> {
    const producer = await this.producerClient();
    for (const r of records) {
      await producer.send(r.topic, [{
        value: r.value,
        key: r.key ?? null,
        ...(r.partition === undefined ? {} : { partition: r.partition }),
        ...(r.timestamp === undefined ? {} : { timestamp: r.timestamp }),
        ...(r.headers === undefined ? {} : { headers: r.headers }),
      }]);
    }
  }

  /** The latest offsets of every partition of the topics (Spark's getLatestOffsets). */
  async getLatestOffsets(topics: Iterable<string>): Promise<TopicOffsets> {
    const admin = await this.adminClient();
    const out: TopicOffsets = {};
    for (const topic of topics) {
      const parts: Record<string, number> = {};
      for (const p of await admin.endOffsets(topic)) parts[String(p.partition)] = p.offset;
      out[topic] = parts;
    }
    return out;
  }

  async listTopics(): Promise<string[]> {
    return (await this.adminClient()).listTopics();
  }

  async listConsumerGroups(): Promise<string[]> {
    return (await this.adminClient()).listGroups();
  }

  /** High watermarks seen by a read_uncommitted consumer, by `topic:partition`. */
  private readonly highWatermarks = new Map<string, number>();
  private readonly watchers = new Map<string, Promise<KafkaConsumer>>();

  /**
   * Follows the topic's high watermarks with a consumer: the admin's latest offsets are the
   * last stable offset, short of an open transaction's records, which Spark's
   * waitUntilOffsetAppears (a consumer's endOffsets, read_uncommitted) counts.
   */
  private watch(topic: string): Promise<KafkaConsumer> {
    let watcher = this.watchers.get(topic);
    if (watcher === undefined) {
      watcher = (async () => {
        const consumer = await this.kafka.consumer({ groupId: `test-${randomUUID()}`, readUncommitted: true, metadataMaxAgeMs: 100 });
        await consumer.start([topic], async (batch) => {
          const key = `${batch.topic}:${batch.partition}`;
          this.highWatermarks.set(key, Math.max(this.highWatermarks.get(key) ?? 0, batch.highWatermark));
        });
        return consumer;
      })();
      this.watchers.set(topic, watcher);
    }
    return watcher;
  }

  /** Waits until the partition's latest offset is at least `offset` (Spark's waitUntilOffsetAppears). */
  async waitUntilOffsetAppears(topic: string, partition: number, offset: number): Promise<void> {
    await this.watch(topic);
    await waitFor(async () => (this.highWatermarks.get(`${topic}:${partition}`) ?? 0) >= offset
      || ((await this.getLatestOffsets([topic]))[topic]?.[String(partition)] ?? 0) >= offset, `${topic}-${partition} at ${offset}`, 30_000);
  }

  /** A transactional producer for `body`, closed after it (Spark's withTransactionalProducer). */
  async withTransactionalProducer<T>(body: (producer: KafkaProducer) => Promise<T>): Promise<T> {
    const producer = await this.kafka.producer({ transactionalId: `test-${randomUUID()}` });
    try {
      return await body(producer);
    } finally {
      await producer.close();
    }
  }

  /** Remembers a topic made by other means (a broker's auto-creation) for teardown. */
  track(topic: string): void {
    this.topics.add(topic);
  }

  /** Closes the clients; deletes the topics it made and those whose name starts with `prefix`. */
  async teardown(prefix?: string): Promise<void> {
    await this.dropProducer();
    for (const watcher of this.watchers.values()) await (await watcher).close();
    this.watchers.clear();
    const admin = await this.adminClient();
    const existing = await admin.listTopics();
    await admin.deleteTopics(existing.filter((t) => this.topics.has(t) || (prefix !== undefined && t.startsWith(prefix))));
    await admin.close();
    this.admin = null;
  }
}
