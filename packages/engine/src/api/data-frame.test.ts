import { SparkSession } from './spark-session.js';
import { window } from './functions.js';
import type { DataFrame } from './data-frame.js';
import { QueryManager } from '../runtime/query-manager.js';
import { PlanRunner } from '../testing/plan-runner.js';

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');
const lines = (): DataFrame =>
  spark.readStream.format('socket').option('host', 'localhost').option('port', 1).option('includeTimestamp', true).load();
const at = (hh: number, mm: number): number => Date.UTC(2024, 0, 1, hh, mm) * 1000;

describe('DataFrame.toDF (Dataset.toDF(colNames*))', () => {
  it('renames every column by position and keeps the rows', () => {
    // Spark 4.2.0: df(x INT, y STRING).toDF("p", "q") prints p, q with the same rows and types.
    const df = lines().toDF('v', 'ts');
    expect(df.schema).toEqual([{ name: 'v', type: 'string', nullable: true }, { name: 'ts', type: 'timestamp', nullable: true }]);
    const r = new PlanRunner(df.writeStream.toPlan());
    expect(r.runBatch([['a', at(12, 0)]])).toEqual([['a', at(12, 0)]]);
  });

  it('fails when the number of names differs, with Spark 4.2.0 text (first count: the columns)', () => {
    // Spark 4.2.0: a two-column df.toDF("a") and df.toDF("a", "b", "c").
    expect(() => lines().toDF('a')).toThrow(expect.objectContaining({
      code: 'ANALYSIS_ERROR',
      message: '[ASSIGNMENT_ARITY_MISMATCH] The number of columns or variables assigned or aliased: 2 does not match the number of source expressions: 1. SQLSTATE: 42802',
    }));
    expect(() => lines().toDF('a', 'b', 'c')).toThrow('[ASSIGNMENT_ARITY_MISMATCH] The number of columns or variables assigned or aliased: 2 does not match the number of source expressions: 3. SQLSTATE: 42802');
  });

  it('allows duplicate names, and renames columns whose names were duplicates (by position)', () => {
    // Spark 4.2.0: df.toDF("p", "p") shows two columns named p.
    expect(lines().toDF('p', 'p').columns).toEqual(['p', 'p']);
    expect(lines().toDF('p', 'p').toDF('a', 'b').columns).toEqual(['a', 'b']);
    expect(lines().crossJoin(lines()).toDF('a', 'b', 'c', 'd').columns).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps the watermark of a renamed event-time column (Alias keeps the attribute metadata)', () => {
    const df = lines().withWatermark('timestamp', '10 minutes').toDF('v', 'eventTime').groupBy(window('eventTime', '10 minutes')).count();
    const r = new PlanRunner(df.writeStream.outputMode('append').toPlan());
    r.runBatch([['a', at(12, 7)], ['a', at(12, 30)]]);
    expect(r.runBatch([])).toEqual([[[at(12, 0), at(12, 10)], 1]]);
  });
});
