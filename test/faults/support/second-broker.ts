import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/processes.js';
import { repoRoot } from '../../support/programs.js';

/**
 * A private Kafka broker for cases that stop and start it: the project's scripts/local/kafka.sh
 * with its own state dir (SLUICE_LOCAL_DIR) and ports, so the shared broker is never touched.
 */
export class SecondBroker {
  private constructor(readonly dir: string, readonly port: number, readonly controllerPort: number) {}

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(): Promise<SecondBroker> {
    const port = await freePort();
    let controllerPort = await freePort();
    while (controllerPort === port) controllerPort = await freePort();
    const broker = new SecondBroker(mkdtempSync(join(tmpdir(), 'sluice-broker-')), port, controllerPort);
    await broker.script('up');
    return broker;
  }

  /** Stops the broker (SIGTERM, as `kafka.sh down`); its data stays. */
  down(): Promise<void> {
    return this.script('down');
  }

  /** Starts it again on the same ports and data. */
  up(): Promise<void> {
    return this.script('up');
  }

  async destroy(): Promise<void> {
    await this.script('down', '--purge').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private script(...args: string[]): Promise<void> {
    // Ports only for `up` (the same ones again on a restart); the state dir for every command.
    const ports = args[0] === 'up' ? { KAFKA_PORT: String(this.port), KAFKA_CONTROLLER_PORT: String(this.controllerPort) } : {};
    const env: NodeJS.ProcessEnv = { ...process.env, SLUICE_LOCAL_DIR: this.dir, ...ports };
    return new Promise((resolve, reject) => {
      execFile('bash', [join(repoRoot, 'scripts', 'local', 'kafka.sh'), ...args], { env, timeout: 300_000 }, (err, _stdout, stderr) => {
        if (err === null) resolve();
        else reject(new Error(`kafka.sh ${args.join(' ')} failed: ${stderr.slice(-2000)}`));
      });
    });
  }
}
