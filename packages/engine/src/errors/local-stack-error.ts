import { StreamError, type StreamErrorOptions } from './stream-error.js';

/** The local Kafka broker or Redis could not be started. */
export class LocalStackError extends StreamError {
  constructor(message: string, options: StreamErrorOptions = {}) {
    super('LOCAL_STACK_ERROR', message, options);
  }
}
