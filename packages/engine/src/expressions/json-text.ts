/**
 * JSON text as Spark's Jackson generator writes numbers: a BIGINT past 2^53 with all of its
 * digits, a DECIMAL as BigDecimal.toString (`1.50`, `1E-8`). JSON.stringify would round the
 * first to a double and cannot write the second unquoted.
 */

/** A number to write as these exact characters. */
export class JsonNumber {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** JSON.stringify for plain data holding bigints and JsonNumbers (compact, no undefined). */
export function writeJson(value: unknown): string {
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(writeJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${writeJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
