import type { DataType, Row, Value } from '../core/types.js';
import { typeSql, YEAR_MONTH } from '../core/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { IllegalArgumentError } from '../errors/illegal-argument-error.js';
import { fromIntervalString } from './from-interval-string.js';
import { addInterval, isFailure, MICROS_PER_DAY, stringToInterval, type CalendarInterval } from './interval.js';
import type { Bound, EvalContext } from './bound.js';
import { castValue } from './cast.js';

export const WINDOW_TYPE: DataType = {
  kind: 'struct',
  fields: [
    { name: 'start', type: 'timestamp', nullable: true },
    { name: 'end', type: 'timestamp', nullable: true },
  ],
};

/**
 * TimeWindow.parseExpression: a string literal is an interval (IntervalUtils.fromIntervalString;
 * months are rejected, TimeWindow.getIntervalInMicroSeconds), an integer or long literal is
 * microseconds.
 */
function durationMicros(arg: Bound | undefined): number {
  const raw = arg?.eval([], { batchTimestampMs: 0 });
  if (arg !== undefined && arg.type === 'string' && typeof raw === 'string') {
    const interval = fromIntervalString(raw);
    if (interval.months !== 0) throw new IllegalArgumentError(`Intervals greater than a month is not supported (${raw}).`);
    return interval.days * MICROS_PER_DAY + interval.micros;
  }
  if (arg !== undefined && (arg.type === 'int' || arg.type === 'bigint') && typeof raw === 'number') return raw;
  throw new AnalysisException('The duration and time inputs to window must be an integer, long or string literal.');
}

/** WRONG_NUM_ARGS.WITHOUT_SUGGESTION (QueryCompilationErrors.wrongNumArgsError; docroot is SPARK_DOC_ROOT). */
export function wrongNumArgs(name: string, expected: string, actual: number): AnalysisException {
  return new AnalysisException(
    `[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${name}\` requires ${expected} parameters but the actual number is ${actual}. ` +
      "Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix. SQLSTATE: 42605",
  );
}

/** `[DATATYPE_MISMATCH.<sub>] Cannot resolve "window(...)" due to data type mismatch: ...` (TimeWindow.checkInputDataTypes). */
function windowMismatch(sqlExpr: string, sub: string, detail: string): AnalysisException {
  return new AnalysisException(`[DATATYPE_MISMATCH.${sub}] Cannot resolve "${sqlExpr}" due to data type mismatch: ${detail} SQLSTATE: 42K09`);
}

const outOfRange = (sqlExpr: string, name: string, value: number): AnalysisException =>
  windowMismatch(sqlExpr, 'VALUE_OUT_OF_RANGE', `The \`${name}\` must be between (0, 9223372036854775807] (current value = ${value}L).`);

const violation = (sqlExpr: string, left: string, lv: number, constraint: string, right: string, rv: number): AnalysisException =>
  windowMismatch(sqlExpr, 'PARAMETER_CONSTRAINT_VIOLATION', `The \`${left}\`(${lv}L) must be ${constraint} the \`${right}\`(${rv}L).`);

/**
 * The windows an event time falls in (Spark's TimeWindowing): aligned to the epoch plus
 * startTime, half-open [start, end), one per slide for sliding windows — in the order of the
 * Expand's projections, `getWindow(i)` for i = 0, 1, ...: the latest window first.
 */
export function assignWindows(t: number, windowUs: number, slideUs: number, startUs: number): Value[] {
  const lastStart = lastWindowStart(t, slideUs, startUs);
  const n = windowCount(t, lastStart, windowUs, slideUs);
  const out: Value[] = [];
  for (let i = 0; i < n; i++) out.push([lastStart - i * slideUs, lastStart - i * slideUs + windowUs]);
  return out;
}

/** The start of the latest window holding `t` (the first one assignWindows lists). */
export function lastWindowStart(t: number, slideUs: number, startUs: number): number {
  const remainder = (t - startUs) % slideUs;
  return t - (remainder < 0 ? remainder + slideUs : remainder);
}

/**
 * How many windows hold `t`: of the ceil(window / slide) candidates starting at lastStart,
 * lastStart - slide, ... (each starts at or before t), those that end after t — a prefix, as
 * the ends decrease.
 */
export function windowCount(t: number, lastStart: number, windowUs: number, slideUs: number): number {
  const overlapping = Math.ceil(windowUs / slideUs);
  let n = 0;
  while (n < overlapping && t < lastStart - n * slideUs + windowUs) n++;
  return n;
}

/**
 * `window(timeColumn, windowDuration[, slideDuration[, startTime]])`: a generator of the
 * `window` structs each row belongs to (the aggregation sees one row per window).
 */
