import { LocalStackError } from '../errors/local-stack-error.js';
import type { LogFields } from '../internal/logger.js';
import type { PackedBatch } from './consumed-batch-transfer.js';
import type { ConsumerOptions, TopicPartitionOffset } from './kafka-port.js';
import type { KafkaSecurity } from './kafka-security.js';

/*
 * The messages between a port and its consumer thread (threaded-consumer.ts, consumer-thread.ts).
 * Calls carry a number the thread answers with `done`; a fetched batch waits for `delivered`
 * before the thread fetches that partition again, as an in-thread consumer awaits its handler.
 */

/** The connection settings of the port a consumer belongs to. */
export interface ConsumerPortSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly security: KafkaSecurity;
}

export type ToThread =
  | { readonly op: 'create'; readonly call: number; readonly id: number; readonly port: ConsumerPortSettings; readonly options: ConsumerOptions }
  | { readonly op: 'start'; readonly call: number; readonly id: number; readonly topics: readonly string[]; readonly seekTo: readonly TopicPartitionOffset[] }
  | { readonly op: 'close'; readonly call: number; readonly id: number }
  | { readonly op: 'pause' | 'resume'; readonly id: number; readonly topic: string; readonly partitions: readonly number[] }
  | { readonly op: 'delivered'; readonly id: number; readonly seq: number; readonly error?: SentError };

export type FromThread =
  | { readonly op: 'done'; readonly call: number; readonly error?: SentError }
  | { readonly op: 'batch'; readonly id: number; readonly seq: number; readonly batch: PackedBatch }
  | { readonly op: 'log'; readonly id: number; readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly msg: string; readonly fields: LogFields };

/** An error as it crosses threads: what the outage guard and the CLI look at (name, type, code, causes, class). */
export interface SentError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly type?: string;
  readonly code?: string;
  readonly localStack?: boolean;
  readonly cause?: SentError;
}

export function sendError(err: unknown, depth = 0): SentError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const { type, code } = err as { type?: unknown; code?: unknown };
  const cause = err.cause ?? (err as { originalError?: unknown }).originalError;
  return {
    name: err.name, message: err.message,
    ...(err.stack === undefined ? {} : { stack: err.stack }),
    ...(typeof type === 'string' ? { type } : {}),
    ...(typeof code === 'string' ? { code } : {}),
    ...(err instanceof LocalStackError ? { localStack: true } : {}),
    ...(cause === undefined || depth >= 8 ? {} : { cause: sendError(cause, depth + 1) }),
  };
}

export function receiveError(sent: SentError): Error {
  const cause = sent.cause === undefined ? undefined : receiveError(sent.cause);
  const err: Error = sent.localStack === true
    ? new LocalStackError(sent.message, cause === undefined ? {} : { cause })
    : new Error(sent.message, cause === undefined ? undefined : { cause });
  if (sent.localStack !== true) err.name = sent.name;
  if (sent.stack !== undefined) err.stack = sent.stack;
  Object.assign(err, { ...(sent.type === undefined ? {} : { type: sent.type }), ...(sent.code === undefined ? {} : { code: sent.code }) });
  return err;
}

/** Log fields as they can cross threads (an error as sendError gives it, anything else uncloneable as its text). */
export function sendFields(fields: LogFields | undefined): LogFields {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields ?? {})) {
    if (v instanceof Error) out[k] = sendError(v);
    else if (typeof v === 'function' || typeof v === 'symbol') out[k] = String(v);
    else out[k] = v;
  }
  return out;
}
