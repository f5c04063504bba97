import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, servicePath } from './support/programs.js';
import { startProcess } from './support/processes.js';

/** What a user at a terminal gets: --help everywhere, live counters while a directory is ingested, no info logs. */
describe('CLI conveniences', () => {
  it.each([
    ['sluice', [cliPath, '--help'], 'Usage: sluice <command>'],
    ['sluice run', [cliPath, 'run', '--help'], 'Usage: sluice <command>'],
    ['sluice status', [cliPath, 'status', '--help'], 'status [--json]'],
    ['ingest', [servicePath('ingest'), '--help'], 'Usage: sluice-ingest'],
    ['processor', [servicePath('processor'), '--help'], 'SLUICE_METRICS_PORT'],
    ['sink', [servicePath('sink'), '--help'], 'Usage: sluice-sink'],
  ])('%s --help', async (_name, args, text) => {
    const proc = startProcess('node', args);
    expect((await proc.exited).code).toBe(0);
    expect(proc.stdout).toContain(text);
  });

  it('shows a live counter of the files and records taken on a terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-tty-'));
    try {
      mkdirSync(join(dir, 'logs'));
      for (let f = 0; f < 3; f++) writeFileSync(join(dir, 'logs', `part-${f}.txt`), 'a\nb\nc\n');
      writeFileSync(join(dir, 'count.ts'), `
import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("Count").getOrCreate();
const lines = spark.readStream.text("logs/");
await lines.groupBy().count().writeStream.outputMode("complete").trigger({ availableNow: true }).format("console").start().awaitTermination();
`);
      // `script` gives the program a terminal, as a user's shell would.
      const proc = startProcess('script', ['-qfec', `node ${cliPath} run count.ts`, '/dev/null'], { cwd: dir });
      expect((await proc.exited).code).toBe(0);
      expect(proc.stdout).toContain(`ingest ${join(dir, 'logs')}: 3 files, 9 records, 0 malformed`);
      expect(proc.stdout).toContain('|    9|');
      // A terminal gets the tables and warnings only (script merges stderr into its output).
      expect(proc.stdout).not.toContain('"level":"info"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
