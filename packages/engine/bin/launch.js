// What every Sluice command's launcher does (sluice, sluice-ingest, sluice-processor,
// sluice-sink). The launchers are part of the sources, not of the build, so that `npm ci` links
// them as bins before anything is compiled; each starts its compiled entry point, or says how to
// build it.
import { existsSync } from 'node:fs';

/** Starts `entry` (a file URL of compiled code), or exits 1 naming `command` and the missing `dist`. */
export async function launch(command, entry, dist) {
  if (!existsSync(entry)) {
    process.stderr.write(`${command}: not built yet (${dist} is missing): run \`npm run setup\` in the repository\n`);
    process.exit(1);
  }
  await import(entry.href);
}
