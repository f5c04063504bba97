import { randomUUID } from 'node:crypto';
import { col, count, IllegalArgumentError, SparkSession, window, type DataFrame, type Row, type StreamingQueryProgress } from 'sluice';
import {
  CaseInsensitiveOptions, EarliestOffsetRangeLimit, LatestOffsetRangeLimit, OffsetLog, QueryManager, connectRedis, kafkaOffsetRangeLimit, kafkaSourceMetrics,
  systemClock, type Clock, type KafkaOffsetRangeLimit,
} from 'sluice/testing';
import { KafkaStreamTest, STREAMING_TIMEOUT_MS } from './support/kafka-stream-test.js';
import { KafkaTestUtils, silentLog } from './support/kafka-test-utils.js';
import { StreamManualClock } from './support/stream-manual-clock.js';
import { waitFor } from './support/wait-for.js';
/*
 * Spark's KafkaMicroBatchSourceSuite (apache/spark connector/kafka-0-10-sql, KafkaSourceTest,
 * KafkaMicroBatchSourceSuiteBase, KafkaMicroBatchV2SourceSuite and KafkaSourceSuiteBase), the
 * tests Sluice's API can express, with Spark's inputs and expected values, against the real
 * broker of the integration run. Each test's queries run in this process (foreachBatch as the
 * memory sink, see test/support/kafka-stream-test.ts); the tests on a StreamManualClock run
 * their query on a QueryManager with that clock.
 *
 * How Spark's steps read here: `kafka.map(kv => kv._2.toInt)` is
 * `CAST(CAST(value AS STRING) AS INT)`; testStream's first StartStream is explicit;
 * makeSureGetOffsetCalled is processAllAvailable; AddKafkaData sends the values spread over
 * the topic's partitions (Spark's producer picks them); "test custom metrics - corner cases"
 * calls kafkaSourceMetrics, Sluice's KafkaMicroBatchStream.metrics. Tests run concurrently,
 * each on topics of its own.
 *
 * 79 tests; 64 transcribed (58 pass, 6 run as it.failing with the reason), 15 not.
 *
 * Not transcribed (the missing piece in brackets):
 * - "async progress tracking" [asyncProgressTrackingEnabled; and spark.read.format("kafka"),
 *   a batch Kafka read].
 * - "compositeReadLimit" [_mockSystemTime: a system clock apart from the trigger clock; a
 *   Sluice query reads one clock].
 * - "ensure that initial offset are written with an extra byte in the beginning (SPARK-19517)",
 *   "deserialization of initial offset written by Spark 2.1.0 (SPARK-19517)", "deserialization
 *   of initial offset written by future version", "default config of includeHeader doesn't
 *   break existing query from Spark 2.4" [Spark's checkpoint files: Sluice's checkpoint is in
 *   Redis].
 * - "delete a topic when a Spark job is running" [writeStream.foreach with a ForeachWriter,
 *   whose open() runs before a batch's records are fetched].
 * - "SPARK-30656: minPartitions" [batch.rdd.collectPartitions: Sluice has no RDD partitions].
 * - "V1 Source is used when disabled through SQLConf", "V2 Source is used by default" [the
 *   logical plan's Kafka relation classes].
 * - "minPartitions is supported" except its invalid values [planInputPartitions of a
 *   KafkaMicroBatchStream].
 * - "SPARK-57438: metrics should not NPE when latestPartitionOffsets is null" [a
 *   KafkaMicroBatchStream made without a query].
 * - "topic-level offsets tolerate a new topic matching subscribePattern after the start",
 *   "subscribing topics from topic-level offsets" [topic-level startingOffsets, SPARK-58774,
 *   which came after Spark 4.2.0].
 * - "SPARK-56243: malformed record timestamp throws detailed error" [the error condition
 *   KAFKA_MALFORMED_RECORD_TIMESTAMP, absent from the Spark error conditions at hand, so its
 *   text is unknown; likely after 4.2.0 too].
 * - KafkaSourceStressSuite [random data, the stress-test harness].
 */

const spark = new SparkSession('KafkaMicroBatchSourceSuite', new QueryManager(systemClock, silentLog));
spark.conf.set('spark.sql.session.timeZone', 'UTC');
const brokers = process.env['KAFKA_BROKERS'] ?? '';

afterAll(async () => {
  await spark.stop();
});

/** One test's Kafka: unique topic names, the queries it starts, all removed after it. */
interface Ctx {
  readonly utils: KafkaTestUtils;
  /** Spark's newTopic(). */
  newTopic(): string;
  /** Spark's testStream(df): a query over `df` with a memory sink; stopped and removed after the test. */
  testStream(df: DataFrame, options?: { readonly outputMode?: string; readonly clock?: StreamManualClock }): KafkaStreamTest;
  /** A session of its own whose queries run on `clock` (StartStream(trigger, clock)). */
  sessionOn(clock: Clock): SparkSession;
}

async function withKafka(body: (ctx: Ctx) => Promise<void>): Promise<void> {
  const id = randomUUID().slice(0, 8);
  const utils = new KafkaTestUtils();
  const streams: KafkaStreamTest[] = [];
  const sessions: SparkSession[] = [];
  let n = 0;
  const ctx: Ctx = {
    utils,
    newTopic: () => {
      const topic = `topic-${id}-${n++}`;
      utils.track(topic);
      return topic;
    },
    testStream: (df, options = {}) => {
      const t = new KafkaStreamTest(df, utils, options);
      streams.push(t);
      return t;
    },
    sessionOn: (clock) => {
      const s = new SparkSession('KafkaMicroBatchSourceSuite', new QueryManager(clock, silentLog));
      s.conf.set('spark.sql.session.timeZone', 'UTC');
      sessions.push(s);
      return s;
    },
  };
  try {
    await body(ctx);
  } finally {
    for (const t of streams) await t.close();
    for (const s of sessions) await s.stop();
    await utils.teardown(`topic-${id}-`);
  }
}

/** spark.readStream.format("kafka") with these options. */
function kafkaReader(session: SparkSession, options: Readonly<Record<string, string | number>>): DataFrame {
  let reader = session.readStream.format('kafka');
  for (const [k, v] of Object.entries(options)) reader = reader.option(k, v);
  return reader.load();
}

/** `.selectExpr("CAST(key AS STRING)", "CAST(value AS STRING)").as[(String, String)].map(kv => kv._2.toInt)` */
const mapped = (df: DataFrame): DataFrame => df.selectExpr('CAST(CAST(value AS STRING) AS INT) AS value');
/** `... .map(kv => kv._2.toInt + 1)` */
const mappedPlusOne = (df: DataFrame): DataFrame => df.selectExpr('CAST(CAST(value AS STRING) AS INT) + 1 AS value');

/** Rows of one int column. */
const ints = (...xs: number[]): Row[] => xs.map((x) => [x]);
/** Scala's `a to b`. */
const to = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const strings = (xs: readonly number[]): string[] => xs.map(String);

