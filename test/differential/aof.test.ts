/**
 * Append-only files between ferrokv and a real redis-server (7.0 reads the
 * multi-part layout: manifest, RDB-preamble base, incremental files): an
 * AOF directory ferrokv wrote is loaded by redis-server with identical
 * contents, and one redis-server wrote (with and without the RDB preamble)
 * is loaded by ferrokv with identical contents, with the base as an RDB
 * preamble and as commands. The writes include every
 * command whose logged form differs from what was sent (relative expiry,
 * SPOP, INCRBYFLOAT, GETEX, XREADGROUP, MULTI/EXEC, several databases) and a rewrite
 * in the middle.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { type Endpoint, RawClient } from '../support/raw';
import { type Arg, elements, show, sortReply } from '../support/resp';
import { startFerro, tempDir } from '../support/servers';

const REDIS_SERVER = process.env.FERROKV_REDIS_SERVER ?? 'redis-server';
const DATABASES = [0, 1, 3];
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function freshDir(): string {
  const d = tempDir('ferrokv-aof-');
  dirs.push(d);
  return d;
}

/** Writes before the rewrite, and after it (those land in the new incremental file). */
const BEFORE: Arg[][] = [
  ['SET', 'str', 'hello'],
  ['SET', 'ttl-ex', 'x', 'EX', '100000'],
  ['SETEX', 'ttl-setex', '100000', 'y'],
  ['RPUSH', 'list', 'a', 'b', 'c', 'd'],
  ['LPOP', 'list'],
  ['HSET', 'hash', 'f1', 'v1', 'f2', 'v2'],
  ['HINCRBYFLOAT', 'hash', 'n', '1.1'],
  ['SADD', 'set', 'a', 'b', 'c', 'd', 'e'],
  ['SPOP', 'set'],
  ['ZADD', 'zset', '1', 'one', '2.5', 'two'],
  ['INCRBYFLOAT', 'float', '0.1'],
  ['INCRBYFLOAT', 'float', '0.2'],
  ['EXPIRE', 'hash', '100000'],
  ['SELECT', '1'],
  ['SET', 'db1', 'one'],
  ['MULTI'],
  ['INCR', 'counter'],
  ['INCR', 'counter'],
  ['RPUSH', 'db1-list', 'x'],
  ['EXEC'],
  ['SELECT', '0'],
];
const AFTER: Arg[][] = [
  ['SPOP', 'set', '2'],
  ['SET', 'after', 'rewrite', 'PX', '100000000'],
  ['GETEX', 'str', 'EX', '100000'],
  ['SET', 'gone', 'soon'],
  ['EXPIRE', 'gone', '-1'],
  ['SELECT', '3'],
  ['XADD', 'stream', '1-1', 'f', 'v'],
  ['XADD', 'stream', '2-1', 'f', 'v'],
  ['XGROUP', 'CREATE', 'stream', 'g', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 'stream', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'bob', 'NOACK', 'STREAMS', 'stream', '>'],
  ['SET', 'db3', 'three'],
  ['INCRBYFLOAT', 'db3-float', '1e3'],
  ['SELECT', '0'],
];

async function run(endpoint: Endpoint, cmds: Arg[][]): Promise<void> {
  const c = await RawClient.connect(endpoint);
  try {
    for (const cmd of cmds) {
      const reply = await c.call(...cmd);
      if (reply[0] === 0x2d) throw new Error(`${String(cmd[0])} failed: ${show(reply)}`);
    }
  } finally {
    c.close();
  }
}

async function call(endpoint: Endpoint, ...args: Arg[]): Promise<Buffer> {
  const c = await RawClient.connect(endpoint);
  try {
    return await c.call(...args);
  } finally {
    c.close();
  }
}

