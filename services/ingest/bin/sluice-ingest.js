#!/usr/bin/env node
// The `sluice-ingest` command (sluice/launcher says why it is a launcher in the sources).
import { launch } from 'sluice/launcher';

await launch('sluice-ingest', new URL('../dist/main.js', import.meta.url), 'services/ingest/dist');
