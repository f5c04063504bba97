import { assignWindows } from './time-window.js';

const H = 3_600_000_000;
const D = 24 * H;

describe('window assignment (TimeWindowing; SEMANTICS 5.2)', () => {
  it('puts an event in 24 sliding 1-day windows, aligned to the epoch', () => {
    const t = Date.UTC(2020, 7, 15, 5, 34, 45) * 1000;
    const windows = assignWindows(t, D, H, 0) as Array<[number, number]>;
    expect(windows).toHaveLength(24);
    // Latest first, as Spark's Expand produces them.
    expect(windows[0]).toEqual([Date.UTC(2020, 7, 15, 5) * 1000, Date.UTC(2020, 7, 16, 5) * 1000]);
    expect(windows[23]).toEqual([Date.UTC(2020, 7, 14, 6) * 1000, Date.UTC(2020, 7, 15, 6) * 1000]);
  });

  it('tumbling windows are half-open: an event at the end belongs to the next window', () => {
    expect(assignWindows(10 * H, H, H, 0)).toEqual([[10 * H, 11 * H]]);
    expect(assignWindows(-1, H, H, 0)).toEqual([[-H, 0]]);
  });

  it('startTime shifts the alignment', () => {
    expect(assignWindows(10 * H, H, H, 15 * 60_000_000)).toEqual([[9 * H + 15 * 60_000_000, 10 * H + 15 * 60_000_000]]);
  });
});
