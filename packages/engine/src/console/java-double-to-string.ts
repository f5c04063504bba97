/**
 * `Double.toString` and `Float.toString` as the JDK 17 that Spark 4.2 runs on prints them: FloatingDecimal's
 * BinaryToASCIIBuffer (dtoa, developLongDigits, roundup, getChars), digit for digit. It is not
 * always the shortest decimal that reads back (JDK 19 changed that): 2^62 prints as
 * `4.6116860184273879E18`, where JavaScript's shortest form is 4.611686018427388e18. The int and
 * long paths keep Java's 32- and 64-bit wrap-around, on which the stopping test relies.
 */

const EXP_SHIFT = 52;
const TWO_52 = 2 ** 52;

/** 5^i for the long path (FDBigInteger.LONG_5_POW has 27 entries). */
const LONG_5_POW: bigint[] = Array.from({ length: 27 }, (_, i) => 5n ** BigInt(i));
/** Approximately ceil(log2(5^i)). */
const N_5_BITS = [0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42, 45, 47, 49, 52, 54, 56, 59, 61];
/** insignificantDigits(1L << i). */
const INSIGNIFICANT_DIGITS = [
  0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 9,
  10, 10, 10, 11, 11, 11, 12, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15, 15, 16, 16, 16, 17, 17, 17, 18, 18, 18, 19,
];

const scratch = new DataView(new ArrayBuffer(8));

/** Trailing zero bits of a positive integer below 2^53. */
function trailingZeros(x: number): number {
  const lo = x % 2 ** 32;
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  const hi = (x - lo) / 2 ** 32;
  return 32 + 31 - Math.clz32(hi & -hi);
}

/** The digits (as character codes' values) and the decimal exponent of a positive double. */
interface Decimal {
  digits: number[];
  decExponent: number;
}

const asLong = (x: bigint): bigint => BigInt.asIntN(64, x);

/** developLongDigits: all the significant bits are in `lvalue`; trailing zeros dropped. */
function developLongDigits(lvalue: number, insignificantDigits: number): Decimal {
  if (insignificantDigits === 0 && lvalue <= Number.MAX_SAFE_INTEGER) {
    const text = String(lvalue);
    return { digits: [...text.replace(/0+$/, '')].map(Number), decExponent: text.length };
  }
  let v = BigInt(lvalue);
  let decExponent = 0;
  if (insignificantDigits !== 0) {
    const pow10 = LONG_5_POW[insignificantDigits] as bigint << BigInt(insignificantDigits);
    const residue = v % pow10;
    v /= pow10;
    decExponent += insignificantDigits;
    if (residue >= pow10 >> 1n) v++;
  }
  // The digits of v without its trailing zeros; decExponent counts the digits before the point.
  const text = v.toString();
  const significant = text.replace(/0+$/, '');
  return { digits: [...significant].map(Number), decExponent: decExponent + text.length };
}

/** estimateDecExp: floor(log10(d)) from the bits, as Java computes it in doubles. */
function estimateDecExp(fractBits: number, binExp: number): number {
  // The mantissa scaled into [1, 2): the hidden bit is 2^52.
  const d2 = fractBits / TWO_52;
  const d = (d2 - 1.5) * 0.289529654 + 0.176091259 + binExp * 0.301029995663981;
  return Math.floor(d);
}

