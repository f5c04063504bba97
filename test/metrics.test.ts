import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, exampleIn, servicePath } from './support/programs.js';
import { establishedConnectionsTo, freePort, NetcatServer, portListening, startProcess, stopProcess, type Proc } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

async function scrape(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

function metric(body: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of body.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** /metrics scraped during a real run of the three services; /readyz follows Redis. */
describe('metrics and health endpoints', () => {
  it('counters match the rows sent; /readyz turns unready without Redis and ready again', async () => {
    const nc = await NetcatServer.start();
    const program = exampleIn('read_from_socket.ts', { 12345: nc.port });
    const work = mkdtempSync(join(tmpdir(), 'sluice-metrics-'));
    const redisPort = await freePort();
    const redis = spawn('redis-server', ['--port', String(redisPort), '--save', '', '--appendonly', 'no', '--dir', work], { stdio: 'ignore' });
    const procs: Proc[] = [];
    try {
      await waitFor(() => portListening(redisPort), 'redis listening', 10_000);
      const planFile = join(work, 'plan.json');
      const plan = startProcess('node', [cliPath, 'plan', program.file, '-o', planFile], { cwd: program.dir });
      expect((await plan.exited).code).toBe(0);
      const doc = JSON.parse(readFileSync(planFile, 'utf8')) as Record<string, unknown>;
      writeFileSync(planFile, JSON.stringify({ ...doc, checkpointLocation: `test-${randomUUID()}`, temporaryCheckpoint: false }));
      const ports = { ingest: await freePort(), processor: await freePort(), sink: await freePort() };
      for (const name of ['sink', 'processor', 'ingest'] as const) {
        procs.push(startProcess('node', [servicePath(name)], {
          env: { ...process.env, SLUICE_QUERY_PLAN: planFile, SLUICE_METRICS_PORT: String(ports[name]), REDIS_URL: `redis://127.0.0.1:${redisPort}` },
        }));
      }
      for (const p of procs) await waitFor(() => p.stderr.includes('"msg":"service started"'), 'service started');
      await waitFor(async () => (await establishedConnectionsTo(nc.port)) > 0, 'ingest connected');
      const lines = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
      for (const line of lines) nc.send(line);
      await waitFor(async () => metric((await scrape(ports.sink, '/metrics')).body, 'sluice_sink_rows_total') >= lines.length, 'sink rows');

      const ingest = (await scrape(ports.ingest, '/metrics')).body;
      const processor = (await scrape(ports.processor, '/metrics')).body;
      const sink = (await scrape(ports.sink, '/metrics')).body;
      expect(metric(ingest, 'sluice_ingest_records_total', { format: 'socket' })).toBe(lines.length);
      expect(metric(ingest, 'sluice_ingest_connections_total')).toBe(1);
      expect(metric(processor, 'sluice_input_rows_total')).toBe(lines.length);
      expect(metric(processor, 'sluice_batches_total')).toBeGreaterThanOrEqual(1);
      expect(metric(processor, 'sluice_batch_duration_seconds_count')).toBe(metric(processor, 'sluice_batches_total'));
      expect(metric(sink, 'sluice_sink_rows_total', { sink: 'console' })).toBe(lines.length);
      expect(metric(sink, 'sluice_process_resident_memory_bytes')).toBeGreaterThan(0);
      expect((await scrape(ports.processor, '/healthz')).status).toBe(200);
      expect((await scrape(ports.processor, '/readyz')).status).toBe(200);
      const progress = JSON.parse((await scrape(ports.processor, '/progress')).body) as { numInputRows: number; batchId: number };
      expect(typeof progress.batchId).toBe('number');

      redis.kill('SIGTERM');
      await waitFor(async () => (await scrape(ports.processor, '/readyz')).status === 503, '/readyz unready without Redis', 20_000);
      expect((await scrape(ports.processor, '/readyz')).body).toContain('"redis"');
      const again = spawn('redis-server', ['--port', String(redisPort), '--save', '', '--appendonly', 'no', '--dir', work], { stdio: 'ignore' });
      try {
        await waitFor(async () => (await scrape(ports.processor, '/readyz')).status === 200, '/readyz ready again', 30_000);
      } finally {
        again.kill('SIGKILL');
      }
    } finally {
      for (const p of procs) await stopProcess(p, 'SIGKILL');
      redis.kill('SIGKILL');
      await nc.stop();
      rmSync(program.dir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  });
});
