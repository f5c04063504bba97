import { crashPointFromEnv } from '../config/config.js';

const crashPoint = crashPointFromEnv();

/**
 * Crash tests: the process kills itself (SIGKILL, as `kill -9` would) at the named step of the
 * numbered batch or file, when SLUICE_TEST_CRASH_AT=<step>:<n> says so. A no-op otherwise.
 */
export function maybeCrash(step: string, n: number): void {
  if (crashPoint !== null && crashPoint.step === step && crashPoint.batchId === n) process.kill(process.pid, 'SIGKILL');
}
