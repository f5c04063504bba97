import { parseValue, parseValues, stringifyValue } from './value-json.js';

describe('values as JSON', () => {
  it('writes plain JSON when there is no bigint', () => {
    expect(stringifyValue(['a', 1, null, true, [2.5]])).toBe('["a",1,null,true,[2.5]]');
    expect(parseValue('["a",1,null]')).toEqual(['a', 1, null]);
  });

  it('keeps bigints exact through a round trip', () => {
    const row = ['k', 9223372036854775807n, [-9223372036854775808n, 1], null];
    const text = stringifyValue(row);
    expect(text).toBe('["k",{"$bigint":"9223372036854775807"},[{"$bigint":"-9223372036854775808"},1],null]');
    expect(parseValues(text)).toEqual(row);
    expect(stringifyValue({ a: 1n }, 2)).toBe('{\n  "a": {\n    "$bigint": "1"\n  }\n}');
  });

  it('leaves a string that only mentions the tag alone', () => {
    const row = ['{"$bigint":"1"}', 2n];
    expect(parseValues(stringifyValue(row))).toEqual(row);
  });
});
