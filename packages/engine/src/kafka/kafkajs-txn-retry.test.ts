import { createRequire } from 'node:module';

type Method = (...args: unknown[]) => Promise<unknown>;
const require = createRequire(import.meta.url);
const { retrySoon, correctTxnRetries } = require('./kafkajs-txn-retry.cjs') as {
  retrySoon: (original: Method) => Method;
  correctTxnRetries: (broker: unknown) => void;
};

const concurrent = (): Error => Object.assign(new Error('The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing'), { type: 'CONCURRENT_TRANSACTIONS' });

describe("kafkajs' AddPartitionsToTxn retried soon on CONCURRENT_TRANSACTIONS", () => {
  it('asks again within milliseconds while the coordinator finishes the last transaction', async () => {
    let calls = 0;
    const method = retrySoon(async function (this: { id: string }, arg: unknown) {
      calls++;
      if (calls < 4) throw concurrent();
      return `${this.id}:${String(arg)}`;
    });
    // Answered by the method itself (after 2, 4 and 8 ms), not handed to kafkajs' retry.
    await expect(method.call({ id: 'broker' }, 'topics')).resolves.toBe('broker:topics');
    expect(calls).toBe(4);
  });

  it('passes any other failure on at once', async () => {
    let calls = 0;
    const method = retrySoon(async () => {
      calls++;
      throw Object.assign(new Error('fenced'), { type: 'INVALID_PRODUCER_EPOCH' });
    });
    await expect(method()).rejects.toThrow('fenced');
    expect(calls).toBe(1);
  });

  it('is put on kafkajs\' Broker once, for both requests that open a transaction\'s parts', () => {
    class Broker {
      async addPartitionsToTxn(): Promise<string> { return 'p'; }
      async addOffsetsToTxn(): Promise<string> { return 'o'; }
    }
    correctTxnRetries(Broker);
    const once = Broker.prototype.addPartitionsToTxn;
    correctTxnRetries(Broker);
    expect(Broker.prototype.addPartitionsToTxn).toBe(once);
    expect((once as unknown as { retriesSoon?: boolean }).retriesSoon).toBe(true);
    expect((Broker.prototype.addOffsetsToTxn as unknown as { retriesSoon?: boolean }).retriesSoon).toBe(true);
  });
});
