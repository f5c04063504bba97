import type { Row, Schema } from '../core/types.js';
import { loadEngineConfig } from '../config/config.js';
import { redisSettings } from '../config/security-config.js';
import { showString } from '../console/show-string.js';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../internal/logger.js';
import { redactText } from '../internal/secrets.js';
import { reachRedis, runningLocalStack } from '../runtime/local-stack.js';
import { writeStdout as writeRaw } from '../sinks/console-sink.js';
import { queryRegistryKey } from '../state/keys.js';
import { connectRedis } from '../state/redis-connection.js';

interface QueryRecord {
  readonly id: string;
  readonly name: string | null;
  readonly status: string;
  readonly updatedAt: string;
  readonly lastProgress: { batchId: number; numInputRows: number; inputRowsPerSecond: number; processedRowsPerSecond: number } | null;
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
  let stackLine = '';
  if (url === '') {
    const running = await runningLocalStack();
    if (running.redisUrl === null) {
      await writeStdout(asJson ? '[]\n' : 'No query is running: the local stack is down (sluice run starts it, as does sluice stack up).\n');
      return 0;
    }
    url = running.redisUrl;
    stackLine = `Local stack: Kafka ${running.brokers ?? 'stopped (sluice stack up starts it)'}, Redis ${url}.`;
  } else {
    await reachRedis(url);
  }
  const redis = await connectRedis(url, log, redisSettings(config.redis));
  try {
    // Like spark.streams.active: the running queries (a running query refreshes its entry at
    // least every 10 s; one silent for 30 s died without saying so), unless --all.
    const now = systemClock.now();
    const known = Object.values(await redis.hgetall(queryRegistryKey())).map((v) => JSON.parse(v) as QueryRecord)
      .map((q) => (q.status === 'ACTIVE' && now - Date.parse(q.updatedAt) > 30_000 ? { ...q, status: 'LOST' } : q));
    const entries = known.filter((q) => all || q.status === 'ACTIVE');
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
    await writeStdout(showString(schema, rows, { numRows: 1000, truncate: 0, timeZone: 'UTC' }));
    return 0;
  } finally {
    redis.disconnect();
  }
}
