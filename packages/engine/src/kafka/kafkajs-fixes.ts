import { createRequire } from 'node:module';

/**
 * Corrections to kafkajs (pinned at 2.2.4) that its public API cannot reach: corrected internal
 * modules are put in kafkajs' place in the module cache before kafkajs loads them (under Jest,
 * whose registry is its own, the root jest.config.js maps them). Import this module before
 * 'kafkajs' (kafkajs-port.ts does). Whatever the loader, it then checks that kafkajs' consumer
 * filters as corrected, and throws if not: a consumer that reads aborted records must not start.
 *
 * - Its read_committed consumer handed out records of aborted transactions when two
 *   transactions of one partition overlapped (kafkajs-aborted-filter.cjs): a fenced task's
 *   aborted output read as committed, rows counted twice.
 * - Its producer grouped a send's messages by partition in quadratic time
 *   (kafkajs-group-messages.cjs), encoded each record through 512-byte zero-filled buffers
 *   (kafkajs-record.cjs) and each varint through a new Buffer (kafkajs-encoder-varints.cjs), and
 *   built each produce request through an object spread, a string sort and four copies of
 *   every record (kafkajs-produce-request.cjs).
 * - Its consumer decoded each record's offset and timestamp through 64-bit Long objects and
 *   strings (kafkajs-record-decoder.cjs), each in a Buffer and a Decoder of its own
 *   (kafkajs-record-batch-decoder.cjs).
 * - Its transactional producer left CONCURRENT_TRANSACTIONS, which the coordinator answers for
 *   a few milliseconds after each commit, to its general retry 100 ms and more later
 *   (kafkajs-txn-retry.cjs retries it within milliseconds, as Kafka's own producer does).
 * - Its consumer, once every partition it reads is paused, sleeps a whole fetch wait before it
 *   looks again, so a resumed partition's records came up to that late (kafkajs-sleep.cjs lets
 *   a resume end the sleep: wakePausedConsumers).
 */
const REPLACEMENTS: ReadonlyArray<{ readonly original: string; readonly corrected: string; readonly requiredBy: string }> = [
  { original: 'kafkajs/src/consumer/filterAbortedMessages.js', corrected: './kafkajs-aborted-filter.cjs', requiredBy: 'kafkajs/src/consumer/batch.js' },
  { original: 'kafkajs/src/producer/groupMessagesPerPartition.js', corrected: './kafkajs-group-messages.cjs', requiredBy: 'kafkajs/src/producer/sendMessages.js' },
  { original: 'kafkajs/src/protocol/recordBatch/record/v0/index.js', corrected: './kafkajs-record.cjs', requiredBy: 'kafkajs/src/protocol/requests/produce/v3/request.js' },
  { original: 'kafkajs/src/protocol/recordBatch/record/v0/decoder.js', corrected: './kafkajs-record-decoder.cjs', requiredBy: 'kafkajs/src/protocol/recordBatch/v0/decoder.js' },
  { original: 'kafkajs/src/protocol/recordBatch/v0/decoder.js', corrected: './kafkajs-record-batch-decoder.cjs', requiredBy: 'kafkajs/src/protocol/requests/fetch/v4/decodeMessages.js' },
  { original: 'kafkajs/src/utils/sleep.js', corrected: './kafkajs-sleep.cjs', requiredBy: 'kafkajs/src/consumer/consumerGroup.js' },
];

const require = createRequire(import.meta.url);

/** Ends the sleep of every consumer whose partitions were all paused: call after a resume. */
export const wakePausedConsumers = (require('./kafkajs-sleep.cjs') as { wake: () => void }).wake;
for (const { original, corrected, requiredBy } of REPLACEMENTS) {
  // Too late once the module that requires it has loaded (the probe below then says so).
  if (require.cache[require.resolve(requiredBy)] !== undefined) continue;
  const path = require.resolve(original);
  require(path);
  const loaded = require.cache[path];
  if (loaded !== undefined) loaded.exports = require(corrected) as unknown;
}
// Methods, not modules: every loader's Encoder class and produce protocol get them, whenever they loaded.
(require('./kafkajs-encoder-varints.cjs') as (encoder: unknown) => void)(require('kafkajs/src/protocol/encoder.js'));
(require('./kafkajs-produce-request.cjs') as { correctProduceProtocol: (produce: unknown) => void })
  .correctProduceProtocol(require('kafkajs/src/protocol/requests/produce/index.js'));
(require('./kafkajs-txn-retry.cjs') as { correctTxnRetries: (broker: unknown) => void })
  .correctTxnRetries(require('kafkajs/src/broker/index.js'));
assertReadCommittedCorrected(require(require.resolve('kafkajs/src/consumer/batch.js')) as BatchClass);

interface ProbeMessage {
  readonly offset: string;
  readonly key: Buffer;
  readonly isControlRecord: boolean;
  readonly batchContext: { readonly producerId: string; readonly inTransaction: boolean };
}
type BatchClass = new (topic: string, fetchedOffset: string, partitionData: {
  partition: number; highWatermark: string; messages: ProbeMessage[]; abortedTransactions: Array<{ producerId: string; firstOffset: string }>;
}) => { messages: unknown[] };

/** Two overlapping transactions, aborted in the other order: kafkajs 2.2.4 handed out the first record. */
function assertReadCommittedCorrected(Batch: BatchClass): void {
  const record = (offset: string, producerId: string): ProbeMessage => ({ offset, key: Buffer.from('k'), isControlRecord: false, batchContext: { producerId, inTransaction: true } });
  const batch = new Batch('probe', '0', {
    partition: 0, highWatermark: '2', messages: [record('0', '7'), record('1', '8')],
    abortedTransactions: [{ producerId: '8', firstOffset: '1' }, { producerId: '7', firstOffset: '0' }],
  });
  if (batch.messages.length > 0) {
    throw new Error("kafkajs was loaded before sluice, which must correct it first (kafkajs 2.2.4's read_committed consumer hands out records of aborted transactions): import 'sluice' before 'kafkajs'");
  }
}
