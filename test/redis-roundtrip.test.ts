import { randomUUID } from 'node:crypto';
import {
  CHECKPOINT_LAYOUT, checkpointKeys, CommitLog, connectRedis, deleteKeys, legacyCheckpointKeys, OffsetLog, prepareCheckpointLayout, scanKeys,
  type RedisClient,
} from 'sluice/testing';
import { createLogger } from 'sluice';

/** Redis and the checkpoint logs (Spark's offsets/ and commits/) against the real server. */
describe('Redis round trip (real server)', () => {
  let redis: RedisClient;
  const location = `test-${randomUUID()}`;

  beforeAll(async () => {
    redis = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', createLogger());
  });

  afterAll(async () => {
    await deleteKeys(redis, await scanKeys(redis, checkpointKeys(location).all));
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
    await redis.hset(checkpointKeys(location).commits, '1', 'v9\n{}');
    await expect(log.get(1)).rejects.toMatchObject({ code: 'CHECKPOINT_ERROR' });
  });

  it('checkpoint layout: a new checkpoint records the current layout; a newer one is refused', async () => {
    const fresh = `test-${randomUUID()}`;
    try {
      await prepareCheckpointLayout(redis, fresh, createLogger());
      expect(await redis.hget(checkpointKeys(fresh).metadata, 'layout')).toBe(String(CHECKPOINT_LAYOUT));
      await redis.hset(checkpointKeys(fresh).metadata, 'layout', String(CHECKPOINT_LAYOUT + 1));
      await expect(prepareCheckpointLayout(redis, fresh, createLogger())).rejects.toMatchObject({
        code: 'CHECKPOINT_ERROR',
        message: expect.stringContaining('written by a newer version of Sluice'),
      });
    } finally {
      await deleteKeys(redis, await scanKeys(redis, checkpointKeys(fresh).all));
    }
  });

  it('checkpoint layout: a layout-1 checkpoint is moved whole to layout 2, a longer location\'s keys stay', async () => {
    const old = `test-${randomUUID()}`;
    const legacy = legacyCheckpointKeys(old);
    const other = legacyCheckpointKeys(`${old}:b`);
    const written: Array<[string, string]> = [
      [legacy.offsets, '0'], [legacy.commits, '0'], [legacy.state('1', 0), 'k'], [legacy.sourceTaking(0), 'f'],
    ];
    try {
      await redis.hset(legacy.metadata, 'id', 'the-query-id');
      for (const [key, field] of written) await redis.hset(key, field, 'v');
      await redis.set(legacy.stateVersion, '0');
      await redis.sadd(legacy.sourceFiles(0), 'file:///a');
      await redis.set(legacy.sinkLastBatch('console'), '0');
      await redis.hset(other.metadata, 'id', 'another-query');

      await prepareCheckpointLayout(redis, old, createLogger());
      const now = checkpointKeys(old);
      expect(await redis.hgetall(now.metadata)).toEqual({ id: 'the-query-id', layout: String(CHECKPOINT_LAYOUT) });
      for (const [key, field] of [[now.offsets, '0'], [now.commits, '0'], [now.state('1', 0), 'k'], [now.sourceTaking(0), 'f']] as const) {
        expect(await redis.hget(key, field)).toBe('v');
      }
      expect(await redis.get(now.stateVersion)).toBe('0');
      expect(await redis.smembers(now.sourceFiles(0))).toEqual(['file:///a']);
      expect(await redis.get(now.sinkLastBatch('console'))).toBe('0');
      expect(await scanKeys(redis, legacy.all)).toEqual([other.metadata]);
      // A second start finds the layout recorded and changes nothing.
      await prepareCheckpointLayout(redis, old, createLogger());
      expect(await redis.hget(now.metadata, 'id')).toBe('the-query-id');
    } finally {
      await deleteKeys(redis, [...await scanKeys(redis, checkpointKeys(old).all), ...await scanKeys(redis, legacy.all)]);
    }
  });
});
