import { YEAR_MONTH } from '../api/types.js';
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

