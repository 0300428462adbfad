#!/usr/bin/env node
// Puts a Valkey 8 server in .cache/valkey for the differential suite (our
// RDB files must load in Valkey 8 too, issue #4) and prints the path of the
// `valkey-server` to run. Valkey has no Debian 12 package, so this takes
// Debian 13's (valkey-tools holds the server binary, as `valkey-check-rdb`:
// one executable that acts by its name) with Debian 13's glibc beside it,
// and writes a wrapper that starts it through that glibc's loader. Nothing
// is installed system-wide. Linux x86-64 only; elsewhere point
// FERROKV_VALKEY_SERVER at an installed valkey-server instead.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const cache = join(root, '.cache', 'valkey');
const wrapper = join(cache, 'valkey-server');
const MIRROR = 'http://deb.debian.org/debian';
const log = (msg) => process.stderr.write(`[valkey] ${msg}\n`);

async function get(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** The archive paths of `names` in Debian 13's package index. */
async function filenames(names) {
  const index = gunzipSync(await get(`${MIRROR}/dists/trixie/main/binary-amd64/Packages.gz`)).toString('utf8');
  const found = {};
  for (const stanza of index.split('\n\n')) {
    const name = /^Package: (.+)$/m.exec(stanza)?.[1];
    if (names.includes(name)) found[name] = /^Filename: (.+)$/m.exec(stanza)[1];
  }
  for (const name of names) if (!found[name]) throw new Error(`Debian 13 lists no ${name}`);
  return found;
}

async function fetchValkey() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error('Valkey is fetched for Linux x86-64 only: set FERROKV_VALKEY_SERVER to a valkey-server 8');
  }
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  const files = await filenames(['valkey-tools', 'libc6']);
  for (const [name, file] of Object.entries(files)) {
    log(`downloading ${file}`);
    const deb = join(cache, `${name}.deb`);
    writeFileSync(deb, await get(`${MIRROR}/${file}`));
    execFileSync('dpkg-deb', ['-x', deb, join(cache, name)]);
    rmSync(deb);
  }
  const libs = join(cache, 'libc6', 'usr', 'lib', 'x86_64-linux-gnu');
  const server = join(cache, 'bin', 'valkey-server');
  mkdirSync(join(cache, 'bin'));
  copyFileSync(join(cache, 'valkey-tools', 'usr', 'bin', 'valkey-check-rdb'), server);
  chmodSync(server, 0o755);
  writeFileSync(wrapper, `#!/bin/sh\nexec "${join(libs, 'ld-linux-x86-64.so.2')}" --library-path "${libs}:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu" "${server}" "$@"\n`);
  chmodSync(wrapper, 0o755);
}

if (!existsSync(wrapper)) await fetchValkey();
const version = execFileSync(wrapper, ['--version'], { encoding: 'utf8' });
if (!/^Valkey server v=8\./.test(version)) throw new Error(`not a Valkey 8: ${version}`);
process.stdout.write(`${wrapper}\n`);
