import { SparkSession } from '../api/spark-session.js';
import { col, collect_list, count, expr, session_window, when } from '../api/functions.js';
import type { DataFrame } from '../api/data-frame.js';
import type { Row } from '../core/types.js';
import { QueryManager } from '../runtime/query-manager.js';
import { PlanRunner } from '../testing/plan-runner.js';

const spark = new SparkSession('session-test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');
const source = (ddl: string): DataFrame => spark.readStream.schema(ddl).json('/tmp/sluice-session-window-test');
const at = (hms: string, date = '2016-03-27'): number => Date.parse(`${date}T${hms}Z`) * 1000;
const session = (from: string, to: string): [number, number] => [at(from), at(to)];

// DataFrameSessionWindowingSuite's temp table: (time, value, duration).
const temp: Row[] = [
  [at('19:39:34'), 1, '10 seconds'],
  [at('19:39:56'), 2, '20 seconds'],
  [at('19:39:27'), 4, '30 seconds'],
];
const project = (df: DataFrame, rows: readonly Row[]): Row[] => new PlanRunner(df.writeStream.toPlan()).runBatch(rows);
const table = (): DataFrame => source('time TIMESTAMP, value INT, duration STRING');

describe('session_window with a dynamic gap (SessionWindowing, SPARK-36465)', () => {
  it('"time window in SQL with dynamic string expression": the gap is read per row', () => {
    expect(project(table().selectExpr('session_window(time, duration)', 'value'), temp)).toEqual([
      [session('19:39:34', '19:39:44'), 1],
      [session('19:39:56', '19:40:16'), 2],
      [session('19:39:27', '19:39:57'), 4],
    ]);
  });

  it('"...with conditional expression as gap duration" (CASE WHEN, and when().otherwise())', () => {
    const sql = "session_window(time, case when value = 1 then '2 seconds' when value = 2 then '10 seconds' else '20 seconds' end)";
    const expected = [[session('19:39:34', '19:39:36'), 1], [session('19:39:56', '19:40:06'), 2], [session('19:39:27', '19:39:47'), 4]];
    expect(project(table().selectExpr(sql, 'value'), temp)).toEqual(expected);
    const gap = when(col('value').equalTo(1), '2 seconds').when(col('value').equalTo(2), '10 seconds').otherwise('20 seconds');
    const df = table().select(session_window('time', gap), col('value'));
    expect(df.columns).toEqual(['session_window', 'value']);
    expect(project(df, temp)).toEqual(expected);
  });

  it('"filter out events with negative/zero gap duration" (the UDF there written as CASE here)', () => {
    const gap = "case when value = 1 then '0 seconds' when value = 2 then '-10 seconds' else '5 seconds' end";
    const df = table().withColumn('id', expr("'k'")).groupBy(col('id'), expr(`session_window(time, ${gap})`)).agg(count('*').alias('counts'));
    const r = new PlanRunner(df.writeStream.outputMode('complete').toPlan());
    expect(r.runBatch(temp)).toEqual([['k', session('19:39:27', '19:39:32'), 1]]);
  });

  it('"filter out events with invalid gap duration": a gap that is no interval drops the row', () => {
    expect(project(table().select(session_window('time', 'x sec'), col('value')), temp)).toEqual([]);
    const sql = "session_window(time, case when value = 1 then '2 seconds' when value = 2 then 'invalid gap duration' else '20 seconds' end)";
    expect(project(table().selectExpr(sql, 'value'), temp)).toEqual([[session('19:39:34', '19:39:36'), 1], [session('19:39:27', '19:39:47'), 4]]);
  });

  it('a NULL gap drops the row; a month gap adds calendar months (Spark 4.2.0 runs)', () => {
    expect(project(table().selectExpr("session_window(time, case when value = 1 then '2 seconds' end)", 'value'), temp))
      .toEqual([[session('19:39:34', '19:39:36'), 1]]);
    expect(project(table().select(session_window('time', '1 month'), col('value')), temp.slice(0, 1)))
      .toEqual([[[at('19:39:34'), at('19:39:34', '2016-04-27')], 1]]);
  });

  it.each<[string, string]>([
    // Spark 4.2.0 (AnalysisException). Spark names `INTERVAL 10 SECONDS` DayTimeIntervalType(3,3):
    // Sluice keeps no interval fields and says DayTimeIntervalType(0,3).
    ['session_window(time, 5)', 'Gap duration expression used in session window must be CalendarIntervalType, but got IntegerType.'],
    ['session_window(time, INTERVAL 10 SECONDS)', 'Gap duration expression used in session window must be CalendarIntervalType, but got DayTimeIntervalType(0,3).'],
  ])('"Unsupported dynamic gap datatype": %s', (sql, message) => {
    expect(() => table().selectExpr(sql)).toThrow(expect.objectContaining({ code: 'ANALYSIS_ERROR', message }));
  });

  it("the programming guide's dynamic gaps: 12:04 (4 min), 12:06 (9), 12:09 (5), 12:17 (5) make 12:04-12:15 and 12:17-12:22", () => {
    const df = source('userId STRING, timestamp TIMESTAMP, gap STRING').groupBy(session_window(col('timestamp'), col('gap')), col('userId')).count();
    const r = new PlanRunner(df.writeStream.outputMode('complete').toPlan());
    const t = (hm: string): number => at(`${hm}:00`, '2024-01-01');
    // In the order of Spark's session state store (Spark 4.2.0 printed 12:17 first for this input).
    expect(r.runBatch([['u', t('12:04'), '4 minutes'], ['u', t('12:06'), '9 minutes'], ['u', t('12:09'), '5 minutes'], ['u', t('12:17'), '5 minutes']]))
      .toEqual([[[t('12:17'), t('12:22')], 'u', 1], [[t('12:04'), t('12:15')], 'u', 3]]);
  });

  it('streams in append mode with a watermark as Spark 4.2.0 did (MemoryStream, console)', () => {
    // groupBy(key, session_window(time, when(v = 1, '10 seconds').when(v = 2, '20 seconds')
    //   .when(v = 3, '-5 seconds').otherwise('bogus'))).agg(count(*) AS n, collect_list(v) AS vs),
    // withWatermark(time, '10 seconds'); Spark printed these six batches. collect_list shows
    // that merged sessions combine their rows in session-start order ([1, 2], not [2, 1]).
    const gap = when(col('v').equalTo(1), '10 seconds').when(col('v').equalTo(2), '20 seconds').when(col('v').equalTo(3), '-5 seconds').otherwise('bogus');
    const df = source('key STRING, time TIMESTAMP, v INT').withWatermark('time', '10 seconds')
      .groupBy(col('key'), session_window(col('time'), gap)).agg(count('*').alias('n'), collect_list('v').alias('vs'));
    const r = new PlanRunner(df.writeStream.outputMode('append').toPlan());
    const e = (hms: string, v: number): Row => ['', at(hms), v];
    expect(r.runBatch([e('19:39:34', 1), e('19:39:56', 2), e('19:39:27', 4), e('19:39:40', 3)])).toEqual([]);
    expect(r.needsNoDataBatch).toBe(true);
    expect(r.runBatch([])).toEqual([['', session('19:39:34', '19:39:44'), 1, [1]]]);
    expect(r.runBatch([e('19:39:50', 1), e('19:40:40', 1)])).toEqual([]);
    expect(r.runBatch([])).toEqual([['', session('19:39:50', '19:40:16'), 2, [1, 2]]]);
    expect(r.runBatch([e('19:42:40', 1)])).toEqual([]);
    expect(r.runBatch([])).toEqual([['', session('19:40:40', '19:40:50'), 1, [1]]]);
  });
});
