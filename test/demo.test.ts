import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * The README's first command (`npm run demo`, past its set-up): every demo program runs on the
 * real broker and Redis, typed into a real netcat, and the demo ends by itself with exit 0.
 * The tutorial's programs set their log level to WARN, so the demo cannot wait for info lines.
 */
describe('npm run demo', () => {
  it('runs every segment to the end', async () => {
    const root = join(import.meta.dirname, '..');
    const child = spawn('node', [join(root, 'scripts', 'demo.mjs')], { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, tail: code === 0 ? '' : stderr.slice(-2000) }).toEqual({ code: 0, tail: '' });
    expect(stderr).toContain('== demo finished');
    // Segment 6's windows and the word count's last table came out on the console.
    expect(stdout).toContain('|{2020-08-14 06:00:00, 2020-08-15 06:00:00}|');
    expect(stdout).toMatch(/\|\s*spark\|\s*3\|/);
  }, 300_000);
});
