import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cliPath, exampleIn } from './programs.js';
import { establishedConnectionsTo, NetcatServer, startProcess, stopProcess, type Proc } from './processes.js';
import { waitFor } from './wait-for.js';

/** An example program run with `sluice run` against a real `nc -lk`, as a user runs it. */
export class ProgramRun {
  private constructor(readonly nc: NetcatServer, readonly proc: Proc, readonly dir: string) {}

  /** Starts nc, then the program; `preload` lines are typed into nc before the program connects. */
  static async start(example: string, preload: readonly string[] = [], env: NodeJS.ProcessEnv = {}, edit?: (text: string) => string): Promise<ProgramRun> {
    const nc = await NetcatServer.start();
    for (const line of preload) nc.send(line);
    const program = exampleIn(example, { 12345: nc.port });
    if (edit !== undefined) writeFileSync(program.file, edit(readFileSync(program.file, 'utf8')));
    const proc = startProcess('node', [cliPath, 'run', program.file], { cwd: program.dir, env: { ...process.env, ...env } });
    return new ProgramRun(nc, proc, program.dir);
  }

  async started(socket = true): Promise<void> {
    if (socket) {
      // The ingest connects once the processor runs; examples log at WARN, so no info line says so.
      await waitFor(async () => this.proc.child.exitCode !== null || (await establishedConnectionsTo(this.nc.port)) > 0, 'the socket source to connect', 90_000);
      return;
    }
    await waitFor(() => this.proc.stderr.includes('"msg":"query started"') || this.proc.child.exitCode !== null, 'query started', 90_000);
  }

  /** Waits until stdout holds exactly `expected`, or fails showing what it holds. */
  async stdoutIs(expected: string, what: string): Promise<void> {
    await waitFor(() => this.proc.stdout.length >= expected.length, what).catch((err: unknown) => {
      throw new Error(`${String(err)}\n--- stdout so far ---\n${this.proc.stdout}`);
    });
    expect(this.proc.stdout).toBe(expected);
  }

  async stop(): Promise<void> {
    await stopProcess(this.proc, 'SIGINT');
    await this.nc.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
