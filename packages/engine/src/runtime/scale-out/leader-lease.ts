import type { RedisClient } from '../../state/redis-connection.js';

/** Extends the lease only while this holder has it (compare and set, atomically). */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Which replica of a scaled-out query leads: a Redis key holding the leader's run id with an
 * expiry (the lease), taken with SET NX and renewed well before it runs out. A leader that
 * cannot renew (killed, cut off) loses it after `ttlMs`, and another replica takes it. What a
 * stale leader might still write is fenced elsewhere: offset-log and commit-log entries are
 * written only if absent.
 */
export class LeaderLease {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly holder: string,
    readonly ttlMs: number,
  ) {}

  /** Takes the lease if free, or extends it if this holder has it; true when held now. */
  async acquire(): Promise<boolean> {
    if (await this.renew()) return true;
    const set = await this.redis.set(this.key, this.holder, 'PX', this.ttlMs, 'NX');
    return set === 'OK';
  }

  /** True while this holder still has the lease (then extended by ttlMs). */
  async renew(): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.key, this.holder, String(this.ttlMs))) === 1;
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.holder);
  }

  /** The run id of the replica leading now, or null. */
  async current(): Promise<string | null> {
    return this.redis.get(this.key);
  }
}
