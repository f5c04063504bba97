import type { RedisClient } from '../state/redis-connection.js';
import { CheckpointError } from '../errors/checkpoint-error.js';
import type { MetadataLog } from './metadata-log.js';

/**
 * A MetadataLog kept in one Redis hash (field = batch id). Subclasses give the entry format;
 * each serialised entry starts with a version tag line, as Spark's log files do.
 */
export abstract class RedisMetadataLog<T> implements MetadataLog<T> {
  protected constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly version: string,
  ) {}

  protected abstract serialize(entry: T): string;
  protected abstract deserialize(body: string): T;

  /** The stored form of an entry: version tag line, then the body. */
  encode(entry: T): string {
    return `${this.version}\n${this.serialize(entry)}`;
  }

  private decode(batchId: number, text: string): T {
    const newline = text.indexOf('\n');
    const tag = newline < 0 ? text : text.slice(0, newline);
    if (tag !== this.version) {
      throw new CheckpointError(`${this.key}: entry for batch ${batchId} has version '${tag}', expected '${this.version}'`, { batchId });
    }
    try {
      return this.deserialize(text.slice(newline + 1));
    } catch (cause) {
      throw new CheckpointError(`${this.key}: entry for batch ${batchId} is corrupt`, { batchId, cause });
    }
  }

  async add(batchId: number, entry: T): Promise<boolean> {
    return (await this.redis.hsetnx(this.key, String(batchId), this.encode(entry))) === 1;
  }

  async get(batchId: number): Promise<T | null> {
    const text = await this.redis.hget(this.key, String(batchId));
    return text === null ? null : this.decode(batchId, text);
  }

  async getRange(start: number, end: number): Promise<Array<{ batchId: number; entry: T }>> {
    const ids = (await this.batchIds()).filter((id) => id >= start && id <= end);
    const out: Array<{ batchId: number; entry: T }> = [];
    for (const batchId of ids) {
      const entry = await this.get(batchId);
      if (entry !== null) out.push({ batchId, entry });
    }
    return out;
  }

  async getLatest(): Promise<{ batchId: number; entry: T } | null> {
    const ids = await this.batchIds();
    const latest = ids[ids.length - 1];
    if (latest === undefined) return null;
    const entry = await this.get(latest);
    return entry === null ? null : { batchId: latest, entry };
  }

  async purge(threshold: number): Promise<void> {
    const old = (await this.batchIds()).filter((id) => id < threshold);
    if (old.length > 0) await this.redis.hdel(this.key, ...old.map(String));
  }

  private async batchIds(): Promise<number[]> {
    const fields = await this.redis.hkeys(this.key);
    return fields.map(Number).filter(Number.isInteger).sort((a, b) => a - b);
  }
}
