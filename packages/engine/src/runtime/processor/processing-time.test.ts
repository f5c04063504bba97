import { processingTimeTiming } from './processing-time.js';

describe('processingTimeTiming (Spark ProcessingTimeExecutor)', () => {
  it('waits for the next multiple of the interval after the trigger start', () => {
    expect(processingTimeTiming(10_300, 10_500, 1000)).toEqual({ behindMs: null, sleepMs: 500 });
  });

  it('does not call a short batch that crossed the next trigger time behind, and fires at once', () => {
    // Started at 10.9 s, took 300 ms: past 11 s but shorter than the 1 s interval.
    expect(processingTimeTiming(10_900, 11_200, 1000)).toEqual({ behindMs: null, sleepMs: 0 });
  });

  it('reports a batch longer than the interval as falling behind', () => {
    expect(processingTimeTiming(10_000, 12_500, 1000)).toEqual({ behindMs: 2500, sleepMs: 0 });
  });

  it('a batch of exactly the interval is not behind', () => {
    expect(processingTimeTiming(10_000, 11_000, 1000)).toEqual({ behindMs: null, sleepMs: 0 });
  });
});
