import { StreamError, type StreamErrorOptions } from './stream-error.js';

/** An argument Spark rejects with an IllegalArgumentException (e.g. a negative watermark delay); the message is Spark's text. */
export class IllegalArgumentError extends StreamError {
  constructor(message: string, options: StreamErrorOptions = {}) {
    super('ILLEGAL_ARGUMENT', message, options);
  }
}
