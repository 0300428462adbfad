// The load generator and the small admin calls, both through the Redis tools
// themselves (redis-benchmark pinned to the client CPU, redis-cli for INFO/DEBUG).
import { execFile } from 'node:child_process';
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
 * longitude near 13° for GEOADD.
 */
export const CUSTOM_TESTS = {
  setbit: ['SETBIT', 'bench:bits:__rand_int__', '1023', '1'],
  bitcount: ['BITCOUNT', 'bench:bits:__rand_int__'],
  pfadd: ['PFADD', 'bench:hll', 'element:__rand_int__'],
  pfcount: ['PFCOUNT', 'bench:hll'],
  geoadd: ['GEOADD', 'bench:geo', '13.__rand_int__', '38.__rand_int__', 'member:__rand_int__'],
};

/**
 * One redis-benchmark run against one server, with that server's CPU time
 * read from /proc just before and just after. Also what the load generator
 * used, and what everything else on the machine did meanwhile (`backgroundCores`:
 * anything well above 0 means another process competed for the two CPUs).
 */
export async function benchmark(server, { test, requests, pipeline, clients }) {
  const custom = CUSTOM_TESTS[test];
  const args = ['-c', CLIENT_CPU, 'redis-benchmark', '-h', '127.0.0.1', '-p', String(server.port), '--csv',
    '-n', String(requests), '-P', String(pipeline), '-c', String(clients), '-r', '100000', ...(custom ?? ['-t', test])];
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

/** INFO memory's used_memory, in bytes. */
export async function usedMemory(server) {
  const m = /^used_memory:(\d+)/m.exec(await cli(server, 'INFO', 'memory'));
  if (!m) throw new Error(`${server.name}: no used_memory in INFO memory`);
  return Number(m[1]);
}
