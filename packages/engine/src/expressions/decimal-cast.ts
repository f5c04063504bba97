import { isDecimal, isIntegral, typeSql, type DataType, type DecimalType, type Value } from '../core/types.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { decimalOutOfRange } from './decimal-arithmetic.js';
import {
  exactInteger, fromDouble, integralDigits, parseBigDecimal, pow10, toBig, toDouble, toJavaString, toPrecision, truncate,
  type BigDecimal,
} from '../core/decimal.js';
import { parts } from './decimal-type.js';

/**
 * Casts to and from DECIMAL (Cast.castToDecimal and the decimal cases of the other casts). Under
 * ANSI a value that does not fit fails with NUMERIC_VALUE_OUT_OF_RANGE and malformed text with
 * CAST_INVALID_INPUT; without ANSI both are NULL. NaN and the infinities are NULL either way
 * (Decimal(double) throws NumberFormatException, which the cast turns into NULL).
 */

function malformed(value: Value, to: DataType): RuntimeError {
  return new RuntimeError(
    `[CAST_INVALID_INPUT] The value '${String(value)}' of the type "STRING" cannot be cast to "${typeSql(to)}" ` +
      'because it is malformed. Correct the value as per the syntax, or change its target type. ' +
      'Use `try_cast` to tolerate malformed input and return NULL instead. SQLSTATE: 22018',
  );
}

/** CAST(value AS DECIMAL(p, s)) of a non-null value of type `from`. */
export function castToDecimal(value: Value, from: DataType, to: DecimalType, ansi: boolean): Value {
  const { precision, scale } = parts(to);
  const fit = (raw: BigDecimal | null): Value => {
    if (raw === null) return null;
    const u = toPrecision(raw.unscaled, raw.scale, precision, scale);
    if (u !== null) return exactInteger(u);
    if (ansi) throw decimalOutOfRange(raw, precision, scale);
    return null;
  };
  if (typeof value === 'boolean') return fit({ unscaled: value ? 1n : 0n, scale: 0 });
  if (isDecimal(from)) return fit({ unscaled: toBig(value), scale: parts(from).scale });
  if (isIntegral(from)) return fit({ unscaled: toBig(value), scale: 0 });
  if (from === 'double' || from === 'float') return fit(fromDouble(Number(value)));
  // A timestamp is its seconds as a double (Cast.timestampToDouble): precision is lost there.
  if (from === 'timestamp') return fit(fromDouble(Number(value) / 1_000_000));
  if (from === 'string') {
    // Decimal.fromString(ANSI): java.math.BigDecimal of the trimmed text.
    const d = parseBigDecimal(String(value).trim());
    if (d === null) {
      if (ansi) throw malformed(value, to);
      return null;
    }
    if (integralDigits(d) > 38) {
      if (ansi) throw new RuntimeError(`[NUMERIC_OUT_OF_SUPPORTED_RANGE] The value ${String(value)} cannot be interpreted as a numeric since it has more than 38 digits. SQLSTATE: 22003`);
      return null;
    }
    return fit(d);
  }
  // A date does not cast to a decimal (Hive's rule): NULL.
  return null;
}

const INTEGRAL_BITS: Readonly<Record<string, number>> = { tinyint: 8, smallint: 16, int: 32, bigint: 64 };

/** CAST of a non-null DECIMAL value (unscaled, of type `from`) to a non-decimal atomic type. */
export function castFromDecimal(value: Value, from: DataType, to: DataType, ansi: boolean): Value {
  const { scale } = parts(from);
  const u = toBig(value);
  const bits = INTEGRAL_BITS[to as string];
  if (bits !== undefined) {
    // Truncated toward zero (Decimal.toLong / roundToInt...); out of range fails under ANSI, else wraps.
    const t = truncate(u, scale);
    if (BigInt.asIntN(bits, t) === t) return exactInteger(t);
    if (ansi) {
      throw new RuntimeError(
        `[CAST_OVERFLOW] The value ${toJavaString(u, scale)}BD of the type "${typeSql(from)}" cannot be cast to "${typeSql(to)}" due to an overflow. ` +
          'Use `try_cast` to tolerate overflow and return NULL instead. SQLSTATE: 22003',
      );
    }
    return exactInteger(BigInt.asIntN(bits, t));
  }
  switch (to) {
    case 'double': return toDouble(u, scale);
    case 'float': return Math.fround(toDouble(u, scale));
    case 'boolean': return u !== 0n;
    // Cast.decimalToTimestamp: the seconds times 10^6, truncated.
    case 'timestamp': return Number(truncate(u * pow10(6), scale));
    default: return null;
  }
}
