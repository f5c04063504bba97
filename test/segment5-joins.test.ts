import { rmSync } from 'node:fs';
import { cliPath, consoleTable, exampleIn } from './support/programs.js';
import { establishedConnectionsTo, NetcatServer, startProcess, stopProcess, type Proc } from './support/processes.js';
import { ProgramRun } from './support/run-program.js';
import { waitFor } from './support/wait-for.js';

/** Sends one line and waits for the batch it makes; returns the expected stdout so far. */
async function step(proc: Proc, nc: NetcatServer, line: string, expected: string, what: string): Promise<void> {
  nc.send(line);
  await waitFor(() => proc.stdout.length >= expected.length, what).catch((err: unknown) => {
    throw new Error(`${String(err)}\n--- stdout ---\n${proc.stdout}`);
  });
  expect(proc.stdout).toBe(expected);
}

/** The tutorial's Segment 5: stream-stream and stream-static joins, as written. */
describe('Segment 5: joins', () => {
  it('stream-stream inner join: rows match across the two sockets in the batch the match arrives', async () => {
    const nc1 = await NetcatServer.start();
    const nc2 = await NetcatServer.start();
    const program = exampleIn('join_stream_stream.ts', { 12345: nc1.port, 12346: nc2.port });
    const proc = startProcess('node', [cliPath, 'run', program.file], { cwd: program.dir });
    try {
      // The program logs at WARN: the sockets' connections say that the query runs.
      await waitFor(async () => (await establishedConnectionsTo(nc1.port)) > 0 && (await establishedConnectionsTo(nc2.port)) > 0, 'both sockets', 90_000);
      const cols = ['player', 'person'];
      // Batch 0 runs once a socket has connected, before any line: an empty table.
      let out = consoleTable(0, cols, []);
      await waitFor(() => proc.stdout.length >= out.length, 'the empty batch 0');
      expect(proc.stdout).toBe(out);
      let batch = 1;
      for (const [nc, line, rows] of [
        [nc1, 'Virat', []], [nc1, 'Dhoni', []], [nc1, 'Rohit', []],
        [nc2, 'Virat', [['Virat', 'Virat']]], [nc2, 'Finch', []],
        [nc1, 'Rahul', []], [nc2, 'Rahul', [['Rahul', 'Rahul']]],
      ] as const) {
        out += consoleTable(batch, cols, rows);
        await step(proc, nc, line, out, `batch ${batch} after '${line}'`);
        batch += 1;
      }
    } finally {
      await stopProcess(proc, 'SIGINT');
      await nc1.stop();
      await nc2.stop();
      rmSync(program.dir, { recursive: true, force: true });
    }
  });

  it('stream-static inner join with players.csv: a name not in the table prints nothing', async () => {
    const run = await ProgramRun.start('join_static_stream.ts');
    try {
      await run.started();
      const cols = ['player', 'name', 'age'];
      await run.stdoutIs(consoleTable(0, cols, []), 'the empty batch 0');
      const b1 = consoleTable(0, cols, []) + consoleTable(1, cols, [['virat', 'virat', '32']]);
      await step(run.proc, run.nc, 'virat', b1, 'batch 1');
      await step(run.proc, run.nc, 'finch', b1 + consoleTable(2, cols, []), 'batch 2');
    } finally {
      await run.stop();
    }
  });

  it('stream-static left outer join: an unmatched row comes at once with NULLs', async () => {
    const run = await ProgramRun.start('join_static_stream_left_outer.ts');
    try {
      await run.started();
      const cols = ['player', 'name', 'age'];
      await run.stdoutIs(consoleTable(0, cols, []), 'the empty batch 0');
      const b1 = consoleTable(0, cols, []) + consoleTable(1, cols, [['virat', 'virat', '32']]);
      await step(run.proc, run.nc, 'virat', b1, 'batch 1');
      await step(run.proc, run.nc, 'finch', b1 + consoleTable(2, cols, [['finch', 'NULL', 'NULL']]), 'batch 2');
    } finally {
      await run.stop();
    }
  });
});
