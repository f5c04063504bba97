import { CaseInsensitiveOptions } from './options.js';

describe('CaseInsensitiveOptions', () => {
  it('takes strings, numbers and booleans and matches keys in any case', () => {
    const o = new CaseInsensitiveOptions().set('truncate', 'False').set('numRows', 200).set('includeTimestamp', true);
    expect(o.getBoolean('TRUNCATE', true)).toBe(false);
    expect(o.getInt('numrows', 20)).toBe(200);
    expect(o.getBoolean('includetimestamp', false)).toBe(true);
    expect(o.toRecord()).toEqual({ truncate: 'False', numRows: '200', includeTimestamp: 'true' });
  });

  it('rejects a non-boolean and a non-integer with INVALID_OPTION', () => {
    const o = new CaseInsensitiveOptions({ truncate: 'maybe', numRows: '2.5' });
    expect(() => o.getBoolean('truncate', true)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => o.getInt('numRows', 20)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});
