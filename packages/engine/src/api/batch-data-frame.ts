import { showOutput } from '../console/show-string.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import type { Row, Schema, Value } from '../core/types.js';

/** The user's function of `writeStream.foreachBatch(fn)`. */
export type ForeachBatchFunction = (df: BatchDataFrame, batchId: number) => void | Promise<void>;

/**
 * The DataFrame `foreachBatch` hands the user's function: one batch's result rows, with the
 * batch actions PySpark programs use on it.
 */
export class BatchDataFrame {
  constructor(readonly schema: Schema, readonly rows: readonly Row[], private readonly timeZone: string) {}

  get isStreaming(): boolean {
    return false;
  }

  get columns(): string[] {
    return this.schema.map((f) => f.name);
  }

  count(): number {
    return this.rows.length;
  }

  isEmpty(): boolean {
    return this.rows.length === 0;
  }

  /** The rows as objects by column name, as PySpark's Row. */
  collect(): Array<Record<string, Value>> {
    return this.rows.map((row) => Object.fromEntries(this.schema.map((f, i) => [f.name, row[i] ?? null])));
  }

  /** Spark's `show(n, truncate)` on stdout. */
  show(numRows = 20, truncate: boolean | number = true): void {
    const t = typeof truncate === 'number' ? truncate : truncate ? 20 : 0;
    if (!Number.isInteger(numRows) || numRows < 0) throw new AnalysisException(`numRows must be a non-negative integer, got ${numRows}`);
    process.stdout.write(showOutput(this.schema, this.rows, { numRows, truncate: t, timeZone: this.timeZone }));
  }
}
