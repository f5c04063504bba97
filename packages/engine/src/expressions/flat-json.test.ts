import { readFlatJsonObject } from './flat-json.js';

/** What JSON.parse gives for `names` (own keys only), or null when the text is not one JSON object. */
function parsed(text: string, names: readonly string[]): unknown[] | null {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return null;
  return names.map((n) => (Object.hasOwn(obj, n) ? (obj as Record<string, unknown>)[n] : undefined));
}

function read(text: string, names: readonly string[]): unknown[] | null {
  const out: unknown[] = names.map(() => undefined);
  return readFlatJsonObject(text, names, out) ? out : null;
}

describe('readFlatJsonObject: from_json\'s fast path over flat JSON objects', () => {
  const names = ['value', 'v', 'a', '', 'toString', '__proto__', 'x', 'v'];

  it.each([
    '{"value":"héllo","v":7}', ' { "v" : -0.5e+3 , "value" : "" } ', '{}', '{"a":true,"x":false,"v":null}', '{"v":1,"v":2}',
    '{"__proto__":"p","":1}', '{"v":1e400}', '{"v":-0}', '{"v":123456789012345678901234567890}', '{"value":"\u{1F600}\ud800"}',
  ])('reads %s as JSON.parse does', (text) => {
    expect(read(text, names)).toEqual(parsed(text, names));
    expect(read(text, names)).not.toBeNull();
  });

  it.each([
    '{"value":"a\\"b"}', '{"v":01}', '{"v":1.}', '{"v":.5}', '{"v":+1}', '{"a":{"b":1}}', '{"a":[1]}', '{"v":1} x', '[1]', '"s"',
    '{"v":1,}', '{"v" 1}', '{v:1}', "{'v':1}", '{"v":tru}', '{"v":"a', '{"value":"tab\there"}', '{"v":NaN}', '',
  ])('leaves %s to the full parser', (text) => {
    expect(read(text, names)).toBeNull();
  });

  it('agrees with JSON.parse wherever it reads a text (generated texts)', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const pieces = ['{', '}', '"value"', '"v"', '"a"', '""', ':', ',', ' ', '\n', '"text"', '"é"', '0', '-1', '12.5', '3e2', '1E-2', '-0.0',
      'true', 'false', 'null', '[', ']', '"\\n"', 'x', '01', '.', '"', '\t'];
    let read0 = 0;
    for (let k = 0; k < 20_000; k++) {
      const text = random() < 0.5
        ? Array.from({ length: 1 + Math.floor(random() * 12) }, () => pick(pieces)).join('')
        : `{${Array.from({ length: Math.floor(random() * 4) }, () => `${pick(['"value"', '"v"', '"a"', '"z"'])}:${pick(['1', '"s"', 'true', 'null', '-2.5e3', '""', '{}'])}`).join(',')}}`;
      const fast = read(text, names);
      if (fast === null) continue;
      read0++;
      expect({ text, got: fast }).toEqual({ text, got: parsed(text, names) });
    }
    expect(read0).toBeGreaterThan(5000);
  });
});
