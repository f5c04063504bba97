import type { SourceOffsets } from '../../checkpoint/offset-log.js';
import { CaseInsensitiveOptions } from '../../core/options.js';
import { SourceError } from '../../errors/source-error.js';
import type { KafkaAdmin, TopicPartitionOffset } from '../../kafka/kafka-port.js';
import type { StreamingSourceNode } from '../../plan/logical-plan.js';

/**
 * The Kafka topics (and partitions) one source reads: the query's own source topic, or for a
 * `kafka` source what `subscribe`, `subscribePattern` or `assign` names. Offsets are keyed by
 * partition for a single topic, `topic:partition` for several.
 */
export class SourceTopicSet {
  constructor(
    readonly topics: readonly string[],
    private readonly assigned: ReadonlyMap<string, ReadonlySet<number>> | null,
  ) {}

  key(topic: string, partition: number): string {
    return this.topics.length === 1 ? String(partition) : `${topic}:${partition}`;
  }

  accepts(topic: string, partition: number): boolean {
    if (!this.topics.includes(topic)) return false;
    return this.assigned === null || this.assigned.get(topic)?.has(partition) === true;
  }

  /** The end offsets (high watermarks) of every partition read, keyed. */
  async endOffsets(admin: KafkaAdmin): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const topic of this.topics) {
      for (const p of await admin.endOffsets(topic)) if (this.accepts(topic, p.partition)) out[this.key(topic, p.partition)] = p.offset;
    }
    return out;
  }

  /** Where to start reading every partition: the committed end, else 0. */
  async positions(admin: KafkaAdmin, committed: SourceOffsets): Promise<TopicPartitionOffset[]> {
    const out: TopicPartitionOffset[] = [];
    for (const topic of this.topics) {
      for (const p of await admin.endOffsets(topic)) {
        if (this.accepts(topic, p.partition)) out.push({ topic, partition: p.partition, offset: committed[this.key(topic, p.partition)] ?? 0 });
      }
    }
    return out;
  }
}

/**
 * Resolves which topics a source reads (a pattern is matched against the topics that exist at
 * start); the query's own topic and subscribed topics are created when missing.
 */
export async function resolveSourceTopics(source: StreamingSourceNode, ownTopic: string, admin: KafkaAdmin): Promise<SourceTopicSet> {
  if (source.format !== 'kafka') {
    await admin.ensureTopic(ownTopic, 1);
    return new SourceTopicSet([ownTopic], null);
  }
  const options = new CaseInsensitiveOptions(source.options);
  const subscribe = options.get('subscribe');
  const pattern = options.get('subscribePattern');
  const assign = options.get('assign');
  if ([subscribe, pattern, assign].filter((x) => x !== undefined).length !== 1) {
    throw new SourceError('Only one of the following options can be specified for Kafka source: subscribe, subscribePattern, assign');
  }
  if (subscribe !== undefined) {
    const topics = subscribe.split(',').map((t) => t.trim()).filter(Boolean);
    for (const topic of topics) await admin.ensureTopic(topic, 1);
    return new SourceTopicSet(topics, null);
  }
  if (pattern !== undefined) {
    const re = new RegExp(`^(?:${pattern})$`);
    const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__') && re.test(t)).sort();
    if (topics.length === 0) throw new SourceError(`no topic matches subscribePattern '${pattern}'`);
    return new SourceTopicSet(topics, null);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(assign ?? '');
  } catch {
    throw new SourceError(`assign must be JSON such as {"topicA":[0,1]}, got '${assign ?? ''}'`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SourceError(`assign must be a JSON object of topic → partitions`);
  const map = new Map<string, Set<number>>();
  for (const [topic, parts] of Object.entries(parsed as Record<string, unknown>)) {
    if (!Array.isArray(parts)) throw new SourceError(`assign: partitions of ${topic} must be an array`);
    map.set(topic, new Set(parts.map(Number)));
  }
  return new SourceTopicSet([...map.keys()].sort(), map);
}
