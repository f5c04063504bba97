import { StreamError, type StreamErrorOptions } from './stream-error.js';

/** The offset or commit log is inconsistent or unreachable. */
export class CheckpointError extends StreamError {
  constructor(message: string, options: StreamErrorOptions = {}) {
    super('CHECKPOINT_ERROR', message, options);
  }
}
