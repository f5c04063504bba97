import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isInProgressName, listSourceFiles } from './source-file-listing.js';

/*
 * What Spark 4.2.0 read (a run, readStream.csv with Trigger.AvailableNow) from a directory
 * holding top.csv, sub/inner.csv, sub/deeper/d.csv, _hidden/h.csv, .dot/h.csv, sub/_x.csv and
 * sub/.y.csv: top.csv alone by default; top, inner and d with recursiveFileLookup=true.
 */
describe('listSourceFiles', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'source-listing-'));
    for (const rel of ['top.csv', 'sub/inner.csv', 'sub/deeper/d.csv', '_hidden/h.csv', '.dot/h.csv', 'sub/_x.csv', 'sub/.y.csv', 'k=1/p.csv', 'f.csv._COPYING_']) {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), 'x\n');
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const names = (files: ReadonlyArray<{ path: string }>): string[] => files.map((f) => relative(dir, f.path)).sort();

  it('lists only the files directly in the directory, and names each sub-directory not read', async () => {
    const notRead: string[] = [];
    const files = await listSourceFiles(dir, false, (path) => notRead.push(relative(dir, path)));
    expect(names(files)).toEqual(['top.csv']);
    expect(notRead.sort()).toEqual(['k=1', 'sub']);
  });

  it('with recursiveFileLookup, reads sub-directories at any depth, leaving hidden names out', async () => {
    const notRead: string[] = [];
    const files = await listSourceFiles(dir, true, (path) => notRead.push(path));
    expect(names(files)).toEqual(['k=1/p.csv', 'sub/deeper/d.csv', 'sub/inner.csv', 'top.csv']);
    expect(notRead).toEqual([]);
    expect(files.every((f) => f.mtime > 0)).toBe(true);
  });

  it('lists a missing directory as empty', async () => {
    expect(await listSourceFiles(join(dir, 'missing'), true, () => undefined)).toEqual([]);
  });

  it('leaves hidden and in-progress names out', () => {
    expect(['_SUCCESS', '.part.crc', 'a.csv._COPYING_', 'a.csv'].filter((n) => !isInProgressName(n))).toEqual(['a.csv']);
  });
});
