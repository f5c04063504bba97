import { decimalParts, mapEntries, type DataType, type Value } from '../core/types.js';
import { toBig, toPlainString } from '../core/decimal.js';
import { javaDoubleToString, javaFloatToString } from './java-double-to-string.js';

/**
 * Renders one cell as Spark 4's `ToPrettyString` does for `show()`: NULL for nulls,
 * timestamps in the session time zone without trailing zero fractions, doubles in Java's
 * `Double.toString` form; maps as `{k -> v, ...}`. Control characters are escaped as in Spark 3.4+.
 */
export function renderCell(value: Value, type: DataType, timeZone: string): string {
  if (value === null) return 'NULL';
  if (typeof type !== 'string') {
    const items = Array.isArray(value) ? (value as readonly Value[]) : [];
    if (type.kind === 'array') return `[${items.map((v) => renderCell(v, type.elementType, timeZone)).join(', ')}]`;
    if (type.kind === 'map') {
      return `{${mapEntries(value).map(([k, v]) => `${renderCell(k, type.keyType, timeZone)} -> ${renderCell(v, type.valueType, timeZone)}`).join(', ')}}`;
    }
    return `{${items.map((v, i) => renderCell(v, type.fields[i]?.type ?? 'string', timeZone)).join(', ')}}`;
  }
  switch (type) {
    case 'string':
      return escapeControl(String(value));
    case 'timestamp':
      return typeof value === 'number' ? formatTimestampMicros(value, timeZone) : String(value);
    case 'date':
      return typeof value === 'number' ? formatDateDays(value) : String(value);
    case 'double':
      return typeof value === 'number' ? formatJavaDouble(value) : String(value);
    case 'float':
      return typeof value === 'number' ? formatJavaFloat(value) : String(value);
    case 'binary':
      return `[${(String(value).match(/../g) ?? []).map((b) => b.toUpperCase()).join(' ')}]`;
    default: {
      // A DECIMAL prints its plain digits at its scale (Decimal.toPlainString): 2.50, never 2.5E+0.
      const decimal = decimalParts(type);
      return decimal === undefined ? String(value) : toPlainString(toBig(value), decimal.scale);
    }
  }
}

/** `yyyy-MM-dd` of a date held as days since the epoch. */
export function formatDateDays(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

const CONTROL_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '\\n', '\t': '\\t', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\u000b': '\\v', '\u0007': '\\a',
};

function escapeControl(text: string): string {
   
  return text.replace(/[\u0000-\u001f]/g, (ch) => CONTROL_ESCAPES[ch] ?? ch);
}

/**
 * Java's Double.toString (JDK 17's, which Spark 4.2 runs on): plain notation in [1e-3, 1e7),
 * scientific outside it. In the plain range JDK 17 prints the shortest digits that read back,
 * as JavaScript does (checked on 2.9 million doubles); outside it, it may print more (2^62 is
 * `4.6116860184273879E18`), so the JDK's algorithm runs there (java-double-to-string.ts).
 */
export function formatJavaDouble(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  return javaDoubleToString(value);
}

/** Java's Float.toString (JDK 17's): `0.1`, not the double `0.10000000149011612`. */
export function formatJavaFloat(value: number): string {
  return javaFloatToString(value);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** `yyyy-MM-dd HH:mm:ss[.ffffff]` with trailing zeros of the fraction trimmed. */
export function formatTimestampMicros(micros: number, timeZone: string): string {
  const millis = Math.floor(micros / 1000);
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  const parts = formatterFor(timeZone).formatToParts(new Date(millis));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '00';
  const base = `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
  if (fraction === 0) return base;
  return `${base}.${String(fraction).padStart(6, '0').replace(/0+$/, '')}`;
}
