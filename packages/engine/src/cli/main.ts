#!/usr/bin/env node
import { register } from 'node:module';
import { writeFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { recordPlansInstead } from '../api/data-stream-writer.js';
import { exportConnections, loadEngineConfig } from '../config/config.js';
import { StreamError } from '../errors/stream-error.js';
import { createLogger, setLogLevel } from '../internal/logger.js';
import { serializePlan } from '../plan/plan-json.js';
import type { QueryPlan } from '../plan/query-plan.js';
import { ensureLocalStack } from '../runtime/local-stack.js';
import { queryManager } from '../runtime/query-manager.js';
import type { Row, Schema } from '../api/types.js';
import { showString } from '../console/show-string.js';
import { writeStdout } from '../sinks/console-sink.js';
import { systemClock } from '../execution/clock.js';
import { queryRegistryKey } from '../state/keys.js';
import { connectRedis } from '../state/redis-connection.js';

const HELP = `Usage: sluice <command> [options]

Commands:
  run <program.ts|.js>        Run a Sluice program (ingest, processor and sink in this
                              process). Starts the local Kafka broker and Redis unless
                              KAFKA_BROKERS / REDIS_URL are set; Ctrl-C stops everything.
  plan <program.ts|.js> [-o <file>]
                              Print the query plan document the program's start() would
                              run, for the ingest, processor and sink services.
  status [--json] [--all]     The running queries of the stack (REDIS_URL) with their last
                              progress; --all adds stopped ones.
  help                        Show this help.

Environment: KAFKA_BROKERS, REDIS_URL, SLUICE_LOG_LEVEL (debug|info|warn|error).
`;

const log = createLogger({ component: 'cli' });

async function loadProgram(program: string): Promise<void> {
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  register('./resolve-hooks.js', import.meta.url);
  await import(pathToFileURL(resolvePath(program)).href);
}

async function runCommand(program: string): Promise<number> {
  const manager = queryManager();
  manager.installSignalHandlers();
  const config = loadEngineConfig();
  setLogLevel(config.log.level);
  const stack = await ensureLocalStack({ brokers: config.kafka.brokers, redisUrl: config.redis.url }, log);
  manager.addShutdownHook(() => stack.stop());
  exportConnections(stack.brokers, stack.redisUrl);
  await loadProgram(program);
  // The program's main ended (spark-submit's driver exits here too): stop what still runs.
  await manager.stopAll();
  return manager.signalExitCode ?? 0;
}

async function planCommand(program: string, out: string | undefined): Promise<number> {
  const plans: QueryPlan[] = [];
  recordPlansInstead((plan) => plans.push(plan));
  await loadProgram(program);
  if (plans.length !== 1) {
    log.error(`the program started ${plans.length} queries; plan needs exactly one`);
    return 2;
  }
  const text = `${serializePlan(plans[0] as QueryPlan)}\n`;
  if (out === undefined) await writeStdout(text);
  else await writeFile(out, text);
  return 0;
}

/** `sluice status`: the registered queries and their last progress, as a console table. */
async function statusCommand(asJson: boolean, all: boolean): Promise<number> {
  const config = loadEngineConfig();
  const redis = await connectRedis(config.redis.url === '' ? 'redis://127.0.0.1:6379' : config.redis.url, log);
  try {
    // Like spark.streams.active: the running queries (a running query refreshes its entry at
    // least every 10 s; one silent for 30 s died without saying so), unless --all.
    const now = systemClock.now();
    const entries = Object.values(await redis.hgetall(queryRegistryKey())).map((v) => JSON.parse(v) as QueryRecord)
      .map((q) => (q.status === 'ACTIVE' && now - Date.parse(q.updatedAt) > 30_000 ? { ...q, status: 'LOST' } : q))
      .filter((q) => all || q.status === 'ACTIVE');
    entries.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
    if (asJson) {
      await writeStdout(`${JSON.stringify(entries, null, 2)}\n`);
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

interface QueryRecord {
  readonly id: string;
  readonly name: string | null;
  readonly status: string;
  readonly updatedAt: string;
  readonly lastProgress: { batchId: number; numInputRows: number; inputRowsPerSecond: number; processedRowsPerSecond: number } | null;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === 'status') {
    if (args.includes('--help') || args.includes('-h')) {
      await writeStdout(HELP);
      return 0;
    }
    return statusCommand(args.includes('--json'), args.includes('--all'));
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    await writeStdout(HELP);
    return command === undefined ? 2 : 0;
  }
  const program = args.find((a) => !a.startsWith('-'));
  if (args.includes('--help') || args.includes('-h')) {
    await writeStdout(HELP);
    return 0;
  }
  if (program === undefined) {
    process.stderr.write(`sluice ${command}: missing <program>\n\n${HELP}`);
    return 2;
  }
  switch (command) {
    case 'run':
      return runCommand(program);
    case 'plan': {
      const i = args.indexOf('-o');
      return planCommand(program, i >= 0 ? args[i + 1] : undefined);
    }
    default:
      process.stderr.write(`sluice: unknown command '${command}'\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof StreamError) {
      process.stderr.write(`${err.name}: ${err.message}\n`);
      log.error('failed', { err });
    } else {
      log.error('failed', { err });
      process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
    }
    void queryManager().stopAll().finally(() => process.exit(1));
  },
);
