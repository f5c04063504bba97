/**
 * Spark's interval strings (IntervalUtils): the unit-list form `stringToInterval` reads
 * (`"10 seconds"`, `"1 day 2 hours"`, `"-1 year"`, `"interval 3 days"`), the unit-to-unit
 * forms of `INTERVAL '1 10:30:00' DAY TO SECOND` and `'1-2' YEAR TO MONTH`, and
 * `fromIntervalString` (from-interval-string.ts) builds on them. A value is Spark's
 * CalendarInterval: months, days and microseconds kept apart.
 */
import { AnalysisException } from '../errors/analysis-exception.js';
import { formatTimestampMicros } from '../console/render-cell.js';
import { parseTimestampMicros } from './cast.js';

export interface CalendarInterval {
  readonly months: number;
  readonly days: number;
  readonly micros: number;
}

export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
export const MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
export const MICROS_PER_DAY = 24 * MICROS_PER_HOUR;

/** A parse failure: Spark's IllegalArgumentException message (the cause of the error raised). */
export interface IntervalFailure {
  readonly error: string;
}

export function isFailure(x: CalendarInterval | IntervalFailure): x is IntervalFailure {
  return 'error' in x;
}

/** Character.isWhitespace for the characters an interval string can hold. */
const isWhitespace = (c: string | undefined): boolean => c !== undefined && /[\t\n\u000B\f\r \u001C-\u001F]/.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Java's `String.split("\\s+")`: a leading empty string is kept, trailing ones dropped. */
function javaSplitWs(s: string): string[] {
  const parts = s.split(/\s+/);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** UTF8String.trimAll: strips whitespace and ISO control characters at both ends. */
function trimAll(s: string): string {
  return s.replace(/^[\u0000-\u0020\u007F-\u009F]+/, '').replace(/[\u0000-\u0020\u007F-\u009F]+$/, '');
}

const UNIT_WORDS: ReadonlyArray<readonly [string, (v: number, f: number, acc: { months: number; days: number; micros: number }) => void]> = [
  ['year', (v, _f, a) => { a.months += 12 * v; }],
  ['week', (v, _f, a) => { a.days += 7 * v; }],
  ['day', (v, _f, a) => { a.days += v; }],
  ['hour', (v, _f, a) => { a.micros += v * MICROS_PER_HOUR; }],
  ['second', (v, f, a) => { a.micros += v * MICROS_PER_SECOND + f; }],
  ['month', (v, _f, a) => { a.months += v; }],
  ['minute', (v, _f, a) => { a.micros += v * MICROS_PER_MINUTE; }],
  ['millisecond', (v, _f, a) => { a.micros += v * 1000; }],
  ['microsecond', (v, _f, a) => { a.micros += v; }],
];

/**
 * IntervalUtils.stringToInterval: `[interval] [+|-]value unit[s] ...`, case-insensitive; units
 * year, month, week, day, hour, minute, second, millisecond, microsecond; only seconds may have
 * a fraction (nanosecond precision, truncated to microseconds).
 */
export function stringToInterval(input: string): CalendarInterval | IntervalFailure {
  const fail = (msg: string): IntervalFailure => ({ error: `Error parsing '${input}' to interval, ${msg}` });
  const s = trimAll(input).toLowerCase();
  if (s.length === 0) return fail('interval string cannot be empty');
  type State = 'PREFIX' | 'TRIM_BEFORE_SIGN' | 'SIGN' | 'TRIM_BEFORE_VALUE' | 'VALUE' | 'VALUE_FRACTIONAL_PART'
    | 'TRIM_BEFORE_UNIT' | 'UNIT_BEGIN' | 'UNIT_SUFFIX' | 'UNIT_END';
  let state = 'PREFIX' as State;
  let i = 0;
  let currentValue = 0;
  let isNegative = false;
  const acc = { months: 0, days: 0, micros: 0 };
  let fractionScale = 0;
  const initialFractionScale = 100_000_000;
  let fraction = 0;
  let pointPrefixed = false;
  const currentWord = (): string => {
    const strings = javaSplitWs(s);
    const lenRight = javaSplitWs(s.substring(i)).length;
    return strings[strings.length - lenRight] ?? '';
  };
  const trimToNextState = (b: string, next: State): void => {
    if (isWhitespace(b)) i += 1;
    else state = next;
  };
  while (i < s.length) {
    const b = s[i] ?? '';
    switch (state) {
      case 'PREFIX':
        if (s.startsWith('interval')) {
          if (s.length === 'interval'.length) return fail('interval string cannot be empty');
          if (!isWhitespace(s[i + 'interval'.length])) return fail(`invalid interval prefix ${currentWord()}`);
          i += 'interval'.length + 1;
        }
        state = 'TRIM_BEFORE_SIGN';
        break;
      case 'TRIM_BEFORE_SIGN':
        trimToNextState(b, 'SIGN');
        break;
      case 'SIGN':
        currentValue = 0;
        fraction = 0;
        state = 'TRIM_BEFORE_VALUE';
        fractionScale = -1;
        pointPrefixed = false;
        if (b === '-') {
          isNegative = true;
          i += 1;
        } else if (b === '+') {
          isNegative = false;
          i += 1;
        } else if (isDigit(b)) {
          isNegative = false;
        } else if (b === '.') {
          isNegative = false;
          fractionScale = initialFractionScale;
          pointPrefixed = true;
          i += 1;
          state = 'VALUE_FRACTIONAL_PART';
        } else {
          return fail(`unrecognized number '${currentWord()}'`);
        }
        break;
      case 'TRIM_BEFORE_VALUE':
        trimToNextState(b, 'VALUE');
        break;
      case 'VALUE':
        if (isDigit(b)) {
          currentValue = 10 * currentValue + Number(b);
          if (!Number.isSafeInteger(currentValue)) return fail('long overflow');
        } else if (isWhitespace(b)) {
          state = 'TRIM_BEFORE_UNIT';
        } else if (b === '.') {
          fractionScale = initialFractionScale;
          state = 'VALUE_FRACTIONAL_PART';
        } else {
          return fail(`invalid value '${currentWord()}'`);
        }
        i += 1;
        break;
      case 'VALUE_FRACTIONAL_PART':
        if (isDigit(b) && fractionScale > 0) {
          fraction += Number(b) * fractionScale;
          fractionScale = Math.trunc(fractionScale / 10);
        } else if (isWhitespace(b) && (!pointPrefixed || fractionScale < initialFractionScale)) {
          fraction = Math.trunc(fraction / 1000);
          state = 'TRIM_BEFORE_UNIT';
        } else if (isDigit(b)) {
          return fail(`interval can only support nanosecond precision, '${currentWord()}' is out of range`);
        } else {
          return fail(`invalid value '${currentWord()}'`);
        }
        i += 1;
        break;
      case 'TRIM_BEFORE_UNIT':
        trimToNextState(b, 'UNIT_BEGIN');
        break;
      case 'UNIT_BEGIN': {
        if (b !== 's' && fractionScale >= 0) return fail(`'${currentWord()}' cannot have fractional part`);
        if (isNegative) {
          currentValue = -currentValue;
          fraction = -fraction;
        }
        const unit = UNIT_WORDS.find(([word]) => s.startsWith(word, i));
        if (unit === undefined) return fail(`invalid unit '${currentWord()}'`);
        unit[1](currentValue, fraction, acc);
        i += unit[0].length;
        state = 'UNIT_SUFFIX';
        break;
      }
      case 'UNIT_SUFFIX':
        if (b === 's') state = 'UNIT_END';
        else if (isWhitespace(b)) state = 'TRIM_BEFORE_SIGN';
        else return fail(`invalid unit '${currentWord()}'`);
        i += 1;
        break;
      case 'UNIT_END':
        if (!isWhitespace(b)) return fail(`invalid unit '${currentWord()}'`);
        i += 1;
        state = 'TRIM_BEFORE_SIGN';
        break;
    }
  }
  switch (state) {
    case 'UNIT_SUFFIX':
    case 'UNIT_END':
    case 'TRIM_BEFORE_SIGN':
      return { months: acc.months, days: acc.days, micros: acc.micros };
    case 'TRIM_BEFORE_VALUE':
      return fail(`expect a number after '${currentWord()}' but hit EOL`);
    case 'VALUE':
    case 'VALUE_FRACTIONAL_PART':
      return fail(`expect a unit name after '${currentWord()}' but hit EOL`);
    default:
      return fail(`unknown error when parsing '${currentWord()}'`);
  }
}

/** The fields of Spark's unit-to-unit interval literals (`YEAR TO MONTH`, `DAY TO SECOND`, ...). */
export type IntervalField = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

const SUPPORTED_FORMAT: Readonly<Record<string, readonly string[]>> = {
  'year-month': ['[+|-]y-m', "INTERVAL [+|-]'[+|-]y-m' YEAR TO MONTH"],
  'day-hour': ['[+|-]d h', "INTERVAL [+|-]'[+|-]d h' DAY TO HOUR"],
  'day-minute': ['[+|-]d h:m', "INTERVAL [+|-]'[+|-]d h:m' DAY TO MINUTE"],
  'day-second': ['[+|-]d h:m:s.n', "INTERVAL [+|-]'[+|-]d h:m:s.n' DAY TO SECOND"],
  'hour-minute': ['[+|-]h:m', "INTERVAL [+|-]'[+|-]h:m' HOUR TO MINUTE"],
  'hour-second': ['[+|-]h:m:s.n', "INTERVAL [+|-]'[+|-]h:m:s.n' HOUR TO SECOND"],
  'minute-second': ['[+|-]m:s.n', "INTERVAL [+|-]'[+|-]m:s.n' MINUTE TO SECOND"],
};

// Long.MaxValue divided by the unit in microseconds, the bounds IntervalUtils checks against.
const MAX_DAY = 106751991;
const MAX_HOUR = 2562047788;
const MAX_MINUTE = 153722867280;

const FALLBACK_NOTICE = 'set spark.sql.legacy.fromDayTimeString.enabled to true to restore the behavior before Spark 3.0.';

/** IntervalUtils.throwIllegalIntervalFormatException's message. */
function formatMismatch(input: string, from: IntervalField, to: IntervalField, kind: 'year-month' | 'day-time'): IntervalFailure {
  const formats = (SUPPORTED_FORMAT[`${from}-${to}`] ?? []).map((f) => `\`${f}\``).join(', ');
  const notice = kind === 'day-time' ? `, ${FALLBACK_NOTICE}` : '';
  return { error: `Interval string does not match ${kind} format of ${formats} when cast to interval ${from} to ${to}: ${input}${notice}` };
}

/** Signs combine as IntervalUtils.finalSign: a minus before the quote and one inside cancel. */
function finalSign(first: string | undefined, second?: string): number {
  return (first === '-') !== (second === '-') ? -1 : 1;
}

function inRange(name: string, text: string | undefined, min: number, max: number): number | IntervalFailure {
  const v = text === undefined ? 0 : Number(text);
  if (v < min || v > max) return { error: `requirement failed: ${name} ${v} outside range [${min}, ${max}]` };
  return v;
}

/** `ss.nnnnnnnnn` to microseconds (IntervalUtils.parseSecondNano, nanoseconds truncated). */
function secondNano(text: string): number {
  const [sec = '0', nanos] = text.split('.');
  const negative = sec.startsWith('-');
  const whole = Number(sec === '' || sec === '-' ? '0' : sec) * MICROS_PER_SECOND;
  if (nanos === undefined) return whole;
  const micros = Math.trunc(Number((nanos + '000000000').slice(0, 9)) / 1000);
  return whole + (negative ? -micros : micros);
}

/**
 * `INTERVAL '<value>' <from> TO <to>` (IntervalUtils.fromYearMonthString / fromDayTimeString
 * with Spark 3+'s strict patterns); the value may itself carry `INTERVAL '...' X TO Y`.
 */
export function unitToUnitInterval(value: string, from: IntervalField, to: IntervalField): CalendarInterval | IntervalFailure {
  const input = trimAll(value);
  if (from === 'year' && to === 'month') {
    const m = /^([+-])?(\d+)-(\d+)$/.exec(input)
      ?? /^interval\s+([+-])?'([+-])?(\d+)-(\d+)'\s+year\s+to\s+month$/i.exec(input);
    if (m === null) return formatMismatch(input, from, to, 'year-month');
    const [sign1, sign2, y, mo] = m.length === 4 ? [m[1], undefined, m[2], m[3]] : [m[1], m[2], m[3], m[4]];
    const years = inRange('year', y, 0, Math.floor(2147483647 / 12));
    if (typeof years !== 'number') return { error: `Error parsing interval year-month string: ${years.error}` };
    const months = inRange('month', mo, 0, 11);
    if (typeof months !== 'number') return { error: `Error parsing interval year-month string: ${months.error}` };
    return { months: finalSign(sign1, sign2) * (years * 12 + months), days: 0, micros: 0 };
  }
  const n = '(\\d{1,2})';
  const micro = '(\\.\\d{1,9})?';
  const body: Readonly<Record<string, string>> = {
    'day-hour': `(\\d{1,9}) ${n}`,
    'day-minute': `(\\d{1,9}) ${n}:${n}`,
    'day-second': `(\\d{1,9}) ${n}:${n}:${n}${micro}`,
    'hour-minute': `(\\d{1,10}):${n}`,
    'hour-second': `(\\d{1,10}):${n}:${n}${micro}`,
    'minute-second': `(\\d{1,12}):${n}${micro}`,
  };
  const key = `${from}-${to}`;
  const pattern = body[key];
  if (pattern === undefined) return { error: `Intervals FROM ${from} TO ${to} are not supported.` };
  const plain = new RegExp(`^([+-])?${pattern}$`).exec(input);
  const literal = new RegExp(`^interval\\s+([+-])?'([+-])?${pattern}'\\s+${from}\\s+to\\s+${to}$`, 'i').exec(input);
  if (plain === null && literal === null) return formatMismatch(input, from, to, 'day-time');
  const groups = plain !== null ? [plain[1], undefined, ...plain.slice(2)] : [literal?.[1], literal?.[2], ...(literal?.slice(3) ?? [])];
  const sign = finalSign(groups[0], groups[1]);
  const fields = groups.slice(2);
  const parts: Array<[string, string | undefined, number]> = [];
  if (from === 'day') {
    parts.push(['day', fields[0], MAX_DAY]);
    parts.push(['hour', fields[1], 23]);
    if (to !== 'hour') parts.push(['minute', fields[2], 59]);
  } else if (from === 'hour') {
    parts.push(['hour', fields[0], MAX_HOUR]);
    parts.push(['minute', fields[1], 59]);
  } else {
    parts.push(['minute', fields[0], MAX_MINUTE]);
  }
  const unitMicros: Readonly<Record<string, number>> = { day: MICROS_PER_DAY, hour: MICROS_PER_HOUR, minute: MICROS_PER_MINUTE };
  let micros = 0;
  for (const [name, text, max] of parts) {
    const v = inRange(name, text, 0, max);
    if (typeof v !== 'number') return v;
    micros += sign * v * (unitMicros[name] ?? 0);
  }
  if (to === 'second') {
    const secondIndex = parts.length;
    const sec = fields[secondIndex];
    const frac = fields[secondIndex + 1];
    micros += sign * secondNano(`${sec ?? '0'}${frac ?? ''}`);
  }
  return { months: 0, days: 0, micros };
}

/** Spark's toSQLValue of a string: single-quoted, `\` and `'` escaped. */
export function sqlString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** CANNOT_PARSE_INTERVAL (QueryCompilationErrors.cannotParseIntervalError). */
export function cannotParseInterval(input: string, cause?: string): AnalysisException {
  return new AnalysisException(
    `[CANNOT_PARSE_INTERVAL] Unable to parse ${sqlString(input)}. Please ensure that the value provided is in a valid format for defining an interval. ` +
      'You can reference the documentation for the correct format. If the issue persists, please double check that the input value is not null or empty and try again. SQLSTATE: 22006',
    cause === undefined ? {} : { cause },
  );
}

/** IntervalUtils.getDuration in microseconds, a month counted as 31 days (watermark delays). */
export function durationMicros(interval: CalendarInterval): number {
  return interval.micros + interval.days * MICROS_PER_DAY + interval.months * 31 * MICROS_PER_DAY;
}

/** The same in milliseconds (TimeUnit.convert truncates). */
export function durationMs(interval: CalendarInterval): number {
  return Math.trunc(durationMicros(interval) / 1000);
}

/**
 * A timestamp plus an interval (TimeAdd / DateTimeUtils.timestampAddInterval): months move the
 * local date-time in the session zone (day clamped to the month's end), then days and
 * microseconds are added.
 */
export function addInterval(micros: number, interval: CalendarInterval, timeZone: string): number {
  let t = micros;
  if (interval.months !== 0) {
    const m = /^(-?\d+)-(\d{2})-(\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?$/.exec(formatTimestampMicros(t, timeZone));
    if (m !== null) {
      const total = Number(m[1]) * 12 + Number(m[2]) - 1 + interval.months;
      const year = Math.floor(total / 12);
      const month = total - year * 12 + 1;
      const day = Math.min(Number(m[3]), new Date(Date.UTC(year, month, 0)).getUTCDate());
      const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
      t = parseTimestampMicros(`${pad(year, 4)}-${pad(month)}-${pad(day)} ${m[4]}${m[5] ?? ''}`, timeZone) ?? t;
    }
  }
  return t + interval.days * MICROS_PER_DAY + interval.micros;
}
