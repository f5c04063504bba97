import { OptionError } from '../errors/option-error.js';

/** What PySpark programs pass to `option(key, value)`. */
export type OptionValue = string | number | boolean;

/**
 * Reader and writer options. Spark keeps them as case-insensitive string maps; so do we,
 * keeping the original key for messages.
 */
export class CaseInsensitiveOptions {
  private readonly values = new Map<string, { key: string; value: string }>();

  constructor(entries: Readonly<Record<string, string>> = {}) {
    for (const [k, v] of Object.entries(entries)) this.set(k, v);
  }

  set(key: string, value: OptionValue): this {
    this.values.set(key.toLowerCase(), { key, value: String(value) });
    return this;
  }

  get(key: string): string | undefined {
    return this.values.get(key.toLowerCase())?.value;
  }

  has(key: string): boolean {
    return this.values.has(key.toLowerCase());
  }

  /** Spark's boolean parsing for options: `true`/`false`, any case. */
  getBoolean(key: string, fallback: boolean): boolean {
    const raw = this.get(key);
    if (raw === undefined) return fallback;
    const v = raw.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw new OptionError(`option '${key}' must be true or false, got '${raw}'`);
  }

  getInt(key: string, fallback: number, min = Number.MIN_SAFE_INTEGER): number {
    const raw = this.get(key);
    if (raw === undefined) return fallback;
    const v = Number(raw.trim());
    if (!Number.isInteger(v) || v < min) {
      throw new OptionError(`option '${key}' must be an integer${min > Number.MIN_SAFE_INTEGER ? ` >= ${min}` : ''}, got '${raw}'`);
    }
    return v;
  }

  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { key, value } of this.values.values()) out[key] = value;
    return out;
  }
}
