import type { Value } from '../core/types.js';
import { RuntimeError } from '../errors/runtime-error.js';
import type { Bound } from './bound.js';
import {
  addDecimal, divideDecimal, exactInteger, multiplyDecimal, quotientDecimal, remainderDecimal, toBig, toPlainString,
  toPrecision, type BigDecimal,
} from '../core/decimal.js';
import { parts, resultDecimalType, type DecimalOp } from './decimal-type.js';
import { fitLong } from './exact-long.js';

/**
 * `+ - * / % div` over two DECIMAL operands (BinaryArithmetic with DecimalType children): the
 * exact result, rounded HALF_UP to the result type DecimalPrecision gives. A result that does
 * not fit fails under ANSI (NUMERIC_VALUE_OUT_OF_RANGE) and is NULL without; so is a zero
 * divisor (DIVIDE_BY_ZERO, REMAINDER_BY_ZERO).
 */

/** NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION (Decimal.toPrecision, ANSI): the unrounded value. */
export function decimalOutOfRange(value: BigDecimal, precision: number, scale: number): RuntimeError {
  return new RuntimeError(
    `[NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION]  ${toPlainString(value.unscaled, value.scale)} cannot be represented as Decimal(${precision}, ${scale}). ` +
      'If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error, and return NULL instead. SQLSTATE: 22003',
  );
}

export interface ZeroDivisorErrors {
  readonly divide: string;
  readonly remainder: string;
}

export function bindDecimalArithmetic(op: DecimalOp, l: Bound, r: Bound, sql: string, ansi: boolean, byZero: ZeroDivisorErrors): Bound {
  const resultType = resultDecimalType(op, l.type, r.type);
  const { precision, scale } = parts(resultType);
  const sl = parts(l.type).scale;
  const sr = parts(r.type).scale;
  const le = l.eval;
  const re = r.eval;
  const fit = (raw: BigDecimal): Value => {
    const u = toPrecision(raw.unscaled, raw.scale, precision, scale);
    if (u !== null) return exactInteger(u);
    if (ansi) throw decimalOutOfRange(raw, precision, scale);
    return null;
  };
  const compute = (a: bigint, b: bigint): Value => {
    switch (op) {
      case '+': return fit(addDecimal(a, sl, b, sr, false));
      case '-': return fit(addDecimal(a, sl, b, sr, true));
      case '*': return fit(multiplyDecimal(a, sl, b, sr));
      case '/': return fit(divideDecimal(a, sl, b, sr));
      case '%': return fit(remainderDecimal(a, sl, b, sr));
      case 'div': {
        // IntegralDivide: the quotient checked against its DECIMAL(p, 0), then a BIGINT.
        const q = fit({ unscaled: quotientDecimal(a, sl, b, sr), scale: 0 });
        return q === null ? null : (fitLong(toBig(q)) ?? exactInteger(BigInt.asIntN(64, toBig(q))));
      }
    }
  };
  const divides = op === '/' || op === '%' || op === 'div';
  return {
    type: op === 'div' ? 'bigint' : resultType,
    nullable: l.nullable || r.nullable || divides || !ansi,
    sql,
    name: sql,
    eval: (row, ctx) => {
      const a = le(row, ctx);
      if (a === null) return null;
      const b = re(row, ctx);
      if (b === null) return null;
      const y = toBig(b);
      if (divides && y === 0n) {
        if (!ansi) return null;
        throw new RuntimeError(op === '%' ? byZero.remainder : byZero.divide);
      }
      return compute(toBig(a), y);
    },
  };
}
