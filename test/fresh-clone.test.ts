import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './support/programs.js';
import { startProcess } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

/**
 * A new user's first minutes, exactly as the README says: a fresh clone of the committed tree,
 * the set-up, then `npx sluice --help` and `npx sluice run` of an example from the clone's root.
 * The clone runs against this suite's broker and Redis (KAFKA_BROKERS / REDIS_URL).
 */
describe('a fresh clone', () => {
  let clone = '';

  beforeAll(() => {
    clone = join(mkdtempSync(join(tmpdir(), 'sluice-clone-')), 'sluice');
    execFileSync('git', ['clone', '--quiet', repoRoot, clone], { stdio: 'ignore' });
    // The README's set-up (what `npm test` and `npm run demo` start with).
    execFileSync('bash', ['scripts/setup.sh'], { cwd: clone, stdio: 'ignore', timeout: 600_000 });
  }, 660_000);

  afterAll(() => {
    rmSync(join(clone, '..'), { recursive: true, force: true });
  });

  it('answers `npx sluice --help`', async () => {
    const proc = startProcess('npx', ['sluice', '--help'], { cwd: clone });
    expect((await proc.exited).code).toBe(0);
    expect(proc.stdout).toContain('Usage: sluice <command>');
    expect(proc.stderr).toBe('');
  });

  it.each(['ingest', 'processor', 'sink'])('answers `npx sluice-%s --help`', async (role) => {
    const proc = startProcess('npx', [`sluice-${role}`, '--help'], { cwd: clone });
    expect((await proc.exited).code).toBe(0);
    expect(proc.stdout).toContain(`Usage: sluice-${role} [--help]`);
  });

  it('runs an example with `npx sluice run`', async () => {
    // Segment 6 reads the files dropped into data/ under the working directory.
    cpSync(join(clone, 'examples', 'data'), join(clone, 'data'), { recursive: true });
    const proc = startProcess('npx', ['sluice', 'run', 'examples/window_functions.ts'], {
      cwd: clone,
      env: { ...process.env, TZ: 'UTC' },
      detached: true,
    });
    try {
      await waitFor(() => proc.stdout.includes('{2020-08-14 06:00:00, 2020-08-15 06:00:00}'), 'the first window of Segment 6', 90_000);
      expect(proc.stdout).toContain('Batch: 0');
    } finally {
      // Ctrl-C at a terminal: SIGINT to the whole foreground process group (npx, its shell, sluice).
      process.kill(-(proc.child.pid ?? 0), 'SIGINT');
    }
    // npx dies of the SIGINT as a shell's foreground job does (the shell reports 130).
    const exit = await proc.exited;
    expect(exit.code === 130 || exit.signal === 'SIGINT').toBe(true);
  });
});
