import type { Value } from '../core/types.js';
import { exactInteger, toBig } from '../core/decimal.js';

/**
 * Java long arithmetic over Sluice's BIGINT values, exact over the whole 64-bit range: a value
 * is a number while it is a safe integer and a bigint beyond (decimal.ts `exactInteger`). The
 * common case, small numbers whose result stays safe, never leaves plain number arithmetic.
 */

export const LONG_MIN = -(2n ** 63n);
export const LONG_MAX = 2n ** 63n - 1n;

/** A result in the long range, in Sluice's form; null when it overflows. */
export function fitLong(b: bigint): number | bigint | null {
  return b < LONG_MIN || b > LONG_MAX ? null : exactInteger(b);
}

/** Two's-complement wrap to 64 bits, as Java's long arithmetic without overflow checks. */
export function wrapLong(b: bigint): number | bigint {
  return exactInteger(BigInt.asIntN(64, b));
}

export type LongOp = '+' | '-' | '*' | 'div' | '%';

/**
 * `a op b` on longs: the exact result, or null when it leaves the long range (the caller fails
 * under ANSI or wraps). `div` truncates toward zero; `div` and `%` need b ≠ 0.
 */
export function longArithmetic(op: LongOp, a: Value, b: Value): number | bigint | null {
  if (typeof a === 'number' && typeof b === 'number') {
    // Safe operands: a result that is itself a safe integer is exact (rounding is monotonic, so
    // a true result past 2^53 never rounds back below it).
    const r = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === 'div' ? Math.trunc(a / b) : a % b;
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  }
  const x = toBig(a);
  const y = toBig(b);
  switch (op) {
    case '+': return fitLong(x + y);
    case '-': return fitLong(x - y);
    case '*': return fitLong(x * y);
    case 'div': return fitLong(x / y);
    case '%': return exactInteger(x % y);
  }
}

/** `-a` on a long: null for Long.MIN_VALUE, whose negation overflows. */
export function negateLong(a: Value): number | bigint | null {
  if (typeof a === 'number') return a === 0 ? 0 : -a;
  return fitLong(-toBig(a));
}
