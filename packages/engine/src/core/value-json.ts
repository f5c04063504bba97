import type { Value } from './types.js';

/**
 * Values as JSON text where Sluice stores or ships them (state stores, grouping keys, records
 * between roles). JSON numbers are doubles, so a bigint (a BIGINT past 2^53, a wide DECIMAL's
 * unscaled value) travels as `{"$bigint":"<digits>"}`: no Value is a plain object, so the
 * wrapper cannot be mistaken for one. Text without a bigint is plain JSON, as before.
 */

const TAG = '$bigint';

const replacer = (_key: string, v: unknown): unknown => (typeof v === 'bigint' ? { [TAG]: v.toString() } : v);

const reviver = (_key: string, v: unknown): unknown => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const digits = (v as Record<string, unknown>)[TAG];
  return typeof digits === 'string' && Object.keys(v).length === 1 ? BigInt(digits) : v;
};

/** JSON.stringify that keeps bigints; the replacer runs only when a bigint is there. */
export function stringifyValue(value: unknown, space?: number): string {
  try {
    return JSON.stringify(value, null, space);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return JSON.stringify(value, replacer, space);
  }
}

/** JSON.parse that restores the bigints stringifyValue wrote. */
export function parseValue(text: string): unknown {
  return text.includes(`"${TAG}"`) ? JSON.parse(text, reviver) : JSON.parse(text);
}

/** A row (or key) of values written by stringifyValue. */
export function parseValues(text: string): Value[] {
  return parseValue(text) as Value[];
}
