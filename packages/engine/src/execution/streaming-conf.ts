import { IllegalArgumentError } from '../errors/illegal-argument-error.js';

/** `spark.sql.streaming.multipleWatermarkPolicy`: how several watermarks make the global one. */
export const MULTIPLE_WATERMARK_POLICY = 'spark.sql.streaming.multipleWatermarkPolicy';
/** `spark.sql.streaming.noDataMicroBatches.enabled`: batches without data to evict state. */
export const NO_DATA_MICRO_BATCHES = 'spark.sql.streaming.noDataMicroBatches.enabled';

/** The session settings a query takes along when it starts (into its plan document). */
export const STREAMING_CONF_KEYS = [MULTIPLE_WATERMARK_POLICY, NO_DATA_MICRO_BATCHES] as const;

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

function parsePolicy(value: string): WatermarkPolicy {
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
  if (key === NO_DATA_MICRO_BATCHES) parseBoolean(key, value);
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
