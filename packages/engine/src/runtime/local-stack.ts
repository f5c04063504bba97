import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localStackSettings } from '../config/config.js';
import { LocalStackError } from '../errors/local-stack-error.js';
import { parseRedisUrl, type RedisNode } from '../state/redis-address.js';
import type { Logger } from '../internal/logger.js';

/**
 * The local Kafka broker and Redis (scripts/local/{kafka,redis}.sh), and the check that
 * configured ones answer. A run starts the local stack on first use and leaves it up for the
 * next runs (a warm broker: a second run skips the JVM start); `sluice stack down` stops it.
 */

/** How long a configured broker or Redis may take to accept a connection before a run fails. */
const REACH_TIMEOUT_MS = 3000;

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

interface ScriptResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a launcher script; never throws (the exit code says how it went). */
function runScript(name: string, args: readonly string[], showProgress = false): Promise<ScriptResult> {
  const path = join(findLocalScripts(), name);
  return new Promise((resolve) => {
    const child = execFile('bash', [path, ...args], { maxBuffer: 1 << 20, timeout: 600_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
    if (showProgress) child.stderr?.pipe(process.stderr);
  });
}

async function script(name: string, args: readonly string[], log: Logger, showProgress = false): Promise<string> {
  const result = await runScript(name, args, showProgress);
  if (result.code === 0) return result.stdout;
  log.debug('local stack script failed', { script: name, args, stderr: result.stderr.slice(-2000) });
  const tail = result.stderr.trim().split('\n').slice(-3).join(' | ');
  throw new LocalStackError(`scripts/local/${name} ${args.join(' ')} failed: ${tail} (details: SLUICE_LOG_LEVEL=debug)`);
}

function lastAssignment(stdout: string, name: string): string {
  const line = stdout.trim().split('\n').reverse().find((l) => l.startsWith(`${name}=`));
  if (line === undefined) throw new LocalStackError(`launcher printed no ${name}=...`);
  return line.slice(name.length + 1);
}

/**
 * A status probe that finds nothing running is an answer, not a failure. One that is starting
 * (another process's `up`) counts as running: whoever started it stops it.
 */
async function isRunning(name: string): Promise<boolean> {
  const status = await runScript(name, ['status']);
  return status.code === 0 || status.stdout.startsWith('starting');
}

export interface LocalStack {
  readonly brokers: string;
  readonly redisUrl: string;
  /** Stops what this call started (and nothing that was already running). */
  stop(): Promise<void>;
}

/**
 * Connections for a test run or the demo: the configured ones, or else the local broker and
 * Redis, started with the project's own launcher when they are not running. `stop()` stops
 * what this call started.
 */
export async function ensureLocalStack(configured: { brokers: string; redisUrl: string }, log: Logger): Promise<LocalStack> {
  const started: string[] = [];
  const up = async (name: string, variable: string): Promise<string> => {
    if (!(await isRunning(name))) started.push(name);
    return lastAssignment(await script(name, ['up'], log), variable);
  };
  if (configured.brokers === '') log.info('starting or reusing the local Kafka broker');
  const [brokers, redisUrl] = await Promise.all([
    configured.brokers === '' ? up('kafka.sh', 'KAFKA_BROKERS') : configured.brokers,
    configured.redisUrl === '' ? up('redis.sh', 'REDIS_URL') : configured.redisUrl,
  ]);
  return {
    brokers,
    redisUrl,
    async stop() {
      for (const name of started.reverse()) await script(name, ['down'], log);
    },
  };
}

/**
 * Connections for a query run: the configured Kafka and Redis, checked to answer (a run fails
 * in seconds, naming the variable, when they do not); else the local stack, reused when it
 * runs, started when it does not, and left running for the next runs. `stop()` does nothing.
 */
export async function warmLocalStack(configured: { brokers: string; redisUrl: string }, log: Logger): Promise<LocalStack> {
  const [brokers, redisUrl] = await Promise.all([
    configured.brokers === '' ? localKafka(log) : reachKafka(configured.brokers).then(() => configured.brokers),
    configured.redisUrl === '' ? localRedis(log) : reachRedis(configured.redisUrl).then(() => configured.redisUrl),
  ]);
  return { brokers, redisUrl, stop: async () => undefined };
}

/** The running local stack's connections, found without starting anything (null parts are down). */
export async function runningLocalStack(): Promise<{ brokers: string | null; redisUrl: string | null }> {
  const [brokers, redisUrl] = await Promise.all([runningLocalKafka(), runningLocalRedis()]);
  return { brokers, redisUrl };
}

async function localKafka(log: Logger): Promise<string> {
  const running = await runningLocalKafka();
  if (running !== null) return running;
  notice(log, 'starting the local Kafka broker; it stays up for the next runs (sluice stack down stops it)');
  return lastAssignment(await script('kafka.sh', ['up'], log), 'KAFKA_BROKERS');
}

async function localRedis(log: Logger): Promise<string> {
  const running = await runningLocalRedis();
  if (running !== null) return running;
  return lastAssignment(await script('redis.sh', ['up'], log), 'REDIS_URL');
}

/** A line for the person at the terminal (logs there show warnings only), and an info log. */
function notice(log: Logger, message: string): void {
  if (process.stderr.isTTY === true) process.stderr.write(`sluice: ${message}\n`);
  log.info(message);
}

/** `sluice stack up`: starts (or finds) the local broker and Redis; returns their connections. */
export async function startLocalStack(log: Logger): Promise<{ brokers: string; redisUrl: string }> {
  const [brokers, redisUrl] = await Promise.all([
    script('kafka.sh', ['up'], log, true).then((out) => lastAssignment(out, 'KAFKA_BROKERS')),
    script('redis.sh', ['up'], log, true).then((out) => lastAssignment(out, 'REDIS_URL')),
  ]);
  return { brokers, redisUrl };
}

/** `sluice stack down`: stops the local broker, and the Redis the launcher started (no other). */
export async function stopLocalStack(log: Logger, purge = false): Promise<void> {
  await Promise.all([
    script('kafka.sh', purge ? ['down', '--purge'] : ['down'], log, true),
    script('redis.sh', ['down'], log, true),
  ]);
}

/** `sluice stack status`: the launchers' status lines; `running` when both answer. */
export async function localStackStatus(): Promise<{ running: boolean; lines: string[] }> {
  const results = await Promise.all([runScript('kafka.sh', ['status']), runScript('redis.sh', ['status'])]);
  const lines = results.map((r, i) => `${i === 0 ? 'kafka' : 'redis'}: ${redactUrls(r.stdout.trim())}`);
  return { running: results.every((r) => r.code === 0), lines };
}

// --- the running local stack, found without spawning the launchers -------------------------

function localDir(): string {
  const { dir } = localStackSettings();
  return dir === '' ? join(findLocalScripts(), '..', '..', '.local') : resolvePath(dir);
}

/** KAFKA_VERSION, else the launcher's default (read from the script: one source of truth). */
function kafkaVersion(): string {
  const { kafkaVersion: configured } = localStackSettings();
  if (configured !== '') return configured;
  const text = readFileSync(join(findLocalScripts(), 'kafka.sh'), 'utf8');
  return /KAFKA_VERSION="\$\{KAFKA_VERSION:-([^}"]+)\}"/.exec(text)?.[1] ?? '';
}