/** Spark's `intercept[T] { body }`. */
async function intercept(body: () => unknown): Promise<Error> {
  try {
    await body();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an exception');
}

describe('KafkaMicroBatchSourceSuiteBase', () => {
  it.concurrent('KafkaMicroBatchSourceSuite: Trigger.AvailableNow', () => withKafka(async ({ utils, newTopic }) => {
    const topic = newTopic();
    await utils.createTopic(topic, 5);
    await utils.sendMessages(topic, to(0, 14).map((x) => `foo-${x}`), 0);

    const reader = kafkaReader(spark, {
      'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '1', maxOffsetsPerTrigger: 5, subscribe: topic, startingOffsets: 'earliest',
    });
    let index = 0;
    const query = reader.writeStream.foreachBatch(() => {
      index += 1;
    }).trigger({ availableNow: true }).start();
    try {
      expect(await query.awaitTermination(STREAMING_TIMEOUT_MS)).toBe(true);
    } finally {
      await query.stop();
    }
    // should have 3 batches now i.e. 15 / 5 = 3
    expect(index).toBe(3);
  }));

  it.concurrent.failing('KafkaMicroBatchSourceSuite: Query with Trigger.AvailableNow should throw error when topic partitions got unavailable during subsequent batches', () => withKafka(async ({ utils, newTopic }) => {
    // Fails: Sluice does not compare the partitions a batch plans with those of the end offsets
    // the run took at start; the query waits for offsets the new topic lacks and does not end.
    const topic = newTopic();
    await utils.createTopic(topic, 5);
    await utils.sendMessages(topic, to(0, 14).map((x) => `foo-${x}`), 0);
    const reader = kafkaReader(spark, {
      'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '500', maxOffsetsPerTrigger: 5, subscribe: topic,
      startingOffsets: 'earliest', failOnDataLoss: 'true',
    });
    const exc = await intercept(async () => {
      const query = reader.writeStream.foreachBatch(async () => {
        await utils.deleteTopic(topic);
        // create partitions less than the kafka data source figured out as an end state
        await utils.createTopic(topic, 3);
        // offset will keep the same
        await utils.sendMessages(topic, to(0, 14).map((x) => `foo-${x}`), 0);
      }).trigger({ availableNow: true }).start();
      try {
        expect(await query.awaitTermination(STREAMING_TIMEOUT_MS)).toBe(true);
      } finally {
        await query.stop();
      }
    });
    expect(exc.message).toContain('Some of partitions in Kafka topic(s) have been lost during running query with Trigger.AvailableNow.');
    expect(exc.message).toContain('topic-partitions for latest offset: ');
    expect(exc.message).toContain('topic-partitions for end offset: ');
  }));

  it.concurrent.failing('KafkaMicroBatchSourceSuite: Query with Trigger.AvailableNow should throw error when offset(s) in planned topic partitions got unavailable during subsequent batches', () => withKafka(async ({ utils, newTopic }) => {
    // Fails: Sluice does not check the end offsets the run took at start against what the
    // partitions offer; the query waits for offsets the new topic lacks and does not end.
    const topic = newTopic();
    await utils.createTopic(topic, 5);
    await utils.sendMessages(topic, to(0, 14).map((x) => `foo-${x}`), 0);
    const reader = kafkaReader(spark, {
      'kafka.bootstrap.servers': brokers, maxOffsetsPerTrigger: 5, subscribe: topic, startingOffsets: 'earliest', failOnDataLoss: 'true',
    });
    const exc = await intercept(async () => {
      const query = reader.writeStream.foreachBatch(async () => {
        await utils.deleteTopic(topic);
        // the number of topic partitions remain the same
        await utils.createTopic(topic, 5);
        // the number of available records will change to lower than the end state
        await utils.sendMessages(topic, to(0, 9).map((x) => `foo-${x}`), 0);
      }).trigger({ availableNow: true }).start();
      try {
        expect(await query.awaitTermination(STREAMING_TIMEOUT_MS)).toBe(true);
      } finally {
        await query.stop();
      }
    });
    expect(exc.message).toContain('Some of partitions in Kafka topic(s) report available offset which is less than end offset during running query with Trigger.AvailableNow.');
    expect(exc.message).toContain('latest offset: ');
    expect(exc.message).toContain('end offset: ');
  }));

  it.concurrent('KafkaMicroBatchSourceSuite: (de)serialization of initial offsets', () => withKafka(async ({ utils, newTopic, testStream }) => {
    const topic = newTopic();
    await utils.createTopic(topic, 5);
    const t = testStream(kafkaReader(spark, { 'kafka.bootstrap.servers': brokers, subscribe: topic }));
    await t.startStream();
    await t.processAllAvailable();
    await t.stopStream();
    await t.startStream();
    await t.stopStream();
  }));

  it.concurrent('KafkaMicroBatchSourceSuite: SPARK-26718 Rate limit set to Long.Max should not overflow integer during end offset calculation', () => withKafka(async ({ utils, newTopic, testStream }) => {
    const topic = newTopic();
    await utils.createTopic(topic, 1);
    // fill in 5 messages to trigger potential integer overflow
    await utils.sendMessages(topic, strings(to(0, 4)), 0);
    const startingOffsets = JSON.stringify({ [topic]: { 0: 5 } });
    const kafka = mapped(kafkaReader(spark, {
      'kafka.bootstrap.servers': brokers,
      // use latest to force begin to be 5
      startingOffsets,
      // use Long.Max to try to trigger overflow
      maxOffsetsPerTrigger: '9223372036854775807',
      subscribe: topic, 'kafka.metadata.max.age.ms': '1',
    }));
    const t = testStream(kafka);
    await t.startStream();
    await t.processAllAvailable();
    await t.addKafkaData([topic], [30, 31, 32, 33, 34]);
    await t.checkAnswer(...ints(30, 31, 32, 33, 34));
    await t.stopStream();
  }));

  /** The maxOffsetsPerTrigger / minOffsetsPerTrigger query of Spark's tests, on `session`. */
  const readLimited = (session: SparkSession, topic: string, options: Readonly<Record<string, string | number>>): DataFrame =>
    mapped(kafkaReader(session, {
      'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '1', ...options, subscribe: topic, startingOffsets: 'earliest',
    }));

  /** The Trigger.Once part: the read limit is ignored, on a checkpoint of its own. */
  async function onceIgnoresReadLimit(ctx: Ctx, df: DataFrame, topic: string, allData: readonly number[]): Promise<void> {
    // NOTE: the test uses the deprecated Trigger.Once() by intention, do not change.
    const t = ctx.testStream(df);
    const dir = `test-${randomUUID()}`;
    await t.startStream({ trigger: { once: true }, checkpointLocation: dir });
    await t.processAllAvailable();
    await t.checkAnswer(...ints(...allData));
    await t.stopStream();
    await t.addKafkaData([topic], to(1000, 1010));
    await t.startStream({ trigger: { once: true }, checkpointLocation: dir });
    await t.processAllAvailable();
    await t.checkAnswer(...ints(...allData, ...to(1000, 1010)));
  }

  it.concurrent('KafkaMicroBatchSourceSuite: maxOffsetsPerTrigger', () => withKafka(async (ctx) => {
    const { utils, newTopic, testStream, sessionOn } = ctx;
    const topic = newTopic();
    await utils.createTopic(topic, 3);
    await utils.sendMessages(topic, strings(to(100, 200)), 0);
    await utils.sendMessages(topic, strings(to(10, 20)), 1);
    await utils.sendMessages(topic, ['1'], 2);

    const clock = new StreamManualClock();
    const t = testStream(readLimited(sessionOn(clock), topic, { maxOffsetsPerTrigger: 10 }), { clock });
    await t.startStream({ trigger: { processingTime: 100 } });
    await t.waitUntilBatchProcessed();
    // 1 from smallest, 1 from middle, 8 from biggest
    await t.checkAnswer(...ints(1, 10, 100, 101, 102, 103, 104, 105, 106, 107));
    t.advanceManualClock(100);
    await t.waitUntilBatchProcessed();
    // smallest now empty, 1 more from middle, 9 more from biggest
    await t.checkAnswer(...ints(1, 10, 100, 101, 102, 103, 104, 105, 106, 107, 11, 108, 109, 110, 111, 112, 113, 114, 115, 116));
    await t.stopStream();
    await t.startStream({ trigger: { processingTime: 100 } });
    await t.waitUntilBatchProcessed();
    // smallest now empty, 1 more from middle, 9 more from biggest
    await t.checkAnswer(...ints(
      1, 10, 100, 101, 102, 103, 104, 105, 106, 107, 11, 108, 109, 110, 111, 112, 113, 114, 115, 116,
      12, 117, 118, 119, 120, 121, 122, 123, 124, 125,
    ));
    t.advanceManualClock(100);
    await t.waitUntilBatchProcessed();
    // smallest now empty, 1 more from middle, 9 more from biggest
    await t.checkAnswer(...ints(
      1, 10, 100, 101, 102, 103, 104, 105, 106, 107, 11, 108, 109, 110, 111, 112, 113, 114, 115, 116,
      12, 117, 118, 119, 120, 121, 122, 123, 124, 125, 13, 126, 127, 128, 129, 130, 131, 132, 133, 134,
    ));
    await t.stopStream();

    // When Trigger.Once() is used, the read limit should be ignored
    await onceIgnoresReadLimit(ctx, readLimited(spark, topic, { maxOffsetsPerTrigger: 10 }), topic, [1, ...to(10, 20), ...to(100, 200)]);
  }));

  it.concurrent.failing('KafkaMicroBatchSourceSuite: minOffsetsPerTrigger', () => withKafka(async (ctx) => {
    // Fails: Sluice has no minOffsetsPerTrigger / maxTriggerDelay; a trigger with fewer new
    // offsets than the minimum runs a batch (the first CheckNewAnswer() after six records).
    const { utils, newTopic, testStream, sessionOn } = ctx;
    const topic = newTopic();
    await utils.createTopic(topic, 3);
    await utils.sendMessages(topic, strings(to(100, 109)), 0);
    await utils.sendMessages(topic, strings(to(10, 14)), 1);
    await utils.sendMessages(topic, ['1'], 2);

    const clock = new StreamManualClock();
    const t = testStream(readLimited(sessionOn(clock), topic, { minOffsetsPerTrigger: 15, maxTriggerDelay: '5s' }), { clock });
    await t.startStream({ trigger: { processingTime: 100 } });
    await t.waitUntilBatchProcessed();
    // First Batch is always processed
    await t.checkAnswer(...ints(1, 10, 100, 101, 102, 103, 104, 105, 106, 107, 11, 108, 109, 12, 13, 14));
    // Adding more data but less than minOffsetsPerTrigger
    await utils.sendMessages(topic, strings(to(15, 20)), 1);
    // No data is processed for next batch as data is less than minOffsetsPerTrigger
    // and maxTriggerDelay is not expired
    t.advanceManualClock(100);
    await t.waitUntilBatchProcessed();
    await t.checkNewAnswer();
    await utils.sendMessages(topic, strings(to(110, 120)), 0);
    await utils.sendMessages(topic, ['2'], 2);
    t.advanceManualClock(100);
    await t.waitUntilBatchProcessed();
    // Running batch now as number of records is greater than minOffsetsPerTrigger
    await t.checkAnswer(...ints(
      1, 10, 100, 101, 102, 103, 104, 105, 106, 107, 11, 108, 109, 110, 111, 112, 113, 114, 115, 116,
      12, 117, 118, 119, 120, 13, 14, 15, 16, 17, 18, 19, 2, 20,
    ));
    // Testing maxTriggerDelay
    // Adding more data but less than minOffsetsPerTrigger
    await utils.sendMessages(topic, strings(to(121, 125)), 0);
    await utils.sendMessages(topic, strings(to(21, 25)), 1);
    // No data is processed for next batch till maxTriggerDelay is expired
    t.advanceManualClock(100);
    await t.waitUntilBatchProcessed();
    await t.checkNewAnswer();
    // Sleeping for 5s to let maxTriggerDelay expire
    await new Promise((resolve) => setTimeout(resolve, 5 * 1000));
    t.advanceManualClock(100);
    // Running batch as maxTriggerDelay is expired
    await t.waitUntilBatchProcessed();
    await t.checkAnswer(...ints(
      1, 10, 100, 101, 102, 103, 104, 105, 106, 107, 11, 108, 109, 110, 111, 112, 113, 114, 115, 116,
      12, 117, 118, 119, 120, 121, 122, 123, 124, 125, 13, 14, 15, 16, 17, 18, 19, 2, 20, 21, 22, 23, 24, 25,
    ));
    await t.stopStream();
    // When Trigger.Once() is used, the read limit should be ignored
    await onceIgnoresReadLimit(ctx, readLimited(spark, topic, { minOffsetsPerTrigger: 15, maxTriggerDelay: '5s' }), topic, [1, 2, ...to(10, 25), ...to(100, 125)]);
  }));

  it.concurrent('KafkaMicroBatchSourceSuite: input row metrics', () => withKafka(async ({ utils, newTopic, testStream }) => {
    const topic = newTopic();
    await utils.createTopic(topic, 5);
    await utils.sendMessages(topic, ['-1']);
    expect(Object.keys((await utils.getLatestOffsets([topic]))[topic] ?? {})).toHaveLength(5);

    const t = testStream(mappedPlusOne(kafkaReader(spark, { subscribe: topic, 'kafka.bootstrap.servers': brokers })));
    await t.startStream({ trigger: { processingTime: 1 } });
    await t.processAllAvailable();
    await t.addKafkaData([topic], [1, 2, 3]);
    await t.checkAnswer(...ints(2, 3, 4));
    const recordsRead = t.current.recentProgress.map((p) => p.numInputRows).reduce((a, b) => a + b, 0);
    expect(recordsRead).toBe(3);
  }));

  it.concurrent.failing('KafkaMicroBatchSourceSuite: subscribing topic by pattern with topic deletions', () => withKafka(async ({ utils, newTopic, testStream }) => {
    // Fails: Sluice matches subscribePattern against the topics that exist when the query
    // starts; a topic created later is not read.
    const topicPrefix = newTopic();
    const topic = `${topicPrefix}-seems`;
    const topic2 = `${topicPrefix}-bad`;
    await utils.createTopic(topic, 5);
    await utils.sendMessages(topic, ['-1']);
    expect(Object.keys((await utils.getLatestOffsets([topic]))[topic] ?? {})).toHaveLength(5);

    const t = testStream(mappedPlusOne(kafkaReader(spark, {
      'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '1', 'kafka.request.timeout.ms': '3000',
      'kafka.default.api.timeout.ms': '3000', subscribePattern: `${topicPrefix}-.*`, failOnDataLoss: 'false',
    })));
    await t.startStream();
    await t.processAllAvailable();
    await t.addKafkaData([topic], [1, 2, 3]);
    await t.checkAnswer(...ints(2, 3, 4));
    await utils.deleteTopic(topic);
    await utils.createTopic(topic2, 5);
    await t.addKafkaData([topic2], [4, 5, 6]);
    await t.checkAnswer(...ints(2, 3, 4, 5, 6, 7));
  }));

  it.concurrent('KafkaMicroBatchSourceSuite: SPARK-41375: empty partitions should not record to latest offset', () => withKafka(async ({ utils, newTopic, testStream }) => {
    const topicPrefix = newTopic();
    const topic = `${topicPrefix}-good`;
    await utils.createTopic(topic, 5);
    await utils.sendMessages(topic, ['-1']);
    expect(Object.keys((await utils.getLatestOffsets([topic]))[topic] ?? {})).toHaveLength(5);

    const t = testStream(mappedPlusOne(kafkaReader(spark, {
      'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '1', 'kafka.request.timeout.ms': '3000',
      'kafka.default.api.timeout.ms': '3000', subscribePattern: `${topicPrefix}-.*`, failOnDataLoss: 'false',
    })));
    await t.startStream();
    await t.processAllAvailable();
    await t.addKafkaData([topic], [1, 2, 3]);
    await t.checkAnswer(...ints(2, 3, 4));
    await utils.deleteTopic(topic);
    // AssertOnQuery: the latest offset-log entry records no source with empty offsets ("{}").
    const redis = await connectRedis(process.env['REDIS_URL'] ?? '', silentLog);
    try {
      const latestOffset = await new OffsetLog(redis, t.checkpointLocation).getLatest();
      expect(latestOffset !== null && !latestOffset.entry.offsets.some((o) => Object.keys(o).length === 0)).toBe(true);
    } finally {
      await redis.quit();
    }
    expect(t.current.exception()).toBeNull();
  }));

  it.concurrent.failing('KafkaMicroBatchSourceSuite: subscribe topic by pattern with topic recreation between batches', () => withKafka(async ({ utils, newTopic, testStream }) => {
    // Fails: a restarted Sluice query does not compare its checkpoint's offsets with the
    // partitions' offsets now (Spark: "Partition ...'s offset was changed from 2 to 1").
    const topicPrefix = newTopic();
    const topic = `${topicPrefix}-good`;
    const topic2 = `${topicPrefix}-bad`;
    await utils.createTopic(topic, 1);
    await utils.sendMessages(topic, ['1', '3']);
    await utils.createTopic(topic2, 1);
    await utils.sendMessages(topic2, ['2', '4']);

    const t = testStream(mapped(kafkaReader(spark, {
      'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '1', 'kafka.request.timeout.ms': '3000',
      'kafka.default.api.timeout.ms': '3000', startingOffsets: 'earliest', subscribePattern: `${topicPrefix}-.*`,
    })));
    await t.startStream();
    await t.processAllAvailable();
    await t.checkAnswer(...ints(1, 2, 3, 4));
    // Restart the stream in this test to make the test stable. When recreating a topic when a
    // consumer is alive, it may not be able to see the recreated topic even if a fresh consumer
    // has seen it.
    await t.stopStream();
    // Recreate `topic2` and wait until it's available
    await utils.deleteTopic(topic2);
    await utils.createTopic(topic2);
    await utils.sendMessages(topic2, ['6']);
    await utils.waitUntilOffsetAppears(topic2, 0, 1);
    await t.startStream();
    const e = await t.expectFailure();
    // The offset of `topic2` should be changed from 2 to 1
    expect(e.message).toContain('was changed from 2 to 1');
  }));

  it.concurrent('KafkaMicroBatchSourceSuite: KafkaSource with watermark', () => withKafka(async ({ utils, newTopic, testStream }) => {
    const now = Date.now();
    const topic = newTopic();
    await utils.createTopic(newTopic(), 1);
    // Spark's test sends to a topic it did not create: the broker creates it on the first send.
    await utils.sendMessages(topic, ['1']);

    const kafka = kafkaReader(spark, {
      'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '1', startingOffsets: 'earliest', subscribe: topic,
    });
    const windowedAggregation = kafka
      .withWatermark('timestamp', '10 seconds')
      .groupBy(window(col('timestamp'), '5 seconds').alias('window'))
      .agg(count('*').alias('count'))
      .select(col('window').getField('start').alias('window'), col('count'));
    const t = testStream(windowedAggregation, { outputMode: 'complete' });
    await t.startStream();
    await t.processAllAvailable();
    const rows = t.allBatches[t.allBatches.length - 1] ?? [];
    expect(rows).toHaveLength(1);
    const row = rows[0] ?? [];
    // We cannot check the exact window start time as it depends on the time that messages were
    // inserted by the producer. So here we just use a low bound to make sure the internal
    // conversion works.
    expect(Number(row[0]) / 1000).toBeGreaterThanOrEqual(now - 5 * 1000);
    expect(row[1]).toBe(1);
    await t.stopStream();
  }));

  it.concurrent('KafkaMicroBatchSourceSuite: SPARK-22956: currentPartitionOffsets should be set when no new data comes in', () => withKafka(async ({ utils, newTopic, testStream, sessionOn }) => {
    const clock = new StreamManualClock();
    const session = sessionOn(clock);
    const getSpecificDF = async (range: readonly number[]): Promise<DataFrame> => {
      const topic = newTopic();
      await utils.createTopic(topic, 1);
      await utils.sendMessages(topic, strings(range), 0);
      return mapped(kafkaReader(session, {
        'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '1', maxOffsetsPerTrigger: 5, subscribe: topic, startingOffsets: 'earliest',
      }));
    };
    const df1 = await getSpecificDF(to(0, 9));
    const df2 = await getSpecificDF(to(100, 199));
    const kafka = df1.union(df2);

    const t = testStream(kafka, { clock });
    await t.startStream({ trigger: { processingTime: 100 } });
    await t.waitUntilBatchProcessed();
    // 5 from smaller topic, 5 from bigger one
    await t.checkLastBatch(...ints(...to(0, 4), ...to(100, 104)));
    t.advanceManualClock(100);
    await t.waitUntilBatchProcessed();
    // 5 from smaller topic, 5 from bigger one
    await t.checkLastBatch(...ints(...to(5, 9), ...to(105, 109)));
    t.advanceManualClock(100);
    await t.waitUntilBatchProcessed();
    // smaller topic empty, 5 from bigger one
    await t.checkLastBatch(...ints(...to(110, 114)));
    await t.stopStream();
    await t.startStream({ trigger: { processingTime: 100 } });
    await t.waitUntilBatchProcessed();
    // smallest now empty, 5 from bigger one
    await t.checkLastBatch(...ints(...to(115, 119)));
    t.advanceManualClock(100);
    await t.waitUntilBatchProcessed();
    // smallest now empty, 5 from bigger one
    await t.checkLastBatch(...ints(...to(120, 124)));
  }));

  // "allow group.id prefix" and "allow group.id override" do their checks only in the suites that
  // fetch offsets with a consumer (KafkaMicroBatchV2SourceWithConsumerSuite: the conf
  // spark.sql.streaming.kafka.useDeprecatedOffsetFetching true); transcribed as those run them.
  async function testGroupId(ctx: Ctx, groupIdKey: string, validateGroupId: (expected: string, actual: readonly string[]) => void): Promise<void> {
    const { utils, newTopic, testStream } = ctx;
    const topic = newTopic();
    await utils.createTopic(topic, 3);
    await utils.sendMessages(topic, strings(to(1, 10)), 0);
    await utils.sendMessages(topic, strings(to(11, 20)), 1);
    await utils.sendMessages(topic, strings(to(21, 30)), 2);

    const customGroupId = `id-${Math.floor(Math.random() * 2 ** 31)}`;
    const dsKafka = mapped(kafkaReader(spark, {
      [groupIdKey]: customGroupId, 'kafka.bootstrap.servers': brokers, subscribe: topic, startingOffsets: 'earliest',
    }));
    const t = testStream(dsKafka);
    await t.startStream();
    await t.processAllAvailable();
    await t.checkAnswer(...ints(...to(1, 30)));
    validateGroupId(customGroupId, await utils.listConsumerGroups());
  }

  it.concurrent('KafkaMicroBatchSourceSuite: allow group.id prefix', () => withKafka(async (ctx) => {
    await testGroupId(ctx, 'groupIdPrefix', (expected, actual) => {
      expect(actual.some((g) => g.startsWith(expected)) && !actual.some((g) => g === expected)).toBe(true);
    });
  }));

  it.concurrent('KafkaMicroBatchSourceSuite: allow group.id override', () => withKafka(async (ctx) => {
    await testGroupId(ctx, 'kafka.group.id', (expected, actual) => {
      expect(actual.some((g) => g === expected)).toBe(true);
    });
  }));

  it.concurrent.failing('KafkaMicroBatchSourceSuite: ensure stream-stream self-join generates only one offset in log and correct metrics', () => withKafka(async ({ utils, newTopic, testStream, sessionOn }) => {
    // Fails: a Sluice self-join reads its Kafka source as two sources (two entries in the offset
    // log, not one), and has no spark.sql.exchange.reuse to read it once.
    const topic = newTopic();
    await utils.createTopic(topic, 2);
    expect(Object.keys((await utils.getLatestOffsets([topic]))[topic] ?? {})).toHaveLength(2);

    // A session of its own: the test sets a conf.
    const session = sessionOn(systemClock);
    const kafka = kafkaReader(session, { subscribe: topic, 'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '1' });
    const values = kafka.selectExpr('CAST(CAST(value AS STRING) AS INT) AS value', 'CAST(CAST(value AS STRING) AS INT) % 5 AS key');
    const join = values.join(values, 'key');

    const checkQuery = async (check: (t: KafkaStreamTest) => Promise<void>): Promise<void> => {
      const t = testStream(join);
      await t.startStream();
      await t.processAllAvailable();
      await t.addKafkaData([topic], [1, 2]);
      await t.checkAnswer([1, 1, 1], [2, 2, 2]);
      await t.addKafkaData([topic], [6, 3]);
      await t.checkAnswer([1, 1, 1], [2, 2, 2], [3, 3, 3], [1, 6, 1], [1, 1, 6], [1, 6, 6]);
      await check(t);
      await t.stopStream();
    };
    /** q.availableOffsets.size: the sources in the latest offset-log entry. */
    const availableOffsets = async (t: KafkaStreamTest): Promise<number> => {
      const redis = await connectRedis(process.env['REDIS_URL'] ?? '', silentLog);
      try {
        return (await new OffsetLog(redis, t.checkpointLocation).getLatest())?.entry.offsets.length ?? 0;
      } finally {
        await redis.quit();
      }
    };
    const inputRows = (t: KafkaStreamTest): number => t.current.recentProgress.map((p) => p.numInputRows).reduce((a, b) => a + b, 0);

    session.conf.set('spark.sql.exchange.reuse', 'false');
    try {
      await checkQuery(async (t) => {
        expect(await availableOffsets(t)).toBe(1);
        // The kafka source is scanned twice because of self-join
        expect(inputRows(t)).toBe(8);
      });
    } finally {
      session.conf.unset('spark.sql.exchange.reuse');
    }
    session.conf.set('spark.sql.exchange.reuse', 'true');
    try {
      await checkQuery(async (t) => {
        expect(await availableOffsets(t)).toBe(1);
        // Spark also finds one ReusedExchangeExec in the executed plan.
        // The kafka source is scanned only once because of exchange reuse.
        expect(inputRows(t)).toBe(4);
      });
    } finally {
      session.conf.unset('spark.sql.exchange.reuse');
    }
  }));

  /** Spark's transactional-messages tests: maxOffsetsPerTrigger 3 over a topic written in transactions. */
  async function transactionalTest(ctx: Ctx, isolationLevel: 'read_committed' | 'read_uncommitted', expected: {
    readonly openTxn: readonly number[]; readonly afterCommit: readonly number[]; readonly rest: readonly number[];
    readonly aborted1: readonly number[]; readonly aborted2: readonly number[];
  }): Promise<void> {
    const { utils, newTopic, testStream, sessionOn } = ctx;
    const topic = newTopic();
    await utils.createTopic(topic, 1);
    const clock = new StreamManualClock();
    const kafka = mapped(kafkaReader(sessionOn(clock), {
      'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '1', 'kafka.isolation.level': isolationLevel,
      maxOffsetsPerTrigger: 3, subscribe: topic, startingOffsets: 'earliest',
      // Set a short timeout to make the test fast. When a batch doesn't contain any visible data
      // messages, "poll" will wait until timeout.
      'kafkaConsumer.pollTimeoutMs': 5000,
    }));
    const t = testStream(kafka, { clock });
    const step = async (): Promise<void> => {
      t.advanceManualClock(100);
      await t.waitUntilBatchProcessed();
    };
    // The message values are the same as their offsets to make the test easy to follow
    await utils.withTransactionalProducer(async (producer) => {
      await t.startStream({ trigger: { processingTime: 100 } });
      await t.waitUntilBatchProcessed();
      await t.checkNewAnswer();
      // Send 5 messages. They should be visible only after being committed.
      let txn = await producer.transaction();
      for (const i of to(0, 4)) await txn.send(topic, [{ value: String(i) }]);
      await utils.waitUntilOffsetAppears(topic, 0, 5);
      await step();
      await t.checkNewAnswer(...ints(...expected.openTxn));
      await txn.commit();
      await utils.waitUntilOffsetAppears(topic, 0, 6);
      await step();
      await t.checkNewAnswer(...ints(...expected.afterCommit));
      if (isolationLevel === 'read_committed') {
        await step();
        await t.checkNewAnswer(...ints(...expected.rest)); // offset: 3, 4, 5* [* means it's not a committed data message]
      }
      // Send 5 messages and abort the transaction. They should not be read.
      txn = await producer.transaction();
      for (const i of to(6, 10)) await txn.send(topic, [{ value: String(i) }]);
      await txn.abort();
      await utils.waitUntilOffsetAppears(topic, 0, 12);
      await step();
      await t.checkNewAnswer(...ints(...expected.aborted1));
      await step();
      await t.checkNewAnswer(...ints(...expected.aborted2));
      // Send 5 messages again. The consumer should skip the above aborted messages and read them.
      txn = await producer.transaction();
      for (const i of to(12, 16)) await txn.send(topic, [{ value: String(i) }]);
      await txn.commit();
      await utils.waitUntilOffsetAppears(topic, 0, 18);
      await step();
      await t.checkNewAnswer(...ints(12, 13, 14)); // offset: 12, 13, 14
      await step();
      await t.checkNewAnswer(...ints(15, 16)); // offset: 15, 16, 17*
      txn = await producer.transaction();
      await txn.send(topic, [{ value: '18' }]);
      await txn.commit();
      txn = await producer.transaction();
      await txn.send(topic, [{ value: '20' }]);
      await txn.commit();
      txn = await producer.transaction();
      await txn.send(topic, [{ value: '22' }]);
      await txn.send(topic, [{ value: '23' }]);
      await txn.commit();
      await utils.waitUntilOffsetAppears(topic, 0, 25);
      await step();
      await t.checkNewAnswer(...ints(18, 20)); // offset: 18, 19*, 20
      await step();
      await t.checkNewAnswer(...ints(22, 23)); // offset: 21*, 22, 23
      await step();
      await t.checkNewAnswer(); // offset: 24*
      await t.stopStream();
    });
  }

  it.concurrent('KafkaMicroBatchSourceSuite: read Kafka transactional messages: read_committed', () => withKafka(async (ctx) => {
    // This test will cover the following cases:
    // 1. the whole batch contains no data messages
    // 2. the first offset in a batch is not a committed data message
    // 3. the last offset in a batch is not a committed data message
    // 4. there is a gap in the middle of a batch
    await transactionalTest(ctx, 'read_committed', {
      openTxn: [], // Should not see any uncommitted messages
      afterCommit: [0, 1, 2], // offset 0, 1, 2
      rest: [3, 4], // offset: 3, 4, 5*
      aborted1: [], // offset: 6*, 7*, 8*
      aborted2: [], // offset: 9*, 10*, 11*
    });
  }));

  it.concurrent('KafkaMicroBatchSourceSuite: read Kafka transactional messages: read_uncommitted', () => withKafka(async (ctx) => {
    await transactionalTest(ctx, 'read_uncommitted', {
      openTxn: [0, 1, 2], // offset 0, 1, 2
      afterCommit: [3, 4], // offset: 3, 4, 5* [* means it's not a committed data message]
      rest: [],
      aborted1: [6, 7, 8], // offset: 6, 7, 8
      aborted2: [9, 10], // offset: 9, 10, 11*
    });
  }));

  it.concurrent('KafkaMicroBatchSourceSuite: SPARK-25495: FetchedData.reset should reset all fields', () => withKafka(async ({ utils, newTopic }) => {
    const topic = newTopic();
    await utils.createTopic(topic, 1);
    const ds = kafkaReader(spark, {
      'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '1', 'kafka.isolation.level': 'read_committed',
      subscribe: topic, startingOffsets: 'earliest',
    }).selectExpr('CAST(value AS STRING) AS value');

    await utils.withTransactionalProducer(async (producer) => {
      const txn = await producer.transaction();
      for (const i of to(0, 3)) await txn.send(topic, [{ value: String(i) }]);
      await txn.commit();
    });
    await utils.waitUntilOffsetAppears(topic, 0, 5);

    const seen: Array<{ epochId: number; values: string[] }> = [];
    const q = ds.writeStream.foreachBatch(async (batch, epochId) => {
      if (epochId === 0) {
        // Send more message before the tasks of the current batch start reading the current batch
        // data, so that the executors will prefetch messages in the next batch and drop them. In
        // this case, if we forget to reset `FetchedData._nextOffsetInFetchedData` or
        // `FetchedData._offsetAfterPoll` (See SPARK-25495), the next batch will see incorrect
        // values and return wrong results hence fail the test.
        await utils.withTransactionalProducer(async (producer) => {
          const txn = await producer.transaction();
          for (const i of to(4, 7)) await txn.send(topic, [{ value: String(i) }]);
          await txn.commit();
        });
        await utils.waitUntilOffsetAppears(topic, 0, 10);
      }
      seen.push({ epochId, values: batch.rows.map((r) => String(r[0])) });
    }).start();
    try {
      await q.awaitStarted();
      // q.processAllAvailable()
      await utils.waitUntilOffsetAppears(topic, 0, 10);
      await waitFor(() => seen.some((s) => s.values.includes('7')) || q.exception() !== null, 'the records 4 to 7', STREAMING_TIMEOUT_MS);
    } finally {
      await q.stop();
    }
    // checkDatasetUnorderly in each batch: 0 to 3 in batch 0, 4 to 7 in the next.
    expect(q.exception()).toBeNull();
    expect(seen.map((s) => [s.epochId, [...s.values].sort()])).toEqual([[0, strings(to(0, 3))], [1, strings(to(4, 7))]]);
  }));

  it.concurrent('KafkaMicroBatchSourceSuite: SPARK-27494: read kafka record containing null key/values.', () => withKafka(async (ctx) => {
    await testNullableKeyValue(ctx, { processingTime: 100 });
  }));
});

describe('KafkaMicroBatchV2SourceSuite', () => {
  it.concurrent('KafkaMicroBatchSourceSuite: minPartitions is supported', () => withKafka(async ({ utils, newTopic }) => {
    // Only its illegal values: Spark checks them when the stream is created, Sluice when the
    // DataFrame is defined (so does Spark, through KafkaSourceProvider.validateStreamOptions).
    const topic = newTopic();
    await utils.createTopic(topic, 1);
    const test = (minPartitions: string): DataFrame => kafkaReader(spark, { 'kafka.bootstrap.servers': brokers, subscribe: topic, minPartitions });
    // Test illegal minPartitions values
    for (const v of ['a', '1.0', '0', '-1']) expect(await intercept(() => test(v))).toBeInstanceOf(IllegalArgumentError);
  }));

  /** The custom metrics of the source's progress (Spark's sources.head.metrics). */
  const sourceMetrics = (p: StreamingQueryProgress): Readonly<Record<string, string>> | undefined => p.sources[0]?.metrics;

  it.concurrent('KafkaMicroBatchSourceSuite: test custom metrics - with rate limit', () => withKafka(async ({ utils, newTopic, testStream }) => {
    const topic = newTopic();
    const data = to(1, 10);
    await utils.createTopic(topic, 2);
    await utils.sendMessages(topic, strings(to(1, 5)), 0);
    await utils.sendMessages(topic, strings(to(6, 10)), 1);
    const kafka = mapped(kafkaReader(spark, { 'kafka.bootstrap.servers': brokers, subscribe: topic, maxOffsetsPerTrigger: 1, startingOffsets: 'earliest' }));
    const t = testStream(kafka);
    await t.startStream();
    await t.processAllAvailable();
    await t.checkAnswer(...ints(...data));
    // The rate limit is 1, so there must be some delay in offsets per partition.
    const progressWithDelay = [...t.current.recentProgress].reverse().find((p) => {
      const m = sourceMetrics(p);
      return m !== undefined && Object.keys(m).length > 0 && Number(m['avgOffsetsBehindLatest']) > 0;
    });
    expect(progressWithDelay).toBeDefined();
    const metrics = (progressWithDelay === undefined ? undefined : sourceMetrics(progressWithDelay)) ?? {};
    expect(new Set(Object.keys(metrics))).toEqual(new Set(['minOffsetsBehindLatest', 'maxOffsetsBehindLatest', 'avgOffsetsBehindLatest']));
    expect(Number(metrics['minOffsetsBehindLatest'])).toBeGreaterThan(0);
    expect(Number(metrics['maxOffsetsBehindLatest'])).toBeGreaterThan(0);
    expect(Number(metrics['avgOffsetsBehindLatest'])).toBeGreaterThan(0);
  }));

  it.concurrent('KafkaMicroBatchSourceSuite: test custom metrics - no rate limit', () => withKafka(async ({ utils, newTopic, testStream }) => {
    const topic = newTopic();
    const data = to(1, 10);
    await utils.createTopic(topic, 2);
    await utils.sendMessages(topic, strings(to(1, 5)), 0);
    await utils.sendMessages(topic, strings(to(6, 10)), 1);
    const kafka = mapped(kafkaReader(spark, { 'kafka.bootstrap.servers': brokers, subscribe: topic, startingOffsets: 'earliest' }));
    const t = testStream(kafka);
    await t.startStream();
    await t.processAllAvailable();
    await t.checkAnswer(...ints(...data));
    const progress = t.current.recentProgress[t.current.recentProgress.length - 1];
    expect(progress).toBeDefined();
    const metrics = (progress === undefined ? undefined : sourceMetrics(progress)) ?? {};
    // When there is no rate limit, there shouldn't be any delay in the current stream.
    expect(new Set(Object.keys(metrics))).toEqual(new Set(['minOffsetsBehindLatest', 'maxOffsetsBehindLatest', 'avgOffsetsBehindLatest']));
    expect(Number(metrics['minOffsetsBehindLatest'])).toBe(0);
    expect(Number(metrics['maxOffsetsBehindLatest'])).toBe(0);
    expect(Number(metrics['avgOffsetsBehindLatest'])).toBe(0);
  }));

  it.concurrent('KafkaMicroBatchSourceSuite: test custom metrics - corner cases', async () => {
    // Offsets keyed as Sluice keeps a source's offsets over several topics: `topic:partition`.
    const topicPartition1 = 'topic-A:0';
    const topicPartition2 = 'topic-B:0';
    const latestOffset = { [topicPartition1]: 3, [topicPartition2]: 6 };

    // test empty offset.
    expect(kafkaSourceMetrics(null, latestOffset)).toEqual({});

    // test valid offsetsBehindLatest
    const offset = { [topicPartition1]: 1, [topicPartition2]: 2 };
    expect(kafkaSourceMetrics(offset, latestOffset)).toEqual({
      minOffsetsBehindLatest: '2',
      maxOffsetsBehindLatest: '4',
      avgOffsetsBehindLatest: '3.0',
    });

    // test null latestAvailablePartitionOffsets
    expect(kafkaSourceMetrics(offset, null)).toEqual({});
  });
});

/** Spark's testNullableKeyValue: null keys and values in one transaction, read_committed, a memory sink. */
async function testNullableKeyValue(ctx: Ctx, trigger: { readonly processingTime: number }): Promise<void> {
  const { utils, newTopic, testStream } = ctx;
  const topic = newTopic();
  await utils.createTopic(topic);
  await utils.withTransactionalProducer(async (producer) => {
    const df = kafkaReader(spark, {
      'kafka.bootstrap.servers': brokers, 'kafka.isolation.level': 'read_committed', startingOffsets: 'earliest', subscribe: topic,
    }).selectExpr('CAST(key AS STRING)', 'CAST(value AS STRING)');
    const q = testStream(df);
    await q.startStream({ trigger });
    let idx = 0;
    const txn = await producer.transaction();
    const expected1: Row[] = [];
    for (let i = 0; i < 5; i++) {
      await txn.send(topic, [{ key: null, value: null }]);
      expected1.push([null, null]);
    }
    const expected2: Row[] = [];
    for (let i = 0; i < 5; i++) {
      idx += 1;
      await txn.send(topic, [{ key: String(idx), value: null }]);
      expected2.push([String(idx), null]);
    }
    const expected3: Row[] = [];
    for (let i = 0; i < 5; i++) {
      idx += 1;
      await txn.send(topic, [{ key: null, value: String(idx) }]);
      expected3.push([null, String(idx)]);
    }
    await txn.commit();
    await q.checkAnswer(...expected1, ...expected2, ...expected3);
    await q.stopStream();
  });
}

describe('KafkaSourceSuiteBase', () => {
  it.concurrent('KafkaMicroBatchSourceSuite: cannot stop Kafka stream', () => withKafka(async ({ utils, newTopic, testStream }) => {
    const topic = newTopic();
    await utils.createTopic(topic, 5);
    await utils.sendMessages(topic, strings(to(101, 105)));
    const t = testStream(mappedPlusOne(kafkaReader(spark, {
      'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '1', subscribePattern: `${topic}.*`,
    })));
    await t.startStream();
    await t.processAllAvailable();
    await t.stopStream();
  }));

  /** JsonUtils.partitions: `{"topic":[4,3,2,1,0]}` (Spark's HashMap of lists, built by prepending). */
  const assignString = (topic: string, partitions: readonly number[]): string => JSON.stringify({ [topic]: [...partitions].reverse() });

  async function testFromLatestOffsets(ctx: Ctx, topic: string, addPartitions: boolean, failOnDataLoss: boolean, options: Readonly<Record<string, string>>): Promise<void> {
    const { utils, testStream } = ctx;
    await utils.createTopic(topic, 5);
    await utils.sendMessages(topic, ['-1']);
    expect(Object.keys((await utils.getLatestOffsets([topic]))[topic] ?? {})).toHaveLength(5);

    const kafka = mappedPlusOne(kafkaReader(spark, {
      startingOffsets: 'latest', 'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '1', failOnDataLoss: String(failOnDataLoss), ...options,
    }));
    const t = testStream(kafka);
    await t.startStream();
    await t.processAllAvailable();
    await t.addKafkaData([topic], [1, 2, 3]);
    await t.checkAnswer(...ints(2, 3, 4));
    await t.stopStream();
    await t.startStream();
    await t.checkAnswer(...ints(2, 3, 4)); // Should get the data back on recovery
    await t.stopStream();
    await t.addKafkaData([topic], [4, 5, 6]); // Add data when stream is stopped
    await t.startStream();
    await t.checkAnswer(...ints(2, 3, 4, 5, 6, 7)); // Should get the added data
    await t.addKafkaData([topic], [7, 8]);
    await t.checkAnswer(...ints(2, 3, 4, 5, 6, 7, 8, 9));
    // AssertOnQuery("Add partitions")
    if (addPartitions) await utils.addPartitions(topic, 10);
    await t.addKafkaData([topic], [9, 10, 11, 12, 13, 14, 15, 16]);
    await t.checkAnswer(...ints(...to(2, 17)));
  }

  async function testFromEarliestOffsets(ctx: Ctx, topic: string, addPartitions: boolean, failOnDataLoss: boolean, options: Readonly<Record<string, string>>): Promise<void> {
    const { utils, testStream } = ctx;
    await utils.createTopic(topic, 5);
    await utils.sendMessages(topic, strings(to(1, 3)));
    expect(Object.keys((await utils.getLatestOffsets([topic]))[topic] ?? {})).toHaveLength(5);

    const kafka = mappedPlusOne(kafkaReader(spark, {
      startingOffsets: 'earliest', 'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '1', failOnDataLoss: String(failOnDataLoss), ...options,
    }));
    const t = testStream(kafka);
    await t.addKafkaData([topic], [4, 5, 6]); // Add data when stream is stopped
    await t.startStream();
    await t.checkAnswer(...ints(2, 3, 4, 5, 6, 7));
    await t.stopStream();
    await t.startStream();
    await t.checkAnswer(...ints(2, 3, 4, 5, 6, 7));
    await t.stopStream();
    await t.addKafkaData([topic], [7, 8]);
    await t.startStream();
    await t.checkAnswer(...ints(2, 3, 4, 5, 6, 7, 8, 9));
    // AssertOnQuery("Add partitions")
    if (addPartitions) await utils.addPartitions(topic, 10);
    await t.addKafkaData([topic], [9, 10, 11, 12, 13, 14, 15, 16]);
    await t.checkAnswer(...ints(...to(2, 17)));
  }

  async function testFromSpecificOffsets(ctx: Ctx, topic: string, failOnDataLoss: boolean, options: Readonly<Record<string, string>>): Promise<void> {
    const { utils, testStream } = ctx;
    const partitionOffsets = { 0: -2, 1: -1, 2: 0, 3: 1, 4: 2 };
    const startingOffsets = JSON.stringify({ [topic]: partitionOffsets });

    await utils.createTopic(topic, 5);
    // part 0 starts at earliest, these should all be seen
    await utils.sendMessages(topic, strings([-20, -21, -22]), 0);
    // part 1 starts at latest, these should all be skipped
    await utils.sendMessages(topic, strings([-10, -11, -12]), 1);
    // part 2 starts at 0, these should all be seen
    await utils.sendMessages(topic, strings([0, 1, 2]), 2);
    // part 3 starts at 1, first should be skipped
    await utils.sendMessages(topic, strings([10, 11, 12]), 3);
    // part 4 starts at 2, first and second should be skipped
    await utils.sendMessages(topic, strings([20, 21, 22]), 4);
    expect(Object.keys((await utils.getLatestOffsets([topic]))[topic] ?? {})).toHaveLength(5);

    const kafka = mapped(kafkaReader(spark, {
      startingOffsets, 'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '1', failOnDataLoss: String(failOnDataLoss), ...options,
    }));
    const t = testStream(kafka);
    await t.startStream();
    await t.processAllAvailable();
    // wait to reach the last offset in every partition
    await t.processAllAvailable();
    await t.checkAnswer(...ints(-20, -21, -22, 0, 1, 2, 11, 12, 22));
    await t.stopStream();
    await t.startStream();
    await t.checkAnswer(...ints(-20, -21, -22, 0, 1, 2, 11, 12, 22)); // Should get the data back on recovery
    await t.addKafkaData([topic], [30, 31, 32, 33, 34], true);
    await t.checkAnswer(...ints(-20, -21, -22, 0, 1, 2, 11, 12, 22, 30, 31, 32, 33, 34));
    await t.stopStream();
  }

  /** Spark's sendMessagesWithTimestamp. */
  const sendMessagesWithTimestamp = (utils: KafkaTestUtils, topic: string, msgs: readonly string[], part: number, ts: number): Promise<void> =>
    utils.sendRecords(msgs.map((value) => ({ topic, value, partition: part, timestamp: ts })));

  async function setupTestMessagesForTestOnTimestampOffsets(utils: KafkaTestUtils, topic: string, firstTimestamp: number, secondTimestamp: number): Promise<void> {
    await sendMessagesWithTimestamp(utils, topic, strings([-20]), 0, firstTimestamp);
    await sendMessagesWithTimestamp(utils, topic, strings([-10]), 1, firstTimestamp);
    await sendMessagesWithTimestamp(utils, topic, strings([0, 1]), 2, firstTimestamp);
    await sendMessagesWithTimestamp(utils, topic, strings([10, 11]), 3, firstTimestamp);
    await sendMessagesWithTimestamp(utils, topic, strings([20, 21, 22]), 4, firstTimestamp);

    await sendMessagesWithTimestamp(utils, topic, strings([-21, -22]), 0, secondTimestamp);
    await sendMessagesWithTimestamp(utils, topic, strings([-11, -12]), 1, secondTimestamp);
    await sendMessagesWithTimestamp(utils, topic, strings([2]), 2, secondTimestamp);
    await sendMessagesWithTimestamp(utils, topic, strings([12]), 3, secondTimestamp);
    // no data after second timestamp for partition 4
  }

  const setupDataFrameForTestOnTimestampOffsets = (startingTimestamps: string, failOnDataLoss: boolean, options: Readonly<Record<string, string>>): DataFrame =>
    mapped(kafkaReader(spark, {
      startingOffsetsByTimestamp: startingTimestamps, 'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '1',
      failOnDataLoss: String(failOnDataLoss), ...options,
    }));

  const setupDataFrameForTestOnGlobalTimestamp = (startingTimestamp: number, failOnDataLoss: boolean, options: Readonly<Record<string, string>>): DataFrame =>
    mapped(kafkaReader(spark, {
      startingTimestamp, 'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '1', failOnDataLoss: String(failOnDataLoss), ...options,
    }));

  /** JsonUtils.partitionTimestamps of one topic's partitions. */
  const partitionTimestamps = (topic: string, timestamps: ReadonlyArray<readonly [number, number]>): string =>
    JSON.stringify({ [topic]: Object.fromEntries(timestamps.map(([p, ts]) => [String(p), ts])) });

  async function testFromSpecificTimestamps(ctx: Ctx, topic: string, failOnDataLoss: boolean, addPartitions: boolean, options: Readonly<Record<string, string>>): Promise<void> {
    const { utils, testStream } = ctx;
    await utils.createTopic(topic, 5);
    const firstTimestamp = Date.now() - 5000;
    const secondTimestamp = firstTimestamp + 1000;
    await setupTestMessagesForTestOnTimestampOffsets(utils, topic, firstTimestamp, secondTimestamp);
    // no data after second timestamp for partition 4
    expect(Object.keys((await utils.getLatestOffsets([topic]))[topic] ?? {})).toHaveLength(5);

    // we intentionally starts from second timestamp,
    // except for partition 4 - it starts from first timestamp
    const startingTimestamps = partitionTimestamps(topic, [...to(0, 3).map((p): [number, number] => [p, secondTimestamp]), [4, firstTimestamp]]);
    const t = testStream(setupDataFrameForTestOnTimestampOffsets(startingTimestamps, failOnDataLoss, options));
    await t.startStream();
    await t.processAllAvailable();
    // wait to reach the last offset in every partition
    await t.processAllAvailable();
    await t.checkAnswer(...ints(-21, -22, -11, -12, 2, 12, 20, 21, 22));
    await t.stopStream();
    await t.startStream();
    await t.checkAnswer(...ints(-21, -22, -11, -12, 2, 12, 20, 21, 22)); // Should get the data back on recovery
    await t.stopStream();
    await t.addKafkaData([topic], [30, 31, 32]); // Add data when stream is stopped
    await t.startStream();
    await t.checkAnswer(...ints(-21, -22, -11, -12, 2, 12, 20, 21, 22, 30, 31, 32)); // Should get the added data
    // AssertOnQuery("Add partitions")
    if (addPartitions) await utils.addPartitions(topic, 10);
    await t.addKafkaData([topic], [40, 41, 42, 43, 44], true);
    await t.checkAnswer(...ints(-21, -22, -11, -12, 2, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42, 43, 44));
    await t.stopStream();
  }

  async function testFromGlobalTimestamp(ctx: Ctx, topic: string, failOnDataLoss: boolean, addPartitions: boolean, options: Readonly<Record<string, string>>): Promise<void> {
    const { utils, testStream } = ctx;
    await utils.createTopic(topic, 5);
    const firstTimestamp = Date.now() - 5000;
    const secondTimestamp = firstTimestamp + 1000;
    await setupTestMessagesForTestOnTimestampOffsets(utils, topic, firstTimestamp, secondTimestamp);
    // here we should add records in partition 4 which match with second timestamp
    // as the query will break if there's no matching records
    await sendMessagesWithTimestamp(utils, topic, strings([23, 24]), 4, secondTimestamp);
    expect(Object.keys((await utils.getLatestOffsets([topic]))[topic] ?? {})).toHaveLength(5);

    // we intentionally starts from second timestamp for all partitions
    // via setting global partition
    const t = testStream(setupDataFrameForTestOnGlobalTimestamp(secondTimestamp, failOnDataLoss, options));
    await t.startStream();
    await t.processAllAvailable();
    // wait to reach the last offset in every partition
    await t.processAllAvailable();
    await t.checkAnswer(...ints(-21, -22, -11, -12, 2, 12, 23, 24));
    await t.stopStream();
    await t.startStream();
    await t.checkAnswer(...ints(-21, -22, -11, -12, 2, 12, 23, 24)); // Should get the data back on recovery
    await t.stopStream();
    await t.addKafkaData([topic], [30, 31, 32]); // Add data when stream is stopped
    await t.startStream();
    await t.checkAnswer(...ints(-21, -22, -11, -12, 2, 12, 23, 24, 30, 31, 32)); // Should get the added data
    // AssertOnQuery("Add partitions")
    if (addPartitions) await utils.addPartitions(topic, 10);
    await t.addKafkaData([topic], [40, 41, 42, 43, 44], true);
    await t.checkAnswer(...ints(-21, -22, -11, -12, 2, 12, 23, 24, 30, 31, 32, 40, 41, 42, 43, 44));
    await t.stopStream();
  }

  for (const failOnDataLoss of [true, false]) {
    it.concurrent(`KafkaMicroBatchSourceSuite: assign from latest offsets (failOnDataLoss: ${failOnDataLoss})`, () => withKafka(async (ctx) => {
      const topic = ctx.newTopic();
      await testFromLatestOffsets(ctx, topic, false, failOnDataLoss, { assign: assignString(topic, to(0, 4)) });
    }));

    it.concurrent(`KafkaMicroBatchSourceSuite: assign from earliest offsets (failOnDataLoss: ${failOnDataLoss})`, () => withKafka(async (ctx) => {
      const topic = ctx.newTopic();
      await testFromEarliestOffsets(ctx, topic, false, failOnDataLoss, { assign: assignString(topic, to(0, 4)) });
    }));

    it.concurrent(`KafkaMicroBatchSourceSuite: assign from specific offsets (failOnDataLoss: ${failOnDataLoss})`, () => withKafka(async (ctx) => {
      const topic = ctx.newTopic();
      await testFromSpecificOffsets(ctx, topic, failOnDataLoss, { assign: assignString(topic, to(0, 4)) });
    }));

    it.concurrent(`KafkaMicroBatchSourceSuite: assign from specific timestamps (failOnDataLoss: ${failOnDataLoss})`, () => withKafka(async (ctx) => {
      const topic = ctx.newTopic();
      await testFromSpecificTimestamps(ctx, topic, failOnDataLoss, false, { assign: assignString(topic, to(0, 4)) });
    }));

    it.concurrent(`KafkaMicroBatchSourceSuite: assign from global timestamp per topic (failOnDataLoss: ${failOnDataLoss})`, () => withKafka(async (ctx) => {
      const topic = ctx.newTopic();
      await testFromGlobalTimestamp(ctx, topic, failOnDataLoss, false, { assign: assignString(topic, to(0, 4)) });
    }));

    it.concurrent(`KafkaMicroBatchSourceSuite: subscribing topic by name from latest offsets (failOnDataLoss: ${failOnDataLoss})`, () => withKafka(async (ctx) => {
      const topic = ctx.newTopic();
      await testFromLatestOffsets(ctx, topic, true, failOnDataLoss, { subscribe: topic });
    }));

    it.concurrent(`KafkaMicroBatchSourceSuite: subscribing topic by name from earliest offsets (failOnDataLoss: ${failOnDataLoss})`, () => withKafka(async (ctx) => {
      const topic = ctx.newTopic();
      await testFromEarliestOffsets(ctx, topic, true, failOnDataLoss, { subscribe: topic });
    }));

    it.concurrent(`KafkaMicroBatchSourceSuite: subscribing topic by name from specific offsets (failOnDataLoss: ${failOnDataLoss})`, () => withKafka(async (ctx) => {
      const topic = ctx.newTopic();
      await testFromSpecificOffsets(ctx, topic, failOnDataLoss, { subscribe: topic });
    }));

    it.concurrent(`KafkaMicroBatchSourceSuite: subscribing topic by name from specific timestamps (failOnDataLoss: ${failOnDataLoss})`, () => withKafka(async (ctx) => {
      const topic = ctx.newTopic();
      await testFromSpecificTimestamps(ctx, topic, failOnDataLoss, true, { subscribe: topic });
    }));

    it.concurrent(`KafkaMicroBatchSourceSuite: subscribing topic by name from global timestamp per topic (failOnDataLoss: ${failOnDataLoss})`, () => withKafka(async (ctx) => {
      const topic = ctx.newTopic();
      await testFromGlobalTimestamp(ctx, topic, failOnDataLoss, true, { subscribe: topic });
    }));

    it.concurrent(`KafkaMicroBatchSourceSuite: subscribing topic by pattern from latest offsets (failOnDataLoss: ${failOnDataLoss})`, () => withKafka(async (ctx) => {
      const topicPrefix = ctx.newTopic();
      const topic = `${topicPrefix}-suffix`;
      await testFromLatestOffsets(ctx, topic, true, failOnDataLoss, { subscribePattern: `${topicPrefix}-.*` });
    }));

    it.concurrent(`KafkaMicroBatchSourceSuite: subscribing topic by pattern from earliest offsets (failOnDataLoss: ${failOnDataLoss})`, () => withKafka(async (ctx) => {
      const topicPrefix = ctx.newTopic();
      const topic = `${topicPrefix}-suffix`;
      await testFromEarliestOffsets(ctx, topic, true, failOnDataLoss, { subscribePattern: `${topicPrefix}-.*` });
    }));

    it.concurrent(`KafkaMicroBatchSourceSuite: subscribing topic by pattern from specific offsets (failOnDataLoss: ${failOnDataLoss})`, () => withKafka(async (ctx) => {
      const topicPrefix = ctx.newTopic();
      const topic = `${topicPrefix}-suffix`;
      await testFromSpecificOffsets(ctx, topic, failOnDataLoss, { subscribePattern: `${topicPrefix}-.*` });
    }));

    it.concurrent(`KafkaMicroBatchSourceSuite: subscribing topic by pattern from specific timestamps (failOnDataLoss: ${failOnDataLoss})`, () => withKafka(async (ctx) => {
      const topicPrefix = ctx.newTopic();
      const topic = `${topicPrefix}-suffix`;
      await testFromSpecificTimestamps(ctx, topic, failOnDataLoss, true, { subscribePattern: `${topicPrefix}-.*` });
    }));

    it.concurrent(`KafkaMicroBatchSourceSuite: subscribing topic by pattern from global timestamp per topic (failOnDataLoss: ${failOnDataLoss})`, () => withKafka(async (ctx) => {
      const topicPrefix = ctx.newTopic();
      const topic = `${topicPrefix}-suffix`;
      await testFromGlobalTimestamp(ctx, topic, failOnDataLoss, true, { subscribePattern: `${topicPrefix}-.*` });
    }));
  }

  /** Spark's assertQueryFailOnStartOffsetStrategyAsError: `intercept[Exception] { testStream(df)(makeSureGetOffsetCalled) }`. */
  async function assertQueryFailOnStartOffsetStrategyAsError(ctx: Ctx, df: DataFrame): Promise<void> {
    const t = ctx.testStream(df);
    const e = await intercept(async () => {
      await t.startStream();
      await t.processAllAvailable();
    });
    expect(e).toBeInstanceOf(Error);
    await t.stopStream();
  }

  /** After the strategy `latest`: the records of partitions 0 to 3 after the second timestamp, then partition 4's new ones. */
  async function checkLatestStrategy(ctx: Ctx, topic: string, df: DataFrame, secondTimestamp: number): Promise<void> {
    const t = ctx.testStream(df);
    await t.startStream();
    await t.processAllAvailable();
    // wait to reach the last offset in every partition
    await t.processAllAvailable();
    await t.checkAnswer(...ints(-21, -22, -11, -12, 2, 12));
    await sendMessagesWithTimestamp(ctx.utils, topic, strings([23, 24, 25]), 4, secondTimestamp);
    // wait to reach the new last offset in every partition
    await t.processAllAvailable();
    await t.checkNewAnswer(...ints(23, 24, 25));
  }

  async function testFromSpecificTimestampsWithNoMatchingStartingOffset(ctx: Ctx, topic: string, options: Readonly<Record<string, string>>): Promise<void> {
    await ctx.utils.createTopic(topic, 5);
    const firstTimestamp = Date.now() - 5000;
    const secondTimestamp = firstTimestamp + 1000;
    await setupTestMessagesForTestOnTimestampOffsets(ctx.utils, topic, firstTimestamp, secondTimestamp);
    // no data after second timestamp for partition 4
    expect(Object.keys((await ctx.utils.getLatestOffsets([topic]))[topic] ?? {})).toHaveLength(5);

    // here we starts from second timestamp for all partitions, whereas we know there's
    // no data in partition 4 matching second timestamp
    const startingTimestamps = partitionTimestamps(topic, to(0, 4).map((p): [number, number] => [p, secondTimestamp]));
    await assertQueryFailOnStartOffsetStrategyAsError(ctx, setupDataFrameForTestOnTimestampOffsets(startingTimestamps, true, options));
    await assertQueryFailOnStartOffsetStrategyAsError(ctx,
      setupDataFrameForTestOnTimestampOffsets(startingTimestamps, true, { ...options, startingoffsetsbytimestampstrategy: 'error' }));
    await checkLatestStrategy(ctx, topic,
      setupDataFrameForTestOnTimestampOffsets(startingTimestamps, true, { ...options, startingoffsetsbytimestampstrategy: 'latest' }), secondTimestamp);
  }

  async function testFromGlobalTimestampWithNoMatchingStartingOffset(ctx: Ctx, topic: string, options: Readonly<Record<string, string>>): Promise<void> {
    await ctx.utils.createTopic(topic, 5);
    const firstTimestamp = Date.now() - 5000;
    const secondTimestamp = firstTimestamp + 1000;
    await setupTestMessagesForTestOnTimestampOffsets(ctx.utils, topic, firstTimestamp, secondTimestamp);
    expect(Object.keys((await ctx.utils.getLatestOffsets([topic]))[topic] ?? {})).toHaveLength(5);

    // here we starts from second timestamp for all partitions, whereas we know there's
    // no data in partition 4 matching second timestamp
    await assertQueryFailOnStartOffsetStrategyAsError(ctx, setupDataFrameForTestOnGlobalTimestamp(secondTimestamp, true, options));
    await assertQueryFailOnStartOffsetStrategyAsError(ctx,
      setupDataFrameForTestOnGlobalTimestamp(secondTimestamp, true, { ...options, startingoffsetsbytimestampstrategy: 'error' }));
    await checkLatestStrategy(ctx, topic,
      setupDataFrameForTestOnGlobalTimestamp(secondTimestamp, true, { ...options, startingoffsetsbytimestampstrategy: 'latest' }), secondTimestamp);
  }

  it.concurrent('KafkaMicroBatchSourceSuite: subscribing topic by name from specific timestamps with non-matching starting offset', () => withKafka(async (ctx) => {
    const topic = ctx.newTopic();
    await testFromSpecificTimestampsWithNoMatchingStartingOffset(ctx, topic, { subscribe: topic });
  }));

  it.concurrent('KafkaMicroBatchSourceSuite: subscribing topic by name from global timestamp per topic with non-matching starting offset', () => withKafka(async (ctx) => {
    const topic = ctx.newTopic();
    await testFromGlobalTimestampWithNoMatchingStartingOffset(ctx, topic, { subscribe: topic });
  }));

  it.concurrent('KafkaMicroBatchSourceSuite: subscribing topic by pattern from specific timestamps with non-matching starting offset', () => withKafka(async (ctx) => {
    const topicPrefix = ctx.newTopic();
    const topic = `${topicPrefix}-suffix`;
    await testFromSpecificTimestampsWithNoMatchingStartingOffset(ctx, topic, { subscribePattern: `${topicPrefix}-.*` });
  }));

  it.concurrent('KafkaMicroBatchSourceSuite: subscribing topic by pattern from global timestamp per topic with non-matching starting offset', () => withKafka(async (ctx) => {
    const topicPrefix = ctx.newTopic();
    const topic = `${topicPrefix}-suffix`;
    await testFromGlobalTimestampWithNoMatchingStartingOffset(ctx, topic, { subscribePattern: `${topicPrefix}-.*` });
  }));

  it.concurrent('KafkaMicroBatchSourceSuite: SPARK-53560: no crash looping during uncommitted batch retry in AvailableNow trigger', () => withKafka(async ({ utils, newTopic, testStream }) => {
    const topic = newTopic();
    await utils.createTopic(topic, 1);
    await utils.sendMessages(topic, strings(to(1, 7)), 0);
    // udfFailOn7 (a Scala function that throws "error for 7") as an expression failing the
    // same way: an ANSI cast of the text 'error for 7'.
    const kafka = kafkaReader(spark, { 'kafka.bootstrap.servers': brokers, subscribe: topic, startingOffsets: 'earliest' })
      .selectExpr('CAST(CAST(value AS STRING) AS INT) AS value')
      .selectExpr("CAST(CASE WHEN value = 7 THEN 'error for 7' ELSE CAST(value AS STRING) END AS INT) AS value");
    const dir = `test-${randomUUID()}`;
    const t = testStream(kafka);
    await t.startStream({ trigger: { availableNow: true }, checkpointLocation: dir });
    let e = await t.expectFailure();
    expect(e.message).toContain('error for 7');
    await utils.addPartitions(topic, 2);
    await t.startStream({ trigger: { availableNow: true }, checkpointLocation: dir });
    // Getting this error means the query has passed the planning stage, so
    // verifyEndOffsetForTriggerAvailableNow succeeds.
    e = await t.expectFailure();
    expect(e.message).toContain('error for 7');
  }));

  it.concurrent('KafkaMicroBatchSourceSuite: bad source options', async () => {
    const testBadOptions = async (options: Readonly<Record<string, string>>, ...expectedMsgs: string[]): Promise<void> => {
      const ex = await intercept(() => {
        let reader = spark.readStream.format('kafka');
        for (const [k, v] of Object.entries(options)) reader = reader.option(k, v);
        reader.load();
      });
      expect(ex).toBeInstanceOf(IllegalArgumentError);
      for (const m of expectedMsgs) expect(ex.message.toLowerCase()).toContain(m.toLowerCase());
    };

    // Specifying an ending offset
    await testBadOptions({ endingOffsets: 'latest' }, 'Ending offset not valid in streaming queries');
    await testBadOptions({ subscribe: 't', endingOffsetsByTimestamp: '{"t": {"0": 1000}}' }, 'Ending timestamp not valid in streaming queries');
    // No strategy specified
    await testBadOptions({}, 'options must be specified', 'subscribe', 'subscribePattern');
    // Multiple strategies specified
    await testBadOptions({ subscribe: 't', subscribePattern: 't.*' }, 'only one', 'options can be specified');
    await testBadOptions({ subscribe: 't', assign: '{"a":[0]}' }, 'only one', 'options can be specified');
    await testBadOptions({ assign: '' }, 'no topicpartitions to assign');
    await testBadOptions({ subscribe: '' }, 'no topics to subscribe');
    await testBadOptions({ subscribePattern: '' }, 'pattern to subscribe is empty');
    await testBadOptions(
      { 'kafka.bootstrap.servers': 'fake', subscribe: 't', minOffsetsPerTrigger: '20', maxOffsetsPerTrigger: '15' },
      'value of minOffsetPerTrigger(20) is higher than the maxOffsetsPerTrigger(15)',
    );
  });

  it.concurrent('KafkaMicroBatchSourceSuite: unsupported kafka configs', async () => {
    const testUnsupportedConfig = async (key: string, value = 'someValue'): Promise<void> => {
      const ex = await intercept(() => spark.readStream.format('kafka')
        .option('subscribe', 'topic').option('kafka.bootstrap.servers', 'somehost').option(key, value).load());
      expect(ex).toBeInstanceOf(IllegalArgumentError);
      expect(ex.message.toLowerCase()).toContain('not supported');
    };
    await testUnsupportedConfig('kafka.auto.offset.reset');
    await testUnsupportedConfig('kafka.enable.auto.commit');
    await testUnsupportedConfig('kafka.interceptor.classes');
    await testUnsupportedConfig('kafka.key.deserializer');
    await testUnsupportedConfig('kafka.value.deserializer');

    await testUnsupportedConfig('kafka.auto.offset.reset', 'none');
    await testUnsupportedConfig('kafka.auto.offset.reset', 'someValue');
    await testUnsupportedConfig('kafka.auto.offset.reset', 'earliest');
    await testUnsupportedConfig('kafka.auto.offset.reset', 'latest');
  });

  it.concurrent('KafkaMicroBatchSourceSuite: get offsets from case insensitive parameters', async () => {
    const STARTING_OFFSETS_OPTION_KEY = 'startingoffsets';
    const ENDING_OFFSETS_OPTION_KEY = 'endingoffsets';
    const cases: Array<[string, string, KafkaOffsetRangeLimit]> = [
      [STARTING_OFFSETS_OPTION_KEY, 'earLiEst', EarliestOffsetRangeLimit],
      [ENDING_OFFSETS_OPTION_KEY, 'laTest', LatestOffsetRangeLimit],
      [STARTING_OFFSETS_OPTION_KEY, '{"topic-A":{"0":23}}', { kind: 'specificOffsets', partitionOffsets: { 'topic-A': { 0: 23 } } }],
    ];
    for (const [optionKey, optionValue, answer] of cases) {
      const offset = kafkaOffsetRangeLimit(new CaseInsensitiveOptions({ [optionKey]: optionValue }), 'dummy', 'dummy', optionKey, answer);
      expect(offset).toEqual(answer);
    }
    for (const [optionKey, answer] of [[STARTING_OFFSETS_OPTION_KEY, EarliestOffsetRangeLimit], [ENDING_OFFSETS_OPTION_KEY, LatestOffsetRangeLimit]] as const) {
      const offset = kafkaOffsetRangeLimit(new CaseInsensitiveOptions({}), 'dummy', 'dummy', optionKey, answer);
      expect(offset).toEqual(answer);
    }
  });

  it.concurrent('KafkaMicroBatchSourceSuite: Kafka column types', () => withKafka(async ({ utils, newTopic, testStream }) => {
    const now = Date.now();
    const topic = newTopic();
    await utils.createTopic(newTopic(), 1);
    // Spark's test sends to a topic it did not create: the broker creates it on the first send.
    await utils.sendRecords([{ topic, value: '1', headers: { a: 'b', c: 'd' } }]);

    const kafka = kafkaReader(spark, {
      'kafka.bootstrap.servers': brokers, 'kafka.metadata.max.age.ms': '1', startingOffsets: 'earliest', subscribe: topic, includeHeaders: 'true',
    });
    const t = testStream(kafka);
    await t.startStream();
    await t.processAllAvailable();
    const rows = t.allBatches.flat();
    expect(rows).toHaveLength(1);
    const row = rows[0] ?? [];
    const field = (name: string): unknown => row[kafka.schema.findIndex((f) => f.name === name)];
    // binary is held as hex
    expect(field('key')).toBeNull();
    expect(field('value')).toBe(Buffer.from('1', 'utf8').toString('hex'));
    expect(field('topic')).toBe(topic);
    expect(field('partition')).toBe(0);
    expect(field('offset')).toBe(0);
    // We cannot check the exact timestamp as it's the time that messages were inserted by the
    // producer. So here we just use a low bound to make sure the internal conversion works.
    expect(Number(field('timestamp')) / 1000).toBeGreaterThanOrEqual(now);
    expect(field('timestampType')).toBe(0);

    // array<struct<key:string,value:binary>>
    const checkHeader = (expected: ReadonlyArray<readonly [string, string]>): void => {
      const headers = field('headers') as ReadonlyArray<readonly [string, string]>;
      expect(headers).toHaveLength(expected.length);
      expected.forEach(([key, value], idx) => {
        expect(headers[idx]?.[0]).toBe(key);
        expect(headers[idx]?.[1]).toBe(Buffer.from(value, 'utf8').toString('hex'));
      });
    };
    checkHeader([['a', 'b'], ['c', 'd']]);
    await t.stopStream();
  }));
});
