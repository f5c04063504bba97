#!/usr/bin/env node
// The `sluice-processor` command (sluice/launcher says why it is a launcher in the sources).
import { launch } from 'sluice/launcher';

await launch('sluice-processor', new URL('../dist/main.js', import.meta.url), 'services/processor/dist');
