import type { Row, Schema } from '../core/types.js';
import { loadEngineConfig } from '../config/config.js';
import { kafkaSecuritySettings, redisSettings } from '../config/security-config.js';
import { showString } from '../console/show-string.js';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../internal/logger.js';
import { redactText } from '../internal/secrets.js';
import type { KafkaAdmin } from '../kafka/kafka-port.js';
import { KafkajsPort } from '../kafka/kafkajs-port.js';
import type { LiveReplicas } from '../observability/live-query.js';
import { reachRedis, runningLocalStack } from '../runtime/local-stack.js';
import { queryKafkaSecurity } from '../runtime/query-kafka-security.js';
import { writeStdout as writeRaw } from '../sinks/console-sink.js';
import { queryRegistryKey } from '../state/keys.js';
import { connectRedis } from '../state/redis-connection.js';
import { ScaleOutStatus } from './scale-out-status.js';

interface QueryRecord {
  readonly id: string;
  readonly name: string | null;
  readonly status: string;
  readonly updatedAt: string;
  readonly checkpointLocation?: string;
  readonly lastProgress: {
    batchId: number; numInputRows: number; inputRowsPerSecond: number; processedRowsPerSecond: number; sources?: Array<{ endOffset: unknown }>;
  } | null;
  /** A scaled-out query's replicas and source partitions' lag (added by status, not in the registry). */
  readonly replicas?: LiveReplicas;
}

/** What status prints goes through the redaction of secrets (a URL's password, a registered secret). */
const writeStdout = (text: string): Promise<void> => writeRaw(redactText(text));

/**
 * `sluice status`: the registered queries and their last progress, as a console table. With no
 * REDIS_URL it reads the local stack's Redis, and says so when the local stack is down.
 */
export async function statusCommand(asJson: boolean, all: boolean, log: Logger): Promise<number> {
  const config = loadEngineConfig();
  let url = config.redis.url;
  let brokers = config.kafka.brokers;
  let stackLine = '';
  if (url === '') {
    const running = await runningLocalStack();
    if (running.redisUrl === null) {
      await writeStdout(asJson ? '[]\n' : 'No query is running: the local stack is down (sluice run starts it, as does sluice stack up).\n');
      return 0;
    }
    url = running.redisUrl;
    brokers = running.brokers ?? '';
    stackLine = `Local stack: Kafka ${running.brokers ?? 'stopped (sluice stack up starts it)'}, Redis ${url}.`;
  } else {
    await reachRedis(url);
  }
  const redis = await connectRedis(url, log, redisSettings(config.redis));
  // Kafka is asked only for a scaled-out query's partition lag.
  const connectKafka = async (): Promise<KafkaAdmin> => {
    const security = await queryKafkaSecurity(null, kafkaSecuritySettings(config.kafka));
    return new KafkajsPort({ brokers: brokers.split(','), clientId: 'sluice-status', logger: log, security }).admin();
  };
  const scaleOut = new ScaleOutStatus(redis, brokers === '' ? null : connectKafka, systemClock.now());
  try {
    // Like spark.streams.active: the running queries (a running query refreshes its entry at
    // least every 10 s; one silent for 30 s died without saying so), unless --all.
    const now = systemClock.now();
    const known = Object.values(await redis.hgetall(queryRegistryKey())).map((v) => JSON.parse(v) as QueryRecord)
      .map((q) => (q.status === 'ACTIVE' && now - Date.parse(q.updatedAt) > 30_000 ? { ...q, status: 'LOST' } : q));
    const withReplicas = await Promise.all(known.map(async (q): Promise<QueryRecord> => {
      const replicas = q.status === 'TERMINATED' ? null : await scaleOut.of(q);
      // Replicas that report every second run the query, however long its leader has been idle.
      return replicas === null ? q : { ...q, status: 'ACTIVE', replicas };
    }));
    const entries = withReplicas.filter((q) => all || q.status === 'ACTIVE');
    entries.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
    if (asJson) {
      await writeStdout(`${JSON.stringify(entries, null, 2)}\n`);
      return 0;
    }
    if (entries.length === 0) {
      const stopped = known.length === 0 ? '' : ` (${known.length} stopped: sluice status --all lists them)`;
      await writeStdout(`No query is running${stopped}.${stackLine === '' ? '' : ` ${stackLine}`}\n`);
      return 0;
    }
    const schema: Schema = ['id', 'name', 'status', 'batchId', 'numInputRows', 'inputRowsPerSecond', 'processedRowsPerSecond', 'updatedAt']
      .map((name) => ({ name, type: 'string', nullable: true }));
    const rows: Row[] = entries.map((q) => [
      q.id, q.name, q.status, String(q.lastProgress?.batchId ?? ''), String(q.lastProgress?.numInputRows ?? ''),
      String(q.lastProgress?.inputRowsPerSecond ?? ''), String(q.lastProgress?.processedRowsPerSecond ?? ''), q.updatedAt,
    ]);
    const replicas = entries.map((q) => (q.replicas === undefined ? '' : scaleOut.tables(q.id, q.replicas))).join('');
    await writeStdout(showString(schema, rows, { numRows: 1000, truncate: 0, timeZone: 'UTC' }) + replicas);
    return 0;
  } finally {
    redis.disconnect();
    await scaleOut.close();
  }
}
