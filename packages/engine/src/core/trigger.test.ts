import { OptionError } from '../errors/option-error.js';
import { parseIntervalMs, toTriggerSpec } from './trigger.js';

describe('triggers (DataStreamWriter.trigger)', () => {
  it('parses Spark interval strings', () => {
    expect(parseIntervalMs('2 seconds')).toBe(2000);
    expect(parseIntervalMs('1 minute')).toBe(60_000);
    expect(parseIntervalMs('interval 10 seconds')).toBe(10_000);
    expect(parseIntervalMs('1 hour 30 minutes')).toBe(5_400_000);
    expect(parseIntervalMs('500 milliseconds')).toBe(500);
  });

  it('rejects malformed intervals with a coded error', () => {
    expect(() => parseIntervalMs('two seconds')).toThrow(OptionError);
    try {
      parseIntervalMs('5 fortnights');
    } catch (err) {
      expect((err as OptionError).code).toBe('INVALID_OPTION');
    }
  });

  it('maps PySpark keywords to trigger specs; exactly one may be set', () => {
    expect(toTriggerSpec({ processingTime: '2 seconds' })).toEqual({ kind: 'processingTime', intervalMs: 2000 });
    expect(toTriggerSpec({ once: true })).toEqual({ kind: 'once' });
    expect(toTriggerSpec({ availableNow: true })).toEqual({ kind: 'availableNow' });
    expect(() => toTriggerSpec({ once: true, processingTime: '1 second' })).toThrow(OptionError);
  });
});
