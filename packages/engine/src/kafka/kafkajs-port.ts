// Before kafkajs: corrected internals take their place (see kafkajs-fixes.ts).
import { wakePausedConsumers } from './kafkajs-fixes.js';
import {
  Kafka,
  logLevel as KafkaLogLevel,
  Partitioners,
  type Admin,
  type Batch,
  type Consumer,
  type IHeaders,
  type LogEntry,
  type Producer,
  type SASLOptions,
} from 'kafkajs';
import { isIP } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { LocalStackError } from '../errors/local-stack-error.js';
import { createLogger, type Logger } from '../internal/logger.js';
import { PLAINTEXT_SECURITY, type KafkaSecurity } from './kafka-security.js';
import type { ConsumerPortSettings } from './consumer-thread-protocol.js';
import { threadedConsumer } from './threaded-consumer.js';
import { NO_HEADER_LIST, NO_HEADERS, packRecords, type Packed, type RecordSource } from './consumed-batch-transfer.js';
import type {
  ConsumedBatch,
  ConsumedHeader,
  ConsumedRecord,
  ConsumerOptions,
  Headers,
  KafkaAdmin,
  KafkaConsumer,
  KafkaPort,
  KafkaProducer,
  OutgoingRecord,
  ProducerOptions,
  ProducerTransaction,
  TopicPartition,
  TopicPartitionOffset,
} from './kafka-port.js';

/** The kafkajs implementation of the Kafka port. The only module that imports kafkajs. */

/** What a record without headers gets: one shared, frozen value (most records have none). */
function hasNone(raw: IHeaders): boolean {
  for (const _ in raw) return false;
  return true;
}

/** The first value of each header key (kafkajs' headers have some: hasNone is false). */
function toHeaders(raw: IHeaders): Headers {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}

/** Headers in their order on the wire; kafkajs gathers a repeated key's values in an array. */
function toHeaderList(raw: IHeaders): readonly ConsumedHeader[] {
  const out: ConsumedHeader[] = [];
  for (const [key, v] of Object.entries(raw)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      out.push({ key, value: one === undefined ? null : Buffer.isBuffer(one) ? one : Buffer.from(String(one)) });
    }
  }
  return out;
}

interface Message {
  key: string | null;
  value: string | Buffer | null;
  headers?: Record<string, string>;
  partition?: number;
  timestamp?: string;
}

function toMessages(records: readonly OutgoingRecord[]): Message[] {
  return records.map((r) => {
    // A key (or null) and a value alone: the record is the message (kafkajs only reads it).
    if (r.key !== undefined && r.headers === undefined && r.partition === undefined && r.timestamp === undefined) return r as unknown as Message;
    const m: Message = { key: r.key ?? null, value: r.value };
    if (r.headers !== undefined) m.headers = { ...r.headers };
    if (r.partition !== undefined) m.partition = r.partition;
    if (r.timestamp !== undefined) m.timestamp = String(r.timestamp);
    return m;
  });
}

/**
 * A send is one produce request, awaited: fewer, larger sends go faster. Each stays under half
 * the broker's default record-batch limit (message.max.bytes, 1 MiB) in keys and values, a larger
 * record alone in its send. (kafkajs grouped a send's messages in quadratic time; corrected in
 * kafkajs-group-messages.cjs.)
 */
const MESSAGES_PER_SEND = 10_000;
const BYTES_PER_SEND = 512 * 1024;

function sizeOf(value: string | Buffer | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/**
 * Sends several topics' records (in order, a topic's records in order) in as few produce
 * requests as the limits above allow: records of several topics share a request, and in a
 * transaction one request adds all its partitions to the transaction at once.
 */
export async function sendChunked(
  sendBatch: (batch: { topicMessages: Array<{ topic: string; messages: ReturnType<typeof toMessages> }> }) => Promise<unknown>,
  batches: ReadonlyArray<{ readonly topic: string; readonly records: readonly OutgoingRecord[] }>,
): Promise<void> {
  let chunk: Array<{ topic: string; messages: ReturnType<typeof toMessages> }> = [];
  let count = 0;
  let bytes = 0;
  const flush = async (): Promise<void> => {
    if (chunk.length > 0) await sendBatch({ topicMessages: chunk });
    chunk = [];
    count = 0;
    bytes = 0;
  };
  for (const { topic, records } of batches) {
    let from = 0;
    while (from < records.length) {
      let to = from;
      while (to < records.length && count + (to - from) < MESSAGES_PER_SEND) {
        const r = records[to] as OutgoingRecord;
        const size = sizeOf(r.key) + sizeOf(r.value);
        if ((count > 0 || to > from) && bytes + size > BYTES_PER_SEND) break;
        bytes += size;
        to++;
      }
      if (to > from) chunk.push({ topic, messages: toMessages(records.slice(from, to)) });
      count += to - from;
      from = to;
      // The request is full: send it before the rest.
      if (from < records.length) await flush();
    }
  }
  await flush();
}

/** consumer.seek, tried again while kafkajs says the consumer's group is not initialized yet. */
async function seekWhenReady(consumer: Consumer, at: TopicPartitionOffset): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      consumer.seek({ topic: at.topic, partition: at.partition, offset: String(at.offset) });
      return;
    } catch (err) {
      if (attempt >= 50 || !/not initialized/i.test((err as Error).message)) throw err;
      await delay(100);
    }
  }
}

