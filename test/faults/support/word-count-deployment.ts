import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointKeys, connectRedis, deleteKeys, KafkajsPort, scanKeys } from 'sluice/testing';
import { silentLog } from '../../support/kafka-test-utils.js';
import { cliPath, servicePath } from '../../support/programs.js';
import { startProcess, stopProcess, type Proc } from '../../support/processes.js';
import { waitFor } from '../../support/wait-for.js';
import { RssWatch } from './fault-report.js';

export type Role = 'ingest' | 'processor' | 'sink';
export const ROLES: readonly Role[] = ['ingest', 'processor', 'sink'];

/** One console batch: its id, its `word=count` rows (sorted) and the exact text printed. */
export interface PrintedBatch {
  readonly id: number;
  readonly rows: readonly string[];
  readonly text: string;
}

const BATCH_HEAD = '-------------------------------------------\nBatch: ';
const WORDS = ['ant', 'bee', 'cat', 'dog', 'eel', 'fox', 'gnu', 'hen', 'jay', 'kiwi', 'lynx'];

/**
 * A stateful query deployed as the three services, each its own process, for the fault cases:
 * text files dropped in a folder (the file source: replayable, so a killed ingest loses no
 * line) → a word count in complete mode → the console sink. Every process each role ever ran
 * is kept, so the output of all sink incarnations can be judged together: each batch id
 * printed once (or again with the very same text), none skipped, the last one the counts of
 * every line written.
 */
export class WordCountDeployment {
  /** Every line written to the input folder, in order. */
  readonly input: string[] = [];
  private readonly procs = new Map<Role, Proc[]>(ROLES.map((r) => [r, []]));
  private readonly watches: RssWatch[] = [];
  private files = 0;

