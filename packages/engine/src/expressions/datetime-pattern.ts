import { RuntimeError } from '../errors/runtime-error.js';

/**
 * Spark's datetime patterns (DateTimeFormatter letters, as `date_format`, `to_timestamp(s, fmt)`,
 * `to_date(s, fmt)` and `unix_timestamp(s, fmt)` read them): the common letters G y M L d D Q q
 * E F a h K k H m s S z V X x Z O, `'quoted'` text (`''` a quote) and `[optional]` sections.
 * Parsing is case-insensitive and must consume the whole text, as Spark's formatter does.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const ORDINAL_QUARTERS = ['1st quarter', '2nd quarter', '3rd quarter', '4th quarter'];
const MICROS_PER_SECOND = 1_000_000;

type Token =
  | { readonly kind: 'field'; readonly letter: string; readonly count: number }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'optional'; readonly tokens: readonly Token[] };

const cache = new Map<string, readonly Token[]>();

/** Splits a pattern into letter runs, literal text and optional sections. */
export function tokenizePattern(pattern: string): readonly Token[] {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  let i = 0;
  const read = (inOptional: boolean): Token[] => {
    const out: Token[] = [];
    while (i < pattern.length) {
      const ch = pattern[i] ?? '';
      if (ch === "'") {
        let text = '';
        i++;
        if (pattern[i] === "'") { out.push({ kind: 'text', text: "'" }); i++; continue; }
        while (i < pattern.length) {
          if (pattern[i] === "'") {
            if (pattern[i + 1] === "'") { text += "'"; i += 2; continue; }
            i++;
            break;
          }
          text += pattern[i++];
        }
        out.push({ kind: 'text', text });
      } else if (ch === '[') {
        i++;
        out.push({ kind: 'optional', tokens: read(true) });
      } else if (ch === ']') {
        i++;
        if (inOptional) return out;
      } else if (/[A-Za-z]/.test(ch)) {
        let count = 0;
        while (pattern[i] === ch) { count++; i++; }
        out.push({ kind: 'field', letter: ch, count });
      } else {
        out.push({ kind: 'text', text: ch });
        i++;
      }
    }
    return out;
  };
  const tokens = read(false);
  cache.set(pattern, tokens);
  return tokens;
}

/** A local date-time: its fields in a time zone, and that zone's offset from UTC. */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly micros: number;
  readonly offsetSeconds: number;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partFormatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    partFormatters.set(timeZone, f);
  }
  return f;
}

/** The fields of an instant (microseconds since the epoch) in `timeZone`. */
export function localDateTime(micros: number, timeZone: string): LocalDateTime {
  const seconds = Math.floor(micros / MICROS_PER_SECOND);
  const ms = seconds * 1000;
  const p = Object.fromEntries(partFormatter(timeZone).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const yearOfEra = Number(p['year']);
  const year = p['era'] === 'BC' ? 1 - yearOfEra : yearOfEra;
  const month = Number(p['month']);
  const day = Number(p['day']);
  const hour = Number(p['hour']);
  const minute = Number(p['minute']);
  const second = Number(p['second']);
  const localMs = utcMillis(year, month, day, hour, minute, second);
  return { year, month, day, hour, minute, second, micros: micros - seconds * MICROS_PER_SECOND, offsetSeconds: Math.round((localMs - ms) / 1000) };
}

function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  d.setUTCFullYear(year);
  return d.getTime();
}

/** Days since 1970-01-01 of a proleptic Gregorian date. */
export function epochDay(year: number, month: number, day: number): number {
  return Math.floor(utcMillis(year, month, day, 0, 0, 0) / 86_400_000);
}

/** ISO day of week, 1 (Monday) to 7 (Sunday). */
function isoDayOfWeek(year: number, month: number, day: number): number {
  const dow = new Date(utcMillis(year, month, day, 0, 0, 0)).getUTCDay();
  return dow === 0 ? 7 : dow;
}

