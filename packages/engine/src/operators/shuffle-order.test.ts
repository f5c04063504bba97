import { SparkSession } from '../api/spark-session.js';
import { col, count, explode, max, split } from '../api/functions.js';
import type { DataFrame } from '../api/data-frame.js';
import type { Row } from '../core/types.js';
import { SHUFFLE_PARTITIONS, checkConfValue, shufflePartitionsOf } from '../core/streaming-conf.js';
import { PlanRunner } from '../testing/plan-runner.js';
import { QueryManager } from '../runtime/query-manager.js';

const session = (partitions?: number): SparkSession => {
  const spark = new SparkSession('test', new QueryManager());
  spark.conf.set('spark.sql.session.timeZone', 'UTC');
  if (partitions !== undefined) spark.conf.set(SHUFFLE_PARTITIONS, partitions);
  return spark;
};
const lines = (spark: SparkSession): DataFrame => spark.readStream.format('socket').option('host', 'localhost').option('port', 1).load();
const words = (spark: SparkSession): DataFrame => lines(spark).select(explode(split(col('value'), ' ')).alias('word'));
const v = (...values: string[]): Row[] => values.map((x) => [x]);

/**
 * The expected orders follow the rule Spark 4.2.0's runs of conformance/cases/order/ show
 * (shuffle-order.ts), with these partitions: pmod(murmur3(word, 42), n) — with 200: c 122,
 * b 161, a 170; with 2: a and c 0, b 1. (Spark printed `b 1` before `a 2` for `a b a` with 200.)
 */
describe("rows come out in Spark's shuffle partition order", () => {
  it('update mode: by partition, then first seen (200 partitions by default)', () => {
    const r = new PlanRunner(words(session()).groupBy('word').count().writeStream.outputMode('update').toPlan());
    expect(r.runBatch(v('a b a'))).toEqual([['b', 1], ['a', 2]]);
    expect(r.runBatch(v('a c b'))).toEqual([['c', 1], ['b', 2], ['a', 3]]);
  });

  it('spark.sql.shuffle.partitions travels in the plan and changes the order', () => {
    const plan = words(session(2)).groupBy('word').count().writeStream.outputMode('update').toPlan();
    expect(plan.conf?.[SHUFFLE_PARTITIONS]).toBe('2');
    const r = new PlanRunner(plan);
    expect(r.runBatch(v('b c a'))).toEqual([['c', 1], ['a', 1], ['b', 1]]);
  });

  it('dropDuplicates: new rows by partition, in input order inside one', () => {
    const r = new PlanRunner(words(session()).dropDuplicates(['word']).writeStream.toPlan());
    expect(r.runBatch(v('a b c a'))).toEqual(v('c', 'b', 'a'));
  });

  it('a sort-based aggregation (max of a string) sorts the groups in each partition', () => {
    const df = words(session(2)).groupBy('word').agg(max('word').alias('m'), count('*').alias('n'));
    const r = new PlanRunner(df.writeStream.outputMode('update').toPlan());
    expect(r.runBatch(v('c a b'))).toEqual([['a', 'a', 1], ['c', 'c', 1], ['b', 'b', 1]]);
  });

  it('a global aggregation has one partition', () => {
    const r = new PlanRunner(words(session()).groupBy().count().writeStream.outputMode('update').toPlan());
    expect(r.runBatch(v('a b'))).toEqual([[2]]);
  });
});

describe('spark.sql.shuffle.partitions values (SQLConf.SHUFFLE_PARTITIONS, Spark 4.2.0 messages)', () => {
  it('defaults to 200 and takes a positive int', () => {
    expect(shufflePartitionsOf(undefined)).toBe(200);
    expect(shufflePartitionsOf({ [SHUFFLE_PARTITIONS]: ' 7 ' })).toBe(7);
  });

  it.each([
    ['0', `[INVALID_CONF_VALUE.REQUIREMENT] The value '0' in the config "spark.sql.shuffle.partitions" is invalid. The value of spark.sql.shuffle.partitions must be positive SQLSTATE: 22022`],
    ['abc', `[INVALID_CONF_VALUE.TYPE_MISMATCH] The value 'abc' in the config "spark.sql.shuffle.partitions" is invalid. It should be a/an 'int' value. SQLSTATE: 22022`],
    ['2147483648', `[INVALID_CONF_VALUE.TYPE_MISMATCH] The value '2147483648' in the config "spark.sql.shuffle.partitions" is invalid. It should be a/an 'int' value. SQLSTATE: 22022`],
  ])('rejects %j at spark.conf.set', (value, message) => {
    expect(() => checkConfValue(SHUFFLE_PARTITIONS, value)).toThrow(message);
    expect(() => session().conf.set(SHUFFLE_PARTITIONS, value)).toThrow(message);
  });
});
