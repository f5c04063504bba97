import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LocalStackError } from '../errors/local-stack-error.js';
import type { Logger } from '../internal/logger.js';

const run = promisify(execFile);

/** The folder holding the launcher scripts of the local broker and Redis. */
export function findLocalScripts(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'scripts', 'local');
    if (existsSync(join(candidate, 'kafka.sh'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new LocalStackError('cannot find scripts/local/kafka.sh: set KAFKA_BROKERS and REDIS_URL to use an existing stack');
}

async function script(name: string, args: readonly string[], log: Logger): Promise<string> {
  const path = join(findLocalScripts(), name);
  try {
    const { stdout } = await run('bash', [path, ...args], { maxBuffer: 1 << 20, timeout: 600_000 });
    return stdout;
  } catch (cause) {
    const stderr = (cause as { stderr?: string }).stderr ?? '';
    log.error('local stack script failed', { script: name, args, stderr: stderr.slice(-2000) });
    throw new LocalStackError(`${name} ${args.join(' ')} failed: ${stderr.trim().split('\n').slice(-3).join(' | ')}`, { cause });
  }
}

function lastAssignment(stdout: string, name: string): string {
  const line = stdout.trim().split('\n').reverse().find((l) => l.startsWith(`${name}=`));
  if (line === undefined) throw new LocalStackError(`launcher printed no ${name}=...`);
  return line.slice(name.length + 1);
}

async function isRunning(name: string, log: Logger): Promise<boolean> {
  try {
    await script(name, ['status'], log);
    return true;
  } catch {
    return false;
  }
}

export interface LocalStack {
  readonly brokers: string;
  readonly redisUrl: string;
  /** Stops what this call started (and nothing that was already running). */
  stop(): Promise<void>;
}

/**
 * Connections for a run: the configured ones, or else the local broker and Redis, started
 * with the project's own launcher when they are not running.
 */
export async function ensureLocalStack(configured: { brokers: string; redisUrl: string }, log: Logger): Promise<LocalStack> {
  const started: string[] = [];
  let brokers = configured.brokers;
  let redisUrl = configured.redisUrl;
  if (brokers === '') {
    if (!(await isRunning('kafka.sh', log))) started.push('kafka.sh');
    log.info('starting or reusing the local Kafka broker');
    brokers = lastAssignment(await script('kafka.sh', ['up'], log), 'KAFKA_BROKERS');
  }
  if (redisUrl === '') {
    if (!(await isRunning('redis.sh', log))) started.push('redis.sh');
    redisUrl = lastAssignment(await script('redis.sh', ['up'], log), 'REDIS_URL');
  }
  return {
    brokers,
    redisUrl,
    async stop() {
      for (const name of started.reverse()) await script(name, ['down'], log);
    },
  };
}
