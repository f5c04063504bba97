import { fromIntervalString } from './from-interval-string.js';
import { durationMs, isFailure, stringToInterval, unitToUnitInterval } from './interval.js';
import type { DataFrame } from '../api/data-frame.js';
import { parseExpression } from './sql-parser.js';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// Expected texts below come from Spark's error-conditions.json (CANNOT_PARSE_INTERVAL,
// _LEGACY_ERROR_TEMP_0026/0029/0063, INVALID_TYPED_LITERAL) and IntervalUtils.scala's messages.
// intervalString is toSQLValue(input, StringType): single-quoted, a quote inside escaped as \'.
const cannotParse = (s: string): string =>
  `[CANNOT_PARSE_INTERVAL] Unable to parse '${s.replaceAll("'", "\\'")}'. Please ensure that the value provided is in a valid format for defining an interval. ` +
  'You can reference the documentation for the correct format. If the issue persists, please double check that the input value is not null or empty and try again. SQLSTATE: 22006';

describe('IntervalUtils.fromIntervalString (withWatermark / window durations)', () => {
  // The delay thresholds of EventTimeWatermarkSuite "SPARK-35815: Support ANSI intervals for
  // delay threshold": each variant must give the same milliseconds (a month is 31 days).
  const cases: Array<[string[], number]> = [
    [['3 days', 'Interval 3 day', "inTerval '3' day"], 3 * DAY],
    [[' 5 hours', 'INTERVAL 5 hour', "interval '5' hour"], 5 * HOUR],
    [['\t8 minutes', 'interval 8 minute', "interval '8' minute"], 8 * MIN],
    [['10 seconds', 'interval 10 second', "interval '10' second"], 10 * SEC],
    [['1 years', 'interval 1 year', "interval '1' year"], 12 * 31 * DAY],
    [['1 months', 'interval 1 month', "interval '1' month"], 31 * DAY],
    [['1 day 2 hours 3 minutes 4 seconds', ' interval 1 day 2 hours 3 minutes 4 seconds',
      "\tinterval '1' day '2' hours '3' minutes '4' seconds", "interval '1 2:3:4' day to second"], DAY + 2 * HOUR + 3 * MIN + 4 * SEC],
    [[' 1 year 2 months', 'interval 1 year 2 month', "interval '1' year '2' month", "\tinterval '1-2' year to month"], (12 * 31 + 2 * 31) * DAY],
  ];
  it.each(cases)('%j', (variants, expectedMs) => {
    for (const v of variants) expect(durationMs(fromIntervalString(v))).toBe(expectedMs);
  });

  it('reads singular and plural units, weeks, milliseconds, fractions of seconds and signs', () => {
    expect(fromIntervalString('1 week 1 millisecond 2 microseconds')).toEqual({ months: 0, days: 7, micros: 1002 });
    expect(fromIntervalString('1.5 seconds')).toEqual({ months: 0, days: 0, micros: 1_500_000 });
    expect(fromIntervalString('-10 seconds')).toEqual({ months: 0, days: 0, micros: -10_000_000 });
    expect(fromIntervalString('1 month -40 days')).toEqual({ months: 1, days: -40, micros: 0 });
    expect(fromIntervalString("interval '3:30' minute to second")).toEqual({ months: 0, days: 0, micros: 210_000_000 });
    expect(fromIntervalString("interval '1 10:30:00' day to second").micros).toBe((34 * 3600 + 1800) * 1_000_000);
    expect(fromIntervalString("interval -'1 10:30:00' day to second").micros).toBe(-(34 * 3600 + 1800) * 1_000_000);
  });

  // The invalid patterns of the same Spark test: each is an AnalysisException (CANNOT_PARSE_INTERVAL).
  it.each(['1 foo', 'interva 2 day', "intrval '3' day", 'interval 4 foo', "interval '5' foo",
    "interval '1 2:3:4' day to hour", "interval '1 2' year to month", '10 ms', ''])('rejects %j', (bad) => {
    expect(() => fromIntervalString(bad)).toThrow(cannotParse(bad));
    expect(() => fromIntervalString(bad)).toThrow(expect.objectContaining({ code: 'ANALYSIS_ERROR' }));
  });

  it('keeps IntervalUtils.stringToInterval messages as the cause', () => {
    const r = stringToInterval('1 foo');
    expect(isFailure(r) && r.error).toBe("Error parsing '1 foo' to interval, invalid unit 'foo'");
    const f = stringToInterval('1.5 hours');
    // IntervalUtils reports the word at the unit position (currentWord), here the unit itself.
    expect(isFailure(f) && f.error).toBe("Error parsing '1.5 hours' to interval, 'hours' cannot have fractional part");
    const e = stringToInterval('10');
    expect(isFailure(e) && e.error).toBe("Error parsing '10' to interval, expect a unit name after '10' but hit EOL");
  });

  it('unit-to-unit strings follow IntervalUtils.castStringToDTInterval / castStringToYMInterval', () => {
    const bad = unitToUnitInterval('1 2', 'year', 'month');
    expect(isFailure(bad) && bad.error).toBe(
      'Interval string does not match year-month format of `[+|-]y-m`, `INTERVAL [+|-]\'[+|-]y-m\' YEAR TO MONTH` when cast to interval year to month: 1 2',
    );
    const range = unitToUnitInterval('1 25:00:00', 'day', 'second');
    expect(isFailure(range) && range.error).toBe('requirement failed: hour 25 outside range [0, 23]');
    expect(unitToUnitInterval('-1-2', 'year', 'month')).toEqual({ months: -14, days: 0, micros: 0 });
  });
});

