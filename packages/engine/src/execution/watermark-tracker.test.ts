import { WatermarkTracker, type WatermarkTrackerOptions } from './watermark-tracker.js';

const options: WatermarkTrackerOptions = { watermarkOperators: 2, policy: 'min', allowMultiple: true, evictsOnWatermark: true, noDataMicroBatches: true };

describe('WatermarkTracker', () => {
  it('takes the policy over the operators, one without data counting 0, and only grows', () => {
    const min = new WatermarkTracker(options);
    min.observe('watermark-0', 5000);
    min.endBatch(0);
    expect(min.watermarkMs).toBe(0);
    min.observe('watermark-1', 3000);
    min.observe('watermark-1', 2000);
    min.endBatch(0);
    expect(min.watermarkMs).toBe(3000);
    const max = new WatermarkTracker({ ...options, policy: 'max' });
    max.observe('watermark-1', 3000);
    max.endBatch(0);
    expect(max.watermarkMs).toBe(3000);
    max.policy = 'min';
    max.endBatch(3000);
    expect(max.watermarkMs).toBe(3000);
  });

  it('late rows are below the previous batch\'s watermark, or the batch\'s own without allowMultiple', () => {
    const t = new WatermarkTracker(options);
    t.restore(1000);
    expect(t.lateEventsWatermarkMs(4000)).toBe(1000);
    expect(new WatermarkTracker({ ...options, allowMultiple: false }).lateEventsWatermarkMs(4000)).toBe(4000);
  });

  it('asks for a no-data batch once the watermark moved past the last batch\'s, when that evicts state', () => {
    const t = new WatermarkTracker({ ...options, watermarkOperators: 1 });
    t.observe('watermark-0', 7000);
    expect(t.needsNoDataBatch()).toBe(false);
    t.endBatch(0);
    expect(t.needsNoDataBatch()).toBe(true);
    t.endBatch(7000);
    expect(t.needsNoDataBatch()).toBe(false);
    const off = new WatermarkTracker({ ...options, watermarkOperators: 1, noDataMicroBatches: false });
    off.observe('watermark-0', 7000);
    off.endBatch(0);
    expect(off.needsNoDataBatch()).toBe(false);
  });
});
