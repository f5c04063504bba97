import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { waitFor } from './wait-for.js';

/** A child process whose stdout and stderr are collected as they come. */
export interface Proc {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startProcess(command: string, args: readonly string[], options: SpawnOptions = {}): Proc {
  const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'], ...options });
  const proc: Proc = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => { proc.stdout += d; });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { proc.stderr += d; });
  return proc;
}

/** Stops a process (SIGTERM, then SIGKILL after `graceMs`) and waits for its exit. */
export async function stopProcess(proc: Proc, signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill(signal);
  const killer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(killer);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A real netcat line server (`nc -lk <port>`), as the tutorial's users run it. Lines written
 * to it go to the connected client (the socket source).
 */
export class NetcatServer {
  readonly proc: Proc;

  private constructor(readonly port: number) {
    this.proc = startProcess('nc', ['-lk', '127.0.0.1', String(port)]);
  }

  static async start(): Promise<NetcatServer> {
    const server = new NetcatServer(await freePort());
    await waitFor(() => portAnswers(server.port), `nc listening on ${server.port}`, 10_000);
    return server;
  }

  send(line: string): void {
    this.proc.child.stdin?.write(`${line}\n`);
  }

  async stop(): Promise<void> {
    await stopProcess(this.proc, 'SIGTERM', 2000);
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export async function portListening(port: number): Promise<boolean> {
  const out = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' });
  return out.trim() !== '';
}

async function portAnswers(port: number): Promise<boolean> {
  return portListening(port);
}

/** Established TCP connections to 127.0.0.1:port (from ss). */
export async function establishedConnectionsTo(port: number): Promise<number> {
  const out = execFileSync('ss', ['-tnH', 'state', 'established', `dport = :${port}`], { encoding: 'utf8' });
  return out.trim() === '' ? 0 : out.trim().split('\n').length;
}
