import { jest } from '@jest/globals';
import { createRequire } from 'node:module';

interface Message {
  key?: Buffer | string | null;
  value: Buffer | string | number | null;
  timestamp?: number | string;
  headers?: Record<string, string | Buffer | Array<string | Buffer>>;
}
interface RequestArgs {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  producerId?: number;
  producerEpoch?: number;
  compression?: number;
  topicData: Array<{ topic: string; partitions: Array<{ partition: number; firstSequence?: number; messages: Message[] }> }>;
}
type Request = (args: RequestArgs) => { apiVersion: number; encode: () => Promise<{ buffer: Buffer }> };
interface Protocol { protocol: (v: { version: number }) => (args: RequestArgs) => { request: { apiVersion: number; encode: () => Promise<{ buffer: Buffer }> } } }

const require = createRequire(import.meta.url);
const { produceRequest, correctProduceProtocol } = require('./kafkajs-produce-request.cjs') as {
  produceRequest: Request;
  correctProduceProtocol: (produce: Protocol) => void;
};
// kafkajs' own, by its package path (Jest maps only the relative names kafkajs requires it by).
const original = require('kafkajs/src/protocol/requests/produce/v3/request.js') as Request;

const bytes = async (request: Request, args: RequestArgs): Promise<Buffer> => (await request(args).encode()).buffer;

describe('produce request encoding (kafkajs, one buffer a request)', () => {
  const T = 1_764_000_000_000;
  const requests: Array<[string, RequestArgs]> = [
    ['transactional, null keys', {
      acks: -1, timeout: 30000, transactionalId: 'sluice-tx', producerId: 4242, producerEpoch: 3,
      topicData: [{ topic: 'out', partitions: [{ partition: 0, firstSequence: 17, messages: Array.from({ length: 300 }, (_, i) => ({ key: null, value: `XXXX${i}`, timestamp: T + i * 7 })) }] }],
    }],
    ['keys, Buffers, unicode, several topics and partitions, string timestamps', {
      acks: 1, timeout: 5000, transactionalId: null,
      topicData: [
        { topic: 'a', partitions: [
          { partition: 0, messages: [{ key: 'k', value: 'é€😀', timestamp: String(T) }, { key: Buffer.from([0, 1, 2]), value: null, timestamp: String(T - 5) }] },
          { partition: 3, messages: [{ value: Buffer.from('v'.repeat(1000)), timestamp: T + 1_700_000 }] },
        ] },
        { topic: 'b-é', partitions: [{ partition: 1, messages: [{ key: '', value: '', timestamp: T }] }] },
      ],
    }],
    ['records with headers among ones without', {
      acks: -1, timeout: 30000, transactionalId: 'tx',
      topicData: [{ topic: 'h', partitions: [{ partition: 0, messages: [
        { key: 'a', value: '1', timestamp: T },
        { key: 'b', value: '2', timestamp: T + 1, headers: { 'sluice-batch-id': '12', multi: ['a', Buffer.from('b')], empty: '' } },
        { key: 'c', value: '3', timestamp: T + 2, headers: {} },
      ] }] }],
    }],
    ['offsets and deltas past one varint byte', {
      acks: -1, timeout: 30000, transactionalId: 'tx',
      topicData: [{ topic: 'big', partitions: [{ partition: 0, messages: Array.from({ length: 20_000 }, (_, i) => ({ value: 'x'.repeat(i % 200), timestamp: T + i * 1_000_003 })) }] }],
    }],
  ];

  it.each(requests)('writes the bytes kafkajs writes (%s)', async (_, args) => {
    expect((await bytes(produceRequest, args)).equals(await bytes(original, args))).toBe(true);
  });

  it('writes the bytes kafkajs writes for records without a timestamp (now)', async () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(T);
    try {
      const args: RequestArgs = { acks: -1, timeout: 30000, transactionalId: 'tx', topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ value: 'a' }, { value: 'b', timestamp: T - 10 }] }] }] };
      expect((await bytes(produceRequest, args)).equals(await bytes(original, args))).toBe(true);
    } finally {
      now.mockRestore();
    }
  });

  it('leaves to kafkajs what it does not write itself (a number value), with kafkajs error', async () => {
    const args: RequestArgs = { acks: -1, timeout: 30000, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ value: 5, timestamp: T }] }] }] };
    const theirs = await bytes(original, args).catch((e: unknown) => e);
    expect((theirs as Error).name).toBe('TypeError');
    await expect(bytes(produceRequest, args)).rejects.toThrow((theirs as Error).message);
  });

  it('gives MaxTimestamp the greatest timestamp where kafkajs string sort did not', async () => {
    const args: RequestArgs = { acks: -1, timeout: 30000, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ value: 'a', timestamp: 900 }, { value: 'b', timestamp: 10_000 }] }] }] };
    const buf = await bytes(produceRequest, args);
    // transactional id (-1), acks, timeout, 1 topic, 't', 1 partition, partition, size, FirstOffset,
    // Length, PartitionLeaderEpoch, magic, CRC, attributes, LastOffsetDelta: then FirstTimestamp.
    const first = 2 + 2 + 4 + 4 + 3 + 4 + 4 + 4 + 8 + 4 + 4 + 1 + 4 + 2 + 4;
    expect(buf.readBigInt64BE(first)).toBe(900n);
    expect(buf.readBigInt64BE(first + 8)).toBe(10_000n);
  });

  it('stands behind the produce protocol under the version kafkajs chose', async () => {
    const produce = require('kafkajs/src/protocol/requests/produce/index.js') as Protocol;
    const kafkajs = produce.protocol;
    const copy: Protocol = { protocol: kafkajs };
    correctProduceProtocol(copy);
    correctProduceProtocol(copy);
    const args = requests[0]?.[1] as RequestArgs;
    for (const version of [3, 5, 7]) {
      const ours = copy.protocol({ version })(args).request;
      const theirs = kafkajs({ version })(args).request;
      expect(ours.apiVersion).toBe(version);
      expect((await ours.encode()).buffer.equals((await theirs.encode()).buffer)).toBe(true);
    }
  });
});
