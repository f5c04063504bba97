import type { CaseInsensitiveOptions } from '../core/options.js';
import { IllegalArgumentError } from '../errors/illegal-argument-error.js';

/** Java's Integer.parseInt: an optional sign, decimal digits, within 32 bits; else null. */
function parseJavaInt(text: string): number | null {
  if (!/^[+-]?[0-9]+$/.test(text)) return null;
  const n = Number(text);
  return n >= -2147483648 && n <= 2147483647 ? n : null;
}

/**
 * Spark's FileStreamOptions.maxFilesPerTrigger: absent, or a positive integer (Scala's
 * `str.toInt`, no trimming). Spark reads it when the file source is created, at the query's
 * start, not when the DataFrame is defined.
 */
export function maxFilesPerTrigger(options: CaseInsensitiveOptions): number | null {
  const raw = options.get('maxFilesPerTrigger');
  if (raw === undefined) return null;
  const n = parseJavaInt(raw);
  if (n === null || n <= 0) {
    throw new IllegalArgumentError(`Invalid value '${raw}' for option 'maxFilesPerTrigger', must be a positive integer`);
  }
  return n;
}
