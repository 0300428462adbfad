#!/usr/bin/env node
// Makes a fresh clone runnable: installs npm packages, builds the native
// core (napi-rs, release) and the TypeScript, each only when out of date.
// Used by `npm start`, `npm test` and `npm run bench`.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit', env: process.env });
const log = (msg) => process.stderr.write(`[setup] ${msg}\n`);

/** Newest modification time of any file under `dir` whose name passes `keep`. */
function newest(dir, keep = () => true) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) t = Math.max(t, newest(p, keep));
    else if (keep(entry.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

if (!existsSync(join(root, 'node_modules', '.package-lock.json')) || mtime(join(root, 'package-lock.json')) > mtime(join(root, 'node_modules', '.package-lock.json'))) {
  log('installing npm packages');
  try {
    run('npm ci --no-audit --no-fund');
  } catch {
    // npm 11 refuses `ci` when the lock lacks entries for optional
    // platform packages a registry does not serve (@napi-rs/lzma-*);
    // `install` resolves the same tree from the same lock without changing it.
    log('npm ci refused the lock file; installing with npm install');
    run('npm install --no-audit --no-fund');
  }
}

const binary = readdirSync(join(root, 'native')).find((f) => f.endsWith('.node'));
const rustChanged = Math.max(newest(join(root, 'crates')), mtime(join(root, 'Cargo.toml')), mtime(join(root, 'Cargo.lock')));
if (!binary || rustChanged > mtime(join(root, 'native', binary))) {
  log('building the native core (release)');
  run('npm run -s build:native');
}

if (newest(join(root, 'ts')) > mtime(join(root, 'dist', 'index.js')) || mtime(join(root, 'package.json')) > mtime(join(root, 'dist', 'index.js'))) {
  log('compiling TypeScript');
  run('npm run -s build:ts');
}
