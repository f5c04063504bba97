import type { Row, Value } from '../core/types.js';
import { col, current_date, date_add, date_sub, expr, lit, timestamp_seconds } from '../api/functions.js';
import type { Column } from '../api/column.js';
import { bindExpr, type Scope } from './binder.js';

const scope = (timeZone = 'UTC'): Scope => ({
  fields: [
    { name: 't', type: 'timestamp', nullable: true },
    { name: 'd', type: 'date', nullable: true },
    { name: 's', type: 'string', nullable: true },
    { name: 'ss', type: 'string', nullable: true },
    { name: 'n', type: 'int', nullable: true },
    { name: 'secs', type: 'bigint', nullable: true },
    { name: 'x', type: 'double', nullable: true },
  ],
  timeZone,
});
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const ts = (iso: string): number => Date.parse(`${iso}Z`) * 1000;
// DateFunctionsSuite's rows: (t, d, s, ss) for 2015-06-01 12:34:56 and 2015-06-02 12:34:56.
const rows: Row[] = [
  [ts('2015-06-01T12:34:56'), day('2015-06-01'), '2015-06-01', '2015-06-01 12:34:56', 1, 1230219000, 1.5],
  [ts('2015-06-02T12:34:56'), day('2015-06-02'), '2015-06-02', '2015-06-02 12:34:56', 3, -1230219000, -1.5],
];
const ctx = { batchTimestampMs: Date.UTC(2024, 0, 1, 23, 30) };
const bind = (c: Column, timeZone?: string) => bindExpr(c.expr, scope(timeZone));
const run = (c: Column, timeZone?: string): Value[] => {
  const b = bind(c, timeZone);
  return rows.map((r) => b.eval(r, ctx));
};

describe('date_add / date_sub (DateAdd, DateSub)', () => {
  it('DateFunctionsSuite "function date_add": dates, timestamps and strings, by a literal or a column', () => {
    expect(run(date_add(col('d'), 1))).toEqual([day('2015-06-02'), day('2015-06-03')]);
    expect(run(date_add(col('t'), 3))).toEqual([day('2015-06-04'), day('2015-06-05')]);
    expect(run(date_add(col('s'), 5))).toEqual([day('2015-06-06'), day('2015-06-07')]);
    expect(run(date_add(col('ss'), 7))).toEqual([day('2015-06-08'), day('2015-06-09')]);
    expect(run(date_add('d', 'n'))).toEqual([day('2015-06-02'), day('2015-06-05')]);
    expect(run(expr('DATE_ADD(null, 1)'))).toEqual([null, null]);
    expect(run(expr("date_add('2015-06-12', -1)"))).toEqual([day('2015-06-11'), day('2015-06-11')]);
  });

  it('DateFunctionsSuite "function date_sub"', () => {
    expect(run(date_sub(col('d'), 1))).toEqual([day('2015-05-31'), day('2015-06-01')]);
    expect(run(date_sub(col('t'), 1))).toEqual([day('2015-05-31'), day('2015-06-01')]);
    expect(run(date_sub(col('s'), 1))).toEqual([day('2015-05-31'), day('2015-06-01')]);
    expect(run(expr("date_sub('2015-06-12 14:00:00', 31)"))).toEqual([day('2015-05-12'), day('2015-05-12')]);
    expect(run(expr("date_sub('2015-06-12', null)"))).toEqual([null, null]);
  });

  it('are named as Spark names them, and typed date', () => {
    // Spark 4.2.0 analyzed plan: date_add(d, 1), date_sub(d, 1), date_add(d, n), date_add(ts, 1).
    expect(bind(date_add(col('d'), 1)).name).toBe('date_add(d, 1)');
    expect(bind(date_sub(col('d'), 1)).name).toBe('date_sub(d, 1)');
    expect(bind(date_add(col('d'), col('n'))).name).toBe('date_add(d, n)');
    expect(bind(date_add(col('t'), 1)).name).toBe('date_add(t, 1)');
    expect(bind(expr("date_add('2024-01-31 23:59:59', 1)")).name).toBe('date_add(2024-01-31 23:59:59, 1)');
    // `dateadd` is an alias: Spark 4.2.0 names `dateadd(DATE '2024-01-01', 1)` date_add(...).
    expect(bind(expr('dateadd(d, 1)')).name).toBe('date_add(d, 1)');
    expect(bind(date_add(col('d'), 1)).type).toBe('date');
  });

  it('take days as a string cast to int; int arithmetic wraps (Spark 4.2.0 runs)', () => {
    expect(run(expr("date_add(d, '3')"))[0]).toBe(day('2015-06-04'));
    // `select date_add(date'2024-01-01', 2147483647)` printed -5877587-06-21: Java int overflow.
    expect(bind(expr("date_add('2024-01-01', 2147483647)")).eval([], ctx)).toBe((day('2024-01-01') + 2147483647) | 0);
  });

  it.each<[string, string]>([
    // Spark 4.2.0 messages (the plan Spark appends after `;` left out).
    ['date_add(d, secs)', '[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "date_add(d, secs)" due to data type mismatch: The second parameter requires the ("INT" or "SMALLINT" or "TINYINT") type, however "secs" has the type "BIGINT". SQLSTATE: 42K09'],
    // (Spark types the literal 1.5 DECIMAL(2,1) and says so; Sluice types it DOUBLE.)
    ['date_add(d, 1.5)', '[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "date_add(d, 1.5)" due to data type mismatch: The second parameter requires the ("INT" or "SMALLINT" or "TINYINT") type, however "1.5" has the type "DECIMAL(2,1)". SQLSTATE: 42K09'],
    ['date_add(1, 1)', '[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "date_add(1, 1)" due to data type mismatch: The first parameter requires the "DATE" type, however "1" has the type "INT". SQLSTATE: 42K09'],
    ["timestamp_seconds('12')", '[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "timestamp_seconds(12)" due to data type mismatch: The first parameter requires the "NUMERIC" type, however "12" has the type "STRING". SQLSTATE: 42K09'],
  ])('rejects %s at analysis', (sql, message) => {
    expect(() => bind(expr(sql))).toThrow(expect.objectContaining({ code: 'ANALYSIS_ERROR', message }));
  });

  it.each<[string, string]>([
    ["date_add('2024-02-30', 1)", `[CAST_INVALID_INPUT] The value '2024-02-30' of the type "STRING" cannot be cast to "DATE" because it is malformed.`],
    ["date_add('abc', 1)", `[CAST_INVALID_INPUT] The value 'abc' of the type "STRING" cannot be cast to "DATE" because it is malformed.`],
    ["date_add(d, 'x')", `[CAST_INVALID_INPUT] The value 'x' of the type "STRING" cannot be cast to "INT" because it is malformed.`],
  ])('fails on malformed strings under ANSI: %s', (sql, start) => {
    const b = bind(expr(sql));
    expect(() => b.eval(rows[0] ?? [], ctx)).toThrow(expect.objectContaining({ code: 'RUNTIME_ERROR', message: expect.stringContaining(start) }));
  });
});

