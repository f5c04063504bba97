import type { DataType, Row, StructField, Value } from '../core/types.js';

/** What an expression may read besides the row: the batch it runs in. */
export interface EvalContext {
  /** Spark's batchTimestampMs: what `current_timestamp()` returns in the batch. */
  readonly batchTimestampMs: number;
}

export type Evaluator = (row: Row, ctx: EvalContext) => Value;

/**
 * A resolved, compiled expression: its Spark type and nullability, the SQL text Spark derives
 * column names from (`length(value)`, `(a + b)`), the output name (the alias if any), and the
 * compiled function.
 */
export interface Bound {
  readonly type: DataType;
  readonly nullable: boolean;
  readonly sql: string;
  readonly name: string;
  readonly eval: Evaluator;
  /**
   * Set for `explode(...)`: the evaluator returns the array to flatten. With `columns`
   * (`posexplode`), each element is itself a row of those columns, spread into the output.
   */
  readonly generator?: { readonly outer: boolean; readonly columns?: readonly StructField[] };
  /** Set for a direct column reference: its position in the input row. */
  readonly ordinal?: number;
  readonly sortOrder?: { readonly direction: 'asc' | 'desc'; readonly nulls: 'first' | 'last' };
  /**
   * Set when the value is watermarked event time: a timestamp column declared with
   * `withWatermark`, or a `window` over one (then its end is what the watermark passes).
   */
  readonly eventTime?: 'timestamp' | 'window';
  /**
   * Set for `session_window(...)`: sessions of a key merge when they overlap. The gap (its SQL
   * here) may differ per row; a row without a session evaluates to NULL and is dropped.
   */
  readonly session?: { readonly gapSql: string };
  /**
   * Set for `window(...)`: how it assigns windows, so an aggregation can group a row's windows
   * by their start without building a struct per window.
   */
  readonly window?: WindowSpec;
}

/** A `window(...)` generator's event time and durations (microseconds). */
export interface WindowSpec {
  /** The row's event time in microseconds, or null (the row is in no window). */
  readonly eventMicros: (row: Row, ctx: EvalContext) => number | null;
  readonly windowUs: number;
  readonly slideUs: number;
  readonly startUs: number;
  /** The generator's evaluator this describes: a wrapper that replaces `eval` no longer matches it. */
  readonly assigns: Evaluator;
}

/** An evaluator that is NULL when any argument is, else `fn` of the arguments' values. */
export function nullSafe(args: readonly Bound[], fn: (values: Value[]) => Value): Evaluator {
  return (row: Row, ctx: EvalContext) => {
    const values: Value[] = [];
    for (const a of args) {
      const v = a.eval(row, ctx);
      if (v === null) return null;
      values.push(v);
    }
    return fn(values);
  };
}
