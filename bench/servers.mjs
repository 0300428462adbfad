// Starting, measuring and stopping the servers under test. Every server runs
// pinned to CPU 0 (`taskset -c 0` execs, so the child's pid is the server's),
// the load generator to CPU 1, and each server's CPU time comes from its own
// accounting in /proc (all threads: V8's GC and libuv's too for node).
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { join } from 'node:path';

export const SERVER_CPU = '0';
export const CLIENT_CPU = '1';
export const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

const live = new Set(); // children to stop whatever happens

/** utime + stime of a whole process, in seconds. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces; fields are counted after its closing paren.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // fields 14 and 15 of stat(5)
}

/** This process's own CPU time and that of its reaped children (redis-benchmark), in seconds. */
export function selfAndChildrenCpuSeconds() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  return { self: (f[11] + f[12]) / CLK_TCK, children: (f[13] + f[14]) / CLK_TCK }; // utime stime cutime cstime
}

/** CPU time the whole machine spent busy (all cores), in seconds: to see what else ran during a measurement. */
export function machineBusySeconds() {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return (user + nice + system + irq + softirq + steal) / CLK_TCK;
}

/** Resident set size in bytes (VmRSS). */
export function rssBytes(pid) {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

async function freePort() {
  const srv = createServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** Spawns `taskset -c 0 <cmd>` and resolves once `ready(outputSoFar)` returns a port. */
function startPinned(name, cmd, args, ready, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', SERVER_CPU, cmd, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let out = '';
    const timer = setTimeout(() => fail(new Error(`${name} did not start in 15 s:\n${out}`)), 15_000);
    const fail = (err) => {
      clearTimeout(timer);
      stop({ child }).finally(() => reject(err));
    };
    const onOutput = (chunk) => {
      out += chunk;
      const port = ready(out);
      if (port) {
        clearTimeout(timer);
        child.stdout.removeAllListeners('data');
        child.stderr.removeAllListeners('data');
        child.stdout.resume();
        child.stderr.resume();
        resolve({ name, child, pid: child.pid, port });
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      live.delete(child);
      fail(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${out}`));
    });
  });
}

/** Waits until the port accepts connections (redis-server prints "Ready" before listening on some builds). */
async function waitListening(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const s = createConnection({ port, host: '127.0.0.1' }, () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listening on port ${port}`);
}

export async function startRedis(extra = []) {
  const port = await freePort();
  const args = ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1', '--enable-debug-command', 'local', ...extra];
  const s = await startPinned('redis', 'redis-server', args, (out) => (/Ready to accept connections/.test(out) ? port : 0));
  await waitListening(port);
  return s;
}

export async function startFerrokv(root, extra = []) {
  const args = [join(root, 'bin', 'ferrokv.js'), '--port', '0', '--bind', '127.0.0.1', '--save', '', '--enable-debug-command', 'local', ...extra];
  const s = await startPinned('ferrokv', process.execPath, args, (out) => Number(/ port=(\d+) pid=(\d+)/.exec(out)?.[1] ?? 0), root);
  return s;
}

export async function startPingServer(root) {
  const args = [join(root, 'bench', 'ping-server.mjs')];
  return startPinned('node-ping', process.execPath, args, (out) => Number(/port=(\d+)/.exec(out)?.[1] ?? 0), root);
}

/** SIGTERM, then SIGKILL after 5 s. */
export function stop({ child }) {
  if (child.exitCode !== null || child.signalCode !== null) {
    live.delete(child);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      live.delete(child);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export const stopAll = () => Promise.all([...live].map((child) => stop({ child })));

/** Last resort on process exit: nothing async runs any more. */
export function killAllSync() {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}
