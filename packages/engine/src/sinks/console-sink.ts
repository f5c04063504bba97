import type { CaseInsensitiveOptions } from '../core/options.js';
import { consoleBatch, type ShowOptions } from '../console/show-string.js';
import type { BatchWriter } from './batch-sink.js';

/** Spark's console sink options: `numRows` (default 20) and `truncate` (default true = 20). */
export function consoleShowOptions(options: CaseInsensitiveOptions, timeZone: string): ShowOptions {
  return {
    numRows: options.getInt('numRows', 20, 0),
    truncate: options.getBoolean('truncate', true) ? 20 : 0,
    timeZone,
  };
}

/** Writes to stdout and resolves once the text is handed to the OS. */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

/** The console sink: prints each batch as Spark's ConsoleWrite does. */
export function consoleWriter(show: ShowOptions, write: (text: string) => Promise<void> = writeStdout): BatchWriter {
  return async (batchId, schema, rows) => write(consoleBatch(batchId, schema, rows, show));
}