export function bindWindow(args: readonly Bound[], scope: { readonly timeZone: string }): Bound {
  const [time, windowArg, slideArg, startArg] = args;
  if (time === undefined || windowArg === undefined) {
    throw wrongNumArgs('window', '[2, 3, 4]', args.length);
  }
  // A window struct as the time column (a window over a windowed aggregation's output): Spark's
  // TimeWindowing takes window_time of it, the window's end minus 1 microsecond.
  const isWindowStruct = typeof time.type !== 'string' && time.type.kind === 'struct' && time.type.fields.length === 2 &&
    time.type.fields[0]?.name === 'start' && time.type.fields[1]?.name === 'end' && time.type.fields[1]?.type === 'timestamp';
  if (time.type !== 'timestamp' && time.type !== 'string' && time.type !== 'date' && !isWindowStruct) {
    throw new AnalysisException(
      `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "window(${time.sql})" due to data type mismatch: the first parameter requires the "TIMESTAMP" type, however "${time.sql}" has the type "${typeSql(time.type)}". SQLSTATE: 42K09`,
    );
  }
  const windowUs = durationMicros(windowArg);
  const slideUs = slideArg === undefined ? windowUs : durationMicros(slideArg);
  const startUs = startArg === undefined ? 0 : durationMicros(startArg);
  // TimeWindow is a NonSQLExpression: its SQL is its toString, the durations in microseconds.
  const sqlExpr = `window(${time.sql}, ${windowUs}, ${slideUs}, ${startUs})`;
  if (windowUs <= 0) throw outOfRange(sqlExpr, 'window_duration', windowUs);
  if (slideUs <= 0) throw outOfRange(sqlExpr, 'slide_duration', slideUs);
  if (slideUs > windowUs) throw violation(sqlExpr, 'slide_duration', slideUs, '<=', 'window_duration', windowUs);
  if (Math.abs(startUs) >= slideUs) throw violation(sqlExpr, 'abs(start_time)', Math.abs(startUs), '<', 'slide_duration', slideUs);
  const te = time.eval;
  const from = time.type;
  const eventMicros = (row: Row, ctx: EvalContext): number | null => {
    const raw = te(row, ctx);
    const end = isWindowStruct && Array.isArray(raw) ? raw[1] : null;
    const t = isWindowStruct ? (typeof end === 'number' ? end - 1 : null) : from === 'timestamp' ? raw : castValue(raw, from as DataType, 'timestamp', scope.timeZone);
    return typeof t === 'number' ? t : null;
  };
  const assigns = (row: Row, ctx: EvalContext): Value => {
    const t = eventMicros(row, ctx);
    return t === null ? [] : assignWindows(t, windowUs, slideUs, startUs);
  };
  return {
    type: WINDOW_TYPE,
    nullable: false,
    sql: 'window',
    name: 'window',
    generator: { outer: false },
    eval: assigns,
    window: { eventMicros, windowUs, slideUs, startUs, assigns },
  };
}

/**
 * `session_window(timeColumn, gapDuration)`: each event opens the session [t, t + gap);
 * the aggregation merges overlapping sessions of a key (Spark's MergingSessionsExec).
 */
export function bindSessionWindow(args: readonly Bound[], scope: { readonly timeZone: string }): Bound {
  const [time, gapArg] = args;
  if (time === undefined || gapArg === undefined) {
    throw wrongNumArgs('session_window', '2', args.length);
  }
  const gapOf = sessionGap(gapArg);
  const te = time.eval;
  const from = time.type;
  return {
    type: WINDOW_TYPE,
    nullable: false,
    sql: 'session_window',
    name: 'session_window',
    session: { gapSql: gapArg.sql },
    eval: (row, ctx) => {
      const raw = te(row, ctx);
      const t = from === 'timestamp' ? raw : castValue(raw, from, 'timestamp', scope.timeZone);
      if (typeof t !== 'number') return null;
      // The gap is evaluated per row (SPARK-36465: a column, CASE WHEN or UDF gives a dynamic gap).
      const gap = gapOf(row, ctx);
      if (gap === null) return null;
      const end = addInterval(t, gap, scope.timeZone);
      // SessionWindowing keeps only sessions with end > start: a zero or negative gap drops the row.
      return end > t ? [t, end] : null;
    },
  };
}

/** Spark's DataType.toString, as _LEGACY_ERROR_TEMP_1040 prints it. */
const TYPE_OBJECTS: Readonly<Record<string, string>> = {
  boolean: 'BooleanType', tinyint: 'ByteType', smallint: 'ShortType', int: 'IntegerType', bigint: 'LongType',
  float: 'FloatType', double: 'DoubleType', timestamp: 'TimestampType', date: 'DateType', binary: 'BinaryType',
  interval: 'DayTimeIntervalType(0,3)', [YEAR_MONTH]: 'YearMonthIntervalType(0,1)',
};

/**
 * The gap of `session_window` (SessionWindowing), per row: cast to a CalendarInterval; a string
 * that is no interval casts to NULL, and a NULL gap drops the row (no error), as in Spark. Only
 * strings (and NULL) cast: Spark 4.2 rejects the ANSI interval types of `INTERVAL 10 SECONDS`
 * (`... but got DayTimeIntervalType(3,3).`; Sluice keeps no interval fields, so it names the
 * type DayTimeIntervalType(0,3)).
 */
function sessionGap(arg: Bound): (row: Row, ctx: EvalContext) => CalendarInterval | null {
  if (arg.type !== 'string' && arg.type !== 'void') {
    throw new AnalysisException(`Gap duration expression used in session window must be CalendarIntervalType, but got ${TYPE_OBJECTS[typeof arg.type === 'string' ? arg.type : ''] ?? typeSql(arg.type)}.`);
  }
  const ge = arg.eval;
  const parsed = new Map<string, CalendarInterval | null>();
  return (row, ctx) => {
    const raw = ge(row, ctx);
    if (typeof raw !== 'string') return null;
    let interval = parsed.get(raw);
    if (interval === undefined) {
      const result = stringToInterval(raw);
      interval = isFailure(result) ? null : result;
      if (parsed.size < 1024) parsed.set(raw, interval);
    }
    return interval;
  };
}