function dtoa(binExp: number, fractBits: number, nSignificantBits: number): Decimal {
  const tailZeros = trailingZeros(fractBits);
  const nFractBits = EXP_SHIFT + 1 - tailZeros;
  const nTinyBits = Math.max(0, nFractBits - binExp - 1);
  if (binExp <= 62 && binExp >= -21 && nTinyBits < LONG_5_POW.length && nFractBits + (N_5_BITS[nTinyBits] ?? 0) < 64 && nTinyBits === 0) {
    const insignificant = binExp > nSignificantBits ? insignificantDigitsForPow2(binExp - nSignificantBits - 1) : 0;
    // Exact: no fraction bits are left (nTinyBits is 0), and a power of two scales exactly.
    return developLongDigits(fractBits * 2 ** (binExp - EXP_SHIFT), insignificant);
  }
  let decExp = estimateDecExp(fractBits, binExp);
  const B5 = Math.max(0, -decExp);
  let B2 = B5 + nTinyBits + binExp;
  const S5 = Math.max(0, decExp);
  let S2 = S5 + nTinyBits;
  const M5 = B5;
  let M2 = B2 - nSignificantBits;
  const fract = fractBits / 2 ** tailZeros;
  B2 -= nFractBits - 1;
  const common2 = Math.min(B2, S2);
  B2 -= common2;
  S2 -= common2;
  M2 -= common2;
  // For exact powers of two the next smaller double is half as far away.
  if (nFractBits === 1) M2 -= 1;
  if (M2 < 0) {
    B2 -= M2;
    S2 -= M2;
    M2 = 0;
  }
  const digits: number[] = [];
  let low: boolean;
  let high: boolean;
  let lowDigitDifference: bigint;
  const Bbits = nFractBits + B2 + (B5 < N_5_BITS.length ? (N_5_BITS[B5] ?? 0) : B5 * 3);
  const tenSbits = S2 + 1 + (S5 + 1 < N_5_BITS.length ? (N_5_BITS[S5 + 1] ?? 0) : (S5 + 1) * 3);
  // The E form always takes a second digit (the stopping test is off for the first).
  const eForm = (): boolean => decExp < -3 || decExp >= 8;
  if (Bbits < 64 && tenSbits < 64) {
    if (Bbits < 32 && tenSbits < 32) {
      // Java int arithmetic, 32-bit wrap-around included.
      let b = Math.imul(fract, Number(LONG_5_POW[B5])) << B2;
      const s = Number(LONG_5_POW[S5]) << S2;
      let m = Number(LONG_5_POW[M5]) << M2;
      const tens = Math.imul(s, 10);
      let q = Math.trunc(b / s);
      b = Math.imul(10, b % s);
      m = Math.imul(m, 10);
      low = b < m;
      high = ((b + m) | 0) > tens;
      if (q === 0 && !high) decExp--;
      else digits.push(q);
      if (eForm()) high = low = false;
      while (!low && !high) {
        q = Math.trunc(b / s);
        b = Math.imul(10, b % s);
        m = Math.imul(m, 10);
        if (m > 0) {
          low = b < m;
          high = ((b + m) | 0) > tens;
        } else {
          low = true;
          high = true;
        }
        digits.push(q);
      }
      lowDigitDifference = BigInt(((b << 1) - tens) | 0);
    } else if (Bbits < 50 && tenSbits < 50) {
      // Java long arithmetic where nothing can wrap: b, s and tens stay below 2^50, and the loop
      // stops (high) before m could reach 2^63; past 2^53, m only meets comparisons it wins.
      let b = fract * Number(LONG_5_POW[B5]) * 2 ** B2;
      const s = Number(LONG_5_POW[S5]) * 2 ** S2;
      let m = Number(LONG_5_POW[M5]) * 2 ** M2;
      const tens = s * 10;
      let r = b % s;
      let q = (b - r) / s;
      b = 10 * r;
      m *= 10;
      low = b < m;
      high = b + m > tens;
      if (q === 0 && !high) decExp--;
      else digits.push(q);
      if (eForm()) high = low = false;
      while (!low && !high) {
        r = b % s;
        q = (b - r) / s;
        b = 10 * r;
        m *= 10;
        low = b < m;
        high = b + m > tens;
        digits.push(q);
      }
      lowDigitDifference = BigInt(2 * b - tens);
    } else {
      // Java long arithmetic, 64-bit wrap-around included.
      let b = asLong((BigInt(fract) * (LONG_5_POW[B5] as bigint)) << BigInt(B2));
      const s = asLong((LONG_5_POW[S5] as bigint) << BigInt(S2));
      let m = asLong((LONG_5_POW[M5] as bigint) << BigInt(M2));
      const tens = asLong(s * 10n);
      let q = Number(b / s);
      b = asLong(10n * (b % s));
      m = asLong(m * 10n);
      low = b < m;
      high = asLong(b + m) > tens;
      if (q === 0 && !high) decExp--;
      else digits.push(q);
      if (eForm()) high = low = false;
      while (!low && !high) {
        q = Number(b / s);
        b = asLong(10n * (b % s));
        m = asLong(m * 10n);
        if (m > 0n) {
          low = b < m;
          high = asLong(b + m) > tens;
        } else {
          low = true;
          high = true;
        }
        digits.push(q);
      }
      lowDigitDifference = asLong((b << 1n) - tens);
    }
  } else {
    // FDBigInteger arithmetic: exact, and the high test is `>=` here.
    const S = 5n ** BigInt(S5) << BigInt(S2);
    let B = (BigInt(fract) * 5n ** BigInt(B5)) << BigInt(B2);
    let M = 5n ** BigInt(M5 + 1) << BigInt(M2 + 1);
    const tenS = 5n ** BigInt(S5 + 1) << BigInt(S2 + 1);
    let q = Number(B / S);
    B = (B % S) * 10n;
    low = B < M;
    high = B + M >= tenS;
    if (q === 0 && !high) decExp--;
    else digits.push(q);
    if (eForm()) high = low = false;
    while (!low && !high) {
      q = Number(B / S);
      B = (B % S) * 10n;
      M *= 10n;
      low = B < M;
      high = B + M >= tenS;
      digits.push(q);
    }
    lowDigitDifference = high && low ? BigInt(Math.sign(Number((B << 1n) - tenS))) : 0n;
  }
  const result: Decimal = { digits, decExponent: decExp + 1 };
  if (high) {
    if (low) {
      if (lowDigitDifference === 0n) {
        if (((digits[digits.length - 1] ?? 0) & 1) !== 0) roundup(result);
      } else if (lowDigitDifference > 0n) {
        roundup(result);
      }
    } else {
      roundup(result);
    }
  }
  return result;
}

