#!/usr/bin/env node
// The `sluice-sink` command. This launcher is part of the sources (not of the build), so that
// `npm ci` links it as a bin before the service is compiled; it then starts the compiled
// service, or says how to build it.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('sluice-sink: the service is not built yet (services/sink/dist is missing): run `npm run setup` in the repository\n');
  process.exit(1);
}
await import(main.href);
