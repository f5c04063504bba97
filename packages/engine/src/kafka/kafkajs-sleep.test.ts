import { createRequire } from 'node:module';
import { wakePausedConsumers } from './kafkajs-fixes.js';

type Sleep = ((ms: number) => Promise<void>) & { wake: () => void };

const require = createRequire(import.meta.url);
const sleep = require('./kafkajs-sleep.cjs') as Sleep;

/** Whether `p` has settled after the pending callbacks ran. */
async function settled(p: Promise<void>): Promise<boolean> {
  let done = false;
  void p.then(() => { done = true; });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe("kafkajs' sleep, with an early wake (the consumer's sleep while its partitions are paused)", () => {
  it('ends by itself after its time', async () => {
    const p = sleep(5);
    expect(await settled(p)).toBe(false);
    await p;
  });

  it('ends at once when woken, however long it had left', async () => {
    const p = sleep(60_000);
    expect(await settled(p)).toBe(false);
    wakePausedConsumers();
    expect(await settled(p)).toBe(true);
  });

  it('wakes every sleep in progress, and a later sleep sleeps again', async () => {
    const a = sleep(60_000);
    const b = sleep(60_000);
    sleep.wake();
    expect(await settled(a)).toBe(true);
    expect(await settled(b)).toBe(true);
    const c = sleep(60_000);
    expect(await settled(c)).toBe(false);
    sleep.wake();
    await c;
  });

});
