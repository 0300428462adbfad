// The load generator and the small admin calls, both through the Redis tools
// themselves (redis-benchmark pinned to the client CPU, redis-cli for INFO/DEBUG).
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';

import { CLIENT_CPU, cpuSeconds, machineBusySeconds, selfAndChildrenCpuSeconds } from './servers.mjs';

const run = promisify(execFile);

/**
 * Tests redis-benchmark has no `-t` name for, run as its custom commands
 * (`__rand_int__` becomes a number below `-r` on every request). Its CSV
 * names them by their command line, which starts with the test's name.
 * `__rand_int__` is zero-padded, which no integer argument accepts, so the
 * bitmaps vary by key: SETBIT writes 128-byte bitmaps that BITCOUNT then
 * counts; PFADD fills the HyperLogLog PFCOUNT reads; "13.__rand_int__" is a
 * longitude near 13° for GEOADD. XADD appends to one stream; XRANGE reads
 * the first 10 entries of a stream filled beforehand (see PREFILLED).
 */
export const CUSTOM_TESTS = {
  setbit: ['SETBIT', 'bench:bits:__rand_int__', '1023', '1'],
  bitcount: ['BITCOUNT', 'bench:bits:__rand_int__'],
  pfadd: ['PFADD', 'bench:hll', 'element:__rand_int__'],
  pfcount: ['PFCOUNT', 'bench:hll'],
  geoadd: ['GEOADD', 'bench:geo', '13.__rand_int__', '38.__rand_int__', 'member:__rand_int__'],
  xadd: ['XADD', 'bench:stream', '*', 'field', '__rand_int__'],
  xrange_10: ['XRANGE', 'bench:xrange', '-', '+', 'COUNT', '10'],
};

/**
 * Tests that run a Lua script with EVALSHA (issue #6): a small read, and the
 * INCR + EXPIRE of a fixed-window rate limiter. `loadScripts` puts them in
 * each server's script cache first; redis-benchmark then sends the command.
 */
export const SCRIPTED = {
  evalsha_get: { body: "return redis.call('GET', KEYS[1])", args: ['1', 'key:__rand_int__'] },
  evalsha_ratelimit: {
    body: "local n = redis.call('INCR', KEYS[1])\nif n == 1 then redis.call('EXPIRE', KEYS[1], 60) end\nreturn n",
    args: ['1', 'rl:__rand_int__'],
  },
};

const sha1 = (text) => createHash('sha1').update(text).digest('hex');

/** SCRIPT LOAD of every scripted test among `tests`. */
export async function loadScripts(server, tests) {
  for (const test of tests) {
    const script = SCRIPTED[test];
    if (script && (await cli(server, 'SCRIPT', 'LOAD', script.body)) !== sha1(script.body)) {
      throw new Error(`${server.name}: SCRIPT LOAD of ${test} returned another digest`);
    }
  }
}

/**
 * One redis-benchmark run against one server, with that server's CPU time
 * read from /proc just before and just after. Also what the load generator
 * used, and what everything else on the machine did meanwhile (`backgroundCores`:
 * anything well above 0 means another process competed for the two CPUs).
 */
export async function benchmark(server, { test, requests, pipeline, clients }) {
  await prefill(server, test);
  const script = SCRIPTED[test];
  const command = CUSTOM_TESTS[test] ?? (script ? ['EVALSHA', sha1(script.body), ...script.args] : ['-t', test]);
  const args = ['-c', CLIENT_CPU, 'redis-benchmark', '-h', '127.0.0.1', '-p', String(server.port), '--csv',
    '-n', String(requests), '-P', String(pipeline), '-c', String(clients), '-r', '100000', ...command];
  const cpu0 = cpuSeconds(server.pid);
  const mine0 = selfAndChildrenCpuSeconds();
  const busy0 = machineBusySeconds();
  // A server handle with `auth` ({ user, password }, see --acl in run.mjs): every connection logs in first.
  if (server.auth) args.splice(args.indexOf('--csv'), 0, '--user', server.auth.user, '-a', server.auth.password);
  const t0 = process.hrtime.bigint();
  const { stdout } = await run('taskset', args, { maxBuffer: 1 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = cpuSeconds(server.pid) - cpu0;
  const busy = machineBusySeconds() - busy0;
  const mine1 = selfAndChildrenCpuSeconds();
  const client = mine1.children - mine0.children;
  const background = Math.max(0, busy - cpu - client - (mine1.self - mine0.self));
  // --csv: a header line, then "TEST","rps",... (MSET's test is "MSET (10 keys)").
  const row = stdout.trim().split('\n').map((l) => l.split(',').map((f) => f.replace(/"/g, '')))
    .find((f) => f[0].toLowerCase().startsWith(test.split('_')[0]) && f[0] !== 'test');
  const rps = Number(row?.[1]);
  if (!Number.isFinite(rps) || rps <= 0) throw new Error(`no result from redis-benchmark ${args.slice(2).join(' ')}:\n${stdout}`);
  return { rps, cpuUsPerOp: (cpu * 1e6) / requests, cpuSeconds: cpu, wallSeconds: wall, utilization: cpu / wall,
    clientUtilization: client / wall, backgroundCores: background / wall };
}

export async function cli(server, ...args) {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(server.port), ...args], { maxBuffer: 16 << 20 });
  return stdout.trim();
}

/** One command in RESP. */
export const resp = (args) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;

/** Sends `data` (RESP commands) through `redis-cli --pipe`; rejects if any command failed. */
export function pipe(server, data) {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', ['-h', '127.0.0.1', '-p', String(server.port), '--pipe'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && /errors: 0,/.test(out) ? resolve() : reject(new Error(`${server.name}: redis-cli --pipe: ${out.trim()}`))));
    child.stdin.end(data);
  });
}

/** INFO memory's used_memory, in bytes. */
export async function usedMemory(server) {
  const m = /^used_memory:(\d+)/m.exec(await cli(server, 'INFO', 'memory'));
  if (!m) throw new Error(`${server.name}: no used_memory in INFO memory`);
  return Number(m[1]);
}

/** Streams a read test needs before it runs, by test: key and entries. */
const PREFILLED = {
  xrange_10: { key: 'bench:xrange', entries: 100 },
};

/** Fills the stream `test` reads, once per server, outside any measurement. */
async function prefill(server, test) {
  const stream = PREFILLED[test];
  if (!stream || Number(await cli(server, 'XLEN', stream.key)) >= stream.entries) return;
  await cli(server, '-r', String(stream.entries), 'XADD', stream.key, '*', 'name', 'entry', 'n', '12345');
}
