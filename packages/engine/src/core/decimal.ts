import type { Value } from './types.js';

/**
 * Exact decimal values, as Spark's Decimal (java.math.BigDecimal underneath) computes them. A
 * DECIMAL(p, s) value is its unscaled integer u (the value is u / 10^s), held as an exact
 * integer: a number when it is a safe integer, else a bigint, so equal values stay `===`.
 * Here the arithmetic runs on bigints and every result is rounded HALF_UP, as Spark rounds.
 */

export const MAX_PRECISION = 38;
/** DecimalType.MINIMUM_ADJUSTED_SCALE: the scale a result keeps when its precision is capped. */
export const MINIMUM_ADJUSTED_SCALE = 6;

const POW10: bigint[] = [1n];
for (let i = 1; i <= 2 * MAX_PRECISION + 2; i++) POW10.push((POW10[i - 1] ?? 1n) * 10n);

export function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An exact integer in Sluice's form: a number when it is a safe integer, else a bigint. */
export function exactInteger(b: bigint): number | bigint {
  return b >= -MAX_SAFE && b <= MAX_SAFE ? Number(b) : b;
}

/** An exact integer value (number or bigint) as a bigint. */
export function toBig(v: Value): bigint {
  return typeof v === 'bigint' ? v : BigInt(v as number);
}

const abs = (b: bigint): bigint => (b < 0n ? -b : b);

/** n / d rounded HALF_UP (ties away from zero), d ≠ 0. */
export function divHalfUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const away = abs(r) * 2n >= abs(d);
  if (!away) return q;
  return (n < 0n) !== (d < 0n) ? q - 1n : q + 1n;
}

/** An unscaled value moved from one scale to another, rounding HALF_UP when digits drop. */
export function rescale(u: bigint, from: number, to: number): bigint {
  if (to === from) return u;
  if (to > from) return u * pow10(to - from);
  return divHalfUp(u, pow10(from - to));
}

/** Digits of |u| (BigDecimal.precision of the unscaled value; 0 has one). */
export function digitCount(u: bigint): number {
  return abs(u).toString().length;
}

/** Whether an unscaled value fits DECIMAL(precision, ·): |u| < 10^precision. */
export function fitsPrecision(u: bigint, precision: number): boolean {
  return abs(u) < pow10(precision);
}

/**
 * Decimal.toPrecision / changePrecision: the value at `scale` (HALF_UP) when it fits
 * DECIMAL(precision, scale), else null (the caller raises or returns NULL).
 */
export function toPrecision(u: bigint, fromScale: number, precision: number, scale: number): bigint | null {
  const r = rescale(u, fromScale, scale);
  return fitsPrecision(r, precision) ? r : null;
}

