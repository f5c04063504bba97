import { YEAR_MONTH } from '../core/types.js';
import { cannotParseInterval, isFailure, stringToInterval, type CalendarInterval } from './interval.js';
import { parseExpression } from './sql-parser.js';

/**
 * IntervalUtils.fromIntervalString: a string starting with `interval` is parsed as a SQL
 * interval literal, any other as a unit list; anything unparsable is CANNOT_PARSE_INTERVAL.
 */
export function fromIntervalString(input: string): CalendarInterval {
  if (input.toLowerCase().trim().startsWith('interval')) {
    let parsed: CalendarInterval | null = null;
    let cause: unknown;
    try {
      const e = parseExpression(input);
      if (e.kind === 'literal' && e.type === 'interval') parsed = { months: 0, days: 0, micros: Number(e.value) };
      if (e.kind === 'literal' && e.type === YEAR_MONTH) parsed = { months: Number(e.value), days: 0, micros: 0 };
    } catch (err) {
      cause = err;
    }
    if (parsed === null) throw cannotParseInterval(input, cause instanceof Error ? cause.message : undefined);
    return parsed;
  }
  const result = stringToInterval(input);
  if (isFailure(result)) throw cannotParseInterval(input, result.error);
  return result;
}


/**
 * Spark 4.2's withWatermark on a delay with an unknown unit: IntervalUtils.stringToInterval's
 * INVALID_INTERVAL_FORMAT.INVALID_UNIT reaches the caller (an AnalysisException, as
 * EventTimeWatermarkSuite's SPARK-35815 expects; conformance watermark/delay-unparsable). The unit, or undefined when that is not the failure.
 */
export function invalidIntervalUnit(input: string): string | undefined {
  if (input.toLowerCase().trim().startsWith('interval')) return undefined;
  const result = stringToInterval(input);
  if (!isFailure(result)) return undefined;
  return /, invalid unit '(.*)'$/s.exec(result.error)?.[1];
}

/** INVALID_INTERVAL_FORMAT.INVALID_UNIT's text (error-conditions.json). */
export function invalidUnitMessage(input: string, unit: string): string {
  return `[INVALID_INTERVAL_FORMAT.INVALID_UNIT] Error parsing '${input}' to interval. Please ensure that the value provided is in a valid format for defining an interval. ` +
    `You can reference the documentation for the correct format. Invalid unit ${unit}. SQLSTATE: 22006`;
}
