#!/usr/bin/env node
// `npm run bench`: ferrokv and a real redis-server side by side in one run.
//
// Both servers are pinned to CPU 0 and redis-benchmark to CPU 1; for every
// test × pipeline depth the two are driven in alternation (ferrokv, Redis,
// ferrokv, Redis …) so drift on the machine hits both alike, and the medians
// are compared: ops/s, and CPU time per operation from each server's own
// accounting. Then memory per key on fresh servers (DEBUG POPULATE), and a
// PING-only node:net server as the cost of the socket layer alone.
//
// Options:
//   --rounds N       alternating rounds per cell (default 3; median taken)
//   --scale X        multiply the default request counts (≈3 s a run at Redis's speed here)
//   --requests N     use N requests for every run instead
//   --tests a,b      redis-benchmark tests to run (default: the string and collection tests below)
//   --pipelines 1,16 pipeline depths (default 1,16)
//   --clients N      redis-benchmark -c (default 50)
//   --keys N         DEBUG POPULATE size for memory per key (default 1000000)
//   --no-memory, --no-baseline   skip those parts
//   --pubsub         also measure PUBLISH fan-out (bench/pubsub.mjs)
//   --acl            also SET and GET as an ACL user (`on >pw ~* &* +@all`, created alike on
//                    both servers), redis-benchmark logged in with --user/-a: the cost of ACL checks
//   --acl-only       only the ACL cells (no plain tests, memory or baseline)
//   --quick          1 round, a tenth of the requests, 100000 keys
//   --readme         rewrite README.md's Performance section with the result
//   --from FILE      measure nothing: print (and with --readme, write) a saved bench/results/*.json
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { benchmark, cli, loadScripts, usedMemory } from './load.mjs';
import { pubsubBench, pubsubMarkdown } from './pubsub.mjs';
import { GOALS, markdown, median, rewriteReadme } from './report.mjs';
import { CLIENT_CPU, killAllSync, rssBytes, startFerrokv, startPingServer, startRedis, stop, stopAll } from './servers.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const argv = process.argv.slice(2);
// Issue #2's string tests, then issue #3's collections, then bitmaps,
// HyperLogLogs and GEOADD (custom commands, see CUSTOM_TESTS in load.mjs),
// then issue #8's streams (XADD, and XRANGE of 10 entries from a filled
// stream), then issue #6's scripts (EVALSHA, see SCRIPTED). Pops follow
// their pushes, so they pop real elements (both servers see the same
// sequence); BITCOUNT and PFCOUNT read what SETBIT and PFADD wrote.
const DEFAULT_TESTS =
  'set,get,incr,mset,lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,zpopmin,lrange_100,lrange_600,geoadd,setbit,bitcount,pfadd,pfcount,xadd,xrange_10,evalsha_get,evalsha_ratelimit';
const { values: opt } = parseArgs({
  args: argv,
  options: {
    rounds: { type: 'string' }, scale: { type: 'string' }, requests: { type: 'string' },
    tests: { type: 'string', default: DEFAULT_TESTS }, pipelines: { type: 'string', default: '1,16' },
    clients: { type: 'string', default: '50' }, keys: { type: 'string' },
    'no-memory': { type: 'boolean' }, 'no-baseline': { type: 'boolean' }, pubsub: { type: 'boolean' },
    acl: { type: 'boolean' }, 'acl-only': { type: 'boolean' },
    quick: { type: 'boolean' }, readme: { type: 'boolean' }, from: { type: 'string' },
  },
});
const rounds = Number(opt.rounds ?? (opt.quick ? 1 : 3));
const scale = Number(opt.scale ?? (opt.quick ? 0.1 : 1));
const clients = Number(opt.clients);
const keys = Number(opt.keys ?? (opt.quick ? 100_000 : 1_000_000));
const aclOnly = opt['acl-only'] === true;
const tests = aclOnly ? [] : opt.tests.split(',').map((t) => t.trim().toLowerCase());
/** The user both servers get for the ACL cells: every command, every key and channel. */
const ACL_USER = { user: 'bench', password: 'bench-password' };
const ACL_TESTS = ['set', 'get'];
const pipelines = opt.pipelines.split(',').map(Number);

