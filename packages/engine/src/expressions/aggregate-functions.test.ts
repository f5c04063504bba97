import type { DataType, Row, Value } from '../core/types.js';
import { bindAggregate } from './aggregate-functions.js';
import type { Bound } from './bound.js';
import { castToString } from './cast.js';

/** The first column of the row, of `type`. */
const column = (type: DataType): Bound => ({ type, nullable: true, sql: 'x', name: 'x', ordinal: 0, eval: (row: Row) => row[0] ?? null });
const ctx = { batchTimestampMs: 0 };

function aggregate(name: string, type: DataType, values: readonly Value[], ansi = true): { type: DataType; value: Value } {
  const agg = bindAggregate(name, [column(type)], false, ansi);
  // Two buffers merged, as a session window's do: the result is the same as one over all values.
  const half = Math.ceil(values.length / 2);
  const fold = (vs: readonly Value[]): Value => vs.reduce<Value>((b, v) => agg.update(b, [v], ctx), agg.init());
  return { type: agg.type, value: agg.result(agg.merge(fold(values.slice(0, half)), fold(values.slice(half)))) };
}
const shown = (r: { type: DataType; value: Value }): [string, string] => [r.value === null ? 'NULL' : castToString(r.value, r.type, 'UTC'), String(r.type)];

describe('sum and avg of a DECIMAL (Spark 4.2.0: typeof and values)', () => {
  it('sum is DECIMAL(p+10, s), avg DECIMAL(p+4, s+4), NULLs skipped', () => {
    expect(shown(aggregate('sum', 'decimal(5,2)', [125, 250, null]))).toEqual(['3.75', 'decimal(15,2)']);
    expect(shown(aggregate('avg', 'decimal(5,2)', [125, 250, null]))).toEqual(['1.875000', 'decimal(9,6)']);
    expect(shown(aggregate('avg', 'decimal(10,0)', [1, 2, 2]))).toEqual(['1.6667', 'decimal(14,4)']);
    expect(shown(aggregate('avg', 'decimal(38,2)', [100, 200]))).toEqual(['1.500000', 'decimal(38,6)']);
    expect(shown(aggregate('sum', 'decimal(38,2)', [100, 200]))).toEqual(['3.00', 'decimal(38,2)']);
    expect(shown(aggregate('min', 'decimal(5,2)', [125, 250, null]))).toEqual(['1.25', 'decimal(5,2)']);
    expect(shown(aggregate('max', 'decimal(5,2)', [125, 250, null]))).toEqual(['2.50', 'decimal(5,2)']);
    expect(shown(aggregate('sum', 'decimal(5,2)', [null]))).toEqual(['NULL', 'decimal(15,2)']);
    expect(shown(aggregate('avg', 'decimal(5,2)', []))).toEqual(['NULL', 'decimal(9,6)']);
  });

  it('sums past 2^53 exactly', () => {
    const big = 10n ** 30n;
    expect(aggregate('sum', 'decimal(31,0)', [big, big, 1]).value).toBe(2n * big + 1n);
  });

  it('fails a sum past 38 digits under ANSI, and is NULL without', () => {
    const max = 10n ** 38n - 1n;
    expect(() => aggregate('sum', 'decimal(38,0)', [max, 1])).toThrow(
      "[ARITHMETIC_OVERFLOW] Overflow in sum of decimals. Use 'try_sum' to tolerate overflow and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error. SQLSTATE: 22003",
    );
    expect(() => aggregate('avg', 'decimal(38,0)', [max, 1])).toThrow("Use 'try_avg'");
    expect(aggregate('sum', 'decimal(38,0)', [max, 1], false).value).toBeNull();
  });
});

describe('sum of BIGINT', () => {
  it('is exact past 2^53 (Spark 4.2.0: 18014398509481986)', () => {
    expect(aggregate('sum', 'bigint', [9007199254740993n, 9007199254740993n]).value).toBe(18014398509481986n);
    expect(aggregate('sum', 'int', [2147483647, 2147483647]).value).toBe(4294967294);
    expect(aggregate('count', 'bigint', [1, null, 2]).value).toBe(2);
  });

  it('fails past the long range under ANSI with Add\'s error, and wraps without', () => {
    expect(() => aggregate('sum', 'bigint', [9223372036854775807n, 1])).toThrow(
      "[ARITHMETIC_OVERFLOW] overflow. Use 'try_add' to tolerate overflow and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error. SQLSTATE: 22003",
    );
    expect(aggregate('sum', 'bigint', [9223372036854775807n, 1], false).value).toBe(-9223372036854775808n);
  });
});
