import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanFile } from './plan-file.js';
import { servicePath } from './programs.js';
import { startProcess, stopProcess, type Proc } from './processes.js';
import { waitFor } from './wait-for.js';

/**
 * Processor service processes running one plan: added one by one, killed with SIGKILL, and all
 * stopped at the end. With `scaleOut` they join the query's task group
 * (`SLUICE_PROCESSOR_SCALE_OUT=true`); without it each runs the classic single-process path.
 * `env` overrides the test's environment for every processor (e.g. `REDIS_URL` of a cluster).
 */
export class ProcessorFleet {
  /** Every process ever started, the killed ones too (their output helps a failure's report). */
  readonly procs: Proc[] = [];

  constructor(
    private readonly plan: PlanFile,
    private readonly scaleOut: boolean,
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  /** Starts one more processor and waits for its "service started" line. */
  async add(): Promise<Proc> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...this.env,
      SLUICE_QUERY_PLAN: this.plan.path,
      SLUICE_METRICS_PORT: '0',
      SLUICE_KAFKA_CLIENT_ID: `test-${randomUUID().slice(0, 8)}`,
    };
    if (this.scaleOut) env['SLUICE_PROCESSOR_SCALE_OUT'] = 'true';
    else delete env['SLUICE_PROCESSOR_SCALE_OUT'];
    const proc = startProcess('node', [servicePath('processor')], { env });
    this.procs.push(proc);
    await waitFor(() => proc.stderr.includes('"msg":"service started"') || proc.child.exitCode !== null, 'a processor to start', 60_000);
    if (proc.child.exitCode !== null) throw new Error(`the processor exited at start (${String(proc.child.exitCode)}):\n${proc.stderr}`);
    return proc;
  }

  /** The processes still running. */
  alive(): Proc[] {
    return this.procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
  }

  /** kill -9 of the longest-running live processor: it holds tasks for sure. */
  async killOne(): Promise<void> {
    const victim = this.alive()[0];
    if (victim === undefined) throw new Error('no processor left to kill');
    victim.child.kill('SIGKILL');
    await victim.exited;
  }

  /** The query id the processors resolved from the checkpoint (from their start line). */
  queryId(): string | null {
    for (const p of this.procs) {
      const m = /"msg":"service started".*?"queryId":"([^"]+)"/.exec(p.stderr);
      if (m?.[1] !== undefined) return m[1];
    }
    return null;
  }

  /** A processor that exited on its own (not killed by the test) fails the run: its log says why. */
  failures(): string[] {
    return this.procs
      .filter((p) => p.child.exitCode !== null && p.child.signalCode === null)
      .map((p) => `processor exited with ${String(p.child.exitCode)}:\n${p.stderr.slice(-4000)}`);
  }

  /** Stops every processor; with SLUICE_TEST_LOG_DIR set, their logs are kept there. */
  async stopAll(): Promise<void> {
    await Promise.all(this.procs.map((p) => stopProcess(p, 'SIGTERM', 10_000)));
    const dir = process.env['SLUICE_TEST_LOG_DIR'];
    if (dir !== undefined && dir !== '') {
      mkdirSync(dir, { recursive: true });
      this.procs.forEach((p, i) => writeFileSync(join(dir, `${this.queryId() ?? 'query'}-processor-${i}.log`), p.stderr));
    }
  }
}