/** BigDecimal.toPlainString: `-1.50`, `0.001`, `1200` (a negative scale appends zeros). */
export function toPlainString(u: bigint, scale: number): string {
  const sign = u < 0n ? '-' : '';
  const digits = abs(u).toString();
  if (scale <= 0) return sign + digits + (u === 0n ? '' : '0'.repeat(-scale));
  if (digits.length > scale) return `${sign}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return `${sign}0.${'0'.repeat(scale - digits.length)}${digits}`;
}

/**
 * BigDecimal.toString: plain unless the scale is negative or the adjusted exponent is below -6,
 * then `1E-8`, `1.5E+3` (what Spark's JSON writer and its non-ANSI string cast print).
 */
export function toJavaString(u: bigint, scale: number): string {
  const digits = abs(u).toString();
  const adjusted = -scale + (digits.length - 1);
  if (scale >= 0 && adjusted >= -6) return toPlainString(u, scale);
  const mantissa = digits.length > 1 ? `${digits[0] ?? ''}.${digits.slice(1)}` : digits;
  return `${u < 0n ? '-' : ''}${mantissa}E${adjusted > 0 ? '+' : ''}${adjusted}`;
}

/** A parsed decimal number: value = unscaled × 10^-scale (the scale may be negative). */
export interface BigDecimal {
  readonly unscaled: bigint;
  readonly scale: number;
}

const BIG_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** java.math.BigDecimal(String): `12`, `-1.50`, `.5`, `1.`, `1e3`, `+2.5E-2`; null when malformed. */
export function parseBigDecimal(text: string): BigDecimal | null {
  const m = BIG_DECIMAL.exec(text);
  if (m === null) return null;
  const [, sign = '', int = '', frac = '', exp] = m;
  if (int === '' && frac === '') return null;
  const magnitude = BigInt(`${int}${frac}` || '0');
  const exponent = exp === undefined ? 0 : Number(exp);
  if (!Number.isSafeInteger(exponent)) return null;
  return { unscaled: sign === '-' ? -magnitude : magnitude, scale: frac.length - exponent };
}

/** Digits left of the point (BigDecimal precision - scale): Decimal.fromString's 38-digit limit. */
export function integralDigits(d: BigDecimal): number {
  return digitCount(d.unscaled) - d.scale;
}

/**
 * Decimal(double): Scala's BigDecimal of `Double.toString` (the shortest decimal that reads back
 * as the double, so 1.005 is 1.005, not its binary expansion); null for NaN and the infinities.
 */
export function fromDouble(d: number): BigDecimal | null {
  if (!Number.isFinite(d)) return null;
  return parseBigDecimal(String(d));
}

/** BigDecimal.doubleValue: the nearest double (JS parses decimal text correctly rounded). */
export function toDouble(u: Value, scale: number): number {
  const b = toBig(u);
  if (scale === 0) return Number(b);
  return Number(toJavaString(b, scale));
}

/**
 * BigDecimal.longValue of the truncated value (toward zero) as an exact bigint, before any
 * range check: Decimal.toLong / roundToLong.
 */
export function truncate(u: bigint, scale: number): bigint {
  return scale <= 0 ? u * pow10(-scale) : u / pow10(scale);
}

/**
 * MathContext(38, HALF_UP) on an exact result: at most 38 significant digits, the scale
 * lowered by the digits dropped (Decimal's `*` rounds its product so).
 */
export function roundToMaxPrecision(u: bigint, scale: number): BigDecimal {
  const excess = digitCount(u) - MAX_PRECISION;
  if (excess <= 0) return { unscaled: u, scale };
  const r = divHalfUp(u, pow10(excess));
  // Rounding up may carry into a 39th digit (99…9 → 100…0): one more digit goes.
  return digitCount(r) > MAX_PRECISION ? { unscaled: r / 10n, scale: scale - excess - 1 } : { unscaled: r, scale: scale - excess };
}

/** a + b / a - b, exact, at the larger scale. */
export function addDecimal(a: bigint, sa: number, b: bigint, sb: number, negateB: boolean): BigDecimal {
  const s = Math.max(sa, sb);
  const right = rescale(b, sb, s);
  return { unscaled: rescale(a, sa, s) + (negateB ? -right : right), scale: s };
}

/** a × b, rounded to 38 significant digits as Decimal's `*` (MathContext 38, HALF_UP). */
export function multiplyDecimal(a: bigint, sa: number, b: bigint, sb: number): BigDecimal {
  return roundToMaxPrecision(a * b, sa + sb);
}

/** a / b at scale 38, HALF_UP, as Decimal's `/` (BigDecimal.divide(b, 38, HALF_UP)); b ≠ 0. */
export function divideDecimal(a: bigint, sa: number, b: bigint, sb: number): BigDecimal {
  const shift = MAX_PRECISION - sa + sb;
  const n = shift >= 0 ? a * pow10(shift) : a;
  const d = shift >= 0 ? b : b * pow10(-shift);
  return { unscaled: divHalfUp(n, d), scale: MAX_PRECISION };
}

/** a % b (BigDecimal.remainder: the sign of a), exact at the larger scale; b ≠ 0. */
export function remainderDecimal(a: bigint, sa: number, b: bigint, sb: number): BigDecimal {
  const s = Math.max(sa, sb);
  return { unscaled: rescale(a, sa, s) % rescale(b, sb, s), scale: s };
}

/** a div b (BigDecimal.divideToIntegralValue): the quotient truncated toward zero; b ≠ 0. */
export function quotientDecimal(a: bigint, sa: number, b: bigint, sb: number): bigint {
  const s = Math.max(sa, sb);
  return rescale(a, sa, s) / rescale(b, sb, s);
}

/** The largest integer ≤ u / 10^scale. */
export function floorDecimal(u: bigint, scale: number): bigint {
  const p = pow10(scale);
  const q = u / p;
  return u < 0n && u % p !== 0n ? q - 1n : q;
}

/** The smallest integer ≥ u / 10^scale. */
export function ceilDecimal(u: bigint, scale: number): bigint {
  const p = pow10(scale);
  const q = u / p;
  return u > 0n && u % p !== 0n ? q + 1n : q;
}
