import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from './support/programs.js';
import { startProcess, stopProcess } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

/** Spark's rate source: rowsPerSecond rows a second, `value` counting from 0, each value once. */
describe('rate source', () => {
  it('generates 0, 1, 2, … at the rate asked, each value in exactly one batch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-rate-'));
    writeFileSync(join(dir, 'rate.ts'), `
import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("Rate").getOrCreate();
const rate = spark.readStream.format("rate").option("rowsPerSecond", 50).load();
console.error(JSON.stringify(rate.schema));
await rate.select("value").writeStream.format("console").option("numRows", 1000).trigger({ processingTime: "500 milliseconds" }).start().awaitTermination();
`);
    const run = startProcess('node', [cliPath, 'run', join(dir, 'rate.ts')], { cwd: dir });
    const values = (): number[] => [...run.stdout.matchAll(/^\|\s*(\d+)\|$/gm)].map((m) => Number(m[1]));
    try {
      await waitFor(() => values().length >= 60, '60 rows', 30_000);
      const seen = values();
      // Exactly 0 … n-1: no value missing, none twice, in order.
      expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i));
      expect(run.stderr).toContain('[{"name":"timestamp","type":"timestamp","nullable":true},{"name":"value","type":"bigint","nullable":true}]');
    } finally {
      await stopProcess(run, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
