import { StreamError, type StreamErrorOptions } from './stream-error.js';

/** A reader or writer option with a value that cannot be used. */
export class OptionError extends StreamError {
  constructor(message: string, options: StreamErrorOptions = {}) {
    super('INVALID_OPTION', message, options);
  }
}
