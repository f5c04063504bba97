import { execFile, execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scripts = join(repoRoot, 'scripts', 'local');

export interface TestStack {
  readonly brokers: string;
  readonly redisUrl: string;
  stop(): Promise<void>;
}

function lastAssignment(stdout: string, name: string): string {
  const line = stdout.trim().split('\n').reverse().find((l) => l.startsWith(`${name}=`));
  if (line === undefined) throw new Error(`launcher printed no ${name}=`);
  return line.slice(name.length + 1);
}

async function running(script: string): Promise<boolean> {
  try {
    await run('bash', [join(scripts, script), 'status']);
    return true;
  } catch {
    return false;
  }
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

/** The project's own launcher: a local KRaft broker from Kafka's jars, and Redis. */
async function localStack(needKafka: boolean, needRedis: boolean): Promise<TestStack> {
  const started: string[] = [];
  let brokers = process.env['KAFKA_BROKERS'] ?? '';
  let redisUrl = process.env['REDIS_URL'] ?? '';
  if (needKafka) {
    if (!(await running('kafka.sh'))) started.push('kafka.sh');
    const { stdout } = await run('bash', [join(scripts, 'kafka.sh'), 'up'], { timeout: 600_000, maxBuffer: 1 << 22 });
    brokers = lastAssignment(stdout, 'KAFKA_BROKERS');
  }
  if (needRedis) {
    if (!(await running('redis.sh'))) started.push('redis.sh');
    const { stdout } = await run('bash', [join(scripts, 'redis.sh'), 'up'], { timeout: 120_000 });
    redisUrl = lastAssignment(stdout, 'REDIS_URL');
  }
  return {
    brokers,
    redisUrl,
    stop: async () => {
      for (const s of started.reverse()) await run('bash', [join(scripts, s), 'down'], { timeout: 120_000 });
    },
  };
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
  return dockerAnswers() ? containerStack(needKafka, needRedis) : localStack(needKafka, needRedis);
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