type KafkajsMessage = Batch['messages'][number];

/** A fetched batch's position: the partition's high watermark and where its next fetch starts. */
function batchHead(batch: Batch): BatchHead {
  return { topic: batch.topic, partition: batch.partition, highWatermark: Number(batch.highWatermark), nextOffset: Number(batch.lastOffset()) + 1 };
}

/** kafkajs' messages of a fetched batch, those below `min` (a seek's floor) left out, read by index. */
function kafkajsRecords(batch: Batch, min: number): RecordSource {
  const all = batch.messages;
  // Offsets rise within a batch: only a batch that starts below the floor has any to leave out.
  const messages = all.length > 0 && Number((all[0] as KafkajsMessage).offset) < min ? all.filter((m) => Number(m.offset) >= min) : all;
  const at = (i: number): KafkajsMessage => messages[i] as KafkajsMessage;
  return {
    count: messages.length,
    offset: (i) => Number(at(i).offset),
    timestamp: (i) => Number(at(i).timestamp),
    key: (i) => at(i).key ?? null,
    value: (i) => at(i).value ?? null,
    headers: (i) => {
      const raw = at(i).headers;
      return raw === undefined || hasNone(raw) ? null : [toHeaders(raw), toHeaderList(raw)];
    },
  };
}

/** A fetched batch in the port's terms, without the records below `min` (a seek's floor). */
function consumedBatch(batch: Batch, min: number): ConsumedBatch {
  const source = kafkajsRecords(batch, min);
  const { topic, partition } = batch;
  const records: ConsumedRecord[] = new Array<ConsumedRecord>(source.count);
  for (let i = 0; i < source.count; i++) {
    const headers = source.headers(i);
    records[i] = {
      topic, partition, offset: source.offset(i), timestamp: source.timestamp(i), key: source.key(i), value: source.value(i),
      headers: headers?.[0] ?? NO_HEADERS, headerList: headers?.[1] ?? NO_HEADER_LIST,
    };
  }
  return { ...batchHead(batch), records };
}

/** A fetched batch packed for the move to another thread, straight from kafkajs' messages. */
function packedKafkajsBatch(batch: Batch, min: number): Packed {
  return packRecords(batchHead(batch), kafkajsRecords(batch, min));
}

function logCreator(log: Logger) {
  return () =>
    ({ level, log: entry }: LogEntry): void => {
      const { message, ...rest } = entry;
      const fields = { component: 'kafkajs', ...rest };
      // kafkajs logs every retriable error response at ERROR ("Response Metadata(...)") and
      // retries it; those are debug noise. What fails for good reaches us as a rejection.
      // Its advice on limited idempotent retries does not apply: a failed transactional send
      // aborts the batch's transaction and the batch is re-run.
      // A TLS connection still in its handshake when its client disconnects says so at ERROR:
      // teardown noise (a failed handshake is a rejection, and explained).
      // So is a refused SASL login: the rejection that follows is explained (explainConnectFailure).
      const retried = message.startsWith('Response ') || 'retryCount' in rest || message.startsWith('Limiting retries')
        || message.includes('disconnected before secure TLS connection was established')
        || (message.startsWith('SASL ') && message.includes('authentication failed'));
      if (level === KafkaLogLevel.ERROR && !retried) log.error(message, fields);
      else if (level === KafkaLogLevel.WARN && !retried) log.warn(message, fields);
      else log.debug(message, fields);
    };
}

export interface KafkajsPortOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger?: Logger;
  /** TLS and SASL (kafka-security.ts); PLAINTEXT when absent. */
  readonly security?: KafkaSecurity;
}

