import { JsonNumber, writeJson } from './json-text.js';

describe('writeJson', () => {
  it('writes bigints and JsonNumbers unquoted, everything else as JSON.stringify', () => {
    // Spark 4.2.0: to_json(named_struct('a', 1.50, 'b', 9223372036854775807L, 'c', CAST('0.00000001' AS DECIMAL(10,8))))
    expect(writeJson({ a: new JsonNumber('1.50'), b: 9223372036854775807n, c: new JsonNumber('1E-8') })).toBe('{"a":1.50,"b":9223372036854775807,"c":1E-8}');
    expect(writeJson(['x"y', 1.5, null, true, [2n]])).toBe('["x\\"y",1.5,null,true,[2]]');
    expect(writeJson({ 'k"': 'v' })).toBe('{"k\\"":"v"}');
    expect(String(new JsonNumber('2.50'))).toBe('2.50');
  });
});
