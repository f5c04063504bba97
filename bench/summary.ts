// The combined table of `npm run bench`: reads what each bench printed to stdout (bench/run.sh
// keeps it in <name>.out, and the bench's exit status in <name>.exit beside it) and prints one
// table of every figure beside its baselines, then one JSON line with every bench's result. A
// bench with no file is "not run"; one that printed no result is "failed".
//   tsx bench/summary.ts DIR/start.out DIR/operators.out …
// The result of a bench is the last JSON line it printed (window-sum prints one per case: all of
// them); spark-ab and latency print their own table before it.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';

/** The benches in the order bench/run.sh runs them, with the key of each in the JSON line. */
const BENCHES = [
  ['start', 'start'],
  ['operators', 'operators'],
  ['window-sum', 'windowSum'],
  ['pipeline', 'pipeline'],
  ['scale-out', 'scaleOut'],
  ['spark-ab', 'sparkAb'],
  ['latency', 'latency'],
  ['backlog', 'backlog'],
] as const;
type BenchName = (typeof BENCHES)[number][0];

/** What start.bench.ts prints. */
interface StartResult {
  readonly runs?: number;
  readonly coldStartToQueryStartedMs?: number;
  readonly warmStartToQueryStartedMs?: number;
  readonly timeToAnalysisErrorMs?: number;
  readonly all?: { readonly warmCliCpuMs?: readonly number[] };
}

/** What operators.bench.ts and pipeline.bench.ts print. */
interface ThroughputResult {
  readonly benchmark?: string;
  readonly baselineRowsPerSecond?: number;
  readonly sluiceRowsPerSecond?: number;
  readonly ratioToBaseline?: number;
  readonly sluiceBatchRowsPerSecond?: number;
  readonly batchRatioToBaseline?: number;
}

/** What window-sum.bench.ts prints, once per case. */
interface WindowSumResult {
  readonly benchmark?: string;
  readonly baselineRowsPerSecond?: { readonly best?: number; readonly median?: number };
  readonly sluiceRowsPerSecond?: { readonly best?: number; readonly median?: number };
  readonly ratioToBaseline?: number;
}

/** What scale-out.bench.ts prints. */
interface ScaleOutResult {
  readonly workloads?: ReadonlyArray<{
    readonly workload?: string;
    readonly ratio2To1?: number | null;
    readonly ratioScaleOut1ToClassic?: number | null;
  }>;
  readonly runs?: ReadonlyArray<{
    readonly workload?: string;
    readonly run?: string;
    readonly seconds?: number;
    readonly rowsPerSecond?: number;
    readonly cpuS?: readonly number[];
    readonly peakRssMb?: readonly number[];
  }>;
}

/** What spark-ab.bench.ts prints. */
interface SparkAbResult {
  readonly rows?: number;
  readonly spark?: boolean;
  readonly results?: ReadonlyArray<{
    readonly system?: string;
    readonly workload?: string;
    readonly phase?: string;
    readonly ms?: number;
    readonly rowsPerSecond?: number;
    readonly outputRows?: number;
    readonly outputOk?: boolean;
    readonly cpuMs?: number | null;
    readonly cpuCores?: number | null;
    readonly peakRssMb?: number | null;
    readonly ratioToSpark?: number | null;
    readonly ratioToBaseline?: number | null;
  }>;
}

/** What latency.bench.ts prints. */
interface LatencyResult {
  readonly rate?: number;
  readonly results?: ReadonlyArray<{
    readonly system?: string;
    readonly sent?: number;
    readonly printed?: number;
    readonly p50?: number;
    readonly p99?: number;
  }>;
}

/** What backlog.bench.ts prints. */
interface BacklogResult {
  readonly records?: number;
  readonly rowsPerSecond?: number;
  readonly peakRssMb?: number;
  readonly kernelPeakRssMb?: number | null;
  readonly rssBoundMb?: number;
  readonly withinBound?: boolean;
  readonly countSum?: number;
  readonly nothingLost?: boolean;
}

/** One bench's output: its JSON lines and its exit status (null when run.sh wrote none). */
interface BenchOutput {
  readonly results: readonly unknown[];
  readonly exit: number | null;
}

