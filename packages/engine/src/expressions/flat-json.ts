/**
 * A fast path for `from_json` on the usual record: one flat JSON object whose values are
 * strings without escapes, numbers, true, false or null. It reads the wanted fields' values
 * straight from the text, as JSON.parse would give them, without building the object;
 * anything else (escapes, nesting, bad JSON, trailing text) it leaves to the full parser.
 */

/** JSON's whitespace: space, tab, line feed, carriage return. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Reads `text` as a flat JSON object into `out`: at position i the value of key `names[i]`
 * (the last one when a key repeats, as JSON.parse keeps it); positions of keys absent stay as
 * they were. Returns false, with `out` in any state, when the text is not
 * such an object: the caller then parses it in full.
 */
export function readFlatJsonObject(text: string, names: readonly string[], out: unknown[]): boolean {
  const n = text.length;
  let i = 0;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 0x7b) return false; // {
  i++;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === 0x7d) return onlySpaceAfter(text, i + 1); // {}
  for (;;) {
    // A key: a string without escapes or control characters.
    if (text.charCodeAt(i) !== 0x22) return false;
    const keyEnd = plainStringEnd(text, i + 1);
    if (keyEnd < 0) return false;
    const keyStart = i + 1;
    i = keyEnd + 1;
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 0x3a) return false; // :
    i++;
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    // A value.
    let value: unknown;
    const c0 = text.charCodeAt(i);
    if (c0 === 0x22) {
      const end = plainStringEnd(text, i + 1);
      if (end < 0) return false;
      value = text.slice(i + 1, end);
      i = end + 1;
    } else if (c0 === 0x2d || isDigit(c0)) {
      const start = i;
      const end = numberEnd(text, i);
      if (end < 0) return false;
      i = end;
      value = Number(text.slice(start, end));
    } else if (text.startsWith('true', i)) {
      value = true;
      i += 4;
    } else if (text.startsWith('false', i)) {
      value = false;
      i += 5;
    } else if (text.startsWith('null', i)) {
      value = null;
      i += 4;
    } else {
      return false;
    }
    // The key is compared with the names in place: no string is made of it.
    for (let k = 0; k < names.length; k++) {
      const name = names[k] as string;
      if (name.length === keyEnd - keyStart && text.startsWith(name, keyStart)) out[k] = value;
    }
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    const sep = text.charCodeAt(i);
    i++;
    if (sep === 0x2c) { // ,
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      continue;
    }
    if (sep === 0x7d) return onlySpaceAfter(text, i); // }
    return false;
  }
}

/** The closing quote of a string whose text starts at `from`, or -1 when it has escapes or control characters, or no end. */
function plainStringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i;
    if (c === 0x5c || c < 0x20) return -1;
  }
  return -1;
}

function onlySpaceAfter(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/** The end of the JSON number at `i` (-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?), or -1. */
function numberEnd(text: string, from: number): number {
  let i = from;
  if (text.charCodeAt(i) === 0x2d) i++;
  if (text.charCodeAt(i) === 0x30) i++;
  else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
  else return -1;
  if (text.charCodeAt(i) === 0x2e) {
    i++;
    if (!isDigit(text.charCodeAt(i))) return -1;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    if (!isDigit(text.charCodeAt(i))) return -1;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}
