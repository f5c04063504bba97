#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { register } from 'node:module';
import { relative, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exportConnections, loadEngineConfig, logLevelConfigured } from '../config/config.js';
import { ConfigError } from '../errors/config-error.js';
import { LocalStackError } from '../errors/local-stack-error.js';
import { StreamError } from '../errors/stream-error.js';
import { createLogger, setLogLevel } from '../internal/logger.js';
import { redactText } from '../internal/secrets.js';
import type { QueryPlan } from '../plan/query-plan.js';
import { writeStdout } from '../sinks/console-sink.js';

const HELP = `Usage: sluice <command> [options]

Commands:
  run <program.ts|.js>        Run a Sluice program (ingest, processor and sink in this
                              process). Without KAFKA_BROKERS / REDIS_URL it uses the local
                              Kafka broker and Redis, started when the first query starts
                              and left up for the next runs. Ctrl-C stops the program.
  plan <program.ts|.js> [-o <file>]
                              Print the query plan document the program's start() would
                              run, for the ingest, processor and sink services.
  status [--json] [--all]     The running queries of the stack (REDIS_URL) with their last
                              progress; --all adds stopped ones.
  stack up|down|status        The local broker and Redis: start them (prints the
                              KAFKA_BROKERS= and REDIS_URL= lines), stop them (down --purge
                              also deletes the broker's data), or show them.
  help                        Show this help.

Options:
  --verbose                   Debug logs, and errors with their stack trace.

Environment: KAFKA_BROKERS, REDIS_URL, SLUICE_LOG_LEVEL (debug|info|warn|error; on a
terminal, run shows warnings and errors only unless it is set), SLUICE_LOCAL_DIR.
TLS, SASL, Redis ACL users and the live page's address and token: SLUICE_KAFKA_*,
SLUICE_REDIS_*, SLUICE_METRICS_HOST, SLUICE_METRICS_TOKEN (docs/security.md).

Exit codes: 0 done; 1 the program or a query failed (e.g. an analysis error); 2 a usage or
configuration error (e.g. no such program file); 3 Kafka or Redis cannot be reached or the
local stack cannot start; 130 / 143 stopped by Ctrl-C (SIGINT) / SIGTERM.
`;

const log = createLogger({ component: 'cli' });
/** --verbose or SLUICE_LOG_LEVEL=debug: errors come with their stack. */
let verbose = false;
/** Stops the queries of this process, once the query manager is loaded. */
let stopQueries: (() => Promise<void>) | null = null;

async function loadProgram(path: string): Promise<void> {
  // Deep enough to reach the program's own line from inside the engine (see programFrame).
  Error.stackTraceLimit = 50;
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  register('./resolve-hooks.js', import.meta.url);
  await import(pathToFileURL(path).href);
}

/** The program's absolute path, or null after saying it does not exist. */
function programPath(command: string, program: string): string | null {
  const path = resolvePath(program);
  if (existsSync(path)) return path;
  process.stderr.write(`sluice ${command}: no program at ${path}: check the path (it is relative to ${process.cwd()})\n`);
  return null;
}

async function runCommand(program: string): Promise<number> {
  const path = programPath('run', program);
  if (path === null) return 2;
  const config = loadEngineConfig();
  verbose ||= config.log.level === 'debug';
  // A terminal shows the console sink's tables and warnings; SLUICE_LOG_LEVEL, --verbose or the
  // program's setLogLevel ask for more.
  setLogLevel(verbose ? 'debug' : !logLevelConfigured() && process.stdout.isTTY === true ? 'warn' : config.log.level);
  const { queryManager } = await import('../runtime/query-manager.js');
  const manager = queryManager();
  stopQueries = () => manager.stopAll();
  manager.installSignalHandlers();
  // A warm local stack is named to the program now; one that is down starts only when the
  // first query starts, after its plan was analysed.
  if (config.kafka.brokers === '' || config.redis.url === '') {
    const { runningLocalStack } = await import('../runtime/local-stack.js');
    const running = await runningLocalStack();
    exportConnections(config.kafka.brokers || (running.brokers ?? ''), config.redis.url || (running.redisUrl ?? ''));
  }
  await loadProgram(path);
  // The program's main ended (spark-submit's driver exits here too): stop what still runs.
  await manager.stopAll();
  return manager.signalExitCode ?? 0;
}