export function dayOfYear(year: number, month: number, day: number): number {
  return epochDay(year, month, day) - epochDay(year, 1, 1) + 1;
}

const pad = (n: number, width: number): string => (n < 0 ? `-${String(-n).padStart(width, '0')}` : String(n).padStart(width, '0'));

function offsetText(offsetSeconds: number, withColon: boolean, minutesOptional: boolean): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const abs = Math.abs(offsetSeconds);
  const hh = pad(Math.floor(abs / 3600), 2);
  const mm = pad(Math.floor((abs % 3600) / 60), 2);
  if (minutesOptional && mm === '00') return `${sign}${hh}`;
  return `${sign}${hh}${withColon ? ':' : ''}${mm}`;
}

function zoneName(micros: number, timeZone: string, long: boolean): string {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: long ? 'long' : 'short' });
  return f.formatToParts(new Date(Math.floor(micros / 1000))).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

function formatField(letter: string, count: number, t: LocalDateTime, instant: number, timeZone: string): string {
  switch (letter) {
    case 'G': return count === 4 ? (t.year > 0 ? 'Anno Domini' : 'Before Christ') : count === 5 ? (t.year > 0 ? 'A' : 'B') : t.year > 0 ? 'AD' : 'BC';
    case 'y': case 'u': {
      const y = letter === 'y' && t.year <= 0 ? 1 - t.year : t.year;
      if (count === 2) return pad(((y % 100) + 100) % 100, 2);
      return y > 9999 && count >= 4 ? `+${y}` : pad(y, count);
    }
    case 'M': case 'L':
      if (count >= 5) return (MONTHS[t.month - 1] ?? '').slice(0, 1);
      if (count === 4) return MONTHS[t.month - 1] ?? '';
      if (count === 3) return (MONTHS[t.month - 1] ?? '').slice(0, 3);
      return pad(t.month, count);
    case 'd': return pad(t.day, count);
    case 'D': return pad(dayOfYear(t.year, t.month, t.day), count);
    case 'Q': case 'q': {
      const q = Math.ceil(t.month / 3);
      return count === 3 ? `Q${q}` : count >= 4 ? ORDINAL_QUARTERS[q - 1] ?? '' : pad(q, count);
    }
    case 'E': {
      const name = DAYS[isoDayOfWeek(t.year, t.month, t.day) - 1] ?? '';
      return count === 4 ? name : count >= 5 ? name.slice(0, 1) : name.slice(0, 3);
    }
    case 'F': return pad(Math.floor((t.day - 1) / 7) + 1, count);
    case 'a': return t.hour < 12 ? 'AM' : 'PM';
    case 'h': return pad(t.hour % 12 === 0 ? 12 : t.hour % 12, count);
    case 'K': return pad(t.hour % 12, count);
    case 'k': return pad(t.hour === 0 ? 24 : t.hour, count);
    case 'H': return pad(t.hour, count);
    case 'm': return pad(t.minute, count);
    case 's': return pad(t.second, count);
    case 'S': return String(t.micros).padStart(6, '0').padEnd(9, '0').slice(0, count);
    case 'z': return zoneName(instant, timeZone, count >= 4);
    case 'V': return timeZone;
    case 'O': {
      if (t.offsetSeconds === 0) return 'GMT';
      return count >= 4 ? `GMT${offsetText(t.offsetSeconds, true, false)}` : `GMT${offsetText(t.offsetSeconds, true, true).replace(/([+-])0(\d)$/, '$1$2')}`;
    }
    case 'X': case 'x': {
      if (letter === 'X' && t.offsetSeconds === 0) return 'Z';
      return offsetText(t.offsetSeconds, count === 3 || count === 5, count === 1);
    }
    case 'Z':
      if (count === 4) return t.offsetSeconds === 0 ? 'GMT' : `GMT${offsetText(t.offsetSeconds, true, false)}`;
      if (count === 5) return t.offsetSeconds === 0 ? 'Z' : offsetText(t.offsetSeconds, true, false);
      return offsetText(t.offsetSeconds, false, false);
    default:
      throw new RuntimeError(`[INVALID_DATETIME_PATTERN.ILLEGAL_CHARACTER] Unrecognized datetime pattern: ${letter}. Illegal pattern character found in datetime pattern: ${letter}. Please provide legal character. SQLSTATE: 22007`);
  }
}

