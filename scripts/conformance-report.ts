/**
 * Runs every conformance case in Sluice and prints, for each one that differs from its Spark
 * golden, `<case>  <what differs>` — the format of conformance/known-differences.txt.
 *   npx tsx scripts/conformance-report.ts [> conformance/known-differences.txt]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readConformanceCase, runConformanceCase } from '../packages/engine/src/testing/index.js';

const root = join(import.meta.dirname, '..', 'conformance');
const casesDir = join(root, 'cases');

function caseFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? caseFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []).sort();
}

const short = (s: string, n = 110): string => (s.length > n ? `${s.slice(0, n)}…` : s);

function difference(name: string): string | null {
  const c = readConformanceCase(readFileSync(join(casesDir, `${name}.json`), 'utf8'));
  const outFile = join(root, 'goldens', `${name}.out`);
  const errFile = join(root, 'goldens', `${name}.err`);
  if (!existsSync(outFile)) return 'no golden file';
  const spark = { out: readFileSync(outFile, 'utf8'), err: existsSync(errFile) ? readFileSync(errFile, 'utf8').trimEnd() : null };
  let sluice;
  try {
    sluice = runConformanceCase(c);
  } catch (err) {
    return `the case does not run in Sluice: ${short(String(err))}`;
  }
  if (spark.err !== sluice.err) {
    if (spark.err === null) return `Sluice fails where Spark runs: ${short(sluice.err ?? '')}`;
    if (sluice.err === null) return `Spark fails, Sluice runs: ${short(spark.err)}`;
    return `error text: Spark "${short(spark.err, 80)}" / Sluice "${short(sluice.err, 80)}"`;
  }
  if (spark.out === sluice.out) return null;
  const a = spark.out.split('\n');
  const b = sluice.out.split('\n');
  if ([...a].sort().join('\n') === [...b].sort().join('\n')) return 'row order';
  const i = a.findIndex((line, k) => line !== b[k]);
  const batch = a.slice(0, i + 1).filter((l) => l.startsWith('Batch: ')).pop() ?? 'before batch 0';
  return `${batch}, line ${i + 1}: Spark "${short(a[i] ?? '<end>', 60)}" / Sluice "${short(b[i] ?? '<end>', 60)}"`;
}

const names = caseFiles(casesDir).map((f) => relative(casesDir, f).replace(/\.json$/, ''));
let differing = 0;
process.stdout.write('# Conformance cases where Sluice still differs from Spark 4.2.0 (scripts/conformance-report.ts).\n');
for (const name of names) {
  const d = difference(name);
  if (d === null) continue;
  differing++;
  process.stdout.write(`${name}  ${d.replace(/\n/g, '\\n')}\n`);
}
process.stderr.write(`${names.length} cases, ${names.length - differing} as Spark, ${differing} differ\n`);
