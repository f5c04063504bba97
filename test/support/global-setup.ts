import { startTestStack, type TestStack } from './stack.js';

declare global {
  // eslint-disable-next-line no-var
  var sluiceTestStack: TestStack | undefined;
}

/** Starts (or finds) the real Kafka and Redis once for the whole integration run. */
export default async function globalSetup(): Promise<void> {
  const stack = await startTestStack();
  process.env['KAFKA_BROKERS'] = stack.brokers;
  process.env['REDIS_URL'] = stack.redisUrl;
  globalThis.sluiceTestStack = stack;
}
