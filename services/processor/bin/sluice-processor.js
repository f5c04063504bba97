#!/usr/bin/env -S node --max-semi-space-size=16
// The `sluice-processor` command (sluice/launcher says why it is a launcher in the sources), with
// the young generation the `sluice` command has (packages/engine/bin/sluice.js says why).
import { launch } from 'sluice/launcher';

await launch('sluice-processor', new URL('../dist/main.js', import.meta.url), 'services/processor/dist');