describe('timestamp_seconds (SecondsToTimestamp)', () => {
  it('DateFunctionsSuite SPARK-31710: integral seconds (shown in UTC here), and fractions to micros', () => {
    expect(run(timestamp_seconds(col('secs')))).toEqual([ts('2008-12-25T15:30:00'), ts('1931-01-07T08:30:00')]);
    expect(bind(timestamp_seconds(col('secs'))).name).toBe('timestamp_seconds(secs)');
    expect(bind(timestamp_seconds(col('secs'))).type).toBe('timestamp');
    // Spark 4.2.0: timestamp_seconds(1.5) 1970-01-01 00:00:01.5, (-1.5D) 1969-12-31 23:59:58.5, NaN → NULL.
    expect(run(timestamp_seconds('x'))).toEqual([1_500_000, -1_500_000]);
    expect(bind(expr("timestamp_seconds(CAST('NaN' AS DOUBLE))")).eval([], ctx)).toBeNull();
    // A DECIMAL's seconds times 10^6 exactly (BigDecimal.longValueExact): Spark 4.2.0 fails
    // timestamp_seconds(1.1234567) with java.lang.ArithmeticException: Rounding necessary.
    expect(bind(expr('timestamp_seconds(1.5)')).eval([], ctx)).toBe(1_500_000);
    expect(bind(expr('timestamp_seconds(-0.000001)')).eval([], ctx)).toBe(-1);
    expect(() => bind(expr('timestamp_seconds(1.1234567)')).eval([], ctx)).toThrow(expect.objectContaining({ code: 'RUNTIME_ERROR', message: 'Rounding necessary' }));
    expect(bind(expr('timestamp_seconds(CAST(1 AS TINYINT))')).eval([], ctx)).toBe(1_000_000);
  });

  it('overflows a long as Spark does (java.lang.ArithmeticException: long overflow)', () => {
    expect(() => bind(expr('timestamp_seconds(9223372036855)')).eval([], ctx)).toThrow(expect.objectContaining({ code: 'RUNTIME_ERROR', message: 'long overflow' }));
  });
});

describe('current_date (streaming: the batch timestamp as a date)', () => {
  it('is the date of batchTimestampMs in the session time zone, named current_date()', () => {
    // MicroBatchExecution replaces CurrentDate by CurrentBatchTimestamp(batchTimestampMs, DateType).
    expect(bind(current_date()).eval([], ctx)).toBe(day('2024-01-01'));
    expect(bind(current_date(), 'Asia/Tokyo').eval([], ctx)).toBe(day('2024-01-02'));
    expect(bind(current_date()).name).toBe('current_date()');
    expect(bind(current_date()).nullable).toBe(false);
    // Spark 4.2.0: `select curdate(), current_date` both name the column current_date().
    expect(bind(expr('curdate()')).name).toBe('current_date()');
    expect(bind(expr('current_date')).name).toBe('current_date()');
    expect(bind(date_add(current_date(), lit(1))).name).toBe('date_add(current_date(), 1)');
  });
});
