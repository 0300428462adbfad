#!/usr/bin/env node
// `node bench/snapshot.mjs [--readme]`: RDB snapshots of 1,000,000 keys,
// ferrokv beside a real redis-server (issue #4), one server at a time so
// their memory does not mix:
// - SAVE: how long the command takes (the file is written on the spot).
// - Load: how long DEBUG RELOAD NOSAVE takes (flush, then read the file).
// - BGSAVE under write load: redis-benchmark overwrites random keys of the
//   same dataset at full speed while BGSAVE runs; memory is sampled every
//   10 ms until the save ends. Redis forks, so its figure is the
//   proportional set size (PSS) of the server and its child together:
//   pages they still share count once, pages copied on write count twice.
//   ferrokv saves from a thread of the one process: its RSS.
// "Dataset" is what the keys added to the process's memory (RSS after the
// fill minus RSS before it); the ratio is (dataset + the most memory grew
// during BGSAVE) / dataset, the goal being < 1.5.
//
// Options: --keys N (default 1000000), --value-size B (default 64).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { cli, pipe, resp } from './load.mjs';
import { replaceReadmeSection } from './report.mjs';
import { CLIENT_CPU, killAllSync, rssBytes, startFerrokv, startRedis, stop } from './servers.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const log = (msg) => process.stderr.write(`[snapshot] ${msg}\n`);
const { values: opt } = parseArgs({
  args: process.argv.slice(2),
  options: { keys: { type: 'string', default: '1000000' }, 'value-size': { type: 'string', default: '64' }, readme: { type: 'boolean' } },
});
const KEYS = Number(opt.keys);
const VALUE = 'x'.repeat(Number(opt['value-size']));
const MB = 1 << 20;

/** redis-benchmark's `-r` key names: `key:` and a zero-padded 12-digit number. */
const keyName = (i) => `key:${String(i).padStart(12, '0')}`;

async function fill(server) {
  const CHUNK = 100_000;
  for (let start = 0; start < KEYS; start += CHUNK) {
    const parts = [];
    for (let i = start; i < Math.min(KEYS, start + CHUNK); i++) parts.push(resp(['SET', keyName(i), VALUE]));
    await pipe(server, parts.join(''));
  }
}

/** Milliseconds one redis-cli call takes, start to reply. */
async function timed(server, ...args) {
  const t0 = process.hrtime.bigint();
  const reply = await cli(server, ...args);
  if (reply !== 'OK') throw new Error(`${server.name}: ${args.join(' ')}: ${reply}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const pss = (pid) => Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0) * 1024;

/** The server's memory as this bench counts it (see the header). */
function memory(server) {
  if (server.name !== 'redis') return rssBytes(server.pid);
  let children = [];
  try {
    children = readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    // No children file: no fork running.
  }
  let total = pss(server.pid);
  for (const child of children) {
    try {
      total += pss(child);
    } catch {
      // The child exited between the listing and the read.
    }
  }
  return total;
}

/** Runs BGSAVE under a write load; returns the peak memory and the save's duration. */
async function bgsaveUnderLoad(server) {
  const load = spawn('taskset', ['-c', CLIENT_CPU, 'redis-benchmark', '-h', '127.0.0.1', '-p', String(server.port),
    '-t', 'set', '-r', String(KEYS), '-d', String(VALUE.length), '-n', '100000000', '-P', '16', '-c', '50', '-q'], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const before = memory(server);
    const t0 = Date.now();
    if ((await cli(server, 'BGSAVE')) !== 'Background saving started') throw new Error(`${server.name}: BGSAVE refused`);
    let peak = before;
    for (;;) {
      peak = Math.max(peak, memory(server));
      if (/rdb_bgsave_in_progress:0/.test(await cli(server, 'INFO', 'persistence'))) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const seconds = (Date.now() - t0) / 1000;
    const status = /rdb_last_bgsave_status:(\w+)/.exec(await cli(server, 'INFO', 'persistence'))?.[1];
    if (status !== 'ok') throw new Error(`${server.name}: BGSAVE failed`);
    return { before, peak, seconds };
  } finally {
    load.kill('SIGKILL');
  }
}

async function measure(start) {
  const dir = mkdtempSync(join(tmpdir(), 'ferrokv-bench-snapshot-'));
  const server = await start(['--dir', dir]);
  try {
    await cli(server, 'PING');
    const empty = memory(server);
    await fill(server);
    await new Promise((r) => setTimeout(r, 1000));
    const dataset = memory(server) - empty;
    const save = await timed(server, 'SAVE');
    const load = await timed(server, 'DEBUG', 'RELOAD', 'NOSAVE');
    const keys = Number(await cli(server, 'DBSIZE'));
    if (keys !== KEYS) throw new Error(`${server.name}: ${keys} keys after the reload`);
    const bg = await bgsaveUnderLoad(server);
    const row = { name: server.name, dataset, save, load, ...bg, ratio: (dataset + bg.peak - bg.before) / dataset };
    log(`${server.name}: dataset ${(dataset / MB).toFixed(0)} MB, SAVE ${save.toFixed(0)} ms, load ${load.toFixed(0)} ms, ` +
      `BGSAVE ${bg.seconds.toFixed(1)} s, memory ${(bg.before / MB).toFixed(0)} → peak ${(bg.peak / MB).toFixed(0)} MB, ratio ${row.ratio.toFixed(2)}`);
    return row;
  } finally {
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

function markdown(rows) {
  const mb = (b) => (b / MB).toFixed(0);
  const lines = [
    '| server | dataset (MB) | SAVE (ms) | load (ms) | BGSAVE (s) | memory before BGSAVE (MB) | peak during it (MB) | (dataset + growth) / dataset |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.name} | ${mb(r.dataset)} | ${r.save.toFixed(0)} | ${r.load.toFixed(0)} | ${r.seconds.toFixed(1)} | ${mb(r.before)} | ${mb(r.peak)} | ${r.ratio.toFixed(2)} ${r.ratio < 1.5 ? '✓' : '✗'} |`),
  ];
  return `Measured ${new Date().toISOString().slice(0, 10)} with \`node bench/snapshot.mjs\`: ${KEYS.toLocaleString('en')} keys of ${VALUE.length}-byte values; ` +
    'BGSAVE runs while redis-benchmark overwrites random keys of the dataset (SET, pipeline 16, 50 clients). ' +
    "Memory is ferrokv's RSS, and Redis's PSS of the server plus its forked child (shared pages count once).\n\n" + lines.join('\n');
}

process.on('exit', killAllSync);
const rows = [];
for (const start of [(extra) => startFerrokv(root, extra), startRedis]) rows.push(await measure(start));
const md = markdown(rows);
process.stdout.write(`\n${md}\n`);
if (opt.readme) {
  replaceReadmeSection(join(root, 'README.md'), 'snapshot', md);
  log('README.md snapshot section rewritten');
}