const outputs = new Map<BenchName, BenchOutput>();
for (const file of process.argv.slice(2)) {
  const name = basename(file, extname(file));
  const bench = BENCHES.find(([n]) => n === name)?.[0];
  if (bench === undefined) {
    process.stderr.write(`summary: ${file} is not the output of a known bench (${BENCHES.map(([n]) => n).join(', ')})\n`);
    continue;
  }
  if (!existsSync(file)) continue;
  const results: unknown[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'object' && value !== null && 'benchmark' in value) results.push(value);
    } catch {
      // Not a result line.
    }
  }
  const exitFile = join(dirname(file), `${name}.exit`);
  const exit = existsSync(exitFile) ? Number(readFileSync(exitFile, 'utf8').trim()) : null;
  outputs.set(bench, { results, exit: exit === null || Number.isNaN(exit) ? null : exit });
}

/** "ok", "not run", "failed (exit N)" or "no result" (none printed), or "exit N" (a result, but the bench reported a failure). */
function status(name: BenchName): string {
  const out = outputs.get(name);
  if (out === undefined) return 'not run';
  if (out.results.length === 0) return out.exit === null || out.exit === 0 ? 'no result' : `failed (exit ${out.exit})`;
  return out.exit === null || out.exit === 0 ? 'ok' : `exit ${out.exit}`;
}

/** The bench's result (its last JSON line), or null. */
function last<T>(name: BenchName): T | null {
  const results = outputs.get(name)?.results ?? [];
  return (results[results.length - 1] as T | undefined) ?? null;
}

/** Every JSON line of the bench, or null when it has none. */
function all<T>(name: BenchName): T[] | null {
  const results = outputs.get(name)?.results ?? [];
  return results.length === 0 ? null : (results as T[]);
}

type Num = number | null | undefined;
const known = (v: Num): v is number => typeof v === 'number' && Number.isFinite(v);
const int = (v: Num): string => (known(v) ? Math.round(v).toLocaleString('en-US') : '-');
const rowsPerS = (v: Num): string => (known(v) ? `${int(v)} rows/s` : '-');
const times = (v: Num): string => (known(v) ? `${v}×` : '-');
const seconds = (ms: Num): string => (known(ms) ? `${(ms / 1000).toFixed(1)} s` : '-');
const cpuS = (ms: Num): string => (known(ms) ? (ms / 1000).toFixed(1) : '-');
const cores = (v: Num): string => (known(v) ? v.toFixed(2) : '-');
const mb = (v: Num): string => (known(v) ? String(Math.round(v)) : '-');
const median = (xs: readonly number[]): number | null => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? null;

const SINK_TXN = 'transactional';
const SINK_ALO = 'at-least-once';

interface Row {
  readonly bench: string;
  readonly case: string;
  readonly system: string;
  readonly run: string;
  readonly result: string;
  readonly xSpark?: string;
  readonly xBaseline?: string;
  readonly cpu?: string;
  readonly cores?: string;
  readonly rss?: string;
  readonly sink?: string;
  readonly notes?: string;
}

const table: Row[] = [];
/** Adds the bench's rows, or one row saying it did not run or failed; one more when it ran but exited non-zero. */
function section(name: BenchName, rows: () => Row[]): void {
  const s = status(name);
  if (s === 'not run' || s === 'no result' || s.startsWith('failed')) {
    table.push({ bench: name, case: '-', system: '-', run: '-', result: s });
    return;
  }
  table.push(...rows());
  if (s !== 'ok') table.push({ bench: name, case: '-', system: '-', run: '-', result: s, notes: 'the bench reported a failure: see its output above' });
}

section('start', () => {
  const r = last<StartResult>('start');
  const warmCpu = median(r?.all?.warmCliCpuMs ?? []);
  const target = (ms: Num, limitS: number): string => (known(ms) ? `target ≤ ${limitS} s: ${ms <= limitS * 1000 ? 'ok' : 'over'}` : '');
  const runs = `median of ${r?.runs ?? '?'}`;
  return [
    { bench: 'start', case: '`sluice run` → query started', system: 'sluice', run: 'cold', result: seconds(r?.coldStartToQueryStartedMs), notes: `${target(r?.coldStartToQueryStartedMs, 10)}; ${runs}; the run starts the local broker` },
    {
      bench: 'start', case: '`sluice run` → query started', system: 'sluice', run: 'warm', result: seconds(r?.warmStartToQueryStartedMs),
      cpu: cpuS(warmCpu), cores: known(warmCpu) && known(r?.warmStartToQueryStartedMs) ? cores(warmCpu / r.warmStartToQueryStartedMs) : '-',
      notes: `${target(r?.warmStartToQueryStartedMs, 3)}; ${runs}; the local broker already runs`,
    },
    { bench: 'start', case: '`sluice run` → analysis error', system: 'sluice', run: '-', result: seconds(r?.timeToAnalysisErrorMs), notes: `${target(r?.timeToAnalysisErrorMs, 2)}; ${runs}` },
  ];
});

