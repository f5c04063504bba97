// Runs the tutorial's programs in real Apache Spark 4.2.0 (the Java programs under spark/) with
// the input scripted in programs.json, and writes exactly what each printed on stdout to
// goldens/<program>.out (and goldens/<program>.err when the program fails).
//
//   node conformance/tutorial/drive.mjs [PROGRAM…]        (goldens.sh builds, then runs this)
//
// Needs TUTORIAL_JAVA (a JDK 17 java) and TUTORIAL_CLASSPATH (the programs' classes and Spark's
// jars); goldens.sh sets both. Progress goes to stderr; Spark's own stderr to
// spark/target/logs/<program>.log.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const { programs } = JSON.parse(readFileSync(join(here, 'programs.json'), 'utf8'));

/** How long one batch may take in Spark (a stateful batch with 200 shuffle partitions on 2 cores). */
const BATCH_TIMEOUT_MS = 300_000;
/** The first batch comes after the JVM and Spark have started: minutes on a loaded 2-core machine. */
const FIRST_BATCH_TIMEOUT_MS = 600_000;
/** After the last expected batch: long enough for one more 2-second trigger to show up. */
const QUIET_MS = 5_000;

// The --add-opens Spark's launcher passes on Java 17 (JavaModuleOptions), as in scripts/goldens.sh.
const OPENS = ['java.lang', 'java.lang.invoke', 'java.lang.reflect', 'java.io', 'java.net', 'java.nio', 'java.util',
  'java.util.concurrent', 'java.util.concurrent.atomic', 'jdk.internal.ref', 'sun.nio.ch', 'sun.nio.cs',
  'sun.security.action', 'sun.util.calendar'].map((p) => `--add-opens=java.base/${p}=ALL-UNNAMED`);

/**
 * What spark-submit --master local[2] --conf spark.sql.session.timeZone=UTC would set: Spark
 * reads spark.* system properties into its SparkConf, so the programs' text stays the tutorial's.
 */
const SPARK_PROPS = [
  '-Dspark.master=local[2]',
  '-Dspark.sql.session.timeZone=UTC',
  '-Dspark.ui.enabled=false',
  '-Dspark.driver.host=127.0.0.1',
  '-Dspark.driver.bindAddress=127.0.0.1',
  // How checkpoint and state files are written, nothing of what is printed: the default
  // (FileContext) forks `chmod` / `readlink` for every state file, which makes one batch of a
  // 200-partition stateful query take minutes; the FileSystem one renames with java.io.
  '-Dspark.sql.streaming.checkpointFileManagerClass=org.apache.spark.sql.execution.streaming.checkpointing.FileSystemBasedCheckpointFileManager',
];

const HEADER = /-{43}\nBatch: \d+\n-{43}\n/g;

/**
 * How many batches stdout holds completely: a console batch is its three header lines, then
 * show's table, then a blank line (or, when rows were left out, Spark 4's "only showing top N
 * rows" line). A batch whose table is still being written does not count.
 */
function completeBatches(stdout) {
  const starts = [...stdout.matchAll(HEADER)].map((m) => m.index);
  let complete = 0;
  for (let i = 0; i < starts.length; i++) {
    const segment = stdout.slice(starts[i], starts[i + 1] ?? stdout.length);
    if (segment.endsWith('+\n\n') || /\+\nonly showing top \d+ rows?\n$/.test(segment)) complete++;
  }
  return complete;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition, timeoutMs, everyMs = 20) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const listening = (port) => execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' }).trim() !== '';
const connected = (port) => execFileSync('ss', ['-tnH', 'state', 'established', `dport = :${port}`], { encoding: 'utf8' }).trim() !== '';

/** The children alive, stopped if the driver is interrupted. */
const children = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill('SIGKILL');
    process.exit(130);
  });
}

/** A child process with its stdout collected as it comes (bytes, decoded at the end). */
function start(command, args, options, stderrTo) {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', stderrTo === undefined ? 'ignore' : 'pipe'], ...options });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const proc = { child, chunks: [], text: '', exit: null };
  child.stdout.on('data', (d) => { proc.chunks.push(d); proc.text += d.toString('utf8'); });
  if (stderrTo !== undefined) child.stderr.pipe(stderrTo);
  proc.exited = new Promise((resolve) => child.on('exit', (code, signal) => { proc.exit = { code, signal }; resolve(proc.exit); }));
  return proc;
}

async function stop(proc, signal = 'SIGTERM', graceMs = 30_000) {
  if (proc.exit !== null) return proc.exit;
  proc.child.kill(signal);
  const killer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  const exit = await proc.exited;
  clearTimeout(killer);
  return exit;
}

/** `nc -lk 127.0.0.1 <port>`, as the tutorial's users run it. */
async function netcat() {
  const port = await freePort();
  const proc = start('nc', ['-lk', '127.0.0.1', String(port)], {});
  if (!(await waitFor(() => listening(port), 10_000))) throw new Error(`nc did not listen on ${port}`);
  return { port, proc, send: (lines) => proc.child.stdin.write(lines.map((l) => `${l}\n`).join('')) };
}

