import convict from 'convict';

/**
 * Registers a convict format for an integer in [min, max]; `allowed` is what a config error
 * says is allowed. Digits from the environment are read as a number.
 */
export function integerFormat(name: string, min: number, max: number, allowed: string): void {
  convict.addFormat({
    name,
    validate(value: unknown) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new TypeError(allowed);
    },
    coerce: (value: string) => (/^\s*\d+\s*$/.test(value) ? Number(value) : value),
  });
}
