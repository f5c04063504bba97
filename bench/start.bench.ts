// Start-up latency of `sluice run` on the local stack: cold (the local broker stopped: the run
// starts it), warm (it runs: a second run reuses it), and the time to an analysis error (a
// misspelt column: reported before anything starts). Uses its own local stack state dir
// (.local/bench-start) so a stack the user keeps running is neither used nor stopped, and stops
// what it started. Prints one JSON line; times are wall-clock from process spawn.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const RUNS = Number(process.env['BENCH_START_RUNS'] ?? 3);
const repo = join(import.meta.dirname, '..');
const cli = join(repo, 'packages', 'engine', 'dist', 'cli', 'main.js');
const localDir = join(repo, '.local', 'bench-start');
const programs = join(localDir, 'programs');
mkdirSync(programs, { recursive: true });
writeFileSync(join(programs, 'rate.ts'), `
import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("StartBench").getOrCreate();
await spark.readStream.format("rate").option("rowsPerSecond", 1).load()
  .writeStream.format("console").start().awaitTermination();
`);
writeFileSync(join(programs, 'typo.ts'), `
import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("StartBench").getOrCreate();
await spark.readStream.format("rate").load().select("vlaue")
  .writeStream.format("console").start().awaitTermination();
`);

const env: NodeJS.ProcessEnv = { ...process.env, SLUICE_LOCAL_DIR: localDir, SLUICE_LOG_LEVEL: 'info' };
delete env['KAFKA_BROKERS'];
delete env['REDIS_URL'];

function stack(action: 'up' | 'down'): void {
  const r = spawnSync('node', [cli, 'stack', action], { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sluice stack ${action} failed: ${r.stderr}`);
}

/** CPU time (ms) a live process used so far (Linux /proc; null elsewhere). */
function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Runs the program until its query started (then SIGINT), or until it exits; times from spawn. */
async function timeRun(program: string, until: 'query started' | 'exit'): Promise<{ ms: number; cpuMs: number | null; code: number | null; stderr: string }> {
  const t0 = performance.now();
  const child = spawn('node', [cli, 'run', program], { cwd: programs, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    let result: { ms: number; cpuMs: number | null } | null = null;
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (until === 'query started' && result === null && stderr.includes('"msg":"query started"')) {
        result = { ms: performance.now() - t0, cpuMs: cpuMs(child.pid) };
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const done = result ?? { ms: performance.now() - t0, cpuMs: null };
      if (until === 'query started' && result === null) reject(new Error(`the run exited (${code}) before its query started:\n${stderr}`));
      else resolve({ ...done, code, stderr });
    });
  });
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const cold: number[] = [];
const warm: number[] = [];
const warmCpu: number[] = [];
const analysis: number[] = [];
try {
  // Once: fetch the jars, format the data dir and write the broker's class-data archive.
  stack('up');
  stack('down');
  for (let i = 0; i < RUNS; i++) {
    stack('down');
    cold.push((await timeRun('rate.ts', 'query started')).ms);
    const w = await timeRun('rate.ts', 'query started');
    warm.push(w.ms);
    if (w.cpuMs !== null) warmCpu.push(w.cpuMs);
    const a = await timeRun('typo.ts', 'exit');
    if (a.code !== 1 || !a.stderr.includes('AnalysisException: [UNRESOLVED_COLUMN.WITH_SUGGESTION]')) {
      throw new Error(`expected an analysis error, got exit ${a.code}:\n${a.stderr}`);
    }
    analysis.push(a.ms);
  }
} finally {
  stack('down');
}
const round = (xs: readonly number[]): number[] => xs.map((x) => Math.round(x));
console.log(JSON.stringify({
  benchmark: 'sluice run start-up (local stack)', runs: RUNS,
  coldStartToQueryStartedMs: Math.round(median(cold)), warmStartToQueryStartedMs: Math.round(median(warm)),
  timeToAnalysisErrorMs: Math.round(median(analysis)),
  all: { cold: round(cold), warm: round(warm), analysisError: round(analysis), warmCliCpuMs: warmCpu },
  machine: { cpus: cpus().length, loadAverage1m: Number((loadavg()[0] ?? 0).toFixed(2)) },
  note: 'medians; cold = the local broker stopped (the run starts it); warm = a second run while it runs; targets on an idle 2-core machine: cold ≤ 10 s, warm ≤ 3 s, analysis error ≤ 2 s',
}));
