import { execFileSync } from 'node:child_process';
import { createLogger } from 'sluice';
import { ensureLocalStack } from 'sluice/testing';

export interface TestStack {
  readonly brokers: string;
  readonly redisUrl: string;
  stop(): Promise<void>;
}

function dockerAnswers(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** Containers, where a Docker engine answers (testcontainers). */
async function containerStack(needKafka: boolean, needRedis: boolean): Promise<TestStack> {
  const stops: Array<() => Promise<unknown>> = [];
  let brokers = process.env['KAFKA_BROKERS'] ?? '';
  let redisUrl = process.env['REDIS_URL'] ?? '';
  if (needKafka) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const kafka = await new KafkaContainer('apache/kafka:3.9.1').withKraft().start();
    brokers = `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
    stops.push(() => kafka.stop());
  }
  if (needRedis) {
    const { RedisContainer } = await import('@testcontainers/redis');
    const redis = await new RedisContainer('redis:7').start();
    redisUrl = redis.getConnectionUrl();
    stops.push(() => redis.stop());
  }
  return { brokers, redisUrl, stop: async () => { for (const s of stops) await s(); } };
}

/**
 * What the integration tests run against: KAFKA_BROKERS / REDIS_URL when set; else
 * testcontainers when a Docker engine answers; else the project's local launcher.
 */
export async function startTestStack(): Promise<TestStack> {
  const needKafka = (process.env['KAFKA_BROKERS'] ?? '') === '';
  const needRedis = (process.env['REDIS_URL'] ?? '') === '';
  if (!needKafka && !needRedis) {
    return { brokers: process.env['KAFKA_BROKERS'] ?? '', redisUrl: process.env['REDIS_URL'] ?? '', stop: async () => undefined };
  }
  if (dockerAnswers()) return containerStack(needKafka, needRedis);
  // The project's own launcher (scripts/local), as `sluice run` uses it.
  return ensureLocalStack(
    { brokers: process.env['KAFKA_BROKERS'] ?? '', redisUrl: process.env['REDIS_URL'] ?? '' },
    createLogger({ component: 'test-stack' }),
  );
}

declare global {
   
  var sluiceTestStack: TestStack | undefined;
}

/**
 * Starts (or finds) the real Kafka and Redis once for the whole integration run. Jest loads
 * this file outside its module mapping, so it is self-contained.
 */
export default async function globalSetup(): Promise<void> {
  const stack = await startTestStack();
  process.env['KAFKA_BROKERS'] = stack.brokers;
  process.env['REDIS_URL'] = stack.redisUrl;
  globalThis.sluiceTestStack = stack;
}
