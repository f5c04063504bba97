/**
 * The small door through which Sluice talks to Kafka. Only `kafkajs-port.ts` knows the client
 * library; everything else speaks these types, so another client can replace it.
 */

export type Headers = Readonly<Record<string, string>>;

export interface OutgoingRecord {
  readonly key?: string | null;
  /** Null writes a record without a value (a tombstone). */
  readonly value: string | Buffer | null;
  readonly headers?: Headers;
  readonly partition?: number;
  /** The record's CreateTime in ms; the producer's clock when absent. */
  readonly timestamp?: number;
}

/** One record header as Kafka keeps it: in order, keys may repeat, values are bytes. */
export interface ConsumedHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
  /** The same headers in the record's order, values as bytes. */
  readonly headerList: readonly ConsumedHeader[];
}

export interface PartitionOffset {
  readonly partition: number;
  readonly offset: number;
}

export interface TopicPartitionOffset extends PartitionOffset {
  readonly topic: string;
}

export interface KafkaAdmin {
  /** Creates the topic when missing; true if this call created it. */
  ensureTopic(topic: string, partitions: number): Promise<boolean>;
  deleteTopics(topics: readonly string[]): Promise<void>;
  listTopics(): Promise<string[]>;
  /** The next offset to be written in every partition (the high watermark). */
  endOffsets(topic: string): Promise<PartitionOffset[]>;
  /** The first offset still held in every partition (the log start offset). */
  startOffsets(topic: string): Promise<PartitionOffset[]>;
  /**
   * In every partition, the offset of the first record whose timestamp is at or after
   * `timestamp` (ms), or null where no record is.
   */
  offsetsForTimestamp(topic: string, timestamp: number): Promise<Array<{ readonly partition: number; readonly offset: number | null }>>;
  /** Grows the topic to `partitions` partitions in all. */
  createPartitions(topic: string, partitions: number): Promise<void>;
  /** The ids of the consumer groups the cluster knows. */
  listGroups(): Promise<string[]>;
  deleteGroups(groupIds: readonly string[]): Promise<void>;
  /** A consumer group's committed offsets of `topic`, with the metadata each commit carried. */
  committedOffsets(groupId: string, topic: string): Promise<CommittedOffset[]>;
  close(): Promise<void>;
}

/** A consumer group's position in one partition: the next offset to read, and its commit's metadata. */
export interface CommittedOffset {
  readonly partition: number;
  /** -1 when the group has committed nothing for the partition. */
  readonly offset: number;
  readonly metadata: string | null;
}

export interface ProducerTransaction {
  send(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
  /**
   * Several topics' records, in order, in as few produce requests as fit: fewer round trips
   * than a send per topic.
   */
  sendAll(batches: ReadonlyArray<{ readonly topic: string; readonly records: readonly OutgoingRecord[] }>): Promise<void>;
  /**
   * Commits a consumer group's positions as part of the transaction (Kafka's exactly-once
   * read-process-write): they take effect if and only if the transaction commits.
   */
  sendOffsets(groupId: string, offsets: ReadonlyArray<TopicPartitionOffset & { readonly metadata?: string }>): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface KafkaProducer {
  send(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
  /** Only for producers created with a transactional id. */
  transaction(): Promise<ProducerTransaction>;
  close(): Promise<void>;
}

export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly ConsumedRecord[];
  /** The partition's high watermark as the broker reported it with this batch. */
  readonly highWatermark: number;
  /**
   * The partition's position after this batch: one past its last offset, counting what is
   * never delivered (transaction markers, aborted records). A batch of only such records comes
   * with no records and this position.
   */
  readonly nextOffset: number;
}

export interface KafkaConsumer {
  /**
   * Subscribes and starts fetching; `onBatch` is awaited before the next fetch of that
   * partition. Positions come from `seekTo` (the caller's checkpoint), never from the group:
   * offsets are not committed, and no record below a seek position is delivered.
   */
  start(topics: readonly string[], onBatch: (batch: ConsumedBatch) => Promise<void>, seekTo?: readonly TopicPartitionOffset[]): Promise<void>;
  /**
   * Joins the group and lets Kafka's group protocol decide which partitions this member reads.
   * After every (re)assignment `onAssigned` is awaited with the partitions now owned, before
   * their records are handed to `onBatch`; it answers where to read each (or omits it to read
   * from the group's committed position). Records of partitions no longer owned stop coming.
   */
  join(
    topics: readonly string[],
    onBatch: (batch: ConsumedBatch) => Promise<void>,
    onAssigned: (owned: readonly TopicPartition[]) => Promise<readonly TopicPartitionOffset[]>,
  ): Promise<void>;
  /**
   * Stops fetching these partitions of `topic` (back-pressure: the caller holds enough of
   * them); a batch already being handed over finishes. Call after start() or join().
   */
  pause(topic: string, partitions: readonly number[]): void;
  /** Fetches paused partitions again, from where they stopped. */
  resume(topic: string, partitions: readonly number[]): void;
  close(): Promise<void>;
  /** Why the consumer fetches no more, when it stopped for good (its thread died), else null. */
  failure?(): Error | null;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface ProducerOptions {
  readonly transactionalId?: string;
}

export interface ConsumerOptions {
  readonly groupId: string;
  /** Where a group with no committed offset starts; default earliest. */
  readonly fromBeginning?: boolean;
  /** Also read records of open and aborted transactions (Kafka's read_uncommitted); default false. */
  readonly readUncommitted?: boolean;
  /** How old the consumer's topic metadata may get before a fetch refreshes it (new partitions are seen then). */
  readonly metadataMaxAgeMs?: number;
  /**
   * Bytes one fetch returns at most, per partition and in all (Kafka's max.partition.fetch.bytes
   * and fetch.max.bytes; the client's defaults when absent). A record batch larger than that
   * still comes whole.
   */
  readonly maxBytesPerPartition?: number;
  readonly maxBytes?: number;
  /**
   * How long the broker holds a fetch that finds nothing new (Kafka's fetch.max.wait.ms; 100 ms
   * when absent). kafkajs also sleeps this long when every partition it reads is paused, so a
   * partition resumed by back-pressure waits up to this long for its next fetch.
   */
  readonly maxWaitMs?: number;
  /**
   * Fetch and decode on another thread (threaded-consumer.ts), beside the caller's work; only
   * start() is offered then. Where no such thread can run, the consumer fetches in this one.
   * The thread's memory is capped: for consumers with small fetches (maxBytes of a few MiB).
   */
  readonly offThread?: boolean;
}

export interface KafkaPort {
  admin(): Promise<KafkaAdmin>;
  producer(options?: ProducerOptions): Promise<KafkaProducer>;
  consumer(options: ConsumerOptions): Promise<KafkaConsumer>;
}

/** `work` on an admin client of its own, closed after it (kafkajs' admin client is not safe to share between concurrent calls). */
export async function withAdmin<T>(kafka: Pick<KafkaPort, 'admin'>, work: (admin: KafkaAdmin) => Promise<T>): Promise<T> {
  const admin = await kafka.admin();
  try {
    return await work(admin);
  } finally {
    await admin.close();
  }
}
