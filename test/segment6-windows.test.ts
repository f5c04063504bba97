import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, exampleIn, repoRoot } from './support/programs.js';
import { startProcess, stopProcess } from './support/processes.js';
import { ProgramRun } from './support/run-program.js';
import { waitFor } from './support/wait-for.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Independent reference: every 1-day window sliding by 1 hour that holds each event, summed. */
function expectedWindows(files: readonly string[]): Array<[number, number]> {
  const sums = new Map<number, number>();
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const m = /"activity_time":"([^"]+)","activity_count":(\d+)/.exec(line);
      if (m === null) continue;
      const t = Date.parse(`${m[1]}Z`);
      for (let start = Math.floor(t / HOUR) * HOUR; start > t - DAY; start -= HOUR) {
        sums.set(start, (sums.get(start) ?? 0) + Number(m[2]));
      }
    }
  }
  return [...sums.entries()].sort((a, b) => a[0] - b[0]);
}

const ts = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/** showString with truncate off; past `numRows` rows, Spark 4's footer (no newline after it). */
function table(rows: Array<[number, number]>, numRows = 200): string {
  const cells = rows.slice(0, numRows).map(([start, sum]) => [`{${ts(start)}, ${ts(start + DAY)}}`, String(sum)] as const);
  const w0 = Math.max(6, ...cells.map((c) => c[0].length));
  const w1 = Math.max('sum(activity_count)'.length, ...cells.map((c) => c[1].length));
  const sep = `+${'-'.repeat(w0)}+${'-'.repeat(w1)}+\n`;
  const line = (a: string, b: string): string => `|${a.padEnd(w0)}|${b.padEnd(w1)}|\n`;
  const footer = rows.length > numRows ? `only showing top ${numRows} rows` : '';
  return sep + line('window', 'sum(activity_count)') + sep + cells.map(([a, b]) => line(a, b)).join('') + sep + footer;
}

/** ConsoleWrite: the header lines, then show's println of the table. */
const batch = (id: number, body: string): string =>
  `-------------------------------------------\nBatch: ${id}\n-------------------------------------------\n${body}\n`;

const example = (name: string): string => join(repoRoot, 'examples', 'data', name);

/** Puts an example data file into `dir` as HDFS `put` does: a temporary name, then a rename. */
function dropInto(dir: string, name: string): void {
  writeFileSync(join(dir, `${name}._COPYING_`), readFileSync(example(name)));
  renameSync(join(dir, `${name}._COPYING_`), join(dir, name));
}

/**
 * The tutorial's Segment 6: `readStream.schema(...).json("data/")`, a 1-day window sliding by
 * 1 hour, complete mode, truncate false, numRows 200 — files dropped the way HDFS puts them.
 */