async function planCommand(program: string, out: string | undefined): Promise<number> {
  const path = programPath('plan', program);
  if (path === null) return 2;
  const { recordPlansInstead } = await import('../api/data-stream-writer.js');
  const { serializePlan } = await import('../plan/plan-json.js');
  const plans: QueryPlan[] = [];
  recordPlansInstead((plan) => plans.push(plan));
  await loadProgram(path);
  if (plans.length !== 1) {
    process.stderr.write(`sluice plan: the program started ${plans.length} queries; plan needs exactly one\n`);
    return 2;
  }
  const text = `${serializePlan(plans[0] as QueryPlan)}\n`;
  if (out === undefined) await writeStdout(text);
  else await writeFile(out, text);
  return 0;
}

async function stackCommand(action: string | undefined, args: readonly string[]): Promise<number> {
  const { localStackStatus, startLocalStack, stopLocalStack } = await import('../runtime/local-stack.js');
  switch (action) {
    case 'up': {
      const stack = await startLocalStack(log);
      await writeStdout(`KAFKA_BROKERS=${stack.brokers}\nREDIS_URL=${stack.redisUrl}\n`);
      return 0;
    }
    case 'down':
      await stopLocalStack(log, args.includes('--purge'));
      return 0;
    case 'status': {
      const status = await localStackStatus();
      await writeStdout(`${status.lines.join('\n')}\n`);
      return status.running ? 0 : 3;
    }
    default:
      process.stderr.write(`sluice stack: ${action === undefined ? 'missing' : `unknown action '${action}':`} up, down or status\n`);
      return 2;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  verbose = argv.includes('--verbose');
  const [command, ...args] = argv.filter((a) => a !== '--verbose');
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    await writeStdout(HELP);
    return command === undefined ? 2 : 0;
  }
  if (args.includes('--help') || args.includes('-h')) {
    await writeStdout(HELP);
    return 0;
  }
  if (command === 'status') {
    const { statusCommand } = await import('./status-command.js');
    return statusCommand(args.includes('--json'), args.includes('--all'), log);
  }
  if (command === 'stack') return stackCommand(args[0], args.slice(1));
  const program = args.find((a) => !a.startsWith('-'));
  if (command !== 'run' && command !== 'plan') {
    process.stderr.write(`sluice: unknown command '${command}' (sluice help lists them)\n`);
    return 2;
  }
  if (program === undefined) {
    process.stderr.write(`sluice ${command}: missing <program> (e.g. sluice ${command} examples/read_from_socket.ts)\n`);
    return 2;
  }
  if (command === 'run') return runCommand(program);
  const i = args.indexOf('-o');
  return planCommand(program, i >= 0 ? args[i + 1] : undefined);
}

/** Exit code for an error: 3 Kafka or Redis, 2 configuration, 1 the rest. */
function exitCodeOf(err: unknown): number {
  if (err instanceof LocalStackError) return 3;
  if (err instanceof ConfigError) return 2;
  return 1;
}

/** Where in the program the error was raised, from its stack (tsx maps it to the source). */
function programFrame(err: Error): string | null {
  const frames = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
  for (const frame of frames) {
    const m = /(?:\(|at )(file:\/\/\/[^\s()]+|\/[^\s()]+):(\d+):(\d+)\)?$/.exec(frame);
    const file = m?.[1]?.replace(/^file:\/\//, '') ?? '';
    if (m === null || file.includes('/node_modules/') || file.includes('/packages/engine/')) continue;
    return `${relative(process.cwd(), decodeURIComponent(file))}:${m[2]}:${m[3]}`;
  }
  return null;
}

/** One or two lines on stderr: what failed, and where in the program; the stack only when verbose. */
function report(err: unknown): number {
  const command = process.argv[2] ?? '';
  if (!(err instanceof Error)) {
    process.stderr.write(`sluice ${command}: ${redactText(String(err))}\n`);
    return 1;
  }
  let text: string;
  if (err instanceof LocalStackError) text = `sluice ${command}: ${err.message}`;
  else if (err instanceof StreamError) text = `${err.name}: ${err.message}`;
  else if (typeof (err as NodeJS.ErrnoException).code === 'string') text = `sluice ${command}: ${err.message}`;
  else text = `${err.name}: ${err.message}`;
  const where = programFrame(err);
  if (where !== null) text += `\n    at ${where}`;
  if (verbose) {
    text = err.stack ?? text;
    for (let cause = err.cause; cause !== undefined; cause = cause instanceof Error ? cause.cause : undefined) {
      text += `\nCaused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`;
    }
  }
  process.stderr.write(`${redactText(text)}\n`);
  return exitCodeOf(err);
}

let finishing = false;
function fail(err: unknown): void {
  if (finishing) return;
  finishing = true;
  const code = report(err);
  void (stopQueries?.() ?? Promise.resolve()).catch(() => undefined).finally(() => process.exit(code));
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
main(process.argv.slice(2)).then((code) => process.exit(code), fail);
