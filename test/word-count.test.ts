import { ProgramRun } from './support/run-program.js';

const batch = (id: number, table: string): string =>
  `-------------------------------------------\nBatch: ${id}\n-------------------------------------------\n${table}\n`;

/** A stateful aggregation through the whole stack: complete mode re-emits the table each batch. */
describe('word count in complete mode', () => {
  let run: ProgramRun | null = null;
  afterEach(async () => {
    await run?.stop();
    run = null;
  });

  it('keeps counts across batches and prints the sorted table every batch', async () => {
    run = await ProgramRun.start('word_count.ts');
    await run.started();
    // Batch 0 runs when the socket connects, before any line: the empty table of counts.
    const b0 = batch(0, '+----+-----+\n|word|count|\n+----+-----+\n+----+-----+\n');
    await run.stdoutIs(b0, 'the empty batch 0');
    run.nc.send('apache spark apache');
    const b1 = batch(1, '+------+-----+\n|  word|count|\n+------+-----+\n|apache|    2|\n| spark|    1|\n+------+-----+\n');
    await run.stdoutIs(b0 + b1, 'batch 1');
    run.nc.send('kafka spark spark');
    const b2 = batch(2, '+------+-----+\n|  word|count|\n+------+-----+\n| spark|    3|\n|apache|    2|\n| kafka|    1|\n+------+-----+\n');
    await run.stdoutIs(b0 + b1 + b2, 'batch 2');
  });
});

describe('foreachBatch', () => {
  let run: ProgramRun | null = null;
  afterEach(async () => {
    await run?.stop();
    run = null;
  });

  it("calls the program's function with each batch and its id", async () => {
    run = await ProgramRun.start('foreach_batch.ts');
    await run.started();
    // Batch 0 (empty) is handed to the function too; show() is println(showString): a blank line after.
    const b0 = 'batch 0: 0 rows\n+-----+\n|shout|\n+-----+\n+-----+\n\n';
    await run.stdoutIs(b0, 'the empty batch 0');
    run.nc.send('hello');
    await run.stdoutIs(`${b0}batch 1: 1 rows\n+-----+\n|shout|\n+-----+\n|HELLO|\n+-----+\n\n`, 'batch 1');
  });
});