/** `date_format(ts, pattern)`: an instant (microseconds) printed in `timeZone`. */
export function formatDatetime(micros: number, pattern: string, timeZone: string): string {
  const t = localDateTime(micros, timeZone);
  const render = (tokens: readonly Token[]): string => tokens.map((tok) => {
    if (tok.kind === 'text') return tok.text;
    if (tok.kind === 'optional') return render(tok.tokens);
    return formatField(tok.letter, tok.count, t, micros, timeZone);
  }).join('');
  return render(tokenizePattern(pattern));
}

interface Parsed {
  year?: number;
  yearOfEra?: number;
  twoDigitYear?: number;
  bc?: boolean;
  month?: number;
  day?: number;
  dayOfYear?: number;
  hour?: number;
  hour12?: number;
  pm?: boolean;
  minute?: number;
  second?: number;
  micros?: number;
  offsetSeconds?: number;
  zone?: string;
}

/** Why a text did not parse: Java's DateTimeParseException message. */
export class DatetimeParseFailure {
  constructor(readonly message: string) {}
}

const startsWithIgnoreCase = (text: string, at: number, word: string): boolean => text.slice(at, at + word.length).toLowerCase() === word.toLowerCase();

function matchName(text: string, at: number, names: readonly string[]): { index: number; length: number } | null {
  let best: { index: number; length: number } | null = null;
  names.forEach((name, index) => {
    if (startsWithIgnoreCase(text, at, name) && (best === null || name.length > best.length)) best = { index, length: name.length };
  });
  return best;
}

