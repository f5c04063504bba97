import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Repository root (tests run with it as the working directory). */
export const repoRoot = process.cwd();
export const cliPath = join(repoRoot, 'packages', 'engine', 'dist', 'cli', 'main.js');
export const servicePath = (name: 'ingest' | 'processor' | 'sink'): string => join(repoRoot, 'services', name, 'dist', 'main.js');

/**
 * Copies an example program into a fresh folder outside the repository, pointing its socket
 * at `port` instead of the tutorial's 12345 — as a user would run it from anywhere.
 */
export function exampleIn(name: string, ports: Readonly<Record<number, number>>): { dir: string; file: string } {
  let text = readFileSync(join(repoRoot, 'examples', name), 'utf8');
  for (const [from, to] of Object.entries(ports)) text = text.replaceAll(`"port", ${from}`, `"port", ${to}`);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-program-'));
  // The static tables programs read (Segment 5's testdir/players.csv) come along.
  cpSync(join(repoRoot, 'examples', 'testdir'), join(dir, 'testdir'), { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, text);
  return { dir, file };
}

/** Exactly what Spark's console sink prints for one batch of a single string column. */
export function consoleText(batchId: number, column: string, values: readonly string[], numRows = 20): string {
  return consoleTable(batchId, [column], values.map((v) => [v]), numRows);
}

/**
 * Spark 4's console table of string cells (right-aligned, as with truncate on), showing at most
 * `numRows` rows (the sink's option, default 20): a blank line after the table, or, when rows
 * were left out, "only showing top N rows" with no blank line after it.
 */
export function consoleTable(batchId: number, columns: readonly string[], rows: ReadonlyArray<readonly string[]>, numRows = 20): string {
  const shown = rows.slice(0, numRows);
  const widths = columns.map((c, i) => Math.max(3, c.length, ...shown.map((r) => (r[i] ?? '').length)));
  const sep = `+${widths.map((w) => '-'.repeat(w)).join('+')}+\n`;
  const line = (cells: readonly string[]): string => `|${cells.map((c, i) => c.padStart(widths[i] ?? 3)).join('|')}|\n`;
  const footer = rows.length > numRows ? `only showing top ${numRows} ${numRows === 1 ? 'row' : 'rows'}\n` : '\n';
  return `-------------------------------------------\nBatch: ${batchId}\n-------------------------------------------\n${sep}${line(columns)}${sep}${shown.map(line).join('')}${sep}${footer}`;
}
