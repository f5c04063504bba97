import { StreamError, type StreamErrorOptions } from './stream-error.js';

/** A source failed to read its input. */
export class SourceError extends StreamError {
  constructor(message: string, options: StreamErrorOptions = {}) {
    super('SOURCE_ERROR', message, options);
  }
}
