import { OptionError } from '../errors/option-error.js';

/** How a query is triggered; the shapes PySpark's `trigger(...)` keywords take. */
export type TriggerSpec =
  | { readonly kind: 'processingTime'; readonly intervalMs: number }
  | { readonly kind: 'once' }
  | { readonly kind: 'availableNow' };

/** `trigger({ processingTime: "2 seconds" })`, `trigger({ once: true })`, `trigger({ availableNow: true })`. */
export interface TriggerOptions {
  readonly processingTime?: string | number;
  readonly once?: boolean;
  readonly availableNow?: boolean;
}

export const DEFAULT_TRIGGER: TriggerSpec = { kind: 'processingTime', intervalMs: 0 };

const UNIT_MS: Readonly<Record<string, number>> = {
  millisecond: 1, milliseconds: 1, ms: 1,
  second: 1000, seconds: 1000, sec: 1000, s: 1000,
  minute: 60_000, minutes: 60_000, min: 60_000,
  hour: 3_600_000, hours: 3_600_000, h: 3_600_000,
  day: 86_400_000, days: 86_400_000, d: 86_400_000,
  week: 604_800_000, weeks: 604_800_000,
};

/** Parses Spark interval strings such as `"2 seconds"`, `"1 minute"`, `"interval 10 seconds"`. */
export function parseIntervalMs(text: string): number {
  const cleaned = text.trim().toLowerCase().replace(/^interval\s+/, '');
  const parts = cleaned.match(/(-?\d+(?:\.\d+)?)\s*([a-z]+)/g);
  if (parts === null || parts.join(' ').replace(/\s+/g, '') !== cleaned.replace(/\s+/g, '')) {
    throw new OptionError(`Invalid interval: '${text}' (expected e.g. '2 seconds', '1 minute')`);
  }
  let total = 0;
  for (const part of parts) {
    const m = /(-?\d+(?:\.\d+)?)\s*([a-z]+)/.exec(part);
    const unit = m?.[2] ?? '';
    const factor = UNIT_MS[unit];
    if (m === null || factor === undefined) {
      throw new OptionError(`Invalid interval: '${text}': unknown unit '${unit}'`);
    }
    total += Number(m[1]) * factor;
  }
  if (total < 0) throw new OptionError(`Invalid interval: '${text}' must not be negative`);
  return Math.round(total);
}

export function toTriggerSpec(options: TriggerOptions): TriggerSpec {
  const set = [options.processingTime !== undefined, options.once === true, options.availableNow === true].filter(Boolean);
  if (set.length !== 1) {
    throw new OptionError('Only one trigger can be set: processingTime, once or availableNow');
  }
  if (options.once === true) return { kind: 'once' };
  if (options.availableNow === true) return { kind: 'availableNow' };
  const pt = options.processingTime;
  const intervalMs = typeof pt === 'number' ? pt : parseIntervalMs(String(pt));
  return { kind: 'processingTime', intervalMs };
}
