import { Column, literalExpr } from './column.js';
import { bindExpr, type Scope } from '../expressions/binder.js';

describe('literalExpr', () => {
  it('types a JS bigint as a BIGINT, exact over the long range', () => {
    expect(literalExpr(9223372036854775807n)).toEqual({ kind: 'literal', value: 9223372036854775807n, type: 'bigint' });
    expect(literalExpr(5n)).toEqual({ kind: 'literal', value: 5, type: 'bigint' });
    expect(literalExpr(2 ** 60)).toEqual({ kind: 'literal', value: 1152921504606846976n, type: 'bigint' });
    expect(literalExpr(7)).toEqual({ kind: 'literal', value: 7, type: 'int' });
    expect(() => literalExpr(2n ** 63n)).toThrow(expect.objectContaining({ code: 'ILLEGAL_ARGUMENT' }));
  });
});

describe('Column.try_cast', () => {
  const scope: Scope = { fields: [{ name: 's', type: 'string', nullable: true }], timeZone: 'UTC' };
  const ctx = { batchTimestampMs: 0 };
  const s = new Column({ kind: 'column', name: 's' });

  it('gives NULL where CAST fails, the cast value otherwise', () => {
    const asInt = bindExpr(s.try_cast('int').expr, scope);
    expect(asInt.eval(['12'], ctx)).toBe(12);
    expect(asInt.eval(['abc'], ctx)).toBeNull();
    expect(() => bindExpr(s.cast('int').expr, scope).eval(['abc'], ctx)).toThrow('[CAST_INVALID_INPUT]');
  });

  it('is named as TRY_CAST in SQL', () => {
    const plus = new Column({ kind: 'call', name: 'concat', args: [s.expr, s.expr] });
    expect(bindExpr(plus.try_cast('int').expr, scope).name).toBe('TRY_CAST(concat(s, s) AS INT)');
  });
});
