import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from './support/programs.js';
import { startProcess, stopProcess, type Proc } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

const PROGRAM = (checkpoint: string): string => `
import { SparkSession, col } from "sluice";
const spark = SparkSession.builder.appName("ToFiles").getOrCreate();
const events = spark.readStream.schema("id INT, kind STRING, ts TIMESTAMP").json("in/");
await events.filter(col("kind").eq("click")).writeStream.format("json")
  .option("checkpointLocation", "${checkpoint}").start("out/").awaitTermination();
`;

/** Spark's file sink: part files plus the _spark_metadata log, exactly once across kill -9. */
describe('file sink (json)', () => {
  it('writes each batch once, even when the program dies after writing its results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-files-'));
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'p.ts'), PROGRAM(`test-${Date.now()}-${Math.random().toString(36).slice(2)}`));
    const run = (env: NodeJS.ProcessEnv): Proc => startProcess('node', [cliPath, 'run', join(dir, 'p.ts')], { cwd: dir, env: { ...process.env, TZ: 'UTC', ...env } });
    const input = [
      { id: 1, kind: 'click', ts: '2024-01-01T10:00:00' },
      { id: 2, kind: 'view', ts: '2024-01-01T10:00:01' },
      { id: 3, kind: 'click', ts: '2024-01-01T10:00:02' },
    ].map((e) => JSON.stringify(e)).join('\n');
    let second: Proc | null = null;
    try {
      const first = run({ SLUICE_TEST_CRASH_AT: 'results:0' });
      writeFileSync(join(dir, '.events.tmp'), `${input}\n`);
      renameSync(join(dir, '.events.tmp'), join(dir, 'in', 'events.json'));
      expect((await first.exited).signal).toBe('SIGKILL');
      second = run({});
      await waitFor(() => existsSync(join(dir, 'out', '_spark_metadata', '0')), 'batch 0 committed to the file sink', 60_000);
      await waitFor(() => second?.stderr.includes('"msg":"query started"') === true, 'second run started');
      const parts = readdirSync(join(dir, 'out')).filter((f) => f.startsWith('part-'));
      expect(parts).toHaveLength(1);
      expect(readFileSync(join(dir, 'out', parts[0] ?? ''), 'utf8')).toBe(
        '{"id":1,"kind":"click","ts":"2024-01-01T10:00:00Z"}\n{"id":3,"kind":"click","ts":"2024-01-01T10:00:02Z"}\n',
      );
      expect(readFileSync(join(dir, 'out', '_spark_metadata', '0'), 'utf8')).toContain(`"action":"add"`);
    } finally {
      if (second !== null) await stopProcess(second, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses update and complete modes as Spark does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-files-'));
    writeFileSync(join(dir, 'p.ts'), `
import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("X").getOrCreate();
spark.readStream.format("rate").load().writeStream.format("csv").outputMode("update").option("checkpointLocation", "x").start("out/");
`);
    const proc = startProcess('node', [cliPath, 'run', join(dir, 'p.ts')], { cwd: dir });
    expect((await proc.exited).code).toBe(1);
    expect(proc.stderr).toContain('AnalysisException: [STREAMING_OUTPUT_MODE.UNSUPPORTED_DATASOURCE] Invalid streaming output mode: update. This output mode is not supported in Data Source csv. SQLSTATE: 42KDE');
    rmSync(dir, { recursive: true, force: true });
  });
});
