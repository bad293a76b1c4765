// Runs every package's tests with node:test. Node 20 has no glob for --test, so collect the
// files here. Tests import sibling packages from source (export condition `mooring-src`).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = [];
for (const pkg of readdirSync(join(root, 'packages'))) {
  const testDir = join(root, 'packages', pkg, 'test');
  try { statSync(testDir); } catch { continue; }
  collect(testDir, files);
}
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
selected.sort();
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--conditions=mooring-src', '--test', '--test-concurrency=2', ...selected],
  { stdio: 'inherit', cwd: root },
);
process.exit(r.status ?? 1);
