import { StreamError, type StreamErrorOptions } from './stream-error.js';

/** A SQL expression or type string that does not parse; the message is Spark's text. */
export class ParseException extends StreamError {
  constructor(message: string, options: StreamErrorOptions = {}) {
    super('PARSE_ERROR', message, options);
  }
}