  private constructor(
    readonly dir: string,
    private readonly planFile: string,
    private readonly checkpoint: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Plans the query with `sluice plan` as a user does; `env` overrides the services' environment (e.g. REDIS_URL). */
  static async create(env: NodeJS.ProcessEnv = {}): Promise<WordCountDeployment> {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-fault-wc-'));
    mkdirSync(join(dir, 'in'));
    const program = join(dir, 'program.ts');
    writeFileSync(program, `import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("FaultWordCount").getOrCreate();
const counts = spark.readStream.text(${JSON.stringify(join(dir, 'in'))}).groupBy("value").count();
await counts.writeStream.outputMode("complete").format("console").start().awaitTermination();
`);
    const planFile = join(dir, 'plan.json');
    const plan = startProcess('node', [cliPath, 'plan', program, '-o', planFile], { cwd: dir });
    if ((await plan.exited).code !== 0) throw new Error(`sluice plan failed: ${plan.stderr}`);
    const checkpoint = `test-${randomUUID()}`;
    const doc = JSON.parse(readFileSync(planFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(planFile, JSON.stringify({ ...doc, checkpointLocation: checkpoint, temporaryCheckpoint: false }));
    return new WordCountDeployment(dir, planFile, checkpoint, env);
  }

  /** Starts a process of `role` (its peak RSS watched) without waiting for it. */
  start(role: Role): Proc {
    const proc = startProcess('node', [servicePath(role)], {
      env: { ...process.env, ...this.env, SLUICE_QUERY_PLAN: this.planFile, SLUICE_METRICS_PORT: '0', SLUICE_LOG_LEVEL: 'info' },
    });
    this.procs.get(role)?.push(proc);
    if (role === 'processor') this.watches.push(new RssWatch(proc.child.pid));
    return proc;
  }

  /** Waits for the current process of `role` to log "service started". */
  async started(role: Role, timeoutMs = 90_000): Promise<void> {
    const proc = this.current(role);
    await waitFor(() => proc.stderr.includes('"msg":"service started"') || proc.child.exitCode !== null, `the ${role} started`, timeoutMs);
    if (proc.child.exitCode !== null) throw new Error(`the ${role} exited at start (${String(proc.child.exitCode)}):\n${proc.stderr.slice(-4000)}`);
  }

  current(role: Role): Proc {
    const proc = this.procs.get(role)?.at(-1);
    if (proc === undefined) throw new Error(`no ${role} was started`);
    return proc;
  }

  all(role: Role): readonly Proc[] {
    return this.procs.get(role) ?? [];
  }

  /** kill -9 of the current process of `role`. */
  async kill(role: Role): Promise<void> {
    const proc = this.current(role);
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
    proc.child.kill('SIGKILL');
    await proc.exited;
  }

  /** Processes that exited on their own (not killed by the test): each with the end of its log. */
  failures(): string[] {
    return ROLES.flatMap((role) => this.all(role)
      .filter((p) => p.child.exitCode !== null && p.child.signalCode === null)
      .map((p) => `${role} exited with ${String(p.child.exitCode)}:\n${p.stderr.slice(-4000)}`));
  }

  /** Writes a file of `n` more lines into the input folder: under a hidden name, then renamed, as Spark expects. */
  dropFile(n: number): void {
    const lines = Array.from({ length: n }, (_, i) => {
      const at = this.input.length + i;
      return WORDS[(at * 7 + Math.floor(at / 5)) % WORDS.length] ?? 'ant';
    });
    const name = `part-${String(this.files++).padStart(6, '0')}.txt`;
    const hidden = join(this.dir, 'in', `.${name}`);
    writeFileSync(hidden, `${lines.join('\n')}\n`);
    renameSync(hidden, join(this.dir, 'in', name));
    this.input.push(...lines);
  }

  /** The counts of every line written, as `word=count`, sorted. */
  expectedCounts(): string[] {
    const m = new Map<string, number>();
    for (const w of this.input) m.set(w, (m.get(w) ?? 0) + 1);
    return [...m].map(([w, c]) => `${w}=${c}`).sort();
  }

  /**
   * The complete batches every sink incarnation printed, in print order. A batch a killed sink
   * was printing when it died (its table cut short) is left out and counted in `cut`.
   */
  printed(): { batches: PrintedBatch[]; cut: number } {
    const batches: PrintedBatch[] = [];
    let cut = 0;
    for (const sink of this.all('sink')) {
      for (const block of sink.stdout.split(BATCH_HEAD).slice(1)) {
        const text = BATCH_HEAD + block;
        // A whole table ends with its closing border and a blank line (fewer than 20 rows here).
        if (!/\|\n\+[-+]+\+\n\n$/.test(text)) {
          cut += 1;
          continue;
        }
        const id = Number(block.slice(0, block.indexOf('\n')));
        const rows = block.split('\n').filter((l) => /^\|\s*\w+\|\s*\d+\|$/.test(l) && !/\|\s*count\|$/.test(l))
          .map((l) => l.split('|').map((c) => c.trim()).filter(Boolean).join('='));
        batches.push({ id, rows: rows.sort(), text });
      }
    }
    return { batches, cut };
  }

  /** The total of a batch's counts: the input lines it has seen. */
  static total(batch: PrintedBatch): number {
    return batch.rows.reduce((n, r) => n + Number(r.split('=')[1]), 0);
  }

  /** Peak RSS over every processor process (bytes). */
  processorPeakRss(): number {
    return Math.max(0, ...this.watches.map((w) => w.sample()));
  }

  /** The query id from a service's start line. */
  queryId(): string | null {
    for (const role of ROLES) {
      for (const p of this.all(role)) {
        const m = /"msg":"service started".*?"queryId":"([^"]+)"/.exec(p.stderr);
        if (m?.[1] !== undefined) return m[1];
      }
    }
    return null;
  }

  /**
   * Stops every process, then removes the query's topics, groups and (unless Redis was a
   * private one, given in `env`) its checkpoint keys, and the folder.
   */
  async close(): Promise<void> {
    for (const w of this.watches) w.stop();
    for (const role of ROLES) for (const p of this.all(role)) await stopProcess(p, 'SIGKILL');
    const queryId = this.queryId();
    if (queryId !== null) {
      const kafka = new KafkajsPort({ brokers: (process.env['KAFKA_BROKERS'] ?? '').split(','), clientId: `test-${randomUUID()}`, logger: silentLog });
      const admin = await kafka.admin();
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(`sluice.${queryId}.`));
      await admin.deleteTopics(topics).catch(() => undefined);
      const groups = (await admin.listGroups()).filter((g) => g.startsWith(`sluice.${queryId}.`));
      await admin.deleteGroups(groups).catch(() => undefined);
      await admin.close();
    }
    if (this.env['REDIS_URL'] === undefined) {
      const redis = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', silentLog);
      await deleteKeys(redis, await scanKeys(redis, checkpointKeys(this.checkpoint).all));
      await redis.quit();
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * What the printed batches show against the input: ids repeated with another text, ids
 * skipped, a word's count going down between batches, and whether the last batch holds the
 * counts of all the input. All empty and true is exactly once.
 */
export function judgeBatches(batches: readonly PrintedBatch[], expected: readonly string[]): {
  changedRepeats: number[];
  skipped: number[];
  decreasing: number[];
  lastIsAll: boolean;
} {
  const byId = new Map<number, PrintedBatch>();
  const changedRepeats: number[] = [];
  for (const b of batches) {
    const seen = byId.get(b.id);
    if (seen === undefined) byId.set(b.id, b);
    else if (seen.text !== b.text) changedRepeats.push(b.id);
  }
  const ids = [...byId.keys()].sort((a, b) => a - b);
  const last = ids.at(-1) ?? -1;
  const skipped = Array.from({ length: last + 1 }, (_, i) => i).filter((i) => !byId.has(i));
  const decreasing: number[] = [];
  let before = new Map<string, number>();
  for (const id of ids) {
    const now = new Map((byId.get(id)?.rows ?? []).map((r) => [r.split('=')[0] ?? '', Number(r.split('=')[1])]));
    if ([...before].some(([w, c]) => (now.get(w) ?? 0) < c)) decreasing.push(id);
    before = now;
  }
  return { changedRepeats, skipped, decreasing, lastIsAll: (byId.get(last)?.rows ?? []).join() === expected.join() };
}
