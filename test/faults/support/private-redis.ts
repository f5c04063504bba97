import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, portListening } from '../../support/processes.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * A private redis-server with an append-only file, as the project deploys Redis
 * (docker-compose: `--appendonly yes --appendfsync everysec`), on a free port and a temp dir,
 * for cases that kill or shut it down: the shared Redis is never touched. Its data lives on
 * across restarts (same dir, same port).
 */
export class PrivateRedis {
  private proc: ChildProcess | null = null;

  private constructor(readonly dir: string, readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(mkdtempSync(join(tmpdir(), 'sluice-redis-aof-')), await freePort());
    await redis.up();
    return redis;
  }

  /** Starts it (again) on the same port and dir; resolves once it accepts connections. */
  async up(): Promise<void> {
    this.proc = spawn('redis-server', [
      '--bind', '127.0.0.1', '--port', String(this.port), '--dir', this.dir,
      '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '',
    ], { stdio: 'ignore' });
    await waitFor(() => portListening(this.port), `redis up on ${this.port}`, 15_000, 100);
  }

  /** kill -9: what the append-only file has is what comes back. */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (proc === null) return;
    proc.kill('SIGKILL');
    await this.gone(proc);
  }

  /** A clean `SHUTDOWN` (the AOF flushed and fsynced), as an operator's restart does it. */
  async shutdown(): Promise<void> {
    const proc = this.proc;
    if (proc === null) return;
    await new Promise<void>((resolve) => {
      // redis-cli reports the closed connection as an error: the server went away, as asked.
      execFile('redis-cli', ['-p', String(this.port), 'SHUTDOWN'], { timeout: 15_000 }, () => resolve());
    });
    await this.gone(proc);
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async gone(proc: ChildProcess): Promise<void> {
    if (proc.exitCode === null && proc.signalCode === null) await new Promise((resolve) => proc.once('exit', resolve));
    this.proc = null;
    await waitFor(async () => !(await portListening(this.port)), `redis down on ${this.port}`, 10_000, 100);
  }
}
