import { availableParallelism } from 'node:os';
import { consoleText } from './support/programs.js';
import { ProgramRun } from './support/run-program.js';
import { waitFor } from './support/wait-for.js';

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

  it('append: each line is output in the batch it arrives in', async () => {
    run = await ProgramRun.start('stream_output_modes.ts');
    await run.started();
    run.nc.send('msg1');
    const b0 = consoleText(0, 'value', ['msg1']);
    await run.stdoutIs(b0, 'batch 0');
    run.nc.send('msg2');
    await run.stdoutIs(b0 + consoleText(1, 'value', ['msg2']), 'batch 1');
  });

  it('update: a query without aggregation outputs like append', async () => {
    run = await ProgramRun.start('stream_output_modes_update.ts');
    await run.started();
    run.nc.send('new msg');
    await run.stdoutIs(consoleText(0, 'value', ['new msg']), 'batch 0');
  });

  it('complete: start() fails with Spark message and the program exits non-zero', async () => {
    run = await ProgramRun.start('stream_output_modes_complete.ts');
    const exit = await run.proc.exited;
    expect(exit.code).toBe(1);
    expect(run.proc.stdout).toBe('');
    expect(run.proc.stderr).toContain(
      'AnalysisException: Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets;\nStreamingRelation socket, [value]',
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
    // Type right after a batch boundary so the three lines share one 2-second interval.
    await waitFor(() => Date.now() % 2000 < 300, 'the start of a trigger interval', 5000, 5);
    r.nc.send('1');
    r.nc.send('2');
    r.nc.send('3');
    // Spark's socket source deals a batch's lines round-robin over its partitions (one per
    // core by default), and the console prints partition by partition.
    const cores = availableParallelism();
    const dealt = cores >= 3 ? ['1', '2', '3'] : cores === 2 ? ['1', '3', '2'] : ['1', '2', '3'];
    const b0 = consoleText(0, 'value', dealt);
    await r.stdoutIs(b0, 'one batch of three lines');
    r.nc.send('first msg');
    await r.stdoutIs(b0 + consoleText(1, 'value', ['first msg']), 'batch 1');
  });

  it('once: processes what is there, then the program ends by itself', async () => {
    run = await ProgramRun.start('triggers_once.ts', ['message once']);
    const exit = await run.proc.exited;
    expect(exit.code).toBe(0);
    expect(run.proc.stdout).toBe(consoleText(0, 'value', ['message once']));
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
    run.nc.send('hello');
    const b0 = consoleText(0, 'value', ['hello']);
    await run.stdoutIs(b0, 'batch 0');
    run.nc.send('1');
    const b1 = b0 + consoleText(1, 'value', []);
    await run.stdoutIs(b1, 'batch 1 (empty)');
    run.nc.send('streaming');
    await run.stdoutIs(b1 + consoleText(2, 'value', ['streaming']), 'batch 2');
  });
});
