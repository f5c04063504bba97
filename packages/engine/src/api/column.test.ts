import { literalExpr } from './column.js';

describe('literalExpr', () => {
  it('types a JS bigint as a BIGINT, exact over the long range', () => {
    expect(literalExpr(9223372036854775807n)).toEqual({ kind: 'literal', value: 9223372036854775807n, type: 'bigint' });
    expect(literalExpr(5n)).toEqual({ kind: 'literal', value: 5, type: 'bigint' });
    expect(literalExpr(2 ** 60)).toEqual({ kind: 'literal', value: 1152921504606846976n, type: 'bigint' });
    expect(literalExpr(7)).toEqual({ kind: 'literal', value: 7, type: 'int' });
    expect(() => literalExpr(2n ** 63n)).toThrow(expect.objectContaining({ code: 'ILLEGAL_ARGUMENT' }));
  });
});
