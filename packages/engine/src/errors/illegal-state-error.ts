import { StreamError, type StreamErrorOptions } from './stream-error.js';

/** An operation was called in a state that does not allow it. */
export class IllegalStateError extends StreamError {
  constructor(message: string, options: StreamErrorOptions = {}) {
    super('ILLEGAL_STATE', message, options);
  }
}
