import { checkConfValue } from '../core/streaming-conf.js';
import { IllegalArgumentError } from '../errors/illegal-argument-error.js';
import { setLogLevel, type LogLevel } from '../internal/logger.js';
import { queryManager, type QueryManager } from '../runtime/query-manager.js';
import { rowsOfValues } from '../expressions/record-parser.js';
import { DataFrame } from './data-frame.js';
import { DataFrameReader } from './data-frame-reader.js';
import { parseSchemaDdl } from '../expressions/ddl-parser.js';
import type { StructType } from './struct-type.js';
import { DataStreamReader } from './data-stream-reader.js';
import type { OptionValue } from '../core/options.js';
import type { StreamingQuery } from '../core/streaming-query.js';

/** Spark's `spark.conf`: session settings by their Spark names. */
export class RuntimeConfig {
  private readonly values = new Map<string, string>();

  set(key: string, value: OptionValue): void {
    checkConfValue(key, String(value));
    this.values.set(key, String(value));
  }

  get(key: string, fallback?: string): string | undefined {
    return this.values.get(key) ?? fallback;
  }

  unset(key: string): void {
    this.values.delete(key);
  }
}

/** Spark's log4j levels (SparkContext.VALID_LOG_LEVELS, in the order its message lists them) as ours. */
const SPARK_LOG_LEVELS: ReadonlyMap<string, LogLevel | 'off'> = new Map([
  ['ALL', 'debug'], ['DEBUG', 'debug'], ['ERROR', 'error'], ['WARN', 'warn'], ['INFO', 'info'], ['OFF', 'off'], ['FATAL', 'off'], ['TRACE', 'debug'],
]);

/** `spark.sparkContext`: here only the log level matters. */
export class SparkContext {
  /**
   * `setLogLevel("WARN")`: the lowest level Sluice logs from now on, case-insensitively one of
   * Spark's levels (ALL and TRACE log debug lines; FATAL and OFF log nothing, as Sluice has no
   * fatal lines). Anything else fails as SparkContext.setLogLevel's `require` does.
   */
  setLogLevel(level: string): void {
    const mapped = SPARK_LOG_LEVELS.get(level.toUpperCase());
    if (mapped === undefined) {
      throw new IllegalArgumentError(`requirement failed: Supplied level ${level} did not match one of: ${[...SPARK_LOG_LEVELS.keys()].join(',')}`);
    }
    setLogLevel(mapped);
  }
}

/** `spark.streams`: the active queries of this session. */
export class StreamingQueryManager {
  constructor(private readonly manager: QueryManager) {}

  get active(): StreamingQuery[] {
    return this.manager.active;
  }

  awaitAnyTermination(): Promise<void> {
    return this.manager.awaitAnyTermination();
  }
}

export class SparkSessionBuilder {
  private name = 'sluice';
  private readonly conf = new Map<string, string>();

  appName(name: string): this {
    this.name = name;
    return this;
  }

  /** Accepted for PySpark compatibility; Sluice always runs against Kafka and Redis. */
  master(_master: string): this {
    return this;
  }

  config(key: string, value: OptionValue): this {
    this.conf.set(key, String(value));
    return this;
  }

  getOrCreate(): SparkSession {
    const session = (SparkSession.active ??= new SparkSession(this.name));
    for (const [k, v] of this.conf) session.conf.set(k, v);
    return session;
  }
}

/** The entry point, as PySpark's: `SparkSession.builder.appName("x").getOrCreate()`. */
export class SparkSession {
  static active: SparkSession | null = null;
  readonly conf = new RuntimeConfig();
  readonly sparkContext = new SparkContext();
  readonly streams: StreamingQueryManager;

  constructor(readonly appName: string, readonly manager: QueryManager = queryManager()) {
    this.streams = new StreamingQueryManager(manager);
    this.conf.set('spark.app.name', appName);
    this.conf.set('spark.sql.session.timeZone', Intl.DateTimeFormat().resolvedOptions().timeZone);
  }

  /** `spark.sql.session.timeZone`: how timestamps are read and printed. */
  get timeZone(): string {
    return this.conf.get('spark.sql.session.timeZone') ?? 'UTC';
  }

  static get builder(): SparkSessionBuilder {
    return new SparkSessionBuilder();
  }

  get readStream(): DataStreamReader {
    return new DataStreamReader(this);
  }

  /**
   * A static DataFrame of these rows (`spark.createDataFrame(data, schema)`), for stream-static
   * joins. The schema is a DDL string (`"id INT, name STRING"`) or a StructType; timestamps and
   * dates are given as strings in the session time zone.
   */
  createDataFrame(data: ReadonlyArray<readonly unknown[]>, schema: string | StructType): DataFrame {
    const fields = typeof schema === 'string' ? parseSchemaDdl(schema) : schema.fields;
    const rows = rowsOfValues('createDataFrame', data, fields, this.timeZone);
    return new DataFrame(this, { node: 'LocalRelation', schema: fields, rows, description: 'LocalRelation' });
  }

  /** Static DataFrames from files (for stream-static joins). */
  get read(): DataFrameReader {
    return new DataFrameReader(this);
  }

  /** Stops every query of the session. */
  async stop(): Promise<void> {
    await this.manager.stopAll();
    if (SparkSession.active === this) SparkSession.active = null;
  }
}