describe('INTERVAL literals in SQL expressions (AstBuilder.visitInterval, ANSI intervals)', () => {
  const lit = (sql: string): unknown => parseExpression(sql);
  it('day-time literals hold microseconds; year-month literals hold months', () => {
    expect(lit('INTERVAL 1 HOUR')).toEqual({ kind: 'literal', value: 3_600_000_000, type: 'interval' });
    expect(lit('interval 2 hours 30 minutes')).toEqual({ kind: 'literal', value: 9_000_000_000, type: 'interval' });
    expect(lit("INTERVAL '10' SECOND")).toEqual({ kind: 'literal', value: 10_000_000, type: 'interval' });
    expect(lit('INTERVAL -1 DAY')).toEqual({ kind: 'literal', value: -86_400_000_000, type: 'interval' });
    expect(lit("INTERVAL '1 10:30:00' DAY TO SECOND")).toEqual({ kind: 'literal', value: (34 * 3600 + 1800) * 1_000_000, type: 'interval' });
    expect(lit("INTERVAL '3:30' MINUTE TO SECOND")).toEqual({ kind: 'literal', value: 210_000_000, type: 'interval' });
    expect(lit('INTERVAL 1 YEAR 2 MONTHS')).toEqual({ kind: 'literal', value: 14, type: 'interval year to month' });
    expect(lit("INTERVAL '1-2' YEAR TO MONTH")).toEqual({ kind: 'literal', value: 14, type: 'interval year to month' });
    expect(lit("INTERVAL '2 seconds'")).toEqual({ kind: 'literal', value: 2_000_000, type: 'interval' });
  });

  it('mixing year-month and day-time units is _LEGACY_ERROR_TEMP_0029', () => {
    expect(() => parseExpression('INTERVAL 1 MONTH 2 DAYS')).toThrow(
      'Cannot mix year-month and day-time fields: INTERVAL 1 MONTH 2 DAYS. (line 1, pos 0)\n\n== SQL ==\nINTERVAL 1 MONTH 2 DAYS\n^^^\n',
    );
  });

  it('a malformed unit-to-unit value is _LEGACY_ERROR_TEMP_0063 (the IntervalUtils message)', () => {
    expect(() => parseExpression("INTERVAL '1 2' YEAR TO MONTH")).toThrow(
      'Interval string does not match year-month format of `[+|-]y-m`, `INTERVAL [+|-]\'[+|-]y-m\' YEAR TO MONTH` when cast to interval year to month: 1 2. (line 1, pos 9)',
    );
  });

  it('a quoted multi-unit value holding letters is _LEGACY_ERROR_TEMP_0026', () => {
    expect(() => parseExpression("INTERVAL '1 day' HOUR")).toThrow(
      'Can only use numbers in the interval value part for multiple unit value pairs interval form, but got invalid value: 1 day. (line 1, pos 9)',
    );
  });

  it('an unparsable interval string is INVALID_TYPED_LITERAL', () => {
    expect(() => parseExpression("INTERVAL '1 foo'")).toThrow(
      '[INVALID_TYPED_LITERAL] The value of the typed literal "INTERVAL" is invalid: \'1 foo\'. SQLSTATE: 42604 (line 1, pos 0)',
    );
  });
});

describe('withWatermark delays (Dataset.withWatermark)', () => {
  // Imported lazily: the session pulls in the whole API.
  const events = async (): Promise<DataFrame> => {
    const { SparkSession } = await import('../api/spark-session.js');
    const { QueryManager } = await import('../runtime/query-manager.js');
    const spark = new SparkSession('test', new QueryManager());
    return spark.readStream.format('socket').option('host', 'localhost').option('port', 1).option('includeTimestamp', true).load();
  };

  it('a month counts 31 days; years and months are allowed (EventTimeWatermark.getDelayMs)', async () => {
    const df = await events();
    const plan = df.withWatermark('timestamp', '1 month').plan;
    expect(plan.node === 'EventTimeWatermark' && plan.delayMs).toBe(31 * DAY);
    const ym = df.withWatermark('timestamp', "interval '1-2' year to month").plan;
    expect(ym.node === 'EventTimeWatermark' && ym.delayMs).toBe(14 * 31 * DAY);
  });

  // EventTimeWatermarkSuite "delay threshold should not be negative.": an IllegalArgumentException
  // from `require(!IntervalUtils.isNegative(parsedDelay), s"delay threshold ($delayThreshold) should not be negative.")`.
  it.each(['-1 year', '1 year -13 months', '1 month -40 days', '-10 seconds'])('rejects the negative delay %j', async (delay) => {
    const df = await events();
    expect(() => df.withWatermark('timestamp', delay)).toThrow(
      expect.objectContaining({ code: 'ILLEGAL_ARGUMENT', message: `requirement failed: delay threshold (${delay}) should not be negative.` }),
    );
  });

  // Spark 4.2.0 (conformance watermark/delay-unparsable): the unknown unit's INVALID_INTERVAL_FORMAT.INVALID_UNIT.
  it('a delay with an unknown unit is INVALID_INTERVAL_FORMAT.INVALID_UNIT', async () => {
    const df = await events();
    expect(() => df.withWatermark('timestamp', '10 parsecs')).toThrow(
      "[INVALID_INTERVAL_FORMAT.INVALID_UNIT] Error parsing '10 parsecs' to interval. Please ensure that the value provided is in a valid format for defining an interval. " +
        'You can reference the documentation for the correct format. Invalid unit parsecs. SQLSTATE: 22006',
    );
  });
});
