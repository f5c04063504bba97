// Copies the files tsc does not emit (Redis Lua scripts, CommonJS modules put in kafkajs' place) from packages/*/src to dist.
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const walk = (dir) => readdirSync(dir).flatMap((n) => {
  const p = join(dir, n);
  return statSync(p).isDirectory() ? walk(p) : [p];
});
for (const pkg of ['packages/engine']) {
  const src = join(root, pkg, 'src');
  if (!existsSync(src)) continue;
  for (const file of walk(src).filter((f) => f.endsWith('.lua') || f.endsWith('.cjs'))) {
    cpSync(file, join(root, pkg, 'dist', relative(src, file)));
  }
}
