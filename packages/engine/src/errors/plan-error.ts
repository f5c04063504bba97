import { StreamError, type StreamErrorOptions } from './stream-error.js';

/** A plan document that cannot be read. */
export class PlanError extends StreamError {
  constructor(message: string, options: StreamErrorOptions = {}) {
    super('INVALID_PLAN', message, options);
  }
}
