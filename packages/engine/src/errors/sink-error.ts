import { StreamError, type StreamErrorOptions } from './stream-error.js';

/** A sink failed to write a batch. */
export class SinkError extends StreamError {
  constructor(message: string, options: StreamErrorOptions = {}) {
    super('SINK_ERROR', message, options);
  }
}
