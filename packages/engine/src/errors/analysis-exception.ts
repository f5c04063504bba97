import { StreamError, type StreamErrorOptions } from './stream-error.js';

/** Raised at start() when a query breaks one of Spark's streaming rules; the message is Spark's text. */
export class AnalysisException extends StreamError {
  constructor(message: string, options: StreamErrorOptions = {}) {
    super('ANALYSIS_ERROR', message, options);
  }
}
