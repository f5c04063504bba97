import { randomUUID } from 'node:crypto';
import { BatchDataFrame } from '../api/batch-data-frame.js';
import { SinkError } from '../errors/sink-error.js';
import type { BatchWriter } from './batch-sink.js';

/** The user's function of `writeStream.foreachBatch(fn)`. */
export type ForeachBatchFunction = (df: BatchDataFrame, batchId: number) => void | Promise<void>;

const registered = new Map<string, ForeachBatchFunction>();

/**
 * A plan document cannot carry a function, so `foreachBatch` registers it in this process and
 * the plan names it by id: such a query runs where its program runs (`sluice run`).
 */
export function registerForeachBatch(fn: ForeachBatchFunction): string {
  const id = randomUUID();
  registered.set(id, fn);
  return id;
}

export function foreachBatchWriter(functionId: string, timeZone: string): BatchWriter {
  const fn = registered.get(functionId);
  if (fn === undefined) {
    throw new SinkError(
      `foreachBatch function ${functionId} is not in this process: a foreachBatch query runs in its program's process (sluice run), not in a separate sink service`,
    );
  }
  return async (batchId, schema, rows) => {
    await fn(new BatchDataFrame(schema, rows, timeZone), batchId);
  };
}
