import { readConformanceCase } from './conformance-case.js';

describe('readConformanceCase', () => {
  it('keeps integers past 2^53 exact, as Jackson reads them for Spark', () => {
    const c = readConformanceCase('{"inputs": {"t": "l BIGINT, d DOUBLE, s STRING"}, "query": {"from": "t"}, "actions": [{"addData": {"t": [[9223372036854775807, 1.5, "9223372036854775807"], [-9223372036854775808, 1e300, "x"], [42, -0.25, null]]}}]}');
    const action = c.actions[0];
    expect(action !== undefined && 'addData' in action ? action.addData['t'] : null).toEqual([
      [9223372036854775807n, 1.5, '9223372036854775807'],
      [-9223372036854775808n, 1e300, 'x'],
      [42, -0.25, null],
    ]);
  });
});