/** Parses a number of `min` to `max` digits at `at` (greedy), or null. */
function digits(text: string, at: number, min: number, max: number): { value: number; end: number } | null {
  let end = at;
  while (end < text.length && end - at < max && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
  if (end - at < min) return null;
  return { value: Number(text.slice(at, end)), end };
}

function parseOffset(text: string, at: number, allowZ: boolean): { offset: number; end: number } | null {
  if (allowZ && (text[at] === 'Z' || text[at] === 'z')) return { offset: 0, end: at + 1 };
  const m = /^([+-])(\d{2})(?::?(\d{2}))?/.exec(text.slice(at));
  if (m === null) return null;
  const seconds = (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60) * (m[1] === '-' ? -1 : 1);
  return { offset: seconds, end: at + m[0].length };
}

/** Whether the next token starts with a digit (Java's adjacent value parsing: fixed widths then). */
function nextIsNumeric(tokens: readonly Token[], i: number): boolean {
  const next = tokens[i + 1];
  return next !== undefined && next.kind === 'field' && 'yuMLdDHhKkmsSQq'.includes(next.letter) && !(('ML'.includes(next.letter) || 'Qq'.includes(next.letter)) && next.count >= 3);
}

/** Matches tokens from `start`; the end, or null with `state.errorIndex` where it stopped matching. */
function parseTokens(tokens: readonly Token[], text: string, start: number, out: Parsed, state: { errorIndex: number }): number | null {
  let at = start;
  const fail = (): null => {
    state.errorIndex = at;
    return null;
  };
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as Token;
    if (tok.kind === 'text') {
      if (!startsWithIgnoreCase(text, at, tok.text)) return fail();
      at += tok.text.length;
      continue;
    }
    if (tok.kind === 'optional') {
      const copy: Parsed = { ...out };
      const end = parseTokens(tok.tokens, text, at, copy, { errorIndex: 0 });
      if (end !== null) {
        Object.assign(out, copy);
        at = end;
      }
      continue;
    }
    const { letter, count } = tok;
    const adjacent = nextIsNumeric(tokens, i);
    // A one-letter field takes as many digits as there are (up to the next field's when adjacent).
    const num = (fixedWidth: number, max = 10): { value: number; end: number } | null =>
      count === 1 ? digits(text, at, 1, adjacent ? fixedWidth : max) : digits(text, at, count, count);
    let r: { value: number; end: number } | null;
    switch (letter) {
      case 'y': case 'u': {
        if (count === 2) {
          r = digits(text, at, 2, 2);
          if (r === null) return fail();
          out.twoDigitYear = r.value;
          at = r.end;
          continue;
        }
        const signed = count >= 4 && (text[at] === '+' || text[at] === '-');
        r = signed ? digits(text, at + 1, count + 1, 9) : count === 1 ? digits(text, at, 1, adjacent ? 4 : 9) : digits(text, at, count, count);
        if (r === null) return fail();
        const value = signed && text[at] === '-' ? -r.value : r.value;
        if (letter === 'u') out.year = value;
        else out.yearOfEra = value;
        at = r.end;
        continue;
      }
      case 'G': {
        const m = matchName(text, at, count === 4 ? ['Before Christ', 'Anno Domini'] : ['BC', 'AD']);
        if (m === null) return fail();
        out.bc = m.index === 0;
        at += m.length;
        continue;
      }
      case 'M': case 'L': {
        if (count >= 3) {
          const m = matchName(text, at, count === 4 ? MONTHS : MONTHS.map((x) => x.slice(0, 3)));
          if (m === null) return fail();
          out.month = m.index + 1;
          at += m.length;
          continue;
        }
        r = num(2, 2);
        if (r === null) return fail();
        out.month = r.value;
        at = r.end;
        continue;
      }
      case 'E': {
        const m = matchName(text, at, count === 4 ? DAYS : DAYS.map((x) => x.slice(0, 3)));
        if (m === null) return fail();
        at += m.length;
        continue;
      }
      case 'a': {
        const m = matchName(text, at, ['AM', 'PM']);
        if (m === null) return fail();
        out.pm = m.index === 1;
        at += m.length;
        continue;
      }
      case 'S': {
        r = digits(text, at, 1, count);
        if (r === null) return fail();
        out.micros = Number(text.slice(at, r.end).padEnd(6, '0').slice(0, 6));
        at = r.end;
        continue;
      }
      case 'X': case 'x': case 'Z': {
        const o = parseOffset(text, at, letter !== 'x');
        if (o === null) return fail();
        out.offsetSeconds = o.offset;
        at = o.end;
        continue;
      }
      case 'z': case 'V': {
        const m = /^[A-Za-z_]+(?:\/[A-Za-z_]+)*/.exec(text.slice(at));
        if (m === null) return fail();
        out.zone = m[0];
        at += m[0].length;
        continue;
      }
      case 'd': r = num(2, 2); if (r === null) return fail(); out.day = r.value; break;
      case 'D': r = num(3, 3); if (r === null) return fail(); out.dayOfYear = r.value; break;
      case 'H': case 'k': r = num(2, 2); if (r === null) return fail(); out.hour = letter === 'k' && r.value === 24 ? 0 : r.value; break;
      case 'h': case 'K': r = num(2, 2); if (r === null) return fail(); out.hour12 = r.value; break;
      case 'm': r = num(2, 2); if (r === null) return fail(); out.minute = r.value; break;
      case 's': r = num(2, 2); if (r === null) return fail(); out.second = r.value; break;
      default: return fail();
    }
    at = r.end;
  }
  return at;
}

function invalid(text: string, detail: string): DatetimeParseFailure {
  return new DatetimeParseFailure(`Text '${text}' could not be parsed: ${detail}`);
}

