import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, consoleText } from './support/programs.js';
import { establishedConnectionsTo, NetcatServer, startProcess, stopProcess } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

/**
 * Bad input that Spark 4 fails on (ANSI casts) ends the query with Spark's error, and the
 * program with a non-zero exit: no hang, no silent loss.
 */
describe('a query that fails on its data', () => {
  it('stops with [CAST_INVALID_INPUT] and exits non-zero after the good batches', async () => {
    const nc = await NetcatServer.start();
    const dir = mkdtempSync(join(tmpdir(), 'sluice-fail-'));
    writeFileSync(join(dir, 'ints.ts'), `
import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("Ints").getOrCreate();
const lines = spark.readStream.format("socket").option("host", "localhost").option("port", ${nc.port}).load();
await lines.selectExpr("CAST(value AS INT) AS n").writeStream.format("console").start().awaitTermination();
`);
    const run = startProcess('node', [cliPath, 'run', join(dir, 'ints.ts')], { cwd: dir });
    try {
      await waitFor(() => run.stderr.includes('"msg":"query started"'), 'query started', 90_000);
      await waitFor(async () => (await establishedConnectionsTo(nc.port)) > 0, 'connected');
      nc.send('42');
      // Batch 0 ran, empty, when the socket connected; the line is batch 1.
      await waitFor(() => run.stdout.includes('Batch: 1'), 'batch 1');
      nc.send('forty-two');
      const exit = await run.exited;
      expect(exit.code).toBe(1);
      expect(run.stdout).toBe(consoleText(0, 'n', []) + consoleText(1, 'n', ['42']));
      expect(run.stderr).toContain(
        "RuntimeError: [CAST_INVALID_INPUT] The value 'forty-two' of the type \"STRING\" cannot be cast to \"INT\" because it is malformed.",
      );
    } finally {
      await stopProcess(run, 'SIGKILL');
      await nc.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