function readAssignment(file: string, name: string): string | null {
  try {
    const line = readFileSync(file, 'utf8').trim();
    return line.startsWith(`${name}=`) && line.length > name.length + 1 ? line.slice(name.length + 1) : null;
  } catch {
    return null;
  }
}

async function runningLocalKafka(): Promise<string | null> {
  const version = kafkaVersion();
  if (version === '') return null;
  // The launcher writes this file once the broker is ready and removes it when it stops.
  const brokers = readAssignment(join(localDir(), `kafka-${version}`, 'env'), 'KAFKA_BROKERS');
  if (brokers === null) return null;
  const { host, port } = hostPort(brokers, 9092);
  return (await probe(host, port, 1000)).ok ? brokers : null;
}

async function runningLocalRedis(): Promise<string | null> {
  // The launcher's own redis-server, else one answering on the default port (as redis.sh up).
  const own = readAssignment(join(localDir(), 'redis', 'env'), 'REDIS_URL');
  for (const url of own === null ? ['redis://127.0.0.1:6379'] : [own, 'redis://127.0.0.1:6379']) {
    let address: string;
    try {
      address = new URL(url).host;
    } catch {
      continue;
    }
    const { host, port } = hostPort(address, 6379);
    if ((await probe(host, port, 1000, 'PING\r\n')).reply === '+PONG') return url;
  }
  return null;
}

