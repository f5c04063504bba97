/**
 * Sluice: Spark Structured Streaming's programming model in TypeScript, on Kafka and Redis.
 * The one public entry of the engine.
 */
export { SparkSession, SparkSessionBuilder, RuntimeConfig, SparkContext, StreamingQueryManager } from './api/spark-session.js';
export { DataStreamReader } from './api/data-stream-reader.js';
export { DataFrame } from './api/data-frame.js';
export { DataFrameReader } from './api/data-frame-reader.js';
export { GroupedData } from './api/grouped-data.js';
export { Column, type ColumnOrValue } from './api/column.js';
export {
  col, column, lit, expr, length, upper, lower, trim, ltrim, rtrim, reverse, concat, concat_ws, split, substring,
  explode, explode_outer, window, session_window, from_json, to_json, struct, coalesce, abs, isnull, isnotnull, not, current_timestamp, to_timestamp, when, asc, desc,
  count, sum, avg, mean, min, max, first, last, countDistinct, count_distinct, type ColumnOrName,
  collect_list, collect_set, current_date, date_add, date_sub, timestamp_seconds,
  create_map, map_from_arrays, map_keys, map_values, map_entries, map_contains_key, element_at, size, cardinality,
  posexplode, posexplode_outer, row_number, rank, dense_rank, lag, lead,
} from './api/functions.js';
export { Window, WindowSpec } from './api/window.js';
export * as functions from './api/functions.js';
export { parseDataType, parseSchemaDdl } from './expressions/ddl-parser.js';
export {
  StructType, StructField, StringType, BooleanType, ByteType, ShortType, IntegerType, LongType, FloatType, DoubleType,
  TimestampType, DateType, BinaryType, ArrayType, MapType,
} from './api/struct-type.js';
export { parseExpression } from './expressions/sql-parser.js';
export type { Expr } from './expressions/expr.js';
export { DataStreamWriter } from './api/data-stream-writer.js';
export { BatchDataFrame } from './api/batch-data-frame.js';
export type { ForeachBatchFunction } from './api/batch-data-frame.js';
export type { StreamingQuery, StreamingQueryStatus } from './core/streaming-query.js';
export type { StreamingQueryProgress, SourceProgress, SinkProgress } from './core/streaming-query-progress.js';
export type { TriggerOptions, TriggerSpec } from './core/trigger.js';
export type { OptionValue } from './core/options.js';
export { typeName } from './core/types.js';
export type { AtomicType, ArrayType as ArrayDataType, StructType as StructDataType, MapType as MapDataType, DataType, Row, Schema, StructField as StructFieldShape, Value } from './core/types.js';
export type { QueryPlan, OutputMode, SinkSpec } from './plan/query-plan.js';
export type { LogicalPlan, StreamingSourceNode } from './plan/logical-plan.js';
export { parsePlan, serializePlan } from './plan/plan-json.js';
export { showString, consoleBatch, type ShowOptions } from './console/show-string.js';

export { ERROR_CODES, type ErrorCode } from './errors/codes.js';
export { StreamError, type StreamErrorContext } from './errors/stream-error.js';
export { AnalysisException } from './errors/analysis-exception.js';
export { ParseException } from './errors/parse-exception.js';
export { RuntimeError } from './errors/runtime-error.js';
export { ConfigError } from './errors/config-error.js';
export { OptionError } from './errors/option-error.js';
export { PlanError } from './errors/plan-error.js';
export { SourceError } from './errors/source-error.js';
export { SinkError } from './errors/sink-error.js';
export { CheckpointError } from './errors/checkpoint-error.js';
export { IllegalStateError } from './errors/illegal-state-error.js';
export { IllegalArgumentError } from './errors/illegal-argument-error.js';
export { LocalStackError } from './errors/local-stack-error.js';

// For the services: configuration blocks, logging and the role runner.
export { commonSchema, loadConfig, type CommonConfig } from './config/config.js';
export { ingestSchema, DEFAULT_INGEST_LIMITS, type IngestConfig, type IngestLimits } from './config/ingest-config.js';
export { processorSchema, DEFAULT_OUTAGE_LIMITS, type ProcessorConfig as OutageConfig, type OutageLimits } from './config/processor-config.js';
export { createLogger, setLogLevel, type Logger, type LogLevel } from './internal/logger.js';
export {
  runRoleService, readPlanFile, serviceMain, serviceSchema,
  type RoleName, type RoleServiceOptions, type ServiceConfig,
} from './runtime/role-service.js';
