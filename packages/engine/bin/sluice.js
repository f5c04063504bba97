#!/usr/bin/env -S node --max-semi-space-size=16
// The `sluice` command (launch.js says why it is a launcher in the sources). A 32 MB young
// generation (V8's default is 16) lets a batch's records die young instead of being promoted and
// collected again: some 20 % less CPU on a stateless query, for some 30 MB more RSS. The
// services' deployments (Dockerfile, docker-compose.yml, k8s/processor.yaml) run the processor so.
import { launch } from './launch.js';

await launch('sluice', new URL('../dist/cli/main.js', import.meta.url), 'packages/engine/dist');
