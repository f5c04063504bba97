import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlan, serializePlan, type Row } from 'sluice';
import { PlanRunner } from 'sluice/testing';
import { cliPath, exampleIn, repoRoot } from './support/programs.js';
import { startProcess } from './support/processes.js';

const examples = readdirSync(join(repoRoot, 'examples')).filter((f) => f.endsWith('.ts') && !f.includes('complete'));
const input: Row[] = ['apache spark', '1', 'streaming in sluice', 'apache'].map((v) => [v]);

/**
 * Every example's plan, as `sluice plan` writes it, survives JSON without loss, and the
 * parsed plan gives the same results as the document before the round trip.
 */
describe('plan documents of the examples', () => {
  it.each(examples)('%s', async (example) => {
    const program = exampleIn(example, {});
    try {
      const proc = startProcess('node', [cliPath, 'plan', program.file], { cwd: program.dir });
      const exit = await proc.exited;
      expect(exit.code).toBe(0);
      const plan = parsePlan(proc.stdout);
      const again = parsePlan(serializePlan(plan));
      expect(again).toEqual(plan);
      expect(JSON.parse(proc.stdout)).toEqual(JSON.parse(serializePlan(plan)));
      const a = new PlanRunner(plan, () => 1_600_000_000_000);
      const b = new PlanRunner(again, () => 1_600_000_000_000);
      expect(b.schema).toEqual(a.schema);
      for (const rows of [input, input.slice(1)]) expect(b.runBatch(rows)).toEqual(a.runBatch(rows));
    } finally {
      rmSync(program.dir, { recursive: true, force: true });
    }
    expect(readFileSync(join(repoRoot, 'examples', example), 'utf8')).toContain('from "sluice"');
  });
});