/** Copies an example data file into data/ the way `hadoop fs -put` lands it: whole, by a rename. */
function drop(dir, name) {
  const staging = join(dir, 'staging');
  mkdirSync(staging, { recursive: true });
  cpSync(join(repoRoot, 'examples', 'data', name), join(staging, name));
  renameSync(join(staging, name), join(dir, 'data', name));
}

async function run(name, spec, java, classpath, logDir) {
  const dir = mkdtempSync(join(tmpdir(), `spark-tutorial-${name}-`));
  cpSync(join(repoRoot, 'examples', 'testdir'), join(dir, 'testdir'), { recursive: true });
  mkdirSync(join(dir, 'data'));
  for (const file of spec.files ?? []) drop(dir, file);
  const servers = [];
  for (let i = 0; i < spec.sockets; i++) servers.push(await netcat());
  for (const line of spec.preload ?? []) servers[0].send([line]);

  const log = createWriteStream(join(logDir, `${name}.log`));
  const args = ['-XX:+IgnoreUnrecognizedVMOptions', ...OPENS, '-Djdk.reflect.useDirectMethodHandle=false',
    '-Dio.netty.tryReflectionSetAccessible=true', '-Duser.timezone=UTC', '-Dfile.encoding=UTF-8', ...SPARK_PROPS,
    '-cp', classpath, spec.sparkClass, ...servers.map((s) => String(s.port))];
  const t0 = Date.now();
  const proc = start(java, args, { cwd: dir, env: { ...process.env, SPARK_LOCAL_IP: '127.0.0.1', TZ: 'UTC' } }, log);
  const notes = [];
  try {
    for (const [i, step] of spec.steps.entries()) {
      const before = completeBatches(proc.text);
      if (step.send !== undefined) {
        const server = servers[step.socket ?? 0];
        if (!(await waitFor(() => connected(server.port) || proc.exit !== null, FIRST_BATCH_TIMEOUT_MS))) throw new Error('the socket source never connected');
        if (step.alignMs !== undefined) await waitFor(() => { const t = Date.now() % step.alignMs; return t >= 100 && t < 400; }, step.alignMs * 2, 5);
        server.send(step.send);
      }
      if (step.drop !== undefined) drop(dir, step.drop);
      const ok = await waitFor(() => completeBatches(proc.text) > before || proc.exit !== null, i === 0 ? FIRST_BATCH_TIMEOUT_MS : BATCH_TIMEOUT_MS);
      if (!ok || proc.exit !== null) throw new Error(`step ${i} (${JSON.stringify(step)}): ${ok ? `the program exited (${JSON.stringify(proc.exit)})` : 'no new batch'}`);
    }
    if (spec.ends || spec.fails) {
      const exited = await waitFor(() => proc.exit !== null, FIRST_BATCH_TIMEOUT_MS);
      if (!exited) notes.push('did not end by itself: stopped');
    } else {
      await sleep(QUIET_MS);
      if (proc.exit !== null) throw new Error(`the program exited (${JSON.stringify(proc.exit)})`);
    }
  } finally {
    const exit = await stop(proc);
    for (const s of servers) await stop(s.proc, 'SIGTERM', 2000);
    await new Promise((resolve) => log.end(resolve));
    rmSync(dir, { recursive: true, force: true });
    notes.push(`exit ${exit.code ?? exit.signal}`);
  }
  const out = Buffer.concat(proc.chunks);
  writeFileSync(join(here, 'goldens', `${name}.out`), out);
  const errFile = join(here, 'goldens', `${name}.err`);
  if (spec.fails) {
    // The exception's message, from its error class to its SQLSTATE, on one line.
    const logText = readFileSync(join(logDir, `${name}.log`), 'utf8');
    const m = /Exception in thread "main" \S+?: (\[[^\]]+\][^\n]*?SQLSTATE: \w+)/.exec(logText);
    if (m === null) throw new Error(`no error in ${name}.log`);
    writeFileSync(errFile, `${m[1]}\n`);
  } else {
    rmSync(errFile, { force: true });
  }
  return { ms: Date.now() - t0, batches: completeBatches(proc.text), notes };
}

async function main() {
  const java = process.env.TUTORIAL_JAVA;
  const classpath = process.env.TUTORIAL_CLASSPATH;
  if (!java || !classpath) throw new Error('TUTORIAL_JAVA and TUTORIAL_CLASSPATH must be set (run conformance/tutorial/goldens.sh)');
  const wanted = process.argv.slice(2);
  const names = Object.keys(programs).filter((n) => wanted.length === 0 || wanted.some((w) => n.includes(w)));
  if (names.length === 0) throw new Error(`no program matches ${wanted.join(' ')}`);
  const logDir = join(here, 'spark', 'target', 'logs');
  mkdirSync(logDir, { recursive: true });
  mkdirSync(join(here, 'goldens'), { recursive: true });
  const t0 = Date.now();
  let failed = 0;
  for (const name of names) {
    try {
      const r = await run(name, programs[name], java, classpath, logDir);
      process.stderr.write(`${name.padEnd(32)} ${String(r.ms).padStart(7)} ms  ${r.batches} batch(es)  ${r.notes.join(', ')}\n`);
    } catch (err) {
      failed++;
      process.stderr.write(`${name.padEnd(32)} FAILED (golden left as it was): ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  process.stderr.write(`${names.length} program(s) in ${Math.round((Date.now() - t0) / 1000)} s, ${failed} failed\n`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
