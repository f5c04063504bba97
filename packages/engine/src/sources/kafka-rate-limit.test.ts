import { rateLimit } from './kafka-rate-limit.js';

/** Spark's KafkaMicroBatchStream.rateLimit, with the shares Spark's maxOffsetsPerTrigger tests expect. */
describe('rateLimit', () => {
  it('prorates the limit over what each partition has pending, starving none (KafkaMicroBatchSourceSuite: maxOffsetsPerTrigger)', () => {
    // 101, 11 and 1 pending, 10 allowed: "1 from smallest, 1 from middle, 8 from biggest".
    expect(rateLimit(10, { 0: 0, 1: 0, 2: 0 }, { 0: 101, 1: 11, 2: 1 })).toEqual({ 0: 8, 1: 1, 2: 1 });
    // "smallest now empty, 1 more from middle, 9 more from biggest"
    expect(rateLimit(10, { 0: 8, 1: 1, 2: 1 }, { 0: 101, 1: 11, 2: 1 })).toEqual({ 0: 17, 1: 2, 2: 1 });
  });

  it('takes fewer than the limit when shares round down (KafkaMicroBatchSourceSuite: compositeReadLimit)', () => {
    // 21, 11 and 1 pending, 20 allowed: 12 + 6 + 1 = 19.
    expect(rateLimit(20, { 0: 0, 1: 0, 2: 0 }, { 0: 21, 1: 11, 2: 1 })).toEqual({ 0: 12, 1: 6, 2: 1 });
  });

  it('starts a partition missing from the start at 0 and never passes the end', () => {
    expect(rateLimit(9_223_372_036_854_775_807, { 0: 5 }, { 0: 10, 1: 3 })).toEqual({ 0: 10, 1: 3 });
  });

  it('leaves the ends as they are when nothing is pending', () => {
    expect(rateLimit(5, { 0: 4, 1: 2 }, { 0: 4, 1: 2 })).toEqual({ 0: 4, 1: 2 });
  });
});
