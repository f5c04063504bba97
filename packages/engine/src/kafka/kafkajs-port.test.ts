import { sendChunked } from './kafkajs-port.js';

type Sent = Array<{ topic: string; values: string[] }>;

async function chunks(batches: Array<{ topic: string; values: string[] }>): Promise<Sent[]> {
  const requests: Sent[] = [];
  await sendChunked(async ({ topicMessages }) => {
    requests.push(topicMessages.map((t) => ({ topic: t.topic, values: t.messages.map((m) => String(m.value)) })));
  }, batches.map(({ topic, values }) => ({ topic, records: values.map((value) => ({ value })) })));
  return requests;
}

describe('sendChunked', () => {
  it('sends several topics in one request when they fit, in order', async () => {
    expect(await chunks([{ topic: 'out', values: ['a', 'b'] }, { topic: 'markers', values: ['7'] }])).toEqual([
      [{ topic: 'out', values: ['a', 'b'] }, { topic: 'markers', values: ['7'] }],
    ]);
  });

  it('starts a new request at 10,000 records, across topics', async () => {
    const many = Array.from({ length: 9_999 }, (_, i) => String(i));
    const requests = await chunks([{ topic: 'out', values: many }, { topic: 'markers', values: ['x', 'y'] }]);
    expect(requests.map((r) => r.map((t) => [t.topic, t.values.length]))).toEqual([[['out', 9_999], ['markers', 1]], [['markers', 1]]]);
    expect(requests[1]?.[0]?.values).toEqual(['y']);
  });

  it('keeps a request under 512 KiB of keys and values, a larger record alone', async () => {
    const big = 'v'.repeat(300 * 1024);
    const requests = await chunks([{ topic: 'a', values: [big, big, 's'] }, { topic: 'b', values: ['t'.repeat(600 * 1024), 'u'] }]);
    expect(requests.map((r) => r.map((t) => [t.topic, t.values.length]))).toEqual([[['a', 1]], [['a', 2]], [['b', 1]], [['b', 1]]]);
  });

  it('sends nothing for no records', async () => {
    expect(await chunks([{ topic: 'a', values: [] }])).toEqual([]);
  });
});
