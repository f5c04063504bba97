import { decimalParts, decimalType, isDecimal, type DataType, type DecimalType, type Value } from '../core/types.js';
import { IllegalStateError } from '../errors/illegal-state-error.js';
import { digitCount, MAX_PRECISION, MINIMUM_ADJUSTED_SCALE, toBig } from '../core/decimal.js';

/**
 * Spark's DecimalPrecision rules: the DECIMAL types that arithmetic results, implicit casts and
 * type widening take (DecimalType.adjustPrecisionScale with
 * spark.sql.decimalOperations.allowPrecisionLoss at its default, true).
 */

export interface PrecisionScale {
  readonly precision: number;
  readonly scale: number;
}

export function parts(type: DataType): PrecisionScale {
  const d = decimalParts(type);
  if (d === undefined) throw new IllegalStateError(`not a decimal type: ${String(type)}`);
  return d;
}

/** DecimalType.bounded: precision and scale capped at 38. */
export function bounded(precision: number, scale: number): DecimalType {
  return decimalType(Math.min(precision, MAX_PRECISION), Math.min(scale, MAX_PRECISION));
}

/**
 * DecimalType.adjustPrecisionScale: past 38 digits the scale shrinks (to no less than 6, or
 * the scale itself when smaller) so the integral digits survive.
 */
export function adjustPrecisionScale(precision: number, scale: number): DecimalType {
  if (precision <= MAX_PRECISION) return decimalType(precision, scale);
  const intDigits = precision - scale;
  const minScale = Math.min(scale, MINIMUM_ADJUSTED_SCALE);
  return decimalType(MAX_PRECISION, Math.max(MAX_PRECISION - intDigits, minScale));
}

export type DecimalOp = '+' | '-' | '*' | '/' | '%' | 'div';

/** The result type of `a op b` over DECIMAL(p1,s1) and DECIMAL(p2,s2) (each op's resultDecimalType). */
export function resultDecimalType(op: DecimalOp, a: DataType, b: DataType): DecimalType {
  const { precision: p1, scale: s1 } = parts(a);
  const { precision: p2, scale: s2 } = parts(b);
  switch (op) {
    case '+':
    case '-': {
      const scale = Math.max(s1, s2);
      return adjustPrecisionScale(Math.max(p1 - s1, p2 - s2) + scale + 1, scale);
    }
    case '*':
      return adjustPrecisionScale(p1 + p2 + 1, s1 + s2);
    case '/': {
      const scale = Math.max(MINIMUM_ADJUSTED_SCALE, s1 + p2 + 1);
      return adjustPrecisionScale(p1 - s1 + s2 + scale, scale);
    }
    case '%': {
      const scale = Math.max(s1, s2);
      return adjustPrecisionScale(Math.min(p1 - s1, p2 - s2) + scale, scale);
    }
    case 'div': {
      // IntegralDivide: the quotient's integral digits, scale 0 (DECIMAL(1,0) for none).
      const intDigits = p1 - s1 + s2;
      return bounded(intDigits === 0 ? 1 : intDigits, 0);
    }
  }
}

/** DecimalPrecision.widerDecimalType: room for both types' integral and fraction digits. */
export function widerDecimalType(a: DataType, b: DataType): DecimalType {
  const { precision: p1, scale: s1 } = parts(a);
  const { precision: p2, scale: s2 } = parts(b);
  const scale = Math.max(s1, s2);
  return bounded(Math.max(p1 - s1, p2 - s2) + scale, scale);
}

const FOR_TYPE: Readonly<Record<string, DecimalType>> = {
  tinyint: 'decimal(3,0)', smallint: 'decimal(5,0)', int: 'decimal(10,0)', bigint: 'decimal(20,0)',
  float: 'decimal(14,7)', double: 'decimal(30,15)', boolean: 'decimal(1,0)',
};

/** DecimalType.forType: the DECIMAL an integral (or floating) type widens to; undefined otherwise. */
export function decimalForType(type: DataType): DecimalType | undefined {
  return typeof type === 'string' ? FOR_TYPE[type] : undefined;
}

/**
 * DecimalType.forLiteral: an INT or BIGINT literal beside a decimal takes only the digits its
 * value needs (`2` is DECIMAL(1,0)), so `x * 2` keeps more scale than DECIMAL(10,0) would.
 */
export function decimalForLiteral(value: Value, type: DataType): DecimalType | undefined {
  if ((type === 'int' || type === 'bigint' || type === 'smallint') && value !== null) return decimalType(digitCount(toBig(value)), 0);
  return decimalForType(type);
}

/** The decimal type of a literal's digits: `1.50` is DECIMAL(3,2), `0.01` DECIMAL(2,2). */
export function literalDecimalType(unscaled: bigint, scale: number): DecimalType {
  return decimalType(Math.max(digitCount(unscaled), scale), scale);
}

const NUMERIC_RANK: readonly string[] = ['tinyint', 'smallint', 'int', 'bigint', 'float', 'double'];

/**
 * The type two numeric types meet at (findTightestCommonType / findWiderTypeForDecimal): the
 * wider of two integral or floating types; a DECIMAL with an integral type the wider DECIMAL of
 * both (the integral one as DecimalType.forType); a DECIMAL with FLOAT or DOUBLE a DOUBLE.
 */
export function widerNumericType(a: DataType, b: DataType): DataType {
  if (!isDecimal(a) && !isDecimal(b)) {
    return (NUMERIC_RANK[Math.max(NUMERIC_RANK.indexOf(a as string), NUMERIC_RANK.indexOf(b as string))] ?? 'double') as DataType;
  }
  const da = isDecimal(a) ? a : decimalForType(a);
  const db = isDecimal(b) ? b : decimalForType(b);
  if (a === 'float' || a === 'double' || b === 'float' || b === 'double' || da === undefined || db === undefined) return 'double';
  return widerDecimalType(da, db);
}