/** kafkajs' `ssl`: the CA, client certificate and host name check of kafka-security.ts. */
function sslOf(security: KafkaSecurity): ConnectionOptions | undefined {
  const tls = security.tls;
  if (tls === null) return undefined;
  const out: ConnectionOptions = {};
  if (tls.ca !== null) out.ca = [...tls.ca];
  if (tls.cert !== null) out.cert = tls.cert;
  if (tls.key !== null) out.key = tls.key;
  if (tls.passphrase !== null) out.passphrase = tls.passphrase;
  // ssl.endpoint.identification.algorithm empty: the chain is still verified, not the name.
  if (!tls.checkHostname) out.checkServerIdentity = () => undefined;
  return out;
}

function saslOf(security: KafkaSecurity): SASLOptions | undefined {
  const sasl = security.sasl;
  if (sasl === null) return undefined;
  const credentials = { username: sasl.username, password: sasl.password };
  switch (sasl.mechanism) {
    case 'PLAIN': return { mechanism: 'plain', ...credentials };
    case 'SCRAM-SHA-256': return { mechanism: 'scram-sha-256', ...credentials };
    default: return { mechanism: 'scram-sha-512', ...credentials };
  }
}

/** The error and its causes (kafkajs keeps a retried error as `originalError`). */
function causes(err: unknown): Error[] {
  const out: Error[] = [];
  for (let e: unknown = err; e instanceof Error && out.length < 8; e = e.cause ?? (e as { originalError?: unknown }).originalError) out.push(e);
  return out;
}

/** How often ensureTopic asks again when a creation fails on the broker's metadata lag. */
const TOPIC_CREATE_ATTEMPTS = 10;

function isUnknownTopicOrPartition(err: unknown): boolean {
  return causes(err).some((e) => (e as { type?: unknown }).type === 'UNKNOWN_TOPIC_OR_PARTITION');
}

/** Errors of a broker whose metadata lags a topic's creation or a leader move: asking again mends them. */
const METADATA_LAG = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'NOT_LEADER_FOR_PARTITION', 'NOT_LEADER_OR_FOLLOWER', 'LEADER_NOT_AVAILABLE']);

/** Runs an offsets request again while the broker's metadata lags (a topic just created elsewhere). */
async function askAgainOnMetadataLag<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (err) {
      const lag = causes(err).some((e) => METADATA_LAG.has(String((e as { type?: unknown }).type)));
      if (!lag || attempt >= TOPIC_CREATE_ATTEMPTS) throw err;
      await delay(100 * attempt);
    }
  }
}

/** Until every partition of `topic` has a leader (kafkajs's own wait, without its early give-up). */
async function waitForLeaders(admin: Admin, topic: string): Promise<void> {
  // A new topic's leaders are elected within milliseconds: look again soon, then less often
  // (10 ms, 20, 40 … up to 1 s; some 5 s in all).
  const attempts = TOPIC_CREATE_ATTEMPTS + 5;
  for (let attempt = 1; ; attempt++) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const parts = topics[0]?.partitions ?? [];
      if (parts.length > 0 && parts.every((p) => p.leader >= 0)) return;
    } catch (err) {
      if (attempt >= attempts || !isUnknownTopicOrPartition(err)) throw err;
    }
    if (attempt >= attempts) throw new LocalStackError(`topic ${topic} has partitions without a leader`);
    await delay(Math.min(10 * 2 ** (attempt - 1), 1000));
  }
}

const UNTRUSTED = /certificate|self[- ]signed|altnames|CERT_/i;

/**
 * One TLS handshake with the first broker, so that an untrusted certificate fails the start at
 * once rather than after kafkajs' retries (~20 s). Anything else is kafkajs' to retry and report.
 */
function tlsPreflight(broker: string, ssl: ConnectionOptions): Promise<Error | null> {
  const colon = broker.lastIndexOf(':');
  const host = broker.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve) => {
    const socket = tlsConnect({ ...ssl, host, port: Number(broker.slice(colon + 1)), ...(isIP(host) === 0 ? { servername: host } : {}) });
    const done = (err: Error | null): void => {
      socket.destroy();
      resolve(err !== null && UNTRUSTED.test(`${err.message} ${(err as NodeJS.ErrnoException).code ?? ''}`) ? err : null);
    };
    socket.setTimeout(5000, () => done(null));
    socket.once('secureConnect', () => done(null));
    socket.once('error', done);
  });
}

