import { IllegalArgumentError } from '../errors/illegal-argument-error.js';

/** `spark.sql.streaming.multipleWatermarkPolicy`: how several watermarks make the global one. */
export const MULTIPLE_WATERMARK_POLICY = 'spark.sql.streaming.multipleWatermarkPolicy';
/** `spark.sql.streaming.noDataMicroBatches.enabled`: batches without data to evict state. */
export const NO_DATA_MICRO_BATCHES = 'spark.sql.streaming.noDataMicroBatches.enabled';

/**
 * `spark.sql.streaming.statefulOperator.checkCorrectness.enabled`: whether a chain of stateful
 * operators that can drop late rows fails the query at start (true) or only logs a warning.
 */
export const CHECK_CORRECTNESS = 'spark.sql.streaming.statefulOperator.checkCorrectness.enabled';

/**
 * `spark.sql.shuffle.partitions`: how many shuffle partitions a stateful operator hashes its
 * rows into (so the order they come out in). Spark pins it in the checkpoint at the first run.
 */
export const SHUFFLE_PARTITIONS = 'spark.sql.shuffle.partitions';

/** `spark.sql.ansi.enabled`: ANSI expression semantics (errors) or Spark's legacy ones (NULL, wrapping). */
export const ANSI_ENABLED = 'spark.sql.ansi.enabled';

/** `spark.sql.mapKeyDedupPolicy`: a repeated key while a map is built fails (EXCEPTION) or wins (LAST_WIN). */
export const MAP_KEY_DEDUP_POLICY = 'spark.sql.mapKeyDedupPolicy';

/**
 * `spark.sql.streaming.statefulOperator.allowMultiple`: true (Spark's default) filters late rows
 * by the previous batch's watermark and rejects a redefined watermark or two event-time columns
 * at a stateful operator; false is the compatibility mode (one watermark for late rows and
 * eviction, the first event-time column taken).
 */
export const ALLOW_MULTIPLE_STATEFUL_OPERATORS = 'spark.sql.streaming.statefulOperator.allowMultiple';

/**
 * Sluice's own: how many shuffle tasks a scaled-out query spreads its stateful operators over
 * (each owns a contiguous range of the spark.sql.shuffle.partitions); pinned by the checkpoint.
 */
export const SHUFFLE_TASKS = 'sluice.shuffle.tasks';

/** The session settings a query takes along when it starts (into its plan document). */
export const STREAMING_CONF_KEYS = [
  MULTIPLE_WATERMARK_POLICY, NO_DATA_MICRO_BATCHES, CHECK_CORRECTNESS, SHUFFLE_PARTITIONS, ANSI_ENABLED, MAP_KEY_DEDUP_POLICY,
  ALLOW_MULTIPLE_STATEFUL_OPERATORS, SHUFFLE_TASKS,
] as const;

export type WatermarkPolicy = 'min' | 'max';

/** The streaming settings of one query, with Spark's defaults. */
export interface StreamingConf {
  readonly watermarkPolicy: WatermarkPolicy;
  readonly noDataMicroBatches: boolean;
}

function parseBoolean(key: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === 'false') return v === 'true';
  throw new IllegalArgumentError(`${key} should be boolean, but was ${value}`);
}

/** A `spark.sql.streaming.multipleWatermarkPolicy` value (case-insensitive), or Spark's error. */
export function parsePolicy(value: string): WatermarkPolicy {
  const v = value.toLowerCase();
  if (v === 'min' || v === 'max') return v;
  throw new IllegalArgumentError(`'${v}' in ${MULTIPLE_WATERMARK_POLICY} is invalid. Invalid value for '${MULTIPLE_WATERMARK_POLICY}'. Valid values are 'min' and 'max'`);
}

/**
 * Checks a value `spark.conf.set` is given for one of these keys, as Spark's SQLConf does at
 * set time (ConfigBuilder's checkValue / booleanConf messages); other keys pass unchecked.
 */
export function checkConfValue(key: string, value: string): void {
  if (key === MULTIPLE_WATERMARK_POLICY) parsePolicy(value);
  if (key === NO_DATA_MICRO_BATCHES || key === CHECK_CORRECTNESS || key === ANSI_ENABLED || key === ALLOW_MULTIPLE_STATEFUL_OPERATORS) parseBoolean(key, value);
  if (key === SHUFFLE_PARTITIONS) parsePartitions(value);
  if (key === SHUFFLE_TASKS) parseShuffleTasks(value);
  if (key === MAP_KEY_DEDUP_POLICY) mapKeyDedupPolicy({ [key]: value });
}