/**
 * Parses `text` with `pattern` to an instant (microseconds since the epoch) in `timeZone`:
 * missing fields default to 1970-01-01 00:00:00. Returns a DatetimeParseFailure (Java's
 * message) when the text does not match or names no real date-time.
 */
export function parseDatetime(text: string, pattern: string, timeZone: string): number | DatetimeParseFailure {
  const p: Parsed = {};
  const state = { errorIndex: 0 };
  const end = parseTokens(tokenizePattern(pattern), text, 0, p, state);
  if (end === null) return new DatetimeParseFailure(`Text '${text}' could not be parsed at index ${state.errorIndex}`);
  if (end !== text.length) return new DatetimeParseFailure(`Text '${text}' could not be parsed, unparsed text found at index ${end}`);
  let year = p.year ?? (p.yearOfEra !== undefined ? (p.bc === true ? 1 - p.yearOfEra : p.yearOfEra) : p.twoDigitYear !== undefined ? 2000 + p.twoDigitYear : 1970);
  if (p.twoDigitYear !== undefined && p.yearOfEra === undefined && p.year === undefined) year = 2000 + p.twoDigitYear;
  let month = p.month ?? 1;
  let day = p.day ?? 1;
  if (p.dayOfYear !== undefined && p.month === undefined && p.day === undefined) {
    const leap = epochDay(year, 12, 31) - epochDay(year, 1, 1) + 1;
    if (p.dayOfYear < 1 || p.dayOfYear > leap) return invalid(text, `Invalid value for DayOfYear (valid values 1 - 365/366): ${p.dayOfYear}`);
    const d = new Date(utcMillis(year, 1, 1, 0, 0, 0) + (p.dayOfYear - 1) * 86_400_000);
    month = d.getUTCMonth() + 1;
    day = d.getUTCDate();
  }
  if (month < 1 || month > 12) return invalid(text, `Invalid value for MonthOfYear (valid values 1 - 12): ${month}`);
  if (day < 1 || day > 31) return invalid(text, `Invalid value for DayOfMonth (valid values 1 - 28/31): ${day}`);
  const check = new Date(utcMillis(year, month, day, 0, 0, 0));
  if (check.getUTCDate() !== day) return invalid(text, `Invalid date '${MONTHS[month - 1]?.toUpperCase()} ${day}'`);
  let hour = p.hour ?? 0;
  if (p.hour12 !== undefined) {
    if (p.hour12 < 0 || p.hour12 > 12) return invalid(text, `Invalid value for ClockHourOfAmPm (valid values 1 - 12): ${p.hour12}`);
    hour = (p.hour12 % 12) + (p.pm === true ? 12 : 0);
  } else if (p.pm !== undefined && p.hour === undefined) hour = p.pm ? 12 : 0;
  if (hour > 23) return invalid(text, `Invalid value for HourOfDay (valid values 0 - 23): ${hour}`);
  const minute = p.minute ?? 0;
  if (minute > 59) return invalid(text, `Invalid value for MinuteOfHour (valid values 0 - 59): ${minute}`);
  const second = p.second ?? 0;
  if (second > 59) return invalid(text, `Invalid value for SecondOfMinute (valid values 0 - 59): ${second}`);
  const local = utcMillis(year, month, day, hour, minute, second);
  let offsetMs: number;
  if (p.offsetSeconds !== undefined) offsetMs = p.offsetSeconds * 1000;
  else offsetMs = zoneOffsetAtLocal(local, p.zone ?? timeZone);
  return (local - offsetMs) * 1000 + (p.micros ?? 0);
}

/** Offset of `timeZone` (ms) at a local wall-clock time given as UTC millis (earlier offset in an overlap). */
export function zoneOffsetAtLocal(localAsUtc: number, timeZone: string): number {
  const offsetAt = (utc: number): number => localDateTime(utc * 1000, timeZone).offsetSeconds * 1000;
  const first = offsetAt(localAsUtc);
  return offsetAt(localAsUtc - first);
}