async function rewrite(endpoint: Endpoint): Promise<void> {
  const started = (await call(endpoint, 'BGREWRITEAOF')).toString();
  expect(started).toMatch(/^\+Background append only file rewriting (started|scheduled)/);
  while (!(await call(endpoint, 'INFO', 'persistence')).toString().includes('aof_rewrite_in_progress:0')) {
    await new Promise((r) => setTimeout(r, 20));
  }
  // Redis finishes the switch in its cron after the child exits.
  for (;;) {
    const info = (await call(endpoint, 'INFO', 'persistence')).toString();
    if (info.includes('aof_rewrite_scheduled:0') && /aof_rewrites:[1-9]/.test(info)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every database's keys, types, deadlines (to the second: both servers write absolute ones) and values. */
async function contents(endpoint: Endpoint): Promise<string[]> {
  const c = await RawClient.connect(endpoint);
  const out: string[] = [];
  try {
    for (const db of DATABASES) {
      await c.call('SELECT', db);
      const keys = sortReply(await c.call('KEYS', '*'));
      out.push(`db${db} ${show(keys)}`);
      for (const key of elements(keys).items) {
        const type = (await c.call('TYPE', key)).toString('latin1').trim();
        const at = show(await c.call('EXPIRETIME', key));
        let value: Buffer;
        if (type === '+string') value = await c.call('GET', key);
        else if (type === '+list') value = await c.call('LRANGE', key, 0, -1);
        else if (type === '+hash') value = sortReply(await c.call('HGETALL', key), true);
        else if (type === '+set') value = sortReply(await c.call('SMEMBERS', key));
        else if (type === '+zset') value = await c.call('ZRANGE', key, 0, -1, 'WITHSCORES');
        else value = Buffer.concat([await c.call('XRANGE', key, '-', '+'), await c.call('XINFO', 'GROUPS', key), await c.call('XPENDING', key, 'g')]);
        out.push(`db${db} ${show(key)} ${type} ${at} ${show(value)}`);
      }
    }
  } finally {
    c.close();
  }
  return out;
}

/** redis-server with AOF on in `dir`, on a unix socket; answers once its files are loaded. */
async function startRedisAof(dir: string, extra: string[] = []): Promise<{ path: string; stop(): Promise<void> }> {
  const path = join(dir, 'redis.sock');
  const log = join(dir, 'redis.log');
  const child = spawn(
    REDIS_SERVER,
    ['--port', '0', '--unixsocket', path, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir, '--logfile', log, ...extra],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const pong = (await call({ path }, 'PING')).toString('latin1');
      if (pong === '+PONG\r\n') break;
    } catch (e) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`redis-server did not start: ${(e as Error).message}\n${readFileSync(log, 'utf8')}`, { cause: e });
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    path,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

describe('AOF directories across servers', () => {
  for (const preamble of ['yes', 'no']) {
    it(`redis-server loads the AOF ferrokv wrote (aof-use-rdb-preamble ${preamble}), with identical contents`, async () => {
      const dir = freshDir();
      const ferro = await startFerro({ config: { dir, appendonly: 'yes', appendfsync: 'always', 'aof-use-rdb-preamble': preamble } });
      let expected: string[];
      try {
        const f = { port: ferro.port };
        await run(f, BEFORE);
        await rewrite(f);
        await run(f, AFTER);
        expected = await contents(f);
      } finally {
        await ferro.close();
      }
      expect(expected.join('\n')).toContain('db3');
      const redis = await startRedisAof(dir, ['--aof-use-rdb-preamble', preamble]);
      try {
        expect(await contents({ path: redis.path })).toEqual(expected);
      } finally {
        await redis.stop();
      }
    });
  }

  for (const preamble of ['yes', 'no']) {
    it(`ferrokv loads the AOF redis-server wrote (aof-use-rdb-preamble ${preamble}), with identical contents`, async () => {
      const dir = freshDir();
      const redis = await startRedisAof(dir, ['--aof-use-rdb-preamble', preamble]);
      let expected: string[];
      try {
        const r = { path: redis.path };
        await run(r, BEFORE);
        await rewrite(r);
        await run(r, AFTER);
        expected = await contents(r);
      } finally {
        // A crash: with appendfsync always everything acknowledged is on disk.
        await redis.stop();
      }
      const ferro = await startFerro({ config: { dir, appendonly: 'yes' } });
      try {
        expect(await contents({ port: ferro.port })).toEqual(expected);
      } finally {
        await ferro.close();
      }
    });
  }
});
