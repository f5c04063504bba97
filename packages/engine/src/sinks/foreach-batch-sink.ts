import { randomUUID } from 'node:crypto';
import type { Row, Schema } from '../core/types.js';
import { SinkError } from '../errors/sink-error.js';
import type { BatchWriter } from './batch-sink.js';

/**
 * What `writeStream.foreachBatch(fn)` registers: api/ wraps the user's function so it gets a
 * BatchDataFrame, and the sink stays below the facade.
 */
export type ForeachBatchHandler = (batchId: number, schema: Schema, rows: readonly Row[], timeZone: string) => void | Promise<void>;

const registered = new Map<string, ForeachBatchHandler>();

/**
 * A plan document cannot carry a function, so `foreachBatch` registers it in this process and
 * the plan names it by id: such a query runs where its program runs (`sluice run`).
 */
export function registerForeachBatch(handler: ForeachBatchHandler): string {
  const id = randomUUID();
  registered.set(id, handler);
  return id;
}

export function foreachBatchWriter(functionId: string, timeZone: string): BatchWriter {
  const handler = registered.get(functionId);
  if (handler === undefined) {
    throw new SinkError(
      `foreachBatch function ${functionId} is not in this process: a foreachBatch query runs in its program's process (sluice run), not in a separate sink service`,
    );
  }
  return async (batchId, schema, rows) => {
    await handler(batchId, schema, rows, timeZone);
  };
}
