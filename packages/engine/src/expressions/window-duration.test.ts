import { SparkSession } from '../api/spark-session.js';
import { col, expr, window } from '../api/functions.js';
import type { DataFrame } from '../api/data-frame.js';
import { QueryManager } from '../runtime/query-manager.js';

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');
const events = (): DataFrame =>
  spark.readStream.format('socket').option('host', 'localhost').option('port', 1).option('includeTimestamp', true).load();

// Texts: TimeWindow.checkInputDataTypes with DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE and
// PARAMETER_CONSTRAINT_VIOLATION (error-conditions.json), parameters as AnalysisErrorSuite pins
// them ("negative window duration in time window", "SPARK-21590: absolute value of start time
// equal to slide duration in time window"): the durations in microseconds, values with an L.
const mismatch = (sqlExpr: string, sub: string, detail: string): string =>
  `[DATATYPE_MISMATCH.${sub}] Cannot resolve "${sqlExpr}" due to data type mismatch: ${detail} SQLSTATE: 42K09`;

describe('window() durations (TimeWindow)', () => {
  it('a non-positive window duration is VALUE_OUT_OF_RANGE', () => {
    expect(() => events().groupBy(window('timestamp', '0 seconds')).count()).toThrow(
      mismatch('window(timestamp, 0, 0, 0)', 'VALUE_OUT_OF_RANGE', 'The `window_duration` must be between (0, 9223372036854775807] (current value = 0L).'),
    );
    expect(() => events().groupBy(window('timestamp', '-1 second', '1 second', '0 second')).count()).toThrow(
      mismatch('window(timestamp, -1000000, 1000000, 0)', 'VALUE_OUT_OF_RANGE', 'The `window_duration` must be between (0, 9223372036854775807] (current value = -1000000L).'),
    );
    expect(() => events().groupBy(window('timestamp', '1 second', '-1 second', '0 second')).count()).toThrow(
      mismatch('window(timestamp, 1000000, -1000000, 0)', 'VALUE_OUT_OF_RANGE', 'The `slide_duration` must be between (0, 9223372036854775807] (current value = -1000000L).'),
    );
  });

  it('slide and start time constraints are PARAMETER_CONSTRAINT_VIOLATION', () => {
    expect(() => events().groupBy(window('timestamp', '1 second', '2 seconds')).count()).toThrow(
      mismatch('window(timestamp, 1000000, 2000000, 0)', 'PARAMETER_CONSTRAINT_VIOLATION', 'The `slide_duration`(2000000L) must be <= the `window_duration`(1000000L).'),
    );
    expect(() => events().groupBy(window('timestamp', '1 second', '1 second', '-1 second')).count()).toThrow(
      mismatch('window(timestamp, 1000000, 1000000, -1000000)', 'PARAMETER_CONSTRAINT_VIOLATION', 'The `abs(start_time)`(1000000L) must be < the `slide_duration`(1000000L).'),
    );
  });

  it('months are rejected with _LEGACY_ERROR_TEMP_3231 (an IllegalArgumentException in Spark)', () => {
    expect(() => events().groupBy(window('timestamp', '1 month')).count()).toThrow(
      expect.objectContaining({ code: 'ILLEGAL_ARGUMENT', message: 'Intervals greater than a month is not supported (1 month).' }),
    );
    expect(() => events().groupBy(window('timestamp', 'interval 1 year')).count()).toThrow('Intervals greater than a month is not supported (interval 1 year).');
    // A year less twelve months is no month at all (CalendarInterval.months == 0).
    expect(() => events().groupBy(window('timestamp', '1 year -12 months 10 minutes')).count()).not.toThrow();
  });

  it('takes Spark interval strings: plural or singular units, quoted and unit-to-unit forms', () => {
    for (const d of ['10 minutes', '10 minute', 'interval 10 minutes', "interval '10' minute", "interval '0 00:10:00' day to second", "INTERVAL '10:00' MINUTE TO SECOND"]) {
      expect(() => events().groupBy(window('timestamp', d)).count()).not.toThrow();
    }
  });

  it('an unparsable duration is CANNOT_PARSE_INTERVAL (IntervalUtils.fromIntervalString)', () => {
    expect(() => events().groupBy(window('timestamp', '10 parsecs')).count()).toThrow(
      "[CANNOT_PARSE_INTERVAL] Unable to parse '10 parsecs'. Please ensure that the value provided is in a valid format for defining an interval.",
    );
  });

  it('an integer literal is microseconds; another expression is _LEGACY_ERROR_TEMP_1207', () => {
    expect(() => events().groupBy(expr('window(timestamp, 1000000)')).count()).not.toThrow();
    expect(() => events().groupBy(window(col('timestamp'), '1 minute'), expr('window(timestamp, value)')).count()).toThrow(
      'The duration and time inputs to window must be an integer, long or string literal.',
    );
  });

  it('a wrong argument count is WRONG_NUM_ARGS with the valid counts of TimeWindow\'s constructors', () => {
    expect(() => events().groupBy(expr('window(timestamp)')).count()).toThrow(
      "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `window` requires [2, 3, 4] parameters but the actual number is 1. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix. SQLSTATE: 42605",
    );
  });
});
