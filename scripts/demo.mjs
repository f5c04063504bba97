// Runs the tutorial's programs one after another, as a user would: a `nc -lk` line server,
// `sluice run <program>`, lines typed into netcat, the console output on this terminal.
// Starts the local Kafka broker and Redis unless KAFKA_BROKERS / REDIS_URL are set, and
// stops everything it started before it ends.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from 'sluice';
import { ensureLocalStack } from 'sluice/testing';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'packages', 'engine', 'dist', 'cli', 'main.js');
const say = (text) => process.stderr.write(`\n== ${text}\n`);

/** Each demo: the program, what to type, and how many console batches to wait for after each line. */
const DEMOS = [
  {
    title: 'Segment 1: read lines from a socket and print them (append mode)',
    program: 'read_from_socket.ts',
    lines: ['First Message', 'Second Message'],
  },
  {
    title: 'Segment 2: output modes — update (a query without aggregation updates like it appends)',
    program: 'stream_output_modes_update.ts',
    lines: ['new msg', 'second msg'],
  },
  {
    title: 'Segment 2: output modes — complete without an aggregation fails at start()',
    program: 'stream_output_modes_complete.ts',
    fails: true,
  },
  {
    title: 'Segment 3: a 2-second trigger (lines typed within one interval land in one batch)',
    program: 'triggers.ts',
    lines: [['1', '2', '3'], 'first msg'],
  },
  {
    title: 'Segment 3: the once trigger (one batch of what is there, then the program ends)',
    program: 'triggers_once.ts',
    preload: ['message once'],
  },
  {
    title: 'Segment 4: keep lines longer than 4 characters',
    program: 'basic_transform.ts',
    lines: ['hello', '1', 'streaming'],
  },
  {
    title: 'Segment 5: a stream-static left outer join with testdir/players.csv',
    program: 'join_static_stream_left_outer.ts',
    lines: ['virat', 'finch'],
  },
  {
    title: 'Segment 6: sliding 1-day windows over JSON files dropped into data/',
    program: 'window_functions.ts',
    drops: ['input1.csv', 'log.json'],
  },
  {
    title: 'A stateful word count in complete mode',
    program: 'word_count.ts',
    lines: ['apache spark apache', 'kafka spark spark'],
  },
];

function freePort(preferred) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      const other = createServer();
      other.listen(0, '127.0.0.1', () => {
        const { port } = other.address();
        other.close(() => resolve(port));
      });
    });
    server.listen(preferred, '127.0.0.1', () => server.close(() => resolve(preferred)));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check, what, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`demo: timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function runDemo(demo, env) {
  say(demo.title);
  const port = await freePort(12345);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-demo-'));
  const file = join(dir, demo.program);
  cpSync(join(root, 'examples', 'testdir'), join(dir, 'testdir'), { recursive: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(file, readFileSync(join(root, 'examples', demo.program), 'utf8').replaceAll('"port", 12345', `"port", ${port}`));
  process.stderr.write(`$ nc -lk ${port}\n$ sluice run examples/${demo.program}\n`);
  const nc = spawn('nc', ['-lk', '127.0.0.1', String(port)], { stdio: ['pipe', 'ignore', 'inherit'] });
  for (const line of demo.preload ?? []) {
    process.stderr.write(`nc> ${line}\n`);
    nc.stdin.write(`${line}\n`);
  }
  const run = spawn('node', [cli, 'run', file], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  run.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; process.stdout.write(d); });
  run.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => run.on('exit', (code) => resolve(code)));
  try {
    if (demo.fails || demo.preload) {
      const code = await exited;
      const error = stderr.split('\n').find((l) => /^[A-Za-z]+(Exception|Error): /.test(l));
      if (error !== undefined) process.stderr.write(`${error}\n`);
      process.stderr.write(`(exit code ${code})\n`);
      return;
    }
    // A program that sets its log level to WARN (as the tutorial's do) hides the "query started"
    // line; a socket query's empty batch 0 says the same (its source has connected). A file
    // query prints nothing before a file comes, and takes the files present at its start, so
    // its files are dropped without waiting.
    const started = () => stderr.includes('"msg":"query started"') || stdout.includes('Batch: 0\n') || run.exitCode !== null;
    if (demo.drops === undefined) await waitFor(started, 'the query to start');
    if (run.exitCode !== null) throw new Error(`demo: the program ended early:\n${stderr}`);
    for (const [i, name] of (demo.drops ?? []).entries()) {
      process.stderr.write(`$ cp examples/data/${name} data/   (written aside, then moved in)\n`);
      writeFileSync(join(dir, `.${name}.tmp`), readFileSync(join(root, 'examples', 'data', name)));
      renameSync(join(dir, `.${name}.tmp`), join(dir, 'data', name));
      await waitFor(() => stdout.includes(`Batch: ${i}\n`) && stdout.trimEnd().endsWith('+'), `batch ${i}`);
    }
    // A socket query prints an empty batch 0 when it connects, so the batch of the first lines is
    // not batch 0: each entry waits for a batch after the last one printed before it was typed.
    const lastBatch = () => Math.max(-1, ...[...stdout.matchAll(/^Batch: (\d+)$/gm)].map((m) => Number(m[1])));
    for (const entry of demo.lines ?? []) {
      const before = lastBatch();
      for (const line of [entry].flat()) {
        process.stderr.write(`nc> ${line}\n`);
        nc.stdin.write(`${line}\n`);
      }
      await waitFor(() => lastBatch() > before && stdout.trimEnd().endsWith('+'), `the batch after batch ${before}`);
    }
    process.stderr.write('^C\n');
    run.kill('SIGINT');
    await exited;
  } finally {
    if (run.exitCode === null) run.kill('SIGKILL');
    nc.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  say('starting the local Kafka broker and Redis unless KAFKA_BROKERS / REDIS_URL name running ones');
  const stack = await ensureLocalStack(
    { brokers: process.env.KAFKA_BROKERS ?? '', redisUrl: process.env.REDIS_URL ?? '' },
    createLogger({ component: 'demo' }),
  );
  const env = { ...process.env, KAFKA_BROKERS: stack.brokers, REDIS_URL: stack.redisUrl };
  try {
    for (const demo of DEMOS) await runDemo(demo, env);
  } finally {
    await stack.stop();
  }
  say('demo finished');
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
