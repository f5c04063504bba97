import { decimalParts, decimalType, isDecimal, type DataType } from '../core/types.js';
import type { Bound } from './bound.js';
import { castValue } from './cast.js';
import { ceilDecimal, divHalfUp, exactInteger, floorDecimal, pow10, toBig } from '../core/decimal.js';
import { bounded } from './decimal-type.js';
import type { FunctionSpec } from './function-spec.js';

/**
 * The math functions over a DECIMAL argument. `abs`, `floor`, `ceil`, `round` and `bround` keep a
 * DECIMAL (Spark's result types: `floor(DECIMAL(p,s))` is DECIMAL(p-s+1, 0), `round(x, d)`
 * DECIMAL(p-s+1+min(s,d), min(s,d))); the functions that compute on doubles (`sqrt`, `pow`)
 * take the DECIMAL as a DOUBLE, as Spark's implicit cast does. Other arguments keep the
 * function's own behaviour.
 */

const DOUBLE_INPUT = new Set(['sqrt', 'pow']);

/** The specs with their DECIMAL cases added (scalar-functions.ts applies it to the registry). */
export function withDecimalArguments(specs: Readonly<Record<string, FunctionSpec>>): Record<string, FunctionSpec> {
  const out: Record<string, FunctionSpec> = { ...specs };
  for (const [name, spec] of Object.entries(specs)) {
    const decimal = DECIMAL_CASES[name];
    if (decimal !== undefined) out[name] = whenDecimal(spec, decimal);
    else if (DOUBLE_INPUT.has(name)) out[name] = decimalsAsDouble(spec);
  }
  return out;
}

type Resolve = FunctionSpec['resolve'];

function whenDecimal(spec: FunctionSpec, decimal: Resolve): FunctionSpec {
  return { ...spec, resolve: (args, timeZone, ansi) => (args[0] !== undefined && isDecimal(args[0].type) ? decimal(args, timeZone, ansi) : spec.resolve(args, timeZone, ansi)) };
}

function decimalsAsDouble(spec: FunctionSpec): FunctionSpec {
  const asDouble = (a: Bound, timeZone: string): Bound => {
    if (!isDecimal(a.type)) return a;
    const from: DataType = a.type;
    const inner = a.eval;
    return { ...a, type: 'double', eval: (row, ctx) => castValue(inner(row, ctx), from, 'double', timeZone) };
  };
  return { ...spec, resolve: (args, timeZone, ansi) => spec.resolve(args.map((a) => asDouble(a, timeZone)), timeZone, ansi) };
}

const scaleOf = (type: DataType): { precision: number; scale: number } => decimalParts(type) ?? { precision: 10, scale: 0 };

/** A function of the unscaled value alone, its result type from the argument's. */
function unary(resultType: (p: number, s: number) => DataType, fn: (u: bigint, s: number) => bigint): Resolve {
  return (args) => {
    const x = args[0] as Bound;
    const { precision, scale } = scaleOf(x.type);
    const xe = x.eval;
    return {
      type: resultType(precision, scale),
      nullable: x.nullable,
      eval: (row, ctx) => {
        const v = xe(row, ctx);
        return v === null ? null : exactInteger(fn(toBig(v), scale));
      },
    };
  };
}

/** RoundBase on a DECIMAL: HALF_UP (round) or HALF_EVEN (bround) to `d` digits, d a constant. */
function roundDecimal(name: 'round' | 'bround'): Resolve {
  return (args) => {
    const [x, d] = args as [Bound, Bound | undefined];
    const digits = Number(d?.eval([], { batchTimestampMs: 0 }) ?? 0);
    const { precision, scale } = scaleOf(x.type);
    const intDigits = precision - scale + 1;
    const newScale = digits < 0 ? 0 : Math.min(scale, digits);
    const type = digits < 0 ? decimalType(Math.min(Math.max(intDigits, -digits + 1), 38), 0) : decimalType(Math.min(intDigits + newScale, 38), newScale);
    // Digits dropped: down to `digits` (negative: into the integral part), then kept at the new scale.
    const drop = scale - (digits < 0 ? digits : newScale);
    const xe = x.eval;
    const halfEven = name === 'bround';
    return {
      type,
      nullable: x.nullable || (d?.nullable ?? false),
      sql: `${name}(${x.sql}, ${d?.sql ?? '0'})`,
      eval: (row, ctx) => {
        const v = xe(row, ctx);
        if (v === null) return null;
        const u = toBig(v);
        if (drop <= 0) return exactInteger(u * pow10(-drop));
        const p = pow10(drop);
        let q = halfEven ? halfEvenDiv(u, p) : divHalfUp(u, p);
        if (digits < 0) q *= pow10(-digits);
        return exactInteger(q);
      },
    };
  };
}

/** u / p rounded HALF_EVEN. */
function halfEvenDiv(u: bigint, p: bigint): bigint {
  const q = u / p;
  const r = u % p;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice < p || (twice === p && q % 2n === 0n)) return q;
  return u < 0n ? q - 1n : q + 1n;
}

const DECIMAL_CASES: Readonly<Record<string, Resolve>> = {
  abs: unary((p, s) => decimalType(p, s), (u) => (u < 0n ? -u : u)),
  // Floor / Ceil: DECIMAL(p - s + 1, 0), or the type itself when it has no fraction.
  floor: unary((p, s) => (s === 0 ? decimalType(p, 0) : bounded(p - s + 1, 0)), floorDecimal),
  ceil: unary((p, s) => (s === 0 ? decimalType(p, 0) : bounded(p - s + 1, 0)), ceilDecimal),
  round: roundDecimal('round'),
  bround: roundDecimal('bround'),
};
