import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { CommitLog, connectRedis, OffsetLog } from 'sluice/testing';
import { createLogger } from 'sluice';

/** Redis and the checkpoint logs (Spark's offsets/ and commits/) against the real server. */
describe('Redis round trip (real server)', () => {
  let redis: Redis;
  const location = `test-${randomUUID()}`;

  beforeAll(async () => {
    redis = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', createLogger());
  });

  afterAll(async () => {
    const keys = await redis.keys(`sluice:cp:${location}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('stores and reads a value', async () => {
    const key = `test-${randomUUID()}`;
    await redis.set(key, 'v', 'EX', 60);
    expect(await redis.get(key)).toBe('v');
    await redis.del(key);
  });

  it('offset log: write-once entries, latest, range and purge', async () => {
    const log = new OffsetLog(redis, location);
    expect(await log.getLatest()).toBeNull();
    const entry = (n: number) => ({ batchWatermarkMs: 0, batchTimestampMs: 1000 + n, offsets: [{ '0': n * 10 }] });
    for (let n = 0; n < 5; n++) expect(await log.add(n, entry(n))).toBe(true);
    expect(await log.add(2, entry(99))).toBe(false);
    expect(await log.get(2)).toEqual(entry(2));
    expect(await log.getLatest()).toEqual({ batchId: 4, entry: entry(4) });
    expect((await log.getRange(1, 3)).map((e) => e.batchId)).toEqual([1, 2, 3]);
    await log.purge(3);
    expect(await log.get(2)).toBeNull();
    expect((await log.getRange(0, 10)).map((e) => e.batchId)).toEqual([3, 4]);
  });

  it('commit log: entries carry the next watermark; a corrupt entry is a CheckpointError', async () => {
    const log = new CommitLog(redis, location);
    await log.add(0, { nextBatchWatermarkMs: 42 });
    expect(await log.get(0)).toEqual({ nextBatchWatermarkMs: 42 });
    await redis.hset(`sluice:cp:${location}:commits`, '1', 'v9\n{}');
    await expect(log.get(1)).rejects.toMatchObject({ code: 'CHECKPOINT_ERROR' });
  });
});
