import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from './programs.js';
import { startProcess } from './processes.js';

/** A program's plan document, made by `sluice plan` as a user makes it, in a folder of its own. */
export class PlanFile {
  private constructor(readonly dir: string, readonly path: string) {}

  static async make(programText: string): Promise<PlanFile> {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-plan-'));
    const program = join(dir, 'program.ts');
    const path = join(dir, 'plan.json');
    writeFileSync(program, programText);
    const proc = startProcess('node', [cliPath, 'plan', program, '-o', path], { cwd: dir });
    const exit = await proc.exited;
    if (exit.code !== 0) throw new Error(`sluice plan failed (${String(exit.code)}):\n${proc.stderr}`);
    JSON.parse(readFileSync(path, 'utf8'));
    return new PlanFile(dir, path);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
