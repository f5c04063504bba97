import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointKeys, connectRedis, deleteKeys, scanKeys } from 'sluice/testing';
import { createLogger } from 'sluice';
import { cliPath } from './support/programs.js';
import { startProcess, stopProcess } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

const PROGRAM = (checkpoint: string): string => `
import { SparkSession, window } from "sluice";
const spark = SparkSession.builder.appName("BoundedState").getOrCreate();
const events = spark.readStream.schema("id STRING, ts TIMESTAMP").option("maxFilesPerTrigger", 1).json("events/");
const counts = events.withWatermark("ts", "10 minutes").groupBy(window("ts", "5 minutes")).count();
const query = counts.writeStream.outputMode("update").format("console").option("checkpointLocation", "${checkpoint}").start();
await query.awaitTermination();
`;

/**
 * A windowed count with a watermark over a long run of dropped files: the state kept in Redis
 * stays bounded while event time advances (windows past the watermark are evicted).
 */
describe('state stays bounded under a watermark', () => {
  it('keeps the Redis state of the aggregation under a bound over 40 files spanning 10 hours', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-bounded-'));
    const checkpoint = `test-${randomUUID()}`;
    mkdirSync(join(dir, 'events'));
    writeFileSync(join(dir, 'program.ts'), PROGRAM(checkpoint));
    const redis = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', createLogger());
    const proc = startProcess('node', [cliPath, 'run', join(dir, 'program.ts')], { cwd: dir, env: { ...process.env, TZ: 'UTC' } });
    const stateRows = async (): Promise<number> => {
      let n = 0;
      for (const key of await scanKeys(redis, checkpointKeys(checkpoint).all)) if (/:state:\d+:\d+$/.test(key)) n += await redis.hlen(key);
      return n;
    };
    try {
      await waitFor(() => proc.stderr.includes('"msg":"query started"'), 'query started', 90_000);
      let maxState = 0;
      const start = Date.UTC(2024, 0, 1, 0, 0);
      for (let f = 0; f < 40; f++) {
        const lines = Array.from({ length: 20 }, (_, i) => {
          const ts = new Date(start + f * 15 * 60_000 + i * 30_000).toISOString().slice(0, 19);
          return JSON.stringify({ id: `e${f}-${i}`, ts });
        });
        writeFileSync(join(dir, `.f${f}.tmp`), `${lines.join('\n')}\n`);
        renameSync(join(dir, `.f${f}.tmp`), join(dir, 'events', `f${f}.json`));
        await waitFor(() => proc.stdout.split('Batch: ').length - 1 >= f + 1, `batch for file ${f}`);
        maxState = Math.max(maxState, await stateRows());
      }
      // One file a batch (maxFilesPerTrigger), each 10 minutes of events in a 15-minute slot: with a
      // 10-minute delay, a batch holds the two windows of its file and at most those of the file
      // before, however the files and batches interleave.
      expect(maxState).toBeGreaterThan(0);
      expect(maxState).toBeLessThanOrEqual(8);
      expect(await stateRows()).toBeLessThanOrEqual(8);
    } finally {
      await stopProcess(proc, 'SIGINT');
      await deleteKeys(redis, await scanKeys(redis, checkpointKeys(checkpoint).all));
      await redis.quit();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
