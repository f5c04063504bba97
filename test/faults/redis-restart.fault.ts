import { waitFor } from '../support/wait-for.js';
import { report } from './support/fault-report.js';
import { PrivateRedis } from './support/private-redis.js';
import { SeededRandom, sleep } from './support/seeded-random.js';
import { judgeBatches, ROLES, WordCountDeployment } from './support/word-count-deployment.js';

/**
 * Redis restarted under a running stateful query: the three services of a deployment (file
 * source → word count → console sink) keep their checkpoint and state in a private Redis with
 * an append-only file, while files keep coming. Redis is killed with SIGKILL once and shut
 * down cleanly once, each time down 5–10 s (seeded; the seed is printed). No service exits
 * (processor.outageTimeoutMs is 5 min by default), and the output is exact: every batch id
 * printed once, none skipped, the last batch the counts of every line written.
 */

const FILE_EVERY_MS = 250;
const LINES_PER_FILE = 25;

describe('faults: Redis restart (AOF) under a running query', () => {
  it('Redis killed -9, then shut down, 5-10 s each while data flows: the query rides it out, output exact', async () => {
    const random = SeededRandom.forCase('Redis restart under a query');
    const redis = await PrivateRedis.start();
    const deployment = await WordCountDeployment.create({ REDIS_URL: redis.url });
    let feeder: NodeJS.Timeout | undefined;
    const outages: string[] = [];
    try {
      for (const role of ['sink', 'processor', 'ingest'] as const) deployment.start(role);
      for (const role of ROLES) await deployment.started(role);
      feeder = setInterval(() => deployment.dropFile(LINES_PER_FILE), FILE_EVERY_MS);
      await waitFor(() => deployment.printed().batches.some((b) => WordCountDeployment.total(b) > 0), 'a first batch with rows', 90_000, 250);

      for (const how of ['kill -9', 'SHUTDOWN'] as const) {
        await sleep(random.int(5000, 10_000));
        const downMs = random.int(5000, 10_000);
        const before = deployment.printed().batches.at(-1)?.id ?? -1;
        process.stdout.write(`FAULT Redis ${how}, down ${downMs} ms (after batch ${before}, ${deployment.input.length} lines written)\n`);
        if (how === 'kill -9') await redis.kill();
        else await redis.shutdown();
        await sleep(downMs);
        await redis.up();
        outages.push(`${how} ${(downMs / 1000).toFixed(1)} s`);
        // The query goes on after each outage before the next one.
        await waitFor(() => (deployment.printed().batches.at(-1)?.id ?? -1) > before + 1 || deployment.failures().length > 0, `batches after the Redis ${how}`, 120_000, 250);
      }
      await sleep(5000);
      clearInterval(feeder);
      feeder = undefined;

      const expected = deployment.expectedCounts();
      const last = (): string => deployment.printed().batches.at(-1)?.rows.join() ?? '';
      await waitFor(() => last() === expected.join() || deployment.failures().length > 0, 'the counts of all the input', 180_000, 250).catch(() => undefined);
      await sleep(3000);

      const { batches, cut } = deployment.printed();
      const verdict = judgeBatches(batches, expected);
      const out = WordCountDeployment.total(batches.at(-1) ?? { id: -1, rows: [], text: '' });
      report({
        case: 'Redis kill -9 and SHUTDOWN under a query (AOF)', sent: deployment.input.length, out, rejected: 0,
        peakRss: deployment.processorPeakRss(),
        note: `seed ${random.seed}, ${outages.join(' + ')}, ${batches.at(-1)?.id ?? -1} batches`,
      });
      expect(deployment.failures()).toEqual([]);
      // The services rode the outages out: each role still runs its first and only process.
      expect(ROLES.map((r) => deployment.all(r).length)).toEqual([1, 1, 1]);
      expect({ ...verdict, out, cut, printedTwice: batches.length - new Set(batches.map((b) => b.id)).size })
        .toEqual({ changedRepeats: [], skipped: [], decreasing: [], lastIsAll: true, out: deployment.input.length, cut: 0, printedTwice: 0 });
      expect(deployment.current('processor').stderr).toContain('Redis is unreachable; the processor waits and retries');
    } finally {
      if (feeder !== undefined) clearInterval(feeder);
      await deployment.close();
      await redis.destroy();
    }
  });
});
