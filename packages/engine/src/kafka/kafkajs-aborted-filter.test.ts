import { createRequire } from 'node:module';

interface Message {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly isControlRecord: boolean;
  readonly batchContext: { readonly producerId: string; readonly inTransaction: boolean };
}
type Filter = (input: { messages: Message[]; abortedTransactions?: Array<{ producerId: string; firstOffset: string }> }) => Message[];

const filter = createRequire(import.meta.url)('./kafkajs-aborted-filter.cjs') as Filter;

const record = (offset: number, producerId: string, inTransaction = true): Message => ({
  offset: String(offset), key: Buffer.from('k'), isControlRecord: false, batchContext: { producerId, inTransaction },
});
const marker = (offset: number, producerId: string, type: 'abort' | 'commit'): Message => ({
  offset: String(offset), key: Buffer.from([0, 0, 0, type === 'abort' ? 0 : 1]), isControlRecord: true, batchContext: { producerId, inTransaction: true },
});
const offsets = (messages: Message[]): number[] => messages.filter((m) => !m.isControlRecord).map((m) => Number(m.offset));

describe('read_committed filter (kafkajs, corrected)', () => {
  it('drops every record of overlapping aborted transactions, whatever order the broker lists them in', () => {
    // A: 0, 2 aborted at 5; B: 1, 3 aborted at 4; C: 6 committed at 7.
    const messages = [record(0, 'A'), record(1, 'B'), record(2, 'A'), record(3, 'B'), marker(4, 'B', 'abort'), marker(5, 'A', 'abort'), record(6, 'C'), marker(7, 'C', 'commit')];
    const byAbort = [{ producerId: 'B', firstOffset: '1' }, { producerId: 'A', firstOffset: '0' }];
    expect(offsets(filter({ messages, abortedTransactions: byAbort }))).toEqual([6]);
    expect(offsets(filter({ messages, abortedTransactions: [...byAbort].reverse() }))).toEqual([6]);
  });

  it('starts every aborted transaction that began before a fetch taken in its middle', () => {
    const messages = [record(10, 'A'), record(11, 'B'), marker(12, 'A', 'abort'), marker(13, 'B', 'abort')];
    expect(offsets(filter({ messages, abortedTransactions: [{ producerId: 'A', firstOffset: '3' }, { producerId: 'B', firstOffset: '4' }] }))).toEqual([]);
  });

  it('keeps a producer\'s committed transaction after its aborted one, and records outside transactions', () => {
    const messages = [record(0, 'A'), marker(1, 'A', 'abort'), record(2, 'A'), marker(3, 'A', 'commit'), record(4, 'X', false)];
    expect(offsets(filter({ messages, abortedTransactions: [{ producerId: 'A', firstOffset: '0' }] }))).toEqual([2, 4]);
  });

  it('passes everything when the fetch lists no aborted transaction', () => {
    const messages = [record(0, 'A'), record(1, 'B')];
    expect(filter({ messages, abortedTransactions: [] })).toBe(messages);
  });
});
