import { createRequire } from 'node:module';

interface Message { readonly key: string; readonly partition?: number }
interface Input {
  topic: string;
  partitionMetadata: Array<{ partitionId: number }>;
  messages: Message[];
  partitioner: (args: { topic: string; partitionMetadata: unknown[]; message: Message }) => number;
}
type Group = (input: Input) => Record<string, Message[]>;

const require = createRequire(import.meta.url);
const corrected = require('./kafkajs-group-messages.cjs') as Group;
// kafkajs' own, by its package path (Jest maps only the relative name kafkajs requires it by).
const original = require('kafkajs/src/producer/groupMessagesPerPartition.js') as Group;

describe('grouping a send by partition (kafkajs, in linear time)', () => {
  const partitioner: Input['partitioner'] = ({ message }) => message.partition ?? message.key.length % 3;
  const partitionMetadata = [{ partitionId: 0 }, { partitionId: 1 }, { partitionId: 2 }];

  it('gives what kafkajs gives: each partition its messages in order', () => {
    const messages: Message[] = Array.from({ length: 200 }, (_, i) => ({ key: 'k'.repeat(i % 7), ...(i % 5 === 0 ? { partition: 2 } : {}) }));
    const input = { topic: 't', partitionMetadata, messages, partitioner };
    expect(corrected(input)).toEqual(original(input));
  });

  it('gives nothing for a topic without partitions, as kafkajs does', () => {
    const input = { topic: 't', partitionMetadata: [], messages: [{ key: 'a' }], partitioner };
    expect(corrected(input)).toEqual(original(input));
  });

  it('takes a large send in one pass', () => {
    const messages: Message[] = Array.from({ length: 200_000 }, () => ({ key: 'k', partition: 0 }));
    expect(corrected({ topic: 't', partitionMetadata, messages, partitioner })['0']).toHaveLength(200_000);
  });
});
