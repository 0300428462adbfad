#!/usr/bin/env node
// `node bench/aof.mjs`: SET with the append-only file on, ferrokv beside a
// real redis-server with the same settings (`appendonly yes`, the same
// `appendfsync`, each in its own temporary directory on the same disk),
// at pipeline 1 and 16. Servers are pinned as in bench/run.mjs and driven
// in alternation; medians are compared (goal ratio ≥ 0.9, issue #4).
//
// Options:
//   --fsync always,everysec   policies to measure (default both)
//   --pipelines 1,16          pipeline depths (default 1,16)
//   --rounds N                alternating rounds per cell (default 3)
//   --requests N              requests per run (default 100000 at P1, 1000000 at P16)
//   --clients N               redis-benchmark -c (default 50)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { benchmark } from './load.mjs';
import { median } from './report.mjs';
import { killAllSync, startFerrokv, startRedis, stop, stopAll } from './servers.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const log = (msg) => process.stderr.write(`[aof] ${msg}\n`);
const { values: opt } = parseArgs({
  args: process.argv.slice(2),
  options: {
    fsync: { type: 'string', default: 'always,everysec' }, pipelines: { type: 'string', default: '1,16' },
    rounds: { type: 'string', default: '3' }, requests: { type: 'string' }, clients: { type: 'string', default: '50' },
  },
});
const rounds = Number(opt.rounds);
const clients = Number(opt.clients);
const requestsFor = (pipeline) => Number(opt.requests ?? (pipeline > 1 ? 1_000_000 : 100_000));

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stopAll().finally(() => process.exit(130)));
process.on('exit', killAllSync);

async function measure(fsync) {
  const dirs = [mkdtempSync(join(tmpdir(), 'ferrokv-bench-aof-')), mkdtempSync(join(tmpdir(), 'redis-bench-aof-'))];
  const aof = (dir) => ['--appendonly', 'yes', '--appendfsync', fsync, '--dir', dir];
  const servers = [await startFerrokv(root, aof(dirs[0])), await startRedis(aof(dirs[1]))];
  const rows = [];
  try {
    for (const pipeline of opt.pipelines.split(',').map(Number)) {
      const requests = requestsFor(pipeline);
      const samples = { ferrokv: [], redis: [] };
      for (let r = 0; r < rounds; r++) {
        for (const s of servers) samples[s.name].push((await benchmark(s, { test: 'set', requests, pipeline, clients })).rps);
      }
      const ferro = median(samples.ferrokv);
      const redis = median(samples.redis);
      rows.push({ fsync, pipeline, ferro, redis, ratio: ferro / redis });
      log(`SET P${pipeline} appendfsync ${fsync}: ferrokv ${Math.round(ferro)} ops/s, redis ${Math.round(redis)} ops/s, ratio ${(ferro / redis).toFixed(2)}`);
    }
  } finally {
    await Promise.all(servers.map(stop));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  return rows;
}

const rows = [];
for (const fsync of opt.fsync.split(',')) rows.push(...(await measure(fsync.trim())));
process.stdout.write('\n| test | appendfsync | pipeline | ferrokv ops/s | Redis ops/s | ratio |\n|---|---|---:|---:|---:|---:|\n');
for (const r of rows) {
  process.stdout.write(`| SET | ${r.fsync} | ${r.pipeline} | ${Math.round(r.ferro)} | ${Math.round(r.redis)} | ${r.ratio.toFixed(2)} |\n`);
}
