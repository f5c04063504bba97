import { DataFrame } from '../api/data-frame.js';
import { parseSchemaDdl } from '../expressions/ddl-parser.js';
import type { SparkSession } from '../api/spark-session.js';
import type { Row, Schema } from '../core/types.js';
import type { StreamingSourceNode } from '../plan/logical-plan.js';
import { rowsOfValues } from '../expressions/record-parser.js';

let nextId = 0;

/**
 * Spark's MemoryStream: a streaming source whose rows a test adds by hand. Its DataFrame is a
 * streaming DataFrame like any other; StreamTest runs the rows added to it in batches.
 *
 *   const events = MemoryStream.of(spark, 'word STRING, ts TIMESTAMP');
 *   StreamTest.of(events.toDF().groupBy('word').count().writeStream.outputMode('update'))
 *     .addData(events, [['a', '2024-01-01 00:00:00']]) ...
 */
export class MemoryStream {
  /** Names the source in a plan (the plan numbers sources; this finds which one is ours). */
  readonly id = `memory-${nextId++}`;

  private constructor(private readonly session: SparkSession, readonly schema: Schema) {}

  /** A memory stream of rows of this schema (a DDL string such as `a INT, b STRING`, or fields). */
  static of(session: SparkSession, schema: string | Schema): MemoryStream {
    return new MemoryStream(session, typeof schema === 'string' ? parseSchemaDdl(schema) : schema);
  }

  toDF(): DataFrame {
    const node: StreamingSourceNode = { node: 'StreamingSource', index: 0, format: 'memory', options: { id: this.id }, schema: this.schema };
    return new DataFrame(this.session, node);
  }

  /**
   * Rows as a test writes them (JSON-like values: timestamps and dates as strings in the
   * session time zone, arrays as arrays) converted to the schema's values.
   */
  toRows(values: ReadonlyArray<readonly unknown[]>): Row[] {
    return rowsOfValues('MemoryStream', values, this.schema, this.session.timeZone);
  }
}
