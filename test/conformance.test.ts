import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readConformanceCase, runConformanceCase } from 'sluice/testing';
import { repoRoot } from './support/programs.js';

/**
 * The conformance corpus (conformance/README.md): every case run in Sluice must print what real
 * Spark 4.2.0 printed for it (goldens/, written by `npm run goldens`), byte for byte, and fail
 * with the same error text.
 *
 * conformance/known-differences.txt lists the cases where Sluice still differs, one per line
 * (`<case>  <what differs>`): those must still differ (jest's `it.failing`), so a fix shows up
 * as a failure here until its line is removed.
 */
const casesDir = join(repoRoot, 'conformance', 'cases');
const goldensDir = join(repoRoot, 'conformance', 'goldens');

function caseFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? caseFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []).sort();
}

function knownDifferences(): Set<string> {
  const file = join(repoRoot, 'conformance', 'known-differences.txt');
  if (!existsSync(file)) return new Set();
  return new Set(readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.split(/\s+/)[0] ?? ''));
}

const cases = caseFiles(casesDir).map((file) => relative(casesDir, file).replace(/\.json$/, ''));
const known = knownDifferences();

function check(name: string): void {
  const c = readConformanceCase(readFileSync(join(casesDir, `${name}.json`), 'utf8'));
  const outFile = join(goldensDir, `${name}.out`);
  const errFile = join(goldensDir, `${name}.err`);
  if (!existsSync(outFile)) throw new Error(`no golden file for ${name}: run \`npm run goldens\``);
  const result = runConformanceCase(c);
  expect(result.err).toBe(existsSync(errFile) ? readFileSync(errFile, 'utf8').trimEnd() : null);
  expect(result.out).toBe(readFileSync(outFile, 'utf8'));
}

describe('conformance with Spark 4.2.0', () => {
  it('has cases, and every known difference names one', () => {
    expect(cases.length).toBeGreaterThan(0);
    expect([...known].filter((k) => !cases.includes(k))).toEqual([]);
  });

  const same = cases.filter((c) => !known.has(c));
  const differ = cases.filter((c) => known.has(c));
  if (same.length > 0) it.each(same)('%s', check);
  if (differ.length > 0) it.failing.each(differ)('%s (known difference)', check);
});