section('operators', () => {
  const r = last<ThroughputResult>('operators');
  return [
    { bench: 'operators', case: 'word count (update)', system: 'baseline', run: '-', result: rowsPerS(r?.baselineRowsPerSecond), notes: 'a Map, in process' },
    { bench: 'operators', case: 'word count (update)', system: 'sluice', run: '-', result: rowsPerS(r?.sluiceRowsPerSecond), xBaseline: times(r?.ratioToBaseline), notes: 'compiled plan, in process' },
  ];
});

section('window-sum', () => (all<WindowSumResult>('window-sum') ?? []).flatMap((r) => {
  const keys = / by (\d+) keys/.exec(r.benchmark ?? '')?.[1];
  const name = `B's window sum${keys === undefined ? '' : `, ${keys} keys`} (CPU only)`;
  return [
    { bench: 'window-sum', case: name, system: 'baseline', run: 'best', result: rowsPerS(r.baselineRowsPerSecond?.best), notes: `median ${rowsPerS(r.baselineRowsPerSecond?.median)}` },
    { bench: 'window-sum', case: name, system: 'sluice', run: 'best', result: rowsPerS(r.sluiceRowsPerSecond?.best), xBaseline: times(r.ratioToBaseline), notes: `median ${rowsPerS(r.sluiceRowsPerSecond?.median)}` },
  ];
}));

section('pipeline', () => {
  const r = last<ThroughputResult>('pipeline');
  const name = 'kafka → upper → kafka';
  return [
    { bench: 'pipeline', case: name, system: 'baseline', run: '-', result: rowsPerS(r?.baselineRowsPerSecond), sink: SINK_TXN, notes: 'kafkajs loop, in process' },
    { bench: 'pipeline', case: name, system: 'sluice', run: 'wall', result: rowsPerS(r?.sluiceRowsPerSecond), xBaseline: times(r?.ratioToBaseline), sink: SINK_TXN, notes: '`sluice run` from spawn' },
    { bench: 'pipeline', case: name, system: 'sluice', run: 'in batches', result: rowsPerS(r?.sluiceBatchRowsPerSecond), xBaseline: times(r?.batchRatioToBaseline), sink: SINK_TXN, notes: 'inside its batches' },
  ];
});

section('scale-out', () => {
  const r = last<ScaleOutResult>('scale-out');
  return (r?.runs ?? []).map((run) => {
    const cpu = run.cpuS ?? [];
    const cpuSum = cpu.length === 0 ? null : cpu.reduce((a, b) => a + b, 0);
    const ratios = r?.workloads?.find((w) => w.workload === run.workload);
    const notes = run.run === 'scale-out ×1' ? `×${ratios?.ratioScaleOut1ToClassic ?? '-'} of classic`
      : run.run === 'scale-out ×2' ? `×${ratios?.ratio2To1 ?? '-'} of ×1` : '';
    return {
      bench: 'scale-out', case: run.workload ?? '-', system: 'sluice', run: run.run ?? '-', result: rowsPerS(run.rowsPerSecond),
      cpu: known(cpuSum) ? cpuSum.toFixed(1) : '-', cores: known(cpuSum) && known(run.seconds) && run.seconds > 0 ? cores(cpuSum / run.seconds) : '-',
      rss: (run.peakRssMb ?? []).length === 0 ? '-' : (run.peakRssMb ?? []).join(' + '), sink: SINK_TXN,
      notes: `${notes}${cpu.length > 1 ? `${notes === '' ? '' : '; '}cpu s ${cpu.join(' + ')}` : ''}`,
    };
  });
});

const WORKLOAD_NAMES: Readonly<Record<string, string>> = {
  A: 'A: parse, filter, upper',
  B: 'B: 1 day/1 hour window sum',
  Y: 'Y: static join, 10 s count',
  J: 'J: stream-stream join',
};

section('spark-ab', () => {
  const r = last<SparkAbResult>('spark-ab');
  const rows: Row[] = (r?.results ?? []).map((x) => ({
    bench: 'spark-ab', case: WORKLOAD_NAMES[x.workload ?? ''] ?? x.workload ?? '-', system: x.system ?? '-', run: x.phase ?? '-',
    result: rowsPerS(x.rowsPerSecond), xSpark: x.system === 'spark' ? '-' : times(x.ratioToSpark), xBaseline: x.system === 'baseline' ? '-' : times(x.ratioToBaseline),
    cpu: cpuS(x.cpuMs), cores: cores(x.cpuCores), rss: mb(x.peakRssMb), sink: x.system === 'spark' ? SINK_ALO : SINK_TXN,
    notes: `${int(x.outputRows)} rows out ${x.outputOk === true ? 'ok' : 'WRONG'}${x.system === 'baseline' ? '; in the bench process' : ''}`,
  }));
  if (r?.spark === false) {
    const why = process.env['BENCH_SPARK'] === '0' ? 'BENCH_SPARK=0' : 'skipped: no JDK 17 or Maven (see spark-ab above)';
    rows.push({ bench: 'spark-ab', case: 'every workload', system: 'spark', run: '-', result: 'not run', sink: SINK_ALO, notes: why });
  }
  return rows;
});