function insignificantDigitsForPow2(p2: number): number {
  return p2 > 1 && p2 < INSIGNIFICANT_DIGITS.length ? (INSIGNIFICANT_DIGITS[p2] ?? 0) : 0;
}

/** Adds one to the last digit; a carry out of the first digit makes it 1 with a larger exponent. */
function roundup(d: Decimal): void {
  let i = d.digits.length - 1;
  let q = d.digits[i] ?? 0;
  if (q === 9) {
    while (q === 9 && i > 0) {
      d.digits[i] = 0;
      q = d.digits[--i] ?? 0;
    }
    if (q === 9) {
      d.decExponent += 1;
      d.digits[0] = 1;
      return;
    }
  }
  d.digits[i] = q + 1;
}

/** getChars: plain for exponents 1..7 and -2..0 (as Java's decExponent counts), else E form. */
function layout(negative: boolean, { digits, decExponent }: Decimal): string {
  const text = digits.join('');
  const n = digits.length;
  let out = negative ? '-' : '';
  if (decExponent > 0 && decExponent < 8) {
    const charLength = Math.min(n, decExponent);
    out += text.slice(0, charLength);
    if (charLength < decExponent) out += `${'0'.repeat(decExponent - charLength)}.0`;
    else out += `.${charLength < n ? text.slice(charLength) : '0'}`;
  } else if (decExponent <= 0 && decExponent > -3) {
    out += `0.${'0'.repeat(-decExponent)}${text}`;
  } else {
    out += `${text[0] ?? '0'}.${n > 1 ? text.slice(1) : '0'}E${decExponent <= 0 ? `-${-decExponent + 1}` : String(decExponent - 1)}`;
  }
  return out;
}

/** Java 17's Double.toString(d). */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  scratch.setFloat64(0, d);
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  const negative = d < 0;
  let fractBits = (hi & 0xfffff) * 2 ** 32 + lo;
  let binExp = (hi >>> 20) & 0x7ff;
  let nSignificantBits: number;
  if (binExp === 0) {
    // A subnormal: normalised so that its high-order bit sits where a normal one's is.
    const leadingZeros = (hi & 0xfffff) === 0 ? 32 + Math.clz32(lo) : Math.clz32(hi & 0xfffff);
    const shift = leadingZeros - (63 - EXP_SHIFT);
    fractBits *= 2 ** shift;
    binExp = 1 - shift;
    nSignificantBits = 64 - leadingZeros;
  } else {
    fractBits += TWO_52;
    nSignificantBits = EXP_SHIFT + 1;
  }
  binExp -= 1023;
  return layout(negative, dtoa(binExp, fractBits, nSignificantBits));
}

/** Java 17's Float.toString(f) for a value that is a 32-bit float (the same dtoa on 24 bits). */
export function javaFloatToString(value: number): string {
  const f = Math.fround(value);
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return 'Infinity';
  if (f === -Infinity) return '-Infinity';
  if (f === 0) return Object.is(f, -0) ? '-0.0' : '0.0';
  scratch.setFloat32(0, f);
  const bits = scratch.getUint32(0);
  let fractBits = bits & 0x7fffff;
  let binExp = (bits >>> 23) & 0xff;
  let nSignificantBits: number;
  if (binExp === 0) {
    const leadingZeros = Math.clz32(fractBits);
    const shift = leadingZeros - (31 - 23);
    fractBits <<= shift;
    binExp = 1 - shift;
    nSignificantBits = 32 - leadingZeros;
  } else {
    fractBits |= 1 << 23;
    nSignificantBits = 24;
  }
  binExp -= 127;
  return layout(f < 0, dtoa(binExp, fractBits * 2 ** (EXP_SHIFT - 23), nSignificantBits));
}
