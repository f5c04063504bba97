import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from './support/programs.js';
import { freePort, startProcess } from './support/processes.js';

/** stderr without the JSON log lines: what a person reads. */
function plainLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l !== '' && !l.startsWith('{'));
}

/**
 * Mistakes at the command line get one actionable line (two with where in the program), printed
 * once, no stack trace, and a documented exit code.
 */
describe('sluice CLI errors', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-errors-'));
    writeFileSync(join(dir, 'typo.ts'), `import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("Typo").getOrCreate();
const lines = spark.readStream.format("socket").option("host", "localhost").option("port", 1).load();
await lines.select("vlaue").writeStream.format("console").start().awaitTermination();
`);
    writeFileSync(join(dir, 'rate.ts'), `import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("Rate").getOrCreate();
await spark.readStream.format("rate").load().writeStream.format("console").start().awaitTermination();
`);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const sluice = (args: readonly string[], env: NodeJS.ProcessEnv = {}) =>
    startProcess('node', [cliPath, ...args], { cwd: dir, env: { ...process.env, ...env } });

  it('a missing program file: names the path, exit 2', async () => {
    const proc = sluice(['run', 'nope.ts']);
    expect((await proc.exited).code).toBe(2);
    expect(proc.stderr).toBe(`sluice run: no program at ${join(dir, 'nope.ts')}: check the path (it is relative to ${dir})\n`);
    expect(proc.stdout).toBe('');
  });

  it('an analysis error: Spark\'s message and the program line, no stack, exit 1', async () => {
    const proc = sluice(['run', 'typo.ts']);
    expect((await proc.exited).code).toBe(1);
    expect(plainLines(proc.stderr)).toEqual([
      'AnalysisException: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `vlaue` cannot be resolved. Did you mean one of the following? [`value`]. SQLSTATE: 42703',
      '    at typo.ts:4:13',
    ]);
    // Raised before anything started: no query, no connection.
    expect(proc.stderr).not.toContain('"msg":"starting query"');
  });

  it('--verbose adds the stack', async () => {
    const proc = sluice(['run', 'typo.ts', '--verbose']);
    expect((await proc.exited).code).toBe(1);
    expect(proc.stderr).toContain('AnalysisException: [UNRESOLVED_COLUMN.WITH_SUGGESTION]');
    expect(proc.stderr).toMatch(/\n {4}at \S+ \(.*binder/);
  });

  it('an unreachable broker: names KAFKA_BROKERS and the address, fails fast, exit 3', async () => {
    const port = await freePort();
    const proc = sluice(['run', 'rate.ts'], { KAFKA_BROKERS: `127.0.0.1:${port}` });
    expect((await proc.exited).code).toBe(3);
    expect(plainLines(proc.stderr)).toEqual([
      `sluice run: cannot reach Kafka at 127.0.0.1:${port} (KAFKA_BROKERS): connection refused. ` +
        'Start that broker or fix KAFKA_BROKERS; unset it to use the local broker (sluice stack up).',
    ]);
    // No client retried against it, and nothing was logged at error level.
    expect(proc.stderr).not.toMatch(/kafkajs|"level":"error"/i);
  });

  it('an unreachable Redis in sluice status: names REDIS_URL without its password, exit 3', async () => {
    const port = await freePort();
    const proc = sluice(['status'], { REDIS_URL: `redis://user:s3cret@127.0.0.1:${port}` });
    expect((await proc.exited).code).toBe(3);
    expect(proc.stderr).toBe(
      `sluice status: cannot reach Redis at redis://user:***@127.0.0.1:${port} (REDIS_URL): connection refused. ` +
        'Start that Redis or fix REDIS_URL; unset it to use the local one (sluice stack up).\n',
    );
  });

  it('sluice status says so when no query runs', async () => {
    // A database no query uses: the registry there is empty.
    const url = new URL(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    url.pathname = '/13';
    const table = sluice(['status'], { REDIS_URL: url.toString() });
    expect((await table.exited).code).toBe(0);
    expect(table.stdout).toBe('No query is running.\n');
    const json = sluice(['status', '--json'], { REDIS_URL: url.toString() });
    expect((await json.exited).code).toBe(0);
    expect(json.stdout).toBe('[]\n');
  });

  it('an unknown command or stack action: usage, exit 2', async () => {
    const proc = sluice(['runn', 'x.ts']);
    expect((await proc.exited).code).toBe(2);
    expect(proc.stderr).toBe("sluice: unknown command 'runn' (sluice help lists them)\n");
    const stack = sluice(['stack', 'upp']);
    expect((await stack.exited).code).toBe(2);
    expect(stack.stderr).toBe("sluice stack: unknown action 'upp': up, down or status\n");
  });
});
