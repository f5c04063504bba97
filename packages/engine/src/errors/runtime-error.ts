import { StreamError, type StreamErrorOptions } from './stream-error.js';

/** An error raised while evaluating a query over data (Spark's runtime errors, e.g. ANSI casts). */
export class RuntimeError extends StreamError {
  constructor(message: string, options: StreamErrorOptions = {}) {
    super('RUNTIME_ERROR', message, options);
  }
}
