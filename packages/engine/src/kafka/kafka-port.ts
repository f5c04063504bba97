/**
 * The small door through which Sluice talks to Kafka. Only `kafkajs-port.ts` knows the client
 * library; everything else speaks these types, so another client can replace it.
 */

export type Headers = Readonly<Record<string, string>>;

export interface OutgoingRecord {
  readonly key?: string | null;
  readonly value: string | Buffer;
  readonly headers?: Headers;
  readonly partition?: number;
}

export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
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
  deleteGroups(groupIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export interface ProducerTransaction {
  send(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
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
}

export interface KafkaConsumer {
  /**
   * Subscribes and starts fetching; `onBatch` is awaited before the next fetch of that
   * partition. Positions come from `seekTo` (the caller's checkpoint), never from the group:
   * offsets are not committed, and no record below a seek position is delivered.
   */
  start(topics: readonly string[], onBatch: (batch: ConsumedBatch) => Promise<void>, seekTo?: readonly TopicPartitionOffset[]): Promise<void>;
  close(): Promise<void>;
}

export interface ProducerOptions {
  readonly transactionalId?: string;
}

export interface ConsumerOptions {
  readonly groupId: string;
  /** Where a group with no committed offset starts; default earliest. */
  readonly fromBeginning?: boolean;
}

export interface KafkaPort {
  admin(): Promise<KafkaAdmin>;
  producer(options?: ProducerOptions): Promise<KafkaProducer>;
  consumer(options: ConsumerOptions): Promise<KafkaConsumer>;
}