// Requests per run: about 2-3 s each at Redis's rate on the 2-core reference
// machine for the string tests (the 10 ms CPU-accounting tick is well under
// 1% of a run), about 1 s for the collection tests so the default run stays
// near five minutes.
const DEFAULT_REQUESTS = {
  1: {
    set: 200_000, get: 200_000, incr: 200_000, mset: 150_000, ping_mbulk: 200_000,
    xadd: 100_000, xrange_10: 100_000,
    lpush: 100_000, rpush: 100_000, lpop: 100_000, rpop: 100_000, sadd: 100_000, hset: 100_000,
    spop: 100_000, zadd: 100_000, zpopmin: 100_000, lrange_100: 40_000, lrange_600: 12_000,
    setbit: 100_000, bitcount: 100_000, pfadd: 100_000, pfcount: 100_000, geoadd: 100_000,
    evalsha_get: 100_000, evalsha_ratelimit: 100_000,
  },
  16: {
    set: 2_000_000, get: 2_000_000, incr: 2_000_000, mset: 600_000, ping_mbulk: 3_000_000,
    xadd: 1_000_000, xrange_10: 600_000,
    lpush: 1_000_000, rpush: 1_000_000, lpop: 1_000_000, rpop: 1_000_000, sadd: 1_000_000, hset: 1_000_000,
    spop: 1_000_000, zadd: 800_000, zpopmin: 800_000, lrange_100: 150_000, lrange_600: 30_000,
    setbit: 1_000_000, bitcount: 300_000, pfadd: 1_000_000, pfcount: 1_000_000, geoadd: 800_000,
    evalsha_get: 600_000, evalsha_ratelimit: 600_000,
  },
};
const requestsFor = (test, pipeline) => {
  if (opt.requests) return Number(opt.requests);
  const base = DEFAULT_REQUESTS[pipeline]?.[test] ?? (pipeline > 1 ? DEFAULT_REQUESTS[16][test] : DEFAULT_REQUESTS[1][test]);
  return Math.max(1000, Math.round(base * scale));
};

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const sh = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '?';
  }
};

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    log(`${signal}: stopping the servers`);
    stopAll().finally(() => process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)));
  });
}
process.on('exit', killAllSync);

/** Untimed traffic first, so that V8 has compiled ferrokv's hot path before anything is measured (both servers alike). */
async function warmUp(servers, tests) {
  for (const s of servers) {
    for (const test of tests) await benchmark(s, { test, requests: Math.round(50_000 * Math.min(1, scale * 2)), pipeline: 16, clients });
  }
}

/** The same ACL user on every server; checks that it can log in and write. */
async function createAclUser(servers) {
  for (const s of servers) {
    const created = await cli(s, 'ACL', 'SETUSER', ACL_USER.user, 'reset', 'on', `>${ACL_USER.password}`, '~*', '&*', '+@all');
    const whoami = await cli(s, '--user', ACL_USER.user, '--pass', ACL_USER.password, '--no-auth-warning', 'ACL', 'WHOAMI');
    if (created !== 'OK' || whoami !== ACL_USER.user) throw new Error(`${s.name}: ACL user setup answered ${created} / ${whoami}`);
  }
}

