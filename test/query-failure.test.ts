import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it("FAILFAST: a ragged CSV row fails the query with Spark's error before any row is printed", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-failfast-'));
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', 'f.csv'), '1,x\n2,y,extra\n');
    writeFileSync(join(dir, 'failfast.ts'), `
import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("FailFast").getOrCreate();
const df = spark.readStream.format("csv").schema("a INT, b STRING").option("mode", "FAILFAST").load(${JSON.stringify(join(dir, 'in'))});
await df.writeStream.format("console").start().awaitTermination();
`);
    const run = startProcess('node', [cliPath, 'run', join(dir, 'failfast.ts')], { cwd: dir });
    try {
      const exit = await run.exited;
      expect(exit.code).toBe(1);
      // Spark 4.2 fails batch 0 (a run on the same file): nothing printed.
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(
        'SourceError: [MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record parsing: [2,y].\n'
        + "Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.  SQLSTATE: 22023",
      );
    } finally {
      await stopProcess(run, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
