/**
 * Crash safety of `appendfsync always`: the real CLI (bin/ferrokv.js, which
 * runs dist/: `npm run build:ts` first) takes concurrent writes from several
 * clients, is killed with SIGKILL mid-load, and restarted on the same
 * directory: every write it acknowledged is there. Several rounds, each
 * adding to what the previous ones left. Also: a corrupt AOF stops the
 * startup with a clear message, and `check-aof --fix` cuts a torn tail.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Redis from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { type CliProcess, runCli, startCli, tempDir } from '../support/servers';

const CLIENTS = 6;
const ROUNDS = 3;
const dirs: string[] = [];
const running: CliProcess[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function freshDir(): string {
  const d = tempDir('ferrokv-aof-crash-');
  dirs.push(d);
  return d;
}

async function startIn(dir: string, extra: string[] = []): Promise<CliProcess> {
  const p = await startCli(['--port', '0', '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', ...extra]);
  running.push(p);
  return p;
}

/** One writer: SETs its own keys in turn (some pipelined in MULTI), recording each acknowledged one. */
async function writer(port: number, id: number, round: number, acked: Map<string, string>, stop: { now: boolean }): Promise<void> {
  const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, lazyConnect: true });
  client.on('error', () => {});
  await client.connect();
  let i = 0;
  try {
    while (!stop.now) {
      const key = `r${round}:c${id}:${i}`;
      const value = `v${i}`;
      if (i % 5 === 4) {
        // A transaction and a relative expiry: logged as MULTI/EXEC and PEXPIREAT.
        await client.multi().set(key, value).incr(`r${round}:c${id}:count`).exec();
        acked.set(key, value);
      } else {
        await client.set(key, value, 'EX', 100_000);
        acked.set(key, value);
      }
      i++;
    }
  } catch {
    // The server died: what was acknowledged before is what counts.
  } finally {
    client.disconnect();
  }
}

describe('kill -9 under concurrent writes with appendfsync always', () => {
  it('keeps every acknowledged write across several crashes', async () => {
    const dir = freshDir();
    const acked = new Map<string, string>();
    for (let round = 0; round < ROUNDS; round++) {
      const server = await startIn(dir);
      const stop = { now: false };
      const before = acked.size;
      const writers = Array.from({ length: CLIENTS }, (_, id) => writer(server.port, id, round, acked, stop));
      // Let writes flow until a good number is acknowledged, then crash.
      while (acked.size < before + 300) await new Promise((r) => setTimeout(r, 5));
      server.child.kill('SIGKILL');
      await server.exited;
      stop.now = true;
      await Promise.all(writers);
      running.splice(running.indexOf(server), 1);

      const restarted = await startIn(dir);
      const check = new Redis({ port: restarted.port, host: '127.0.0.1' });
      try {
        const keys = [...acked.keys()];
        const values = await check.mget(...keys);
        const missing = keys.filter((k, i) => values[i] !== acked.get(k));
        expect(missing).toEqual([]);
        const ttl = await check.ttl(keys.find((k) => !k.endsWith(':4'))!);
        expect(ttl).toBeGreaterThan(90_000);
      } finally {
        check.disconnect();
        await restarted.stop();
        running.splice(running.indexOf(restarted), 1);
      }
    }
    expect(acked.size).toBeGreaterThanOrEqual(ROUNDS * 300);
  }, 120_000);
});

describe('damaged AOF files', () => {
  async function aofWith(dir: string): Promise<string> {
    const server = await startIn(dir);
    const c = new Redis({ port: server.port, host: '127.0.0.1' });
    for (let i = 0; i < 20; i++) await c.set(`k${i}`, `v${i}`);
    c.disconnect();
    await server.stop();
    running.splice(running.indexOf(server), 1);
    const aofDir = join(dir, 'appendonlydir');
    return join(aofDir, readdirSync(aofDir).find((f) => f.endsWith('.incr.aof'))!);
  }

  it('a corrupt file refuses to start with a clear message; nothing loads', async () => {
    const dir = freshDir();
    const incr = await aofWith(dir);
    const bytes = readFileSync(incr);
    bytes.write('!!', Math.floor(bytes.length / 2), 'latin1');
    writeFileSync(incr, bytes);
    await expect(startIn(dir)).rejects.toThrow(/Bad file format reading the append only file/);
    const report = runCli(['check-aof', join(dir, 'appendonlydir', 'appendonly.aof.manifest')]);
    expect(report.status).toBe(1);
    expect(report.stdout).toContain('is not valid');
  }, 60_000);

  it('a torn tail loads with a warning, or is cut by check-aof --fix', async () => {
    const dir = freshDir();
    const incr = await aofWith(dir);
    const whole = readFileSync(incr);
    writeFileSync(incr, whole.subarray(0, whole.length - 3));
    await expect(startIn(dir, ['--aof-load-truncated', 'no'])).rejects.toThrow(/Unexpected end of file/);
    const manifest = join(dir, 'appendonlydir', 'appendonly.aof.manifest');
    expect(runCli(['check-aof', manifest]).status).toBe(1);
    const fixed = runCli(['check-aof', '--fix', manifest]);
    expect(fixed.status).toBe(0);
    expect(fixed.stdout).toContain('Successfully truncated');
    expect(runCli(['check-aof', manifest]).stdout).toContain('All AOF files and manifest are valid');
    const server = await startIn(dir, ['--aof-load-truncated', 'no']);
    const c = new Redis({ port: server.port, host: '127.0.0.1' });
    try {
      expect(await c.dbsize()).toBe(19);
      expect(await c.get('k18')).toBe('v18');
    } finally {
      c.disconnect();
    }
  }, 60_000);
});
