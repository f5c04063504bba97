/**
 * Display width of a string as Spark's `Utils.stringHalfWidth` counts it: East-Asian wide
 * and full-width characters take two columns, everything else one.
 */
// The ranges of Spark's `Utils.fullWidthRegex`; it tests UTF-16 code units, so characters
// outside the Basic Multilingual Plane count one per code unit.
const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], [0x2e80, 0xa4cf], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6],
];

function isWide(codePoint: number): boolean {
  for (const [lo, hi] of WIDE_RANGES) {
    if (codePoint >= lo && codePoint <= hi) return true;
  }
  return false;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (let i = 0; i < text.length; i++) width += isWide(text.charCodeAt(i)) ? 2 : 1;
  return width;
}
