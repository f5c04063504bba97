#!/usr/bin/env node
// The `sluice-sink` command (sluice/launcher says why it is a launcher in the sources).
import { launch } from 'sluice/launcher';

await launch('sluice-sink', new URL('../dist/main.js', import.meta.url), 'services/sink/dist');
