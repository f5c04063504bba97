import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endClient, lineClient, metricValue, writeAll } from '../support/ingest-service.js';
import { freePort, portListening, startProcess, stopProcess } from '../support/processes.js';
import { cliPath } from '../support/programs.js';
import { waitFor } from '../support/wait-for.js';
import { report, RssWatch } from './support/fault-report.js';

/**
 * `sluice run` (ingest, processor and sink in one process) under a 2 M-line flood into a
 * listening socket source with a word count: every line is read by exactly one batch
 * (sluice_input_rows_total), the whole process in bounded memory.
 */
it('sluice run: a 2 M-line flood through ingest, processor and sink in one process', async () => {
  const total = 2_000_000;
  const port = await freePort();
  const metricsPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sluice-run-'));
  writeFileSync(join(dir, 'flood.ts'), `import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("Flood").getOrCreate();
const lines = spark.readStream.format("socket").option("host", "127.0.0.1").option("port", ${port}).option("listen", true).load();
await lines.groupBy("value").count().writeStream.outputMode("update").format("console").option("numRows", 1).start().awaitTermination();
`);
  const run = startProcess('node', [cliPath, 'run', join(dir, 'flood.ts')], { cwd: dir, env: { ...process.env, SLUICE_METRICS_PORT: String(metricsPort) } });
  try {
    await waitFor(() => portListening(port), 'the ingest listening', 90_000);
    const rss = new RssWatch(run.child.pid);
    const clients = await Promise.all([0, 1, 2, 3].map(() => lineClient(port)));
    await Promise.all(clients.map(async (c, k) => {
      for (let i = 0; i < total / 4;) {
        let batch = '';
        for (let j = 0; j < 1000; j++, i++) batch += `c${k}-${i % 1000}\n`;
        await writeAll(c, batch);
      }
      await endClient(c);
    }));
    await waitFor(async () => (await metricValue(metricsPort, 'sluice_input_rows_total')) >= total, 'every line in a batch', 900_000, 1000);
    const out = await metricValue(metricsPort, 'sluice_input_rows_total');
    const batches = await metricValue(metricsPort, 'sluice_batches_total');
    const peak = rss.stop();
    report({ case: 'sluice run, 2M-line flood, word count', sent: total, out, rejected: 0, peakRss: peak, note: `${batches} batches; ingest, processor and sink in one process` });
    expect(out).toBe(total);
    await stopProcess(run, 'SIGTERM');
    expect((await run.exited).code).toBe(143);
  } finally {
    await stopProcess(run, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
