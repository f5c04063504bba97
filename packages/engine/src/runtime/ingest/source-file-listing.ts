import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A file a listing found, with its modification time (ms). */
export interface ListedFile {
  readonly path: string;
  readonly mtime: number;
}

/** Names of files still being written (HDFS `._COPYING_`, hidden and `_` files): not taken yet. */
export function isInProgressName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_') || name.endsWith('._COPYING_');
}

/**
 * The files of a file source's directory, as Spark 4.2's file stream source lists them: the
 * files directly in it, hidden and in-progress names left out; with `recursive`
 * (recursiveFileLookup) the files of its sub-directories too, at any depth, hidden names left
 * out at every level. Without it, each sub-directory is passed to `notRead` (Spark reads plain
 * sub-directories only with recursiveFileLookup). A directory that does not exist lists empty.
 */
export async function listSourceFiles(dir: string, recursive: boolean, notRead: (path: string, name: string) => void): Promise<ListedFile[]> {
  const files: ListedFile[] = [];
  await listInto(dir, true);
  return files;

  async function listInto(at: string, top: boolean): Promise<void> {
    let names: string[];
    try {
      names = await readdir(at);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A sub-directory removed (or replaced by a file) while listed is simply gone.
      if (code === 'ENOENT' || (!top && code === 'ENOTDIR')) return;
      throw err;
    }
    for (const name of names) {
      if (isInProgressName(name)) continue;
      const path = join(at, name);
      const s = await stat(path).catch(() => null);
      if (s === null) continue;
      if (s.isFile()) files.push({ path, mtime: s.mtimeMs });
      else if (s.isDirectory()) {
        if (recursive) await listInto(path, false);
        else notRead(path, name);
      }
    }
  }
}
