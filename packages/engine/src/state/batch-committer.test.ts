import { BatchCommitter } from './batch-committer.js';
import { checkpointKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import { RedisStateStore } from './redis-state-store.js';

describe('BatchCommitter', () => {
  // No server: the refusal comes before any command (a call would fail on this empty client).
  const noServer = {} as RedisClient;

  it('refuses a state store outside the commit unit (its Lua commit would cross cluster slots)', async () => {
    const own = new RedisStateStore(noServer, checkpointKeys('q').state('1', 0));
    const foreign = new RedisStateStore(noServer, checkpointKeys('other').state('1', 0));
    own.put('k', 1);
    await expect(new BatchCommitter(noServer, 'q').commit(0, 'v1\n{}', [own, foreign])).rejects.toMatchObject({
      code: 'CHECKPOINT_ERROR',
      message: `cannot commit batch 0: state key ${checkpointKeys('other').state('1', 0)} is outside the commit unit {cp:q}`,
    });
    // Nothing was committed: the batch's change is still pending.
    expect(own.pendingChanges().puts).toEqual([['k', '1']]);
  });
});
