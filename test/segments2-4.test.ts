import { availableParallelism } from 'node:os';
import { consoleText } from './support/programs.js';
import { ProgramRun } from './support/run-program.js';
import { waitFor } from './support/wait-for.js';

/** Batch 0 of a socket query: Spark runs it when the socket connects, before any line. */
const empty0 = consoleText(0, 'value', []);

/**
 * The tutorial's Segments 2–4 run as written (examples/), through `sluice run`, a real
 * netcat, Kafka and Redis; console output checked byte for byte.
 */
describe('Segment 2: output modes', () => {
  let run: ProgramRun | null = null;
  afterEach(async () => {
    await run?.stop();
    run = null;
  });

  it('append: an empty batch 0, then each line is output in the batch it arrives in', async () => {
    run = await ProgramRun.start('stream_output_modes.ts');
    await run.started();
    await run.stdoutIs(empty0, 'the empty batch 0');
    run.nc.send('msg1');
    const b1 = empty0 + consoleText(1, 'value', ['msg1']);
    await run.stdoutIs(b1, 'batch 1');
    run.nc.send('msg2');
    await run.stdoutIs(b1 + consoleText(2, 'value', ['msg2']), 'batch 2');
  });

  it('update: a query without aggregation outputs like append', async () => {
    run = await ProgramRun.start('stream_output_modes_update.ts');
    await run.started();
    await run.stdoutIs(empty0, 'the empty batch 0');
    run.nc.send('new msg');
    await run.stdoutIs(empty0 + consoleText(1, 'value', ['new msg']), 'batch 1');
  });

  it('complete: start() fails with Spark message and the program exits non-zero', async () => {
    run = await ProgramRun.start('stream_output_modes_complete.ts');
    const exit = await run.proc.exited;
    expect(exit.code).toBe(1);
    expect(run.proc.stdout).toBe('');
    expect(run.proc.stderr).toContain(
      'AnalysisException: [STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: complete. This output mode is not supported for no streaming aggregations on streaming DataFrames/DataSets. SQLSTATE: 42KDE',
    );
  });
});

describe('Segment 3: triggers', () => {
  let run: ProgramRun | null = null;
  afterEach(async () => {
    await run?.stop();
    run = null;
  });

  it('processingTime 2 seconds: lines typed within one interval land in one batch', async () => {
    run = await ProgramRun.start('triggers.ts');
    await run.started();
    const r = run;
    await r.stdoutIs(empty0, 'the empty batch 0');
    // Type right after a batch boundary so the three lines share one 2-second interval.
    await waitFor(() => Date.now() % 2000 < 300, 'the start of a trigger interval', 5000, 5);
    r.nc.send('1');
    r.nc.send('2');
    r.nc.send('3');
    // Spark's socket source deals a batch's lines round-robin over its partitions (one per
    // core by default), and the console prints partition by partition.
    const cores = availableParallelism();
    const dealt = cores >= 3 ? ['1', '2', '3'] : cores === 2 ? ['1', '3', '2'] : ['1', '2', '3'];
    const b1 = empty0 + consoleText(1, 'value', dealt);
    await r.stdoutIs(b1, 'one batch of three lines');
    r.nc.send('first msg');
    await r.stdoutIs(b1 + consoleText(2, 'value', ['first msg']), 'batch 2');
  });

  it('once: one batch, then the program ends by itself — empty for a socket, which connects while batch 0 is planned', async () => {
    // Spark runs Trigger.Once as a single batch; the socket's range in it is (-1, -1], so a
    // line its server sends on connect is never read.
    run = await ProgramRun.start('triggers_once.ts', ['message once']);
    const exit = await run.proc.exited;
    expect(exit.code).toBe(0);
    expect(run.proc.stdout).toBe(empty0);
  });
});

describe('Segment 4: transformation', () => {
  let run: ProgramRun | null = null;
  afterEach(async () => {
    await run?.stop();
    run = null;
  });

  it('keeps lines longer than 4 characters; a batch of short lines prints an empty table', async () => {
    run = await ProgramRun.start('basic_transform.ts');
    await run.started();
    await run.stdoutIs(empty0, 'the empty batch 0');
    run.nc.send('hello');
    const b1 = empty0 + consoleText(1, 'value', ['hello']);
    await run.stdoutIs(b1, 'batch 1');
    run.nc.send('1');
    const b2 = b1 + consoleText(2, 'value', []);
    await run.stdoutIs(b2, 'batch 2 (empty)');
    run.nc.send('streaming');
    await run.stdoutIs(b2 + consoleText(3, 'value', ['streaming']), 'batch 3');
  });
});
