// The `sluice` command as users run it: node with the options its launcher's
// `#!/usr/bin/env -S node …` line gives, then any the bench adds, then the launcher.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const sluiceBin = join(import.meta.dirname, '..', 'packages', 'engine', 'bin', 'sluice.js');

/** node's arguments for `sluice <args…>`, with `nodeOptions` after the launcher's own. */
export function sluiceNodeArgs(args: readonly string[], nodeOptions: readonly string[] = []): string[] {
  const launcherOptions = (readFileSync(sluiceBin, 'utf8').split('\n')[0] ?? '').replace(/^#!\/usr\/bin\/env( -S)? node/, '').split(' ').filter(Boolean);
  return [...launcherOptions, ...nodeOptions, sluiceBin, ...args];
}
