import { CaseInsensitiveOptions } from '../core/options.js';
import { IllegalArgumentError } from '../errors/illegal-argument-error.js';
import { kafkaOffsetRangeLimit, LatestOffsetRangeLimit, startingOffsetRangeLimit } from './kafka-offset-range-limit.js';

const starting = (options: Record<string, string>) => startingOffsetRangeLimit(new CaseInsensitiveOptions(options));

/** Spark's KafkaSourceProvider.getKafkaOffsetRangeLimit and JsonUtils' parsing. */
describe('kafkaOffsetRangeLimit', () => {
  it('prefers a global timestamp, then timestamps per partition, then startingOffsets', () => {
    expect(starting({ startingTimestamp: '1000', startingOffsetsByTimestamp: '{"t":{"0":5}}', startingOffsets: 'earliest' }))
      .toEqual({ kind: 'globalTimestamp', timestamp: 1000, strategy: 'ERROR' });
    expect(starting({ startingOffsetsByTimestamp: '{"t":{"0":5}}', startingOffsets: 'earliest', startingOffsetsByTimestampStrategy: 'latest' }))
      .toEqual({ kind: 'specificTimestamps', topicTimestamps: { t: { 0: 5 } }, strategy: 'LATEST' });
    expect(starting({ startingOffsets: ' EARLIEST ' })).toEqual({ kind: 'earliest' });
    expect(starting({})).toEqual(LatestOffsetRangeLimit);
  });

  it("rejects what Spark's JsonUtils cannot read, with its texts", () => {
    const bad = (options: Record<string, string>): Error => {
      try {
        starting(options);
      } catch (err) {
        return err as Error;
      }
      throw new Error('expected an error');
    };
    const offsets = bad({ startingOffsets: '{"t":[0]}' });
    expect(offsets).toBeInstanceOf(IllegalArgumentError);
    expect(offsets.message).toBe('Expected e.g. {"topicA":{"0":23,"1":-1},"topicB":{"0":-2}}, got {"t":[0]}');
    expect(bad({ startingOffsetsByTimestamp: 'x' }).message).toBe(
      'Expected e.g. {"topicA": {"0": 123456789, "1": 123456789},\n"topicB": {"0": 123456789, "1": 123456789}}, got x',
    );
    expect(bad({ startingTimestamp: '1.5' }).message).toBe('Expected a single long value, got 1.5');
  });

  it('falls back to the given limit without the option', () => {
    expect(kafkaOffsetRangeLimit(new CaseInsensitiveOptions({}), 'a', 'b', 'endingOffsets', LatestOffsetRangeLimit)).toBe(LatestOffsetRangeLimit);
  });
});