describe('Segment 6: sliding windows over dropped JSON files', () => {
  let run: ProgramRun | null = null;
  afterEach(async () => {
    await run?.stop();
    run = null;
  });

  it('prints the 24 windows of the three-record file, then the totals after the full log', async () => {
    run = await ProgramRun.start('window_functions.ts', [], { TZ: 'UTC' });
    const dataDir = join(run.dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    // Whether the query has started yet or not, the one file is in the first listing: batch 0.
    const drop = (name: string): void => {
      // Written under a temporary name, then renamed: how HDFS `put` makes a file appear.
      const tmp = join(dataDir, `${name}._COPYING_`);
      writeFileSync(tmp, readFileSync(join(repoRoot, 'examples', 'data', name)));
      renameSync(tmp, join(dataDir, name));
    };
    drop('input1.csv');
    const first = expectedWindows([join(repoRoot, 'examples', 'data', 'input1.csv')]);
    expect(first).toHaveLength(24);
    expect(first.every(([, sum]) => sum === 15)).toBe(true);
    expect(ts(first[0]?.[0] ?? 0)).toBe('2020-08-14 06:00:00');
    const b0 = batch(0, table(first));
    await run.stdoutIs(b0, 'batch 0: 24 windows of 15');

    drop('log.json');
    const all = expectedWindows(['input1.csv', 'log.json'].map((f) => join(repoRoot, 'examples', 'data', f)));
    expect(all.length).toBeLessThanOrEqual(200);
    await waitFor(() => run !== null && run.proc.stdout.includes('Batch: 1\n'), 'batch 1');
    await run.stdoutIs(b0 + batch(1, table(all)), 'batch 1: every window of both files');
  });

  it('files already in data/ when the query starts are all read in batch 0 (first window 30, not 15)', async () => {
    // Spark lists the directory when it plans batch 0 and takes every file it finds.
    const program = exampleIn('window_functions.ts', {});
    const names = ['log.json', 'input1.csv'];
    mkdirSync(join(program.dir, 'data'));
    for (const name of names) writeFileSync(join(program.dir, 'data', name), readFileSync(example(name)));
    const proc = startProcess('node', [cliPath, 'run', program.file], { cwd: program.dir, env: { ...process.env, TZ: 'UTC' } });
    try {
      const all = expectedWindows(names.map(example));
      expect(all[0]).toEqual([Date.parse('2020-08-14T06:00:00Z'), 30]);
      const b0 = batch(0, table(all));
      await waitFor(() => proc.stdout.length >= b0.length, 'batch 0', 90_000).catch((err: unknown) => {
        throw new Error(`${String(err)}\n--- stdout so far ---\n${proc.stdout}`);
      });
      expect(proc.stdout).toBe(b0);
    } finally {
      await stopProcess(proc, 'SIGINT');
      rmSync(program.dir, { recursive: true, force: true });
    }
  });

  it('numRows 10: Spark 4 prints "only showing top 10 rows" with no blank line after it', async () => {
    const program = exampleIn('window_functions.ts', {});
    writeFileSync(program.file, readFileSync(program.file, 'utf8').replace('.option("numRows", 200)', '.option("numRows", 10)'));
    const dataDir = join(program.dir, 'data');
    mkdirSync(dataDir);
    dropInto(dataDir, 'input1.csv');
    const proc = startProcess('node', [cliPath, 'run', program.file], { cwd: program.dir, env: { ...process.env, TZ: 'UTC' } });
    const stdoutIs = async (expected: string, what: string): Promise<void> => {
      await waitFor(() => proc.stdout.length >= expected.length, what, 90_000).catch((err: unknown) => {
        throw new Error(`${String(err)}\n--- stdout so far ---\n${proc.stdout}`);
      });
      expect(proc.stdout).toBe(expected);
    };
    try {
      const b0 = batch(0, table(expectedWindows([example('input1.csv')]), 10));
      expect(b0.endsWith('+\nonly showing top 10 rows\n')).toBe(true);
      await stdoutIs(b0, 'batch 0: 10 of 24 windows');
      dropInto(dataDir, 'log.json');
      await stdoutIs(b0 + batch(1, table(expectedWindows(['input1.csv', 'log.json'].map(example)), 10)), 'batch 1');
      expect(proc.stdout).toContain('only showing top 10 rows\n-------------------------------------------\nBatch: 1\n');
    } finally {
      await stopProcess(proc, 'SIGINT');
      rmSync(program.dir, { recursive: true, force: true });
    }
  });
});

describe('file source across kill -9', () => {
  it('a file being taken when the program dies is finished on restart, neither lost nor doubled', async () => {
    // A fixed checkpoint location, so the second run resumes the first.
    const checkpoint = `test-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const first = await ProgramRun.start('window_functions.ts', [], { TZ: 'UTC', SLUICE_TEST_CRASH_AT: 'file-produced:0' },
      (text) => text.replace('.option("numRows", 200)', `.option("numRows", 200)\n  .option("checkpointLocation", "${checkpoint}")`));
    const dataDir = join(first.dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    const program = join(first.dir, 'window_functions.ts');
    expect(readFileSync(program, 'utf8')).toContain(checkpoint);
    for (const name of ['input1.csv', 'log.json']) writeFileSync(join(dataDir, name), readFileSync(join(repoRoot, 'examples', 'data', name)));
    const exit = await first.proc.exited;
    expect(exit.signal).toBe('SIGKILL');
    const second = startProcess('node', [cliPath, 'run', program], { cwd: first.dir, env: { ...process.env, TZ: 'UTC' } });
    try {
      const all = expectedWindows(['input1.csv', 'log.json'].map((f) => join(repoRoot, 'examples', 'data', f)));
      const final = table(all);
      await waitFor(() => second.stdout.endsWith(`${final}\n`), 'the complete table of both files, each once', 60_000).catch((err: unknown) => {
        throw new Error(`${String(err)}\n${second.stdout.slice(-3000)}`);
      });
      expect(second.stderr).toContain('finishing a file a previous run was taking');
    } finally {
      await stopProcess(second, 'SIGINT');
      await first.stop();
    }
  });
});
