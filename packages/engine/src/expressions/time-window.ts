import { parseIntervalMs } from '../api/trigger.js';
import type { DataType, Value } from '../api/types.js';
import { typeSql } from '../api/types.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import type { Bound } from './bound.js';
import { castValue } from './cast.js';

export const WINDOW_TYPE: DataType = {
  kind: 'struct',
  fields: [
    { name: 'start', type: 'timestamp', nullable: true },
    { name: 'end', type: 'timestamp', nullable: true },
  ],
};

function durationMicros(arg: Bound | undefined, what: string): number {
  const raw = arg?.eval([], { batchTimestampMs: 0 });
  if (typeof raw !== 'string') throw new AnalysisException(`The ${what} of window() must be an interval string such as '10 minutes'`);
  if (/month|year/i.test(raw)) {
    throw new AnalysisException(`Intervals greater than a month is not supported (${raw}).`);
  }
  return parseIntervalMs(raw) * 1000;
}

/**
 * The windows an event time falls in (Spark's TimeWindowing): aligned to the epoch plus
 * startTime, half-open [start, end), one per slide for sliding windows.
 */
export function assignWindows(t: number, windowUs: number, slideUs: number, startUs: number): Value[] {
  const overlapping = Math.ceil(windowUs / slideUs);
  const remainder = (t - startUs) % slideUs;
  const lastStart = t - (remainder < 0 ? remainder + slideUs : remainder);
  const out: Value[] = [];
  for (let i = overlapping - 1; i >= 0; i--) {
    const start = lastStart - i * slideUs;
    const end = start + windowUs;
    if (start <= t && t < end) out.push([start, end]);
  }
  return out;
}

/**
 * `window(timeColumn, windowDuration[, slideDuration[, startTime]])`: a generator of the
 * `window` structs each row belongs to (the aggregation sees one row per window).
 */
export function bindWindow(args: readonly Bound[], scope: { readonly timeZone: string }): Bound {
  const [time, windowArg, slideArg, startArg] = args;
  if (time === undefined || windowArg === undefined) {
    throw new AnalysisException('[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `window` requires [2, 4] parameters but the actual number is ' + `${args.length}. SQLSTATE: 42605`);
  }
  if (time.type !== 'timestamp' && time.type !== 'string' && time.type !== 'date') {
    throw new AnalysisException(
      `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "window(${time.sql})" due to data type mismatch: the first parameter requires the "TIMESTAMP" type, however "${time.sql}" has the type "${typeSql(time.type)}". SQLSTATE: 42K09`,
    );
  }
  const windowUs = durationMicros(windowArg, 'window duration');
  const slideUs = slideArg === undefined ? windowUs : durationMicros(slideArg, 'slide duration');
  const startUs = startArg === undefined ? 0 : durationMicros(startArg, 'start time');
  if (windowUs <= 0 || slideUs <= 0 || slideUs > windowUs || Math.abs(startUs) >= slideUs) {
    throw new AnalysisException(
      `[DATATYPE_MISMATCH.PARAMETER_CONSTRAINT_VIOLATION] Cannot resolve "window(${time.sql})" due to data type mismatch: the window duration, slide duration and start time must satisfy 0 < slide <= window and |startTime| < slide. SQLSTATE: 42K09`,
    );
  }
  const te = time.eval;
  const from = time.type;
  return {
    type: WINDOW_TYPE,
    nullable: false,
    sql: 'window',
    name: 'window',
    generator: { outer: false },
    eval: (row, ctx) => {
      const raw = te(row, ctx);
      const t = from === 'timestamp' ? raw : castValue(raw, from, 'timestamp', scope.timeZone);
      return typeof t === 'number' ? assignWindows(t, windowUs, slideUs, startUs) : [];
    },
  };
}

/**
 * `session_window(timeColumn, gapDuration)`: each event opens the session [t, t + gap);
 * the aggregation merges overlapping sessions of a key (Spark's MergingSessionsExec).
 */
export function bindSessionWindow(args: readonly Bound[], scope: { readonly timeZone: string }): Bound {
  const [time, gapArg] = args;
  if (time === undefined || gapArg === undefined) {
    throw new AnalysisException(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`session_window\` requires 2 parameters but the actual number is ${args.length}. SQLSTATE: 42605`);
  }
  const gapUs = durationMicros(gapArg, 'gap duration');
  if (gapUs <= 0) throw new AnalysisException('The gap duration of session_window must be positive');
  const te = time.eval;
  const from = time.type;
  return {
    type: WINDOW_TYPE,
    nullable: false,
    sql: 'session_window',
    name: 'session_window',
    session: { gapUs },
    eval: (row, ctx) => {
      const raw = te(row, ctx);
      const t = from === 'timestamp' ? raw : castValue(raw, from, 'timestamp', scope.timeZone);
      return typeof t === 'number' ? [t, t + gapUs] : null;
    },
  };
}