/** Whether the plan's `conf` leaves the stateful-operator correctness check on (Spark's default). */
export function checkCorrectnessEnabled(conf: Readonly<Record<string, string>> | undefined): boolean {
  const v = conf?.[CHECK_CORRECTNESS];
  return v === undefined ? true : parseBoolean(CHECK_CORRECTNESS, v);
}

/** `spark.sql.streaming.statefulOperator.allowMultiple` from a plan's `conf` (default: true). */
export function allowMultipleStatefulOperators(conf: Readonly<Record<string, string>> | undefined): boolean {
  const v = conf?.[ALLOW_MULTIPLE_STATEFUL_OPERATORS];
  return v === undefined ? true : parseBoolean(ALLOW_MULTIPLE_STATEFUL_OPERATORS, v);
}

/** `spark.sql.ansi.enabled` from a plan's `conf` (Spark 4's default: true). */
export function ansiEnabled(conf: Readonly<Record<string, string>> | undefined): boolean {
  const v = conf?.[ANSI_ENABLED];
  return v === undefined ? true : parseBoolean(ANSI_ENABLED, v);
}

/** `spark.sql.mapKeyDedupPolicy` from a plan's `conf` (case-insensitive; Spark's default: EXCEPTION). */
export function mapKeyDedupPolicy(conf: Readonly<Record<string, string>> | undefined): 'EXCEPTION' | 'LAST_WIN' {
  const v = conf?.[MAP_KEY_DEDUP_POLICY]?.toUpperCase();
  if (v === undefined || v === 'EXCEPTION' || v === 'LAST_WIN') return v ?? 'EXCEPTION';
  // ConfigBuilder.checkValues, after the value was upper-cased (transform).
  throw new IllegalArgumentError(`The value of ${MAP_KEY_DEDUP_POLICY} should be one of EXCEPTION, LAST_WIN, but was ${v}`);
}

/** The settings from a plan's `conf` (absent keys take Spark's defaults: min, true). */
export function streamingConf(conf: Readonly<Record<string, string>> | undefined): StreamingConf {
  const policy = conf?.[MULTIPLE_WATERMARK_POLICY];
  const noData = conf?.[NO_DATA_MICRO_BATCHES];
  return {
    watermarkPolicy: policy === undefined ? 'min' : parsePolicy(policy),
    noDataMicroBatches: noData === undefined ? true : parseBoolean(NO_DATA_MICRO_BATCHES, noData),
  };
}

/** SQLConf.SHUFFLE_PARTITIONS: an int (intConf) that must be positive (checkValue); Spark 4.2.0's messages. */
function parsePartitions(value: string): number {
  const v = value.trim();
  const n = Number(v);
  const invalid = `[INVALID_CONF_VALUE.%s] The value '${value}' in the config "${SHUFFLE_PARTITIONS}" is invalid.`;
  if (!/^[+-]?\d+$/.test(v) || n > 2147483647 || n < -2147483648) {
    throw new IllegalArgumentError(`${invalid.replace('%s', 'TYPE_MISMATCH')} It should be a/an 'int' value. SQLSTATE: 22022`);
  }
  if (n <= 0) throw new IllegalArgumentError(`${invalid.replace('%s', 'REQUIREMENT')} The value of ${SHUFFLE_PARTITIONS} must be positive SQLSTATE: 22022`);
  return n;
}

/** sluice.shuffle.tasks: a whole number from 1 to 10000. */
function parseShuffleTasks(value: string): number {
  const v = value.trim();
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > 10_000) {
    throw new IllegalArgumentError(`The value '${value}' in the config "${SHUFFLE_TASKS}" is invalid: it should be a whole number from 1 to 10000`);
  }
  return n;
}

/** `sluice.shuffle.tasks` from a plan's `conf`, or null when the session did not set it. */
export function shuffleTasksSetting(conf: Readonly<Record<string, string>> | undefined): number | null {
  const v = conf?.[SHUFFLE_TASKS];
  return v === undefined ? null : parseShuffleTasks(v);
}

/** `spark.sql.shuffle.partitions` from a plan's `conf` (Spark's default: 200). */
export function shufflePartitionsOf(conf: Readonly<Record<string, string>> | undefined): number {
  const v = conf?.[SHUFFLE_PARTITIONS];
  return v === undefined ? 200 : parsePartitions(v);
}
