#!/usr/bin/env node
// The `sluice` command. This launcher is part of the sources (not of the build), so that
// `npm ci` links it as the workspace's bin before the engine is compiled; it then starts the
// compiled CLI, or says how to build it.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('sluice: the engine is not built yet (packages/engine/dist is missing): run `npm run setup` in the repository\n');
  process.exit(1);
}
await import(cli.href);