section('latency', () => {
  const r = last<LatencyResult>('latency');
  const name = `socket → console, ${int(r?.rate)} lines/s`;
  const rows: Row[] = (r?.results ?? []).map((x) => ({
    bench: 'latency', case: name, system: x.system ?? '-', run: '-',
    result: known(x.p50) && known(x.p99) ? `p50 ${x.p50} ms, p99 ${x.p99} ms` : '-',
    sink: x.system === 'baseline' ? SINK_TXN : 'console',
    notes: `${int(x.printed)} of ${int(x.sent)} lines printed${x.system === 'sluice' ? '; two Kafka hops, a transaction a batch' : x.system === 'baseline' ? '; the two Kafka hops alone' : ''}`,
  }));
  if (!(r?.results ?? []).some((x) => x.system === 'spark')) {
    const why = process.env['BENCH_SPARK'] === '0' ? 'BENCH_SPARK=0' : 'skipped: no JDK 17 or Maven (see latency above)';
    rows.push({ bench: 'latency', case: name, system: 'spark', run: '-', result: 'not run', sink: 'console', notes: why });
  }
  return rows;
});

section('backlog', () => {
  const r = last<BacklogResult>('backlog');
  const peak = Math.max(r?.peakRssMb ?? 0, r?.kernelPeakRssMb ?? 0);
  const lost = known(r?.records) && known(r?.countSum) ? r.records - r.countSum : null;
  const lostText = lost === null ? 'lost rows unknown' : lost === 0 ? 'nothing lost' : lost > 0 ? `${int(lost)} rows LOST` : `${int(-lost)} rows counted twice`;
  return [{
    bench: 'backlog', case: `${int(r?.records)}-row backlog → keyed count`, system: 'sluice', run: 'processor', result: rowsPerS(r?.rowsPerSecond),
    rss: peak > 0 ? String(peak) : '-', sink: SINK_TXN,
    notes: `peak RSS ${r?.withinBound === true ? 'within' : 'OVER'} the ${r?.rssBoundMb ?? 300} MB bound; ${lostText}`,
  }];
});

const header: Row = {
  bench: 'bench', case: 'case', system: 'system', run: 'run', result: 'result', xSpark: '×Spark', xBaseline: '×baseline',
  cpu: 'cpu s', cores: 'cores', rss: 'peak RSS MB', sink: 'sink', notes: 'notes',
};
const columns = ['bench', 'case', 'system', 'run', 'result', 'xSpark', 'xBaseline', 'cpu', 'cores', 'rss', 'sink', 'notes'] as const;
const cells = [header, ...table].map((row, i) => columns.map((c) => {
  // The bench's name only on its first row.
  if (c === 'bench' && i > 1 && table[i - 2]?.bench === row.bench) return '';
  return row[c] ?? '-';
}));
const widths = columns.map((_, k) => Math.max(...cells.map((line) => (line[k] ?? '').length)));
const note = "sink: Spark's Kafka sink is at-least-once, Sluice's is transactional (exactly once), as are the kafkajs baselines'. "
  + 'spark-ab: cold = from process start to the last output row committed, warm = a second query in the same process; '
  + 'the baseline runs inside the bench process, so its cpu s and peak RSS are the bench process\'s during the run; Sluice and Spark: their own process. '
  + 'cores = cpu s / wall s. scale-out: cpu s summed over the processes, peak RSS per process. Each bench\'s own output above has its full notes.';

console.log(`cores: ${availableParallelism()}`);
for (const line of cells) console.log(line.map((c, k) => (k === columns.length - 1 ? c : c.padEnd(widths[k] ?? 0))).join('  ').trimEnd());
console.log(`note: ${note}`);
console.log(JSON.stringify({
  benchmark: 'sluice bench suite', cores: availableParallelism(),
  status: Object.fromEntries(BENCHES.map(([name]) => [name, status(name)])),
  results: Object.fromEntries(BENCHES.map(([name, key]) => [key, name === 'window-sum' ? all(name) : last(name)])),
  note,
}));