/** Runs `test` at `pipeline` on each server in turn, `rounds` times; keeps every sample and the medians. */
async function cell(servers, test, pipeline) {
  const requests = requestsFor(test, pipeline);
  const samples = Object.fromEntries(servers.map((s) => [s.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const s of servers) samples[s.name].push(await benchmark(s, { test, requests, pipeline, clients }));
  }
  const out = { test, pipeline, requests, samples };
  for (const s of servers) {
    const xs = samples[s.name];
    out[s.name] = {
      rps: median(xs.map((x) => x.rps)),
      cpuUsPerOp: median(xs.map((x) => x.cpuUsPerOp)),
      utilization: median(xs.map((x) => x.utilization)),
      clientUtilization: median(xs.map((x) => x.clientUtilization)),
      backgroundCores: median(xs.map((x) => x.backgroundCores)),
    };
  }
  log(`${test.toUpperCase()}${servers[0].auth ? ` as ${servers[0].auth.user}` : ''} P${pipeline} (${requests} req × ${rounds}): ` +
    servers.map((s) => `${s.name} ${Math.round(out[s.name].rps)} ops/s ${out[s.name].cpuUsPerOp.toFixed(2)} µs/op`).join(', '));
  return out;
}

async function memoryPerKey() {
  const servers = [await startFerrokv(root), await startRedis()];
  const out = { keys };
  try {
    for (const s of servers) {
      const used0 = await usedMemory(s);
      const rss0 = rssBytes(s.pid);
      const reply = await cli(s, 'DEBUG', 'POPULATE', String(keys));
      if (reply !== 'OK') throw new Error(`${s.name}: DEBUG POPULATE answered ${reply}`);
      const dbsize = Number(await cli(s, 'DBSIZE'));
      if (dbsize !== keys) throw new Error(`${s.name}: DBSIZE ${dbsize} after DEBUG POPULATE ${keys}`);
      const used1 = await usedMemory(s);
      const rss1 = rssBytes(s.pid);
      out[s.name] = { usedBefore: used0, usedAfter: used1, rssBefore: rss0, rssAfter: rss1,
        usedPerKey: (used1 - used0) / keys, rssPerKey: (rss1 - rss0) / keys };
      log(`memory ${s.name}: ${out[s.name].usedPerKey.toFixed(1)} B/key used_memory, ${out[s.name].rssPerKey.toFixed(1)} B/key RSS`);
    }
  } finally {
    await Promise.all(servers.map(stop));
  }
  return out;
}

function publish(report) {
  const md = markdown(report);
  process.stdout.write(`\n${md}\n\n`);
  if (opt.readme) {
    rewriteReadme(join(root, 'README.md'), md);
    log('README.md Performance section rewritten');
  }
}

async function main() {
  if (opt.from) {
    publish(JSON.parse(readFileSync(opt.from, 'utf8')));
    return;
  }
  // Keep this process off the servers' CPU.
  sh('taskset', ['-pc', CLIENT_CPU, String(process.pid)]);
  const report = { results: [], baseline: [], memory: null, acl: [] };
  const started = Date.now();
  const loadavgAtStart = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

  const ferrokv = await startFerrokv(root);
  const redis = await startRedis();
  const ferrokvVersion = /ferrokv (\S+)/.exec(sh(process.execPath, [join(root, 'bin', 'ferrokv.js'), '--version']))?.[1] ?? '?';
  const pidLine = await cli(ferrokv, 'INFO', 'server');
  const servedBy = Number(/^process_id:(\d+)/m.exec(pidLine)?.[1]);
  if (servedBy && servedBy !== ferrokv.pid) log(`warning: ferrokv reports pid ${servedBy}, measuring ${ferrokv.pid}`);
  log(`ferrokv pid ${ferrokv.pid} port ${ferrokv.port}; redis pid ${redis.pid} port ${redis.port}`);

  try {
    for (const server of [ferrokv, redis]) await loadScripts(server, tests);
    await warmUp([ferrokv, redis], tests);
    for (const test of tests) {
      for (const pipeline of pipelines) {
        const c = await cell([ferrokv, redis], test, pipeline);
        c.opsRatio = c.ferrokv.rps / c.redis.rps;
        c.cpuRatio = c.ferrokv.cpuUsPerOp / c.redis.cpuUsPerOp;
        report.results.push(c);
      }
    }
    if (opt.acl || aclOnly) {
      await createAclUser([ferrokv, redis]);
      // The same servers, driven as the ACL user (benchmark() logs in with `auth`).
      const asUser = [ferrokv, redis].map((s) => ({ ...s, auth: ACL_USER }));
      await warmUp(asUser, ACL_TESTS);
      for (const test of ACL_TESTS) {
        for (const pipeline of pipelines) {
          const c = await cell(asUser, test, pipeline);
          c.user = ACL_USER.user;
          c.opsRatio = c.ferrokv.rps / c.redis.rps;
          c.cpuRatio = c.ferrokv.cpuUsPerOp / c.redis.cpuUsPerOp;
          report.acl.push(c);
        }
      }
    }
    if (!opt['no-baseline'] && !aclOnly) {
      const ping = await startPingServer(root);
      try {
        await warmUp([ping], ['ping_mbulk']);
        for (const pipeline of pipelines) report.baseline.push(await cell([ping, ferrokv, redis], 'ping_mbulk', pipeline));
      } finally {
        await stop(ping);
      }
    }
  } finally {
    await Promise.all([stop(ferrokv), stop(redis)]);
  }
  if (!opt['no-memory'] && !aclOnly) report.memory = await memoryPerKey();
  if (opt.pubsub) {
    report.pubsub = await pubsubBench();
    log(`pub/sub:\n${pubsubMarkdown(report.pubsub)}`);
  }

  const redisVersion = /v=(\S+)/.exec(sh('redis-server', ['--version']))?.[1] ?? '?';
  const dirty = sh('git', ['-C', root, 'status', '--porcelain', '--', 'crates', 'ts', 'bin']) ? '-dirty' : '';
  report.meta = {
    date: new Date().toISOString().slice(0, 10),
    seconds: Math.round((Date.now() - started) / 1000),
    command: process.env.npm_lifecycle_event === 'bench' ? `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}` : `node bench/run.mjs ${argv.join(' ')}`.trim(),
    rounds, clients, scale, keys, goals: { ...GOALS, cpuRatio: { 1: GOALS.cpuRatio(1), 16: GOALS.cpuRatio(16) } },
    machine: {
      nproc: cpus().length,
      cpu: /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? '?',
      kernel: `Linux ${release()}`,
      loadavgAtStart,
    },
    versions: {
      ferrokv: ferrokvVersion, commit: `${sh('git', ['-C', root, 'rev-parse', '--short', 'HEAD'])}${dirty}`,
      node: process.versions.node, redis: redisVersion,
      redisBenchmark: /redis-benchmark (\S+)/.exec(sh('redis-benchmark', ['--version']))?.[1] ?? '?',
    },
  };

  const background = [...report.results, ...report.baseline].flatMap((c) => Object.values(c.samples).flat().map((x) => x.backgroundCores));
  report.meta.backgroundCores = background.length ? { median: median(background), max: Math.max(...background) } : null;
  if (report.meta.backgroundCores?.median > 0.1) {
    log(`warning: other processes used a median ${report.meta.backgroundCores.median.toFixed(2)} cores during the runs: ops/s are disturbed (CPU/op much less)`);
  }

  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  publish(report);
  log(`results in ${file} (${report.meta.seconds} s)`);
}

main().catch(async (err) => {
  log(err?.stack ?? String(err));
  await stopAll();
  process.exit(1);
});
