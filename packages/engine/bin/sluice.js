#!/usr/bin/env node
// The `sluice` command (launch.js says why it is a launcher in the sources).
import { launch } from './launch.js';

await launch('sluice', new URL('../dist/cli/main.js', import.meta.url), 'packages/engine/dist');
