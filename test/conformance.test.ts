import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runConformanceCase, type ConformanceCase } from 'sluice/testing';
import { repoRoot } from './support/programs.js';

/**
 * The conformance corpus (conformance/README.md): every case run in Sluice must print what real
 * Spark 4.2.0 printed for it (goldens/, written by `npm run goldens`), byte for byte, and fail
 * with the same error text.
 */
const casesDir = join(repoRoot, 'conformance', 'cases');
const goldensDir = join(repoRoot, 'conformance', 'goldens');

function caseFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? caseFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []).sort();
}

const cases = caseFiles(casesDir).map((file) => relative(casesDir, file).replace(/\.json$/, ''));

describe('conformance with Spark 4.2.0', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)('%s', (name) => {
    const c = JSON.parse(readFileSync(join(casesDir, `${name}.json`), 'utf8')) as ConformanceCase;
    const outFile = join(goldensDir, `${name}.out`);
    const errFile = join(goldensDir, `${name}.err`);
    if (!existsSync(outFile)) throw new Error(`no golden file for ${name}: run \`npm run goldens\``);
    const result = runConformanceCase(c);
    expect(result.err).toBe(existsSync(errFile) ? readFileSync(errFile, 'utf8').trimEnd() : null);
    expect(result.out).toBe(readFileSync(outFile, 'utf8'));
  });
});
