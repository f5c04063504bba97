import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cliPath, consoleText } from './support/programs.js';
import { freePort, portListening, startProcess, stopProcess } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

/** The socket source in listen mode: clients (`nc host port`) connect to the ingest and send lines. */
describe('socket source, listen mode', () => {
  it('takes lines from every client that connects', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'sluice-listen-'));
    writeFileSync(join(dir, 'listen.ts'), `
import { SparkSession } from "sluice";
const spark = SparkSession.builder.appName("Listen").getOrCreate();
const lines = spark.readStream.format("socket").option("host", "127.0.0.1").option("port", ${port}).option("listen", true).load();
await lines.writeStream.format("console").start().awaitTermination();
`);
    const run = startProcess('node', [cliPath, 'run', join(dir, 'listen.ts')], { cwd: dir });
    try {
      await waitFor(() => portListening(port), 'the ingest listening', 90_000);
      await waitFor(() => run.stderr.includes('"msg":"query started"'), 'query started', 90_000);
      // Listening, the source has its first offset: batch 0 runs, empty, before any client.
      const b0 = consoleText(0, 'value', []);
      await waitFor(() => run.stdout === b0, 'the empty batch 0');
      const client = startProcess('nc', ['-N', '127.0.0.1', String(port)]);
      client.child.stdin?.end('from a client\n');
      await client.exited;
      const b1 = b0 + consoleText(1, 'value', ['from a client']);
      await waitFor(() => run.stdout === b1, 'batch 1');
      const second = startProcess('nc', ['-N', '127.0.0.1', String(port)]);
      second.child.stdin?.end('another\n');
      await second.exited;
      await waitFor(() => run.stdout.includes('Batch: 2'), 'batch 2');
      expect(run.stdout).toBe(b1 + consoleText(2, 'value', ['another']));
    } finally {
      await stopProcess(run, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
    }
    expect(await portListening(port)).toBe(false);
  });
});