/** A connection failure a person can act on: refused SASL credentials, an untrusted certificate. */
function explainConnectFailure(err: unknown, brokers: readonly string[], security: KafkaSecurity): unknown {
  const chain = causes(err);
  const where = brokers.join(',');
  const sasl = chain.find((e) => e.name === 'KafkaJSSASLAuthenticationError');
  if (sasl !== undefined) {
    const who = security.sasl === null ? '' : ` ${security.sasl.mechanism} login of user '${security.sasl.username}'`;
    return new LocalStackError(
      `Kafka at ${where} refused the SASL${who}: ${sasl.message}. Check kafka.sasl.mechanism and kafka.sasl.jaas.config (or SLUICE_KAFKA_SASL_*)`,
      { cause: err },
    );
  }
  const tls = chain.find((e) => UNTRUSTED.test(e.message));
  if (tls !== undefined) {
    return new LocalStackError(
      `cannot open a TLS connection to Kafka at ${where}: ${tls.message.replace(/^Connection error: /, '')}. Set kafka.ssl.truststore.location (or SLUICE_KAFKA_SSL_TRUSTSTORE_LOCATION) to a PEM file of the CA that signed the brokers' certificates`,
      { cause: err },
    );
  }
  return err;
}

export class KafkajsPort implements KafkaPort {
  private readonly kafka: Kafka;
  private readonly connect: (client: { connect(): Promise<void> }) => Promise<void>;
  private readonly settings: ConsumerPortSettings;
  private readonly log: Logger;

