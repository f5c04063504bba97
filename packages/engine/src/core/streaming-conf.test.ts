import { SparkSession } from '../api/spark-session.js';
import { parsePlan, serializePlan } from '../plan/plan-json.js';
import { QueryManager } from '../runtime/query-manager.js';
import { ansiEnabled, checkConfValue, streamingConf } from './streaming-conf.js';

const policy = 'spark.sql.streaming.multipleWatermarkPolicy';
const noData = 'spark.sql.streaming.noDataMicroBatches.enabled';

describe('streaming settings a query takes from spark.conf', () => {
  it('defaults to Spark: min policy, no-data batches on', () => {
    expect(streamingConf(undefined)).toEqual({ watermarkPolicy: 'min', noDataMicroBatches: true });
    expect(streamingConf({ [policy]: 'MAX', [noData]: ' False ' })).toEqual({ watermarkPolicy: 'max', noDataMicroBatches: false });
  });

  it('rejects bad values at spark.conf.set with the texts of Spark SQLConf', () => {
    const spark = new SparkSession('conf', new QueryManager());
    expect(() => spark.conf.set(policy, 'Random')).toThrow(
      "'random' in spark.sql.streaming.multipleWatermarkPolicy is invalid. Invalid value for 'spark.sql.streaming.multipleWatermarkPolicy'. Valid values are 'min' and 'max'",
    );
    expect(() => spark.conf.set(noData, 'yes')).toThrow('spark.sql.streaming.noDataMicroBatches.enabled should be boolean, but was yes');
    expect(() => checkConfValue(noData, 'yes')).toThrow(expect.objectContaining({ code: 'ILLEGAL_ARGUMENT' }));
    expect(() => spark.conf.set('spark.sql.ansi.enabled', 'off')).toThrow('spark.sql.ansi.enabled should be boolean, but was off');
    expect(ansiEnabled(undefined)).toBe(true);
    expect(ansiEnabled({ 'spark.sql.ansi.enabled': 'FALSE' })).toBe(false);
    expect(spark.conf.get(policy)).toBeUndefined();
    spark.conf.set(policy, 'MAX');
    expect(spark.conf.get(policy)).toBe('MAX');
  });

  it('are pinned in the plan document at start, and survive its JSON', () => {
    const spark = new SparkSession('conf', new QueryManager());
    const df = spark.readStream.format('socket').option('host', 'localhost').option('port', 1).load();
    expect(df.writeStream.toPlan().conf).toBeUndefined();
    spark.conf.set(policy, 'max');
    spark.conf.set(noData, false);
    const plan = df.writeStream.toPlan();
    expect(plan.conf).toEqual({ [policy]: 'max', [noData]: 'false' });
    expect(parsePlan(serializePlan(plan)).conf).toEqual(plan.conf);
  });
});