// --- reaching configured services ------------------------------------------------------------

/** Fails (LocalStackError naming KAFKA_BROKERS) unless one of the brokers accepts a connection. */
export async function reachKafka(brokers: string): Promise<void> {
  const results = await Promise.all(brokers.split(',').map((b) => {
    const { host, port } = hostPort(b.trim(), 9092);
    return probe(host, port, REACH_TIMEOUT_MS);
  }));
  if (results.some((r) => r.ok)) return;
  throw new LocalStackError(
    `cannot reach Kafka at ${brokers} (KAFKA_BROKERS): ${results[0]?.reason ?? 'no broker'}. ` +
      'Start that broker or fix KAFKA_BROKERS; unset it to use the local broker (sluice stack up).',
  );
}

/**
 * Fails (LocalStackError naming REDIS_URL, without its password) unless Redis accepts a
 * connection: the server, or for a cluster any of its seed nodes.
 */
export async function reachRedis(url: string): Promise<void> {
  let nodes: readonly RedisNode[];
  try {
    ({ nodes } = parseRedisUrl(url));
  } catch {
    throw new LocalStackError(`REDIS_URL is not a URL: ${redactUrls(url)}`);
  }
  const results = await Promise.all(nodes.map((n) => probe(n.host, n.port, REACH_TIMEOUT_MS)));
  if (results.some((r) => r.ok)) return;
  throw new LocalStackError(
    `cannot reach Redis at ${redactUrls(url)} (REDIS_URL): ${results[0]?.reason ?? 'no node'}. ` +
      'Start that Redis or fix REDIS_URL; unset it to use the local one (sluice stack up).',
  );
}

/** The URLs in a text with their passwords replaced by `***`. */
export function redactUrls(text: string): string {
  return text.replace(/(\w+:\/\/[^:@/\s]*:)[^@/\s]+@/g, '$1***@');
}

function hostPort(address: string, defaultPort: number): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  if (bracketed !== null) return { host: bracketed[1] ?? '', port: bracketed[2] === undefined ? defaultPort : Number(bracketed[2]) };
  const colon = address.lastIndexOf(':');
  // No port, or a bare IPv6 address.
  if (colon < 0 || address.indexOf(':') !== colon) return { host: address, port: defaultPort };
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

interface ProbeResult {
  readonly ok: boolean;
  readonly reason: string;
  readonly reply?: string;
}

/** Connects to host:port (and, with `send`, reads the first reply line) within timeoutMs. */
function probe(host: string, port: number, timeoutMs: number, send?: string): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: ProbeResult): void => {
      socket.destroy();
      resolve(result);
    };
    let reply = '';
    socket.setTimeout(timeoutMs);
    socket.once('timeout', () => done({ ok: false, reason: `no answer within ${timeoutMs / 1000} s` }));
    socket.once('error', (err: NodeJS.ErrnoException) => done({ ok: false, reason: describeSocketError(err) }));
    socket.once('connect', () => {
      if (send === undefined) done({ ok: true, reason: '' });
      else socket.write(send);
    });
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done({ ok: true, reason: '', reply: reply.split('\r\n')[0] ?? '' });
    });
  });
}

function describeSocketError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return err.message;
  }
}
