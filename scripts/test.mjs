#!/usr/bin/env node
// The README's test command: sets up what is missing (npm packages, the
// native build, redis-server for the differential suite; Valkey is fetched
// by the suite itself, see scripts/fetch-valkey.mjs), then runs every
// check CI runs: formatting, lints, type checks, cargo tests, vitest.
import { execSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const log = (msg) => process.stderr.write(`\n[test] ${msg}\n`);

function step(title, cmd) {
  log(title);
  const started = Date.now();
  const r = spawnSync(cmd, { cwd: root, stdio: 'inherit', shell: true, env: process.env });
  if (r.status !== 0) {
    log(`FAILED: ${title} (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
  log(`${title}: ok in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

const has = (bin) => spawnSync(process.platform === 'win32' ? 'where' : 'which', [bin], { stdio: 'ignore' }).status === 0;

// The differential suite runs against a real redis-server (Debian's package).
if (!has('redis-server')) {
  const root_ = typeof process.getuid === 'function' && process.getuid() === 0;
  if (has('apt-get')) {
    log('installing redis-server (for the differential tests)');
    const sudo = root_ ? '' : 'sudo ';
    execSync(`${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools`, { stdio: 'inherit' });
  } else {
    log('redis-server is required for the differential tests: install it (e.g. `brew install redis`) and run again');
    process.exit(1);
  }
}

step('setup (npm packages, native build, TypeScript)', 'node scripts/setup.mjs');
step('generated napi loader is committed and current', 'git diff --exit-code -- native/index.js native/index.d.ts');
step('cargo fmt --check', 'cargo fmt --all --check');
step('cargo clippy', 'cargo clippy --workspace --all-targets -- -D warnings');
step('cargo test (core)', 'cargo test -p ferrokv-core');
step('tsc --noEmit', 'npx tsc --noEmit -p tsconfig.json');
// bench/ may not exist yet on every branch; a missing folder is not a lint failure.
step('eslint', 'npx eslint --no-error-on-unmatched-pattern ts test bench scripts');
step('README command list is current', 'node scripts/gen-readme.mjs --check');
step('vitest (integration and differential)', 'npx vitest run');
