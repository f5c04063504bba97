import { cpSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, exampleIn, repoRoot } from './support/programs.js';
import { establishedConnectionsTo, NetcatServer, startProcess, stopProcess, type Proc } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

/**
 * The tutorial's programs (examples/) against what real Apache Spark 4.2.0 printed for the
 * same programs and the same typed input (conformance/tutorial/: the Java programs, the script
 * in programs.json, the golden stdout in goldens/). Each program is run with `sluice run`
 * against real `nc -lk` servers and driven exactly as drive.mjs drove Spark: every step types
 * its lines (or drops its file), then waits for one more complete batch on stdout before the
 * next; after the last, a quiet spell, then the program is stopped. stdout must then be the
 * golden's bytes.
 */

interface Step {
  readonly send?: readonly string[];
  readonly socket?: number;
  readonly alignMs?: number;
  readonly drop?: string;
  readonly note?: string;
}

interface Program {
  readonly example: string;
  readonly sockets: number;
  readonly steps: readonly Step[];
  readonly preload?: readonly string[];
  readonly files?: readonly string[];
  readonly ends?: boolean;
  readonly fails?: boolean;
}

const tutorial = join(repoRoot, 'conformance', 'tutorial');
const { programs } = JSON.parse(readFileSync(join(tutorial, 'programs.json'), 'utf8')) as { programs: Record<string, Program> };
const golden = (name: string, ext: 'out' | 'err'): string => readFileSync(join(tutorial, 'goldens', `${name}.${ext}`), 'utf8');

/** As drive.mjs: long enough for one more 2-second trigger to show up after the last batch. */
const QUIET_MS = 5_000;
/** How long a batch may take to show up in Sluice (the first one includes the start). */
const FIRST_BATCH_MS = 120_000;
const BATCH_MS = 60_000;

const HEADER = /-{43}\nBatch: \d+\n-{43}\n/g;

/** How many batches stdout holds completely (header, table, then a blank line or Spark 4's footer): as drive.mjs. */
function completeBatches(stdout: string): number {
  const starts = [...stdout.matchAll(HEADER)].map((m) => m.index);
  let complete = 0;
  for (let i = 0; i < starts.length; i++) {
    const segment = stdout.slice(starts[i], starts[i + 1] ?? stdout.length);
    if (segment.endsWith('+\n\n') || /\+\nonly showing top \d+ rows?\n$/.test(segment)) complete++;
  }
  return complete;
}

/** Copies an example data file into data/ whole, by a rename (as drive.mjs). */
function drop(dir: string, name: string): void {
  const staging = join(dir, 'staging');
  mkdirSync(staging, { recursive: true });
  cpSync(join(repoRoot, 'examples', 'data', name), join(staging, name));
  renameSync(join(staging, name), join(dir, 'data', name));
}

const within = async (condition: () => boolean | Promise<boolean>, ms: number, everyMs = 20): Promise<boolean> =>
  waitFor(condition, '', ms, everyMs).then(() => true, () => false);

interface Outcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Where Sluice did not follow the script as Spark did (a batch that never came, an early exit). */
  readonly notes: readonly string[];
}

/** Runs one example under the script Spark was driven with. */
async function drive(spec: Program): Promise<Outcome> {
  const servers: NetcatServer[] = [];
  for (let i = 0; i < spec.sockets; i++) servers.push(await NetcatServer.start());
  for (const line of spec.preload ?? []) servers[0]?.send(line);
  const ports: Record<number, number> = {};
  servers.forEach((s, i) => { ports[12345 + i] = s.port; });
  const program = exampleIn(spec.example, ports);
  mkdirSync(join(program.dir, 'data'));
  for (const file of spec.files ?? []) drop(program.dir, file);

  const proc: Proc = startProcess('node', [cliPath, 'run', program.file], { cwd: program.dir, env: { ...process.env, TZ: 'UTC' } });
  const ended = (): boolean => proc.child.exitCode !== null || proc.child.signalCode !== null;
  const exitNow = (): Outcome['exit'] => (ended() ? { code: proc.child.exitCode, signal: proc.child.signalCode } : null);
  const notes: string[] = [];
  let outcome: Outcome;
  try {
    for (const [i, step] of spec.steps.entries()) {
      const before = completeBatches(proc.stdout);
      const server = servers[step.socket ?? 0];
      if (step.send !== undefined && server !== undefined) {
        if (!(await within(async () => (await establishedConnectionsTo(server.port)) > 0 || ended(), FIRST_BATCH_MS))) {
          notes.push(`step ${i}: the socket source never connected`);
        }
        const align = step.alignMs;
        if (align !== undefined) await within(() => { const t = Date.now() % align; return t >= 100 && t < 400; }, align * 2, 5);
        // One write, as drive.mjs: the lines of a group reach nc (and the source) together.
        server.proc.child.stdin?.write(step.send.map((l) => `${l}\n`).join(''));
      }
      if (step.drop !== undefined) drop(program.dir, step.drop);
      const came = await within(() => completeBatches(proc.stdout) > before || ended(), i === 0 ? FIRST_BATCH_MS : BATCH_MS);
      if (ended()) {
        notes.push(`step ${i} (${JSON.stringify(step)}): the program exited (${JSON.stringify(exitNow())})`);
        break;
      }
      if (!came) notes.push(`step ${i} (${JSON.stringify(step)}): no new batch`);
    }
    if (spec.ends === true || spec.fails === true) {
      if (!(await within(ended, FIRST_BATCH_MS))) notes.push('did not end by itself');
    } else {
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      if (ended()) notes.push(`the program exited (${JSON.stringify(exitNow())})`);
    }
  } finally {
    // Whatever the program prints as it stops counts too (Spark prints nothing).
    const exit = exitNow();
    await stopProcess(proc, 'SIGINT');
    for (const s of servers) await s.stop();
    rmSync(program.dir, { recursive: true, force: true });
    outcome = { stdout: proc.stdout, stderr: proc.stderr, exit, notes };
  }
  return outcome;
}

describe('the tutorial against real Spark 4.2: stdout byte for byte', () => {
  for (const [name, spec] of Object.entries(programs)) {
    it(`${name} (examples/${spec.example})`, async () => {
      const run = await drive(spec);
      if (spec.fails === true) {
        // start() fails: nothing on stdout, Spark's message on stderr, a non-zero exit.
        expect({ stdout: run.stdout, failed: run.exit !== null && run.exit.code !== 0, message: run.stderr.includes(golden(name, 'err').trim()) })
          .toEqual({ stdout: golden(name, 'out'), failed: true, message: true });
        return;
      }
      const exit = spec.ends === true ? { exit: run.exit?.code } : {};
      const expectedExit = spec.ends === true ? { exit: 0 } : {};
      expect({ notes: run.notes, ...exit, stdout: run.stdout }).toEqual({ notes: [], ...expectedExit, stdout: golden(name, 'out') });
    }, 15 * 60_000);
  }
});