  constructor(options: KafkajsPortOptions) {
    const log = (options.logger ?? createLogger()).child({ component: 'kafka' });
    const security = options.security ?? PLAINTEXT_SECURITY;
    this.settings = { brokers: [...options.brokers], clientId: options.clientId, security };
    this.log = log;
    const ssl = sslOf(security);
    const sasl = saslOf(security);
    let preflight: Promise<Error | null> | null = null;
    this.connect = async (client) => {
      const first = options.brokers[0];
      if (ssl !== undefined && first !== undefined) {
        preflight ??= tlsPreflight(first, ssl);
        const untrusted = await preflight;
        if (untrusted !== null) throw explainConnectFailure(untrusted, options.brokers, security);
      }
      try {
        await client.connect();
      } catch (err) {
        throw explainConnectFailure(err, options.brokers, security);
      }
    };
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      ...(ssl === undefined ? {} : { ssl }),
      ...(sasl === undefined ? {} : { sasl }),
      logLevel: KafkaLogLevel.INFO,
      logCreator: logCreator(log),
      retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 5000 },
    });
  }

  async admin(): Promise<KafkaAdmin> {
    const admin = this.kafka.admin();
    await this.connect(admin);
    return {
      async ensureTopic(topic, partitions) {
        // Not kafkajs's wait for the new topic's leaders: it looks again only every 100 ms, and
        // gives up on UNKNOWN_TOPIC_OR_PARTITION when the broker's metadata lags the creation
        // (seen on a loaded broker). waitForLeaders looks sooner and waits that lag out; a
        // creation that fails on it is asked again (creating a topic is idempotent).
        const spec = { topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: false };
        for (let attempt = 1; ; attempt++) {
          try {
            const created = await admin.createTopics(spec);
            await waitForLeaders(admin, topic);
            return created || attempt > 1;
          } catch (err) {
            if (attempt >= TOPIC_CREATE_ATTEMPTS || !isUnknownTopicOrPartition(err)) throw err;
            await delay(100 * attempt);
          }
        }
      },
      async deleteTopics(topics) {
        if (topics.length > 0) await admin.deleteTopics({ topics: [...topics] });
      },
      async listTopics() {
        return admin.listTopics();
      },
      async endOffsets(topic) {
        const offsets = await askAgainOnMetadataLag(() => admin.fetchTopicOffsets(topic));
        return offsets.map((o) => ({ partition: o.partition, offset: Number(o.high) }));
      },
      async startOffsets(topic) {
        const offsets = await askAgainOnMetadataLag(() => admin.fetchTopicOffsets(topic));
        return offsets.map((o) => ({ partition: o.partition, offset: Number(o.low) }));
      },
      async offsetsForTimestamp(topic, timestamp) {
        // kafkajs answers the end offset where no record is at or after the timestamp.
        const ends = await admin.fetchTopicOffsets(topic);
        const found = await admin.fetchTopicOffsetsByTimestamp(topic, timestamp);
        return found.map((o) => {
          const end = ends.find((e) => e.partition === o.partition)?.high;
          return { partition: o.partition, offset: end !== undefined && o.offset === end ? null : Number(o.offset) };
        });
      },
      async createPartitions(topic, partitions) {
        await admin.createPartitions({ topicPartitions: [{ topic, count: partitions }] });
      },
      async listGroups() {
        return (await admin.listGroups()).groups.map((g) => g.groupId);
      },
      async deleteGroups(groupIds) {
        if (groupIds.length > 0) await admin.deleteGroups([...groupIds]);
      },
      async committedOffsets(groupId, topic) {
        const [found] = await askAgainOnMetadataLag(() => admin.fetchOffsets({ groupId, topics: [topic] }));
        return (found?.partitions ?? []).map((p) => ({ partition: p.partition, offset: Number(p.offset), metadata: p.metadata ?? null }));
      },
      async close() {
        await admin.disconnect();
      },
    };
  }

  async producer(options: ProducerOptions = {}): Promise<KafkaProducer> {
    const transactional = options.transactionalId !== undefined;
    const producer: Producer = this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: transactional ? 1 : 5,
      ...(transactional ? { transactionalId: options.transactionalId } : {}),
    });
    await this.connect(producer);
    return {
      async send(topic, records) {
        await sendChunked((b) => producer.sendBatch(b), [{ topic, records }]);
      },
      async transaction(): Promise<ProducerTransaction> {
        const txn = await producer.transaction();
        return {
          async send(topic, records) {
            await sendChunked((b) => txn.sendBatch(b), [{ topic, records }]);
          },
          async sendAll(batches) {
            await sendChunked((b) => txn.sendBatch(b), batches);
          },
          async sendOffsets(groupId, offsets) {
            const topics = [...new Set(offsets.map((o) => o.topic))].map((topic) => ({
              topic,
              partitions: offsets.filter((o) => o.topic === topic).map((o) => ({
                partition: o.partition, offset: String(o.offset), ...(o.metadata === undefined ? {} : { metadata: o.metadata }),
              })),
            }));
            await txn.sendOffsets({ consumerGroupId: groupId, topics });
          },
          commit: () => txn.commit(),
          abort: () => txn.abort(),
        };
      },
      async close() {
        await producer.disconnect();
      },
    };
  }

  async consumer(options: ConsumerOptions): Promise<KafkaConsumer> {
    if (options.offThread === true) {
      const threaded = await threadedConsumer(this.settings, options, this.log);
      if (threaded !== null) return threaded;
    }
    const consumer = await this.kafkajsConsumer(options);
    const fromBeginning = options.fromBeginning ?? true;
    return {
      start: (topics, onBatch, seekTo = []) => startConsumer(consumer, fromBeginning, topics, seekTo, onBatch, consumedBatch, emptyBatch),
      async join(topics, onBatch, onAssigned) {
        // Each assignment's owned partitions and read floors; batches wait until onAssigned is done.
        let owned = new Map<string, number>();
        let ready: Promise<void> = new Promise<void>(() => undefined);
        let firstJoin: () => void = () => undefined;
        const joined = new Promise<void>((resolve) => {
          firstJoin = resolve;
        });
        consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
          const list: TopicPartition[] = Object.entries(payload.memberAssignment)
            .flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })));
          ready = (async () => {
            const positions = await onAssigned(list);
            const floors = new Map(list.map((tp) => [`${tp.topic}:${tp.partition}`, 0]));
            for (const p of positions) {
              floors.set(`${p.topic}:${p.partition}`, p.offset);
              consumer.seek({ topic: p.topic, partition: p.partition, offset: String(p.offset) });
            }
            owned = floors;
          })();
          void ready.then(firstJoin, firstJoin);
        });
        // As in start(): a fetch of only transaction markers still moves the partition on.
        consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
          if (payload.batchSize > 0) return;
          void ready.then(() => {
            if (!owned.has(`${payload.topic}:${payload.partition}`)) return undefined;
            return onBatch({
              topic: payload.topic, partition: payload.partition, records: [],
              highWatermark: Number(payload.highWatermark), nextOffset: Number(payload.lastOffset) + 1,
            });
          });
        });
        for (const topic of topics) await consumer.subscribe({ topic, fromBeginning });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: true,
          eachBatch: async ({ batch, heartbeat }) => {
            await ready;
            const min = owned.get(`${batch.topic}:${batch.partition}`);
            if (min === undefined) return;
            await onBatch(consumedBatch(batch, min));
            await heartbeat();
          },
        });
        await joined;
      },
      ...pausing(consumer),
      async close() {
        await consumer.disconnect();
      },
    };
  }

  /**
   * The consumer thread's consumer (consumer-thread.ts): each fetched batch packed straight from
   * kafkajs' messages, without records of the port's own in between.
   */
  async packingConsumer(options: ConsumerOptions): Promise<PackingConsumer> {
    const consumer = await this.kafkajsConsumer(options);
    const fromBeginning = options.fromBeginning ?? true;
    return {
      start: (topics, onPacked, seekTo = []) => startConsumer(consumer, fromBeginning, topics, seekTo, onPacked, packedKafkajsBatch, (head) => packRecords(head, NO_RECORDS)),
      ...pausing(consumer),
      close: () => consumer.disconnect(),
    };
  }

  private async kafkajsConsumer(options: ConsumerOptions): Promise<Consumer> {
    const consumer: Consumer = this.kafka.consumer({
      groupId: options.groupId,
      maxWaitTimeInMs: options.maxWaitMs ?? 100,
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
      readUncommitted: options.readUncommitted ?? false,
      ...(options.metadataMaxAgeMs === undefined ? {} : { metadataMaxAge: options.metadataMaxAgeMs }),
      ...(options.maxBytesPerPartition === undefined ? {} : { maxBytesPerPartition: options.maxBytesPerPartition }),
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    });
    await this.connect(consumer);
    return consumer;
  }
}

