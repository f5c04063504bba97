import { axisFormatter, formatClock, formatDateTime, formatDuration, formatValue, niceTicks, timeTicks } from './chart-scale.js';

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 × 10^k from the rounded minimum to the first tick at or above the maximum', () => {
    expect(niceTicks(0, 7, 4)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0, 39.13, 4, 'rows/s')).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(0, 900, 4, 'rows/s')).toEqual([0, 500, 1000]);
    expect(niceTicks(0, 0.3, 4, 'rows/s')).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(0, 1234, 4, 'ms')).toEqual([0, 500, 1000, 1500]);
  });

  it('never steps below one for whole-number units, and gives an empty range a visible axis', () => {
    expect(niceTicks(0, 2, 4, 'rows')).toEqual([0, 1, 2]);
    expect(niceTicks(0, 0, 4, 'rows')).toEqual([0, 1, 2, 3, 4]);
    expect(niceTicks(0, 0, 4, 'rows/s')).toEqual([0, 0.5, 1]);
  });

  it('steps round numbers of the scale the axis is labelled in', () => {
    expect(niceTicks(0, 150, 4, 's')).toEqual([0, 60, 120, 180]);
    expect(niceTicks(0, 80_000, 4, 'bytes')).toEqual([0, 20, 40, 60, 80].map((k) => k * 1024));
    expect(niceTicks(0, 45_000, 4, 'ms')).toEqual([0, 20_000, 40_000, 60_000]);
    expect(niceTicks(0, 1500, 4, 'bytes')).toEqual([0, 0.5, 1, 1.5].map((k) => k * 1024));
  });

  it('ignores non-finite bounds', () => {
    expect(niceTicks(0, Number.NaN, 4, 'ms')).toEqual([0, 0.5, 1]);
  });
});

describe('axisFormatter', () => {
  it('keeps one scale for the whole axis and writes the unit on each label', () => {
    const bytes = axisFormatter(80_000, 'bytes');
    expect([0, 20_480, 40_960, 81_920].map(bytes)).toEqual(['0 KiB', '20 KiB', '40 KiB', '80 KiB']);
    expect(axisFormatter(3 * 1024 ** 2, 'bytes')(1024 ** 2 * 1.5)).toBe('1.5 MiB');
    expect(axisFormatter(300, 'ms')(250)).toBe('250 ms');
    expect(axisFormatter(20_000, 'ms')(15_000)).toBe('15 s');
    expect(axisFormatter(20, 's')(12.5)).toBe('12.5 s');
    expect(axisFormatter(600, 's')(300)).toBe('5 min');
    expect(axisFormatter(36_000, 's')(7200)).toBe('2 h');
  });

  it('shortens large counts with k and M', () => {
    expect(axisFormatter(50, 'rows/s')(12.345)).toBe('12.35');
    expect(axisFormatter(50_000, 'rows')(25_000)).toBe('25k');
    expect(axisFormatter(20_000_000, 'records')(12_500_000)).toBe('12.5M');
  });
});

describe('formatValue', () => {
  it('names the unit', () => {
    expect(formatValue(1234, 'rows')).toBe('1,234 rows');
    expect(formatValue(16.0869, 'rows/s')).toBe('16.09 rows/s');
    expect(formatValue(1, 'batches')).toBe('1 batch');
    expect(formatValue(340, 'ms')).toBe('340 ms');
    expect(formatValue(2048, 'bytes')).toBe('2 KiB');
  });
});

describe('time ticks and labels (UTC)', () => {
  const t0 = Date.UTC(2024, 4, 1, 12, 0, 3);

  it('puts ticks on whole steps inside the range', () => {
    expect(timeTicks(t0, t0 + 90_000, 5)).toEqual({ step: 30_000, ticks: [Date.UTC(2024, 4, 1, 12, 0, 30), Date.UTC(2024, 4, 1, 12, 1, 0), Date.UTC(2024, 4, 1, 12, 1, 30)] });
    const hours = timeTicks(t0, t0 + 4 * 3_600_000, 5);
    expect(hours.step).toBe(3_600_000);
    expect(hours.ticks.map((t) => formatClock(t, hours.step))).toEqual(['13:00', '14:00', '15:00', '16:00']);
  });

  it('formats clocks, dates and durations', () => {
    expect(formatClock(t0)).toBe('12:00:03');
    expect(formatDateTime(t0)).toBe('2024-05-01 12:00:03 UTC');
    expect([0, 850, 12_400, 185_000, 2 * 3_600_000 + 240_000, 27 * 3_600_000].map(formatDuration))
      .toEqual(['0 ms', '850 ms', '12 s', '3 min 5 s', '2 h 4 min', '1 d 3 h']);
  });
});
