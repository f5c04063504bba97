import { CaseInsensitiveOptions } from '../core/options.js';
import type { StreamingSourceNode } from '../plan/logical-plan.js';
import { IllegalArgumentError } from '../errors/illegal-argument-error.js';
import type { ConsumerOptions } from '../kafka/kafka-port.js';

/**
 * The options of Spark's Kafka source, checked as KafkaSourceProvider.validateStreamOptions
 * checks them when the DataFrame is defined (IllegalArgumentException, Spark's texts).
 */

/** In Spark's order (a Set of three keeps it): what the messages list. */
const STRATEGY_OPTION_KEYS = ['subscribe', 'subscribepattern', 'assign'] as const;

/** Scala's `String.toInt` / `toLong`: an optional sign and digits, else NumberFormatException. */
function toInteger(raw: string): number {
  if (!/^[+-]?\d+$/.test(raw)) throw new IllegalArgumentError(`For input string: "${raw}"`);
  return Number(raw);
}

export function validateKafkaStreamOptions(options: CaseInsensitiveOptions): void {
  if (options.has('endingOffsets')) throw new IllegalArgumentError('ending offset not valid in streaming queries');
  if (options.has('endingOffsetsByTimestamp')) throw new IllegalArgumentError('ending timestamp not valid in streaming queries');
  validateGeneralOptions(options);
}

function validateGeneralOptions(options: CaseInsensitiveOptions): void {
  const strategies = STRATEGY_OPTION_KEYS.filter((k) => options.has(k));
  if (strategies.length === 0) {
    throw new IllegalArgumentError(`One of the following options must be specified for Kafka source: ${STRATEGY_OPTION_KEYS.join(', ')}. See the docs for more details.`);
  }
  if (strategies.length > 1) {
    throw new IllegalArgumentError(`Only one of the following options can be specified for Kafka source: ${STRATEGY_OPTION_KEYS.join(', ')}. See the docs for more details.`);
  }
  const value = options.get(strategies[0] ?? '') ?? '';
  switch (strategies[0]) {
    case 'assign':
      if (!value.trim().startsWith('{')) throw new IllegalArgumentError(`No topicpartitions to assign as specified value for option 'assign' is '${value}'`);
      break;
    case 'subscribe':
      if (value.split(',').map((t) => t.trim()).filter((t) => t !== '').length === 0) {
        throw new IllegalArgumentError(`No topics to subscribe to as specified value for option 'subscribe' is '${value}'`);
      }
      break;
    default:
      if (value.trim() === '') throw new IllegalArgumentError(`Pattern to subscribe is empty as specified value for option 'subscribePattern' is '${value}'`);
  }
  const minPartitions = options.get('minPartitions');
  if (minPartitions !== undefined && toInteger(minPartitions) <= 0) throw new IllegalArgumentError('minPartitions must be positive');

  if (options.has('kafka.auto.offset.reset')) {
    throw new IllegalArgumentError(`
Kafka option 'auto.offset.reset' is not supported.
Instead set the source option 'startingoffsets' to 'earliest' or 'latest'
to specify where to start. Structured Streaming manages which offsets are consumed
internally, rather than relying on the kafkaConsumer to do it. This will ensure that no
data is missed when new topics/partitions are dynamically subscribed. Note that
'startingoffsets' only applies when a new Streaming query is started, and
that resuming will always pick up from where the query left off. See the docs for more
details.
         `);
  }
  if (options.has('kafka.key.deserializer')) {
    throw new IllegalArgumentError("Kafka option 'key.deserializer' is not supported as keys are deserialized as byte arrays with ByteArrayDeserializer. Use DataFrame operations to explicitly deserialize the keys.");
  }
  if (options.has('kafka.value.deserializer')) {
    throw new IllegalArgumentError("Kafka option 'value.deserializer' is not supported as values are deserialized as byte arrays with ByteArrayDeserializer. Use DataFrame operations to explicitly deserialize the values.");
  }
  for (const c of ['enable.auto.commit', 'interceptor.classes']) {
    if (options.has(`kafka.${c}`)) throw new IllegalArgumentError(`Kafka option '${c}' is not supported`);
  }
  if (!options.has('kafka.bootstrap.servers')) {
    throw new IllegalArgumentError("Option 'kafka.bootstrap.servers' must be specified for configuring Kafka consumer");
  }
  const min = options.get('minOffsetsPerTrigger');
  const max = options.get('maxOffsetsPerTrigger');
  if (min !== undefined && max !== undefined) {
    const minOffsets = toInteger(min.trim());
    const maxOffsets = toInteger(max.trim());
    if (minOffsets > maxOffsets) {
      throw new IllegalArgumentError(`The value of minOffsetPerTrigger(${minOffsets}) is higher than the maxOffsetsPerTrigger(${maxOffsets}).`);
    }
  }
}

/**
 * The fetch wait of a source consumer whose partitions back-pressure pauses. kafkajs sleeps this
 * long whenever every partition it reads is paused, so the records of the next batch start to
 * come at most this long after the batch that resumes them is planned: at 100 ms, half of a
 * backlog run went in that sleep (bench/spark-ab.bench.ts workload B, 500,000 rows in batches of
 * 10,000: 6.8 s → 3.0 s). An idle consumer asks the broker this often.
 */
export const BACK_PRESSURE_FETCH_WAIT_MS = 20;

/**
 * How the one consumer of a query reads its Kafka sources: Spark hands `kafka.*` options to
 * its consumers, so `kafka.metadata.max.age.ms` (how soon new partitions are seen) and
 * `kafka.isolation.level` come from there; Kafka's consumer reads uncommitted records unless
 * told read_committed. Sources that disagree get the stricter reading.
 */
export function kafkaConsumerOptions(sources: readonly StreamingSourceNode[]): Omit<ConsumerOptions, 'groupId'> {
  const kafka = sources.filter((s) => s.format === 'kafka').map((s) => new CaseInsensitiveOptions(s.options));
  if (kafka.length === 0) return {};
  const readCommitted = kafka.some((o) => (o.get('kafka.isolation.level') ?? '').trim().toLowerCase() === 'read_committed');
  const ages = kafka.map((o) => o.get('kafka.metadata.max.age.ms')).filter((v): v is string => v !== undefined).map((v) => toInteger(v.trim()));
  return {
    readUncommitted: !readCommitted,
    ...(ages.length === 0 ? {} : { metadataMaxAgeMs: Math.max(1, Math.min(...ages)) }),
  };
}

/**
 * The consumer group of the query's consumer (Spark: its executors' group.id): `kafka.group.id`
 * as given, else `groupIdPrefix` and a part of this run's own (Spark adds a UUID), else
 * `ownGroup`. Positions never come from the group, so any name works; a group the user named
 * is theirs, not removed when the query stops. With several Kafka sources, the first that
 * names one decides.
 */
export function kafkaConsumerGroup(sources: readonly StreamingSourceNode[], ownGroup: string, runId: string): { readonly groupId: string; readonly owned: boolean } {
  for (const s of sources) {
    if (s.format !== 'kafka') continue;
    const o = new CaseInsensitiveOptions(s.options);
    const groupId = o.get('kafka.group.id');
    if (groupId !== undefined) return { groupId, owned: false };
    const prefix = o.get('groupIdPrefix');
    if (prefix !== undefined) return { groupId: `${prefix}-${runId}`, owned: true };
  }
  return { groupId: ownGroup, owned: true };
}
