import { AnalysisException } from '../errors/analysis-exception.js';
import { outputSchema, type LogicalPlan } from '../plan/logical-plan.js';
import { DataStreamWriter } from './data-stream-writer.js';
import type { SparkSession } from './spark-session.js';
import type { Schema } from './types.js';

const BATCH_ON_STREAM = 'Queries with streaming sources must be executed with writeStream.start()';

/** A streaming DataFrame: a logical plan plus the session it belongs to. */
export class DataFrame {
  constructor(readonly sparkSession: SparkSession, readonly plan: LogicalPlan) {}

  get isStreaming(): boolean {
    return true;
  }

  get schema(): Schema {
    return outputSchema(this.plan);
  }

  get columns(): string[] {
    return this.schema.map((f) => f.name);
  }

  get writeStream(): DataStreamWriter {
    return new DataStreamWriter(this);
  }

  /** Batch actions are not allowed on a streaming DataFrame (Spark's message). */
  show(): never {
    throw new AnalysisException(BATCH_ON_STREAM);
  }

  count(): never {
    throw new AnalysisException(BATCH_ON_STREAM);
  }

  collect(): never {
    throw new AnalysisException(BATCH_ON_STREAM);
  }
}
