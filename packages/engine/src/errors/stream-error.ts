import type { ErrorCode } from './codes.js';

export interface StreamErrorContext {
  readonly batchId?: number;
  readonly operatorId?: string;
  readonly topic?: string;
  readonly partition?: number;
  readonly key?: string;
}

export interface StreamErrorOptions extends StreamErrorContext {
  readonly retriable?: boolean;
  readonly cause?: unknown;
}

/** Base class of every error Sluice throws: a stable code, retriability and typed context. */
export class StreamError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly context: StreamErrorContext;

  constructor(code: ErrorCode, message: string, options: StreamErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    const { retriable: _r, cause: _c, ...context } = options;
    this.context = context;
  }
}
