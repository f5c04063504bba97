import { redactText } from './secrets.js';

/**
 * Structured logging: one JSON object a line on stderr. stdout belongs to the console sink.
 * Every line goes through the redaction of secrets (secrets.ts): no password reaches a log.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** `off` writes nothing (Spark's OFF and FATAL: Sluice logs nothing fatal). */
const LEVEL_RANK: Record<LogLevel | 'off', number> = { debug: 10, info: 20, warn: 30, error: 40, off: 50 };

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

let threshold: LogLevel | 'off' = 'info';
/** Whether a program chose the level (setLogLevel), which then wins over the configured one. */
let chosen = false;

/** Sets the lowest level written, for every logger. */
export function setLogLevel(level: LogLevel | 'off'): void {
  threshold = level;
  chosen = true;
}

/**
 * The configured level (SLUICE_LOG_LEVEL), applied when a query first connects: it does not
 * undo a level the program set before, as Spark's `sc.setLogLevel` wins over log4j2.properties.
 */
export function applyConfiguredLogLevel(level: LogLevel): void {
  if (!chosen) threshold = level;
}

export function isLogLevel(value: string): value is LogLevel {
  return value in LEVEL_RANK && value !== 'off';
}

function errorFields(value: unknown): unknown {
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: value.message };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out['code'] = code;
    if (value.stack !== undefined) out['stack'] = value.stack;
    return out;
  }
  return value;
}

export function createLogger(base: LogFields = {}): Logger {
  const write = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (LEVEL_RANK[level] < LEVEL_RANK[threshold]) return;
    const record: Record<string, unknown> = { time: new Date().toISOString(), level, msg, ...base };
    if (fields !== undefined) {
      for (const [k, v] of Object.entries(fields)) record[k] = errorFields(v);
    }
    process.stderr.write(`${redactText(JSON.stringify(record))}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger({ ...base, ...fields }),
  };
}
