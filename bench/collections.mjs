#!/usr/bin/env node
// `node bench/collections.mjs [--readme] [--case <text>]`: memory per element of the
// collection types, ferrokv beside a real redis-server. Each case starts a
// fresh pair of servers (RSS never shrinks after a FLUSHALL), loads the same
// commands into both through `redis-cli --pipe`, and reports the growth of
// INFO used_memory and of the process RSS divided by the element count.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { cli, pipe, resp, usedMemory } from './load.mjs';
import { replaceReadmeSection } from './report.mjs';
import { killAllSync, rssBytes, startFerrokv, startRedis, stop } from './servers.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const log = (msg) => process.stderr.write(`[collections] ${msg}\n`);
const N = 1_000_000;
const BATCH = 100;


/** Commands adding `count` elements, BATCH per command: `make(i)` gives element i's arguments. */
function batched(cmd, key, count, make) {
  const out = [];
  for (let i = 0; i < count; i += BATCH) {
    const args = [cmd, key];
    for (let j = i; j < Math.min(count, i + BATCH); j++) args.push(...make(j));
    out.push(resp(args));
  }
  return out;
}

const CASES = [
  { name: 'list, 1,000,000 strings', elements: N, load: () => batched('RPUSH', 'list', N, (i) => [`element:${i}`]) },
  { name: 'hash, 1,000,000 fields', elements: N, load: () => batched('HSET', 'hash', N, (i) => [`field:${i}`, `value:${i}`]) },
  { name: 'set, 1,000,000 strings', elements: N, load: () => batched('SADD', 'set', N, (i) => [`member:${i}`]) },
  { name: 'set, 1,000,000 integers', elements: N, load: () => batched('SADD', 'ints', N, (i) => [String(i * 7)]) },
  { name: 'sorted set, 1,000,000 members', elements: N, load: () => batched('ZADD', 'zset', N, (i) => [String((i * 7919) % 1_000_003), `member:${i}`]) },
  {
    // XADD takes one entry per command; every entry has the same field name, as a stream's usually do.
    name: 'stream, 1,000,000 entries',
    elements: N,
    load: () => {
      const out = [];
      for (let i = 0; i < N; i++) out.push(resp(['XADD', 'stream', `${i + 1}-0`, 'event', `value:${i}`]));
      return out;
    },
  },
  {
    name: '100,000 hashes of 10 fields (per field)',
    elements: N,
    load: () => {
      const out = [];
      for (let h = 0; h < N / 10; h++) {
        const args = ['HSET', `h:${h}`];
        for (let f = 0; f < 10; f++) args.push(`field:${f}`, `value:${h}:${f}`);
        out.push(resp(args));
      }
      return out;
    },
  },
];

async function measure(c) {
  const commands = c.load();
  const data = commands.join('');
  const result = { name: c.name };
  for (const start of [() => startFerrokv(root), startRedis]) {
    const server = await start();
    try {
      // The whole load once first, then FLUSHALL and a pause: the code it
      // runs is paged in, the allocator's arenas exist and the runtime has
      // grown to what serving such a load takes (for ferrokv ~300 KB of V8
      // heap whatever the element count) before the baseline, so the growth
      // counts the elements, not one-time costs. Both servers alike.
      await pipe(server, data);
      await cli(server, 'FLUSHALL');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const used0 = await usedMemory(server);
      const rss0 = rssBytes(server.pid);
      await pipe(server, data);
      await cli(server, 'PING');
      // Memory at rest: both servers get a moment to return what the load
      // freed (jemalloc's decay for Redis, the idle tick's trim for ferrokv).
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const used1 = await usedMemory(server);
      const rss1 = rssBytes(server.pid);
      result[server.name] = { used: (used1 - used0) / c.elements, rss: (rss1 - rss0) / c.elements };
    } finally {
      await stop(server);
    }
  }
  log(`${c.name}: ferrokv ${result.ferrokv.used.toFixed(1)} B used / ${result.ferrokv.rss.toFixed(1)} B RSS; ` +
    `redis ${result.redis.used.toFixed(1)} / ${result.redis.rss.toFixed(1)}`);
  return result;
}

function markdown(rows) {
  const f = (x) => x.toFixed(1);
  const lines = [
    '| bytes per element | ferrokv used_memory | Redis used_memory | ratio | ferrokv RSS | Redis RSS | ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => {
      const u = r.ferrokv.used / r.redis.used;
      const s = r.ferrokv.rss / r.redis.rss;
      return `| ${r.name} | ${f(r.ferrokv.used)} | ${f(r.redis.used)} | ${u.toFixed(2)} ${u <= 1 ? '✓' : '✗'} | ${f(r.ferrokv.rss)} | ${f(r.redis.rss)} | ${s.toFixed(2)} ${s <= 1 ? '✓' : '✗'} |`;
    }),
  ];
  return `Measured ${new Date().toISOString().slice(0, 10)} with \`node bench/collections.mjs\` (each case on a fresh pair of servers, loaded through \`redis-cli --pipe\`, 100 elements per command; the growth of a second load, after the same load and FLUSHALL). ` +
    "ferrokv's used_memory counts the bytes its allocator was asked for; Redis's counts jemalloc's size classes, so RSS is the fairer comparison.\n\n" +
    lines.join('\n');
}

process.on('exit', killAllSync);
const rows = [];
// `--case <text>` measures only the cases whose name contains it.
const only = process.argv.includes('--case') ? process.argv[process.argv.indexOf('--case') + 1] : undefined;
for (const c of CASES) if (!only || c.name.includes(only)) rows.push(await measure(c));
const md = markdown(rows);
process.stdout.write(`\n${md}\n`);
if (process.argv.includes('--readme')) {
  replaceReadmeSection(join(root, 'README.md'), 'collections', md);
  log('README.md collections section rewritten');
}