/** A consumer whose batches come packed (KafkajsPort.packingConsumer). */
export interface PackingConsumer {
  start(topics: readonly string[], onPacked: (batch: Packed) => Promise<void>, seekTo?: readonly TopicPartitionOffset[]): Promise<void>;
  pause(topic: string, partitions: readonly number[]): void;
  resume(topic: string, partitions: readonly number[]): void;
  close(): Promise<void>;
}

/** Back-pressure on a kafkajs consumer; a resume ends the sleep of a consumer whose partitions were all paused. */
function pausing(consumer: Consumer): Pick<KafkaConsumer, 'pause' | 'resume'> {
  return {
    pause: (topic, partitions) => consumer.pause([{ topic, partitions: [...partitions] }]),
    resume: (topic, partitions) => {
      consumer.resume([{ topic, partitions: [...partitions] }]);
      wakePausedConsumers();
    },
  };
}

/** A batch's position, as its batch events give it. */
type BatchHead = Pick<ConsumedBatch, 'topic' | 'partition' | 'highWatermark' | 'nextOffset'>;

const NO_RECORDS: RecordSource = { count: 0, offset: () => 0, timestamp: () => 0, key: () => null, value: () => null, headers: () => null };

function emptyBatch(head: BatchHead): ConsumedBatch {
  return { ...head, records: [] };
}

/**
 * Subscribes and runs `consumer`, handing each fetched batch to `handle` as `convert` makes it
 * (records below a seek position left out) and awaiting it before the next fetch of that
 * partition; resolves once the group is joined.
 */
async function startConsumer<T>(
  consumer: Consumer, fromBeginning: boolean, topics: readonly string[], seekTo: readonly TopicPartitionOffset[], handle: (batch: T) => Promise<void>,
  convert: (batch: Batch, min: number) => T, empty: (head: BatchHead) => T,
): Promise<void> {
  // Records below a seek position can arrive from a fetch made before the seek applied.
  const floor = new Map(seekTo.map((p) => [`${p.topic}:${p.partition}`, p.offset]));
  for (const topic of topics) await consumer.subscribe({ topic, fromBeginning });
  // Resolve once the group is joined and partitions are assigned, so a started
  // consumer is really consuming.
  const joined = new Promise<void>((resolve) => {
    const remove = consumer.on(consumer.events.GROUP_JOIN, () => {
      remove();
      resolve();
    });
  });
  // A fetch of only transaction markers or aborted records reaches no eachBatch; its
  // position still moves the partition on (kafkajs reports it in the batch events).
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.batchSize > 0) return;
    void handle(empty({
      topic: payload.topic, partition: payload.partition,
      highWatermark: Number(payload.highWatermark), nextOffset: Number(payload.lastOffset) + 1,
    }));
  });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch, heartbeat }) => {
      const min = floor.get(`${batch.topic}:${batch.partition}`) ?? 0;
      await handle(convert(batch, min));
      await heartbeat();
    },
  });
  // Positions come from the checkpoint: seek before the first fetch is used. A consumer that
  // restarts right after run() (kafkajs rebuilds its group on a failed join) refuses a seek
  // until its group exists again: ask again shortly.
  for (const s of seekTo) await seekWhenReady(consumer, s);
  await joined;
}
