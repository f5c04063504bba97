/**
 * Helpers for tests of Sluice and of Sluice programs: the console format, and direct access
 * to the Kafka port and Redis logs the runtime uses, for tests against real services.
 */
export { consoleBatch, showString } from '../console/show-string.js';
export { KafkajsPort } from '../kafka/kafkajs-port.js';
export { consumersOnThread } from '../kafka/threaded-consumer.js';
export type { KafkaPort, KafkaAdmin, KafkaProducer, KafkaConsumer, ConsumedBatch, ConsumedRecord } from '../kafka/kafka-port.js';
export type { KafkaSecurity } from '../kafka/kafka-security.js';
export { readRange } from '../kafka/read-range.js';
export { connectRedis, type RedisClient } from '../state/redis-connection.js';
export { checkpointKeys, checkpointPrefix, CHECKPOINT_LAYOUT, legacyCheckpointKeys } from '../state/keys.js';
export { prepareCheckpointLayout } from '../checkpoint/checkpoint-layout.js';
export { deleteKeys, scanKeys } from '../state/redis-scan.js';
export { OffsetLog, type OffsetLogEntry } from '../checkpoint/offset-log.js';
export { CommitLog, type CommitLogEntry } from '../checkpoint/commit-log.js';
export type { MetadataLog } from '../checkpoint/metadata-log.js';
export { PlanRunner } from './plan-runner.js';
export { StreamTest } from './stream-test.js';
export { metricNames } from '../observability/metric-names.js';
export { ensureLocalStack, type LocalStack } from '../runtime/local-stack.js';
export { MemoryStream } from './memory-stream.js';
export { runConformanceCase, readConformanceCase, errorText, type ConformanceCase, type ConformanceResult } from './conformance-case.js';
// For the transcribed FileStreamSourceSuite (test/file-stream-source-suite.test.ts): the file source and how batches read it.
export { CaseInsensitiveOptions } from '../core/options.js';
export { maxFilesPerTrigger } from '../sources/file-stream-options.js';
export { systemClock } from '../core/clock.js';
export { streamingSources } from '../plan/logical-plan.js';
export { FileDropIngest, HEADER_FILE } from '../runtime/ingest/file-drop-ingest.js';
export { SourceBuffer } from '../runtime/processor/source-buffer.js';
export { readOffered } from '../runtime/source-offered.js';
export { decodeSourceRow } from '../runtime/source-records.js';
// For the transcribed KafkaMicroBatchSourceSuite (test/kafka-micro-batch-source-suite.test.ts):
// queries on a clock the test drives, the Kafka source's offset options and its metrics.
export { QueryManager } from '../runtime/query-manager.js';
export { kafkaSourceMetrics } from '../sources/kafka-source-metrics.js';
export type { Clock } from '../core/clock.js';
export {
  kafkaOffsetRangeLimit, EarliestOffsetRangeLimit, LatestOffsetRangeLimit, type KafkaOffsetRangeLimit,
} from '../sources/kafka-offset-range-limit.js';
