import { Cluster, type Redis } from 'ioredis';
import { CheckpointError } from '../errors/checkpoint-error.js';
import type { Logger } from '../internal/logger.js';
import { CHECKPOINT_LAYOUT, checkpointKeys, checkpointPrefix, isCheckpointKeySuffix, legacyCheckpointKeys } from '../state/keys.js';
import type { RedisClient } from '../state/redis-connection.js';
import { scanKeys } from '../state/redis-scan.js';

/**
 * The key layout of a checkpoint (keys.ts), recorded as `layout` in its metadata hash the way
 * Spark's logs start with a version line. Every part calls this before it reads or writes
 * the checkpoint:
 * - layout recorded and known: nothing to do;
 * - layout newer than this version's: refused (this version would not see the state);
 * - nothing recorded and no layout-1 keys: a new checkpoint, recorded as the current layout;
 * - nothing recorded and layout-1 keys (written before hash tags): on one Redis server they
 *   are renamed to layout 2 in one transaction, so no state is lost or left behind; on a
 *   Redis Cluster they cannot be moved atomically (they lie in many slots), so the start is
 *   refused with what to do.
 */
export async function prepareCheckpointLayout(redis: RedisClient, location: string, log: Logger): Promise<void> {
  const keys = checkpointKeys(location);
  // Bounded: each round either ends or saw another process record the layout meanwhile.
  for (let round = 0; round < 10; round++) {
    const recorded = await redis.hget(keys.metadata, 'layout');
    if (recorded !== null) return checkKnown(location, recorded);
    const legacy = await legacyKeys(redis, location);
    if (legacy.length === 0) {
      await redis.hsetnx(keys.metadata, 'layout', String(CHECKPOINT_LAYOUT));
      continue;
    }
    if (redis instanceof Cluster) {
      throw new CheckpointError(
        `checkpoint ${location} was written with key layout 1 (before Redis Cluster support): its ${legacy.length} keys ` +
          'lie in many cluster slots and cannot be moved in one step. Start this query once against a single Redis ' +
          'server holding the checkpoint (it is migrated to layout 2 at start), then move the keys to the cluster.',
      );
    }
    if (await migrate(redis, location, legacy)) {
      log.info('checkpoint migrated to the current key layout', { checkpointLocation: location, keys: legacy.length, layout: CHECKPOINT_LAYOUT });
    }
  }
  throw new CheckpointError(`checkpoint ${location}: its key layout keeps changing under this start; is another Sluice version running it?`);
}

function checkKnown(location: string, recorded: string): void {
  if (recorded === String(CHECKPOINT_LAYOUT)) return;
  const newer = Number(recorded) > CHECKPOINT_LAYOUT;
  throw new CheckpointError(
    `checkpoint ${location} has key layout '${recorded}'; this version of Sluice reads layout ${CHECKPOINT_LAYOUT}` +
      (newer ? ': it was written by a newer version of Sluice, run it with that version' : ''),
  );
}

/** The layout-1 keys of this checkpoint (none unless an older Sluice wrote it). */
async function legacyKeys(redis: RedisClient, location: string): Promise<string[]> {
  const legacy = legacyCheckpointKeys(location);
  // Every layout-1 checkpoint has its metadata (or logs): a full scan only when one does.
  if ((await redis.exists(legacy.metadata)) + (await redis.exists(legacy.offsets)) + (await redis.exists(legacy.commits)) === 0) return [];
  return (await scanKeys(redis, legacy.all)).filter((key) => isCheckpointKeySuffix(key.slice(legacy.prefix.length + 1)));
}

/**
 * Renames the layout-1 keys and records layout 2, in one MULTI watched on them all and on
 * the new metadata: resolves false, changing nothing, when another process got there first.
 */
async function migrate(redis: Redis, location: string, legacy: readonly string[]): Promise<boolean> {
  const { prefix } = legacyCheckpointKeys(location);
  const target = checkpointKeys(location);
  const renamed = legacy.map((key) => [key, `${checkpointPrefix(location)}${key.slice(prefix.length)}`] as const);
  await redis.watch(target.metadata, ...legacy);
  if ((await redis.hexists(target.metadata, 'layout')) === 1) {
    await redis.unwatch();
    return false;
  }
  const tx = redis.multi();
  for (const [from, to] of renamed) tx.rename(from, to);
  tx.hset(target.metadata, 'layout', String(CHECKPOINT_LAYOUT));
  const results = await tx.exec();
  if (results === null) return false;
  const failed = results.find(([err]) => err !== null);
  if (failed !== undefined) {
    throw new CheckpointError(`checkpoint ${location}: migrating its keys to layout ${CHECKPOINT_LAYOUT} failed: ${String(failed[0])}`, { cause: failed[0] });
  }
  return true;
}
