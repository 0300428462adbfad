/**
 * Persistence as an operator sees it: the dataset saved on SHUTDOWN and
 * SIGTERM (when save points are set or SAVE is asked) and loaded back at
 * startup from `dir`/`dbfilename`, SHUTDOWN NOSAVE leaving no file, and a
 * corrupt dump.rdb refusing the start with the reason.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { RawClient } from '../support/raw';
import { type CliProcess, runCli, startCli, startFerro, tempDir } from '../support/servers';

const dirs: string[] = [];
const running: CliProcess[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function freshDir(): string {
  const d = tempDir('ferrokv-persist-');
  dirs.push(d);
  return d;
}

async function cli(args: string[]): Promise<CliProcess> {
  const p = await startCli(args);
  running.push(p);
  return p;
}

async function send(port: number, ...args: string[]): Promise<string> {
  const c = await RawClient.connect({ port });
  try {
    return (await c.call(...args)).toString('latin1');
  } finally {
    c.close();
  }
}

/** Sends SHUTDOWN (no reply comes unless it is refused). */
async function shutdown(port: number, ...opts: string[]): Promise<void> {
  const c = await RawClient.connect({ port });
  await c.call('SHUTDOWN', ...opts).catch(() => undefined);
  c.close();
}

describe('saving on the way out, loading on the way in', () => {
  it('SHUTDOWN SAVE writes dump.rdb and the next start loads it', async () => {
    const dir = freshDir();
    const first = await cli(['--port', '0', '--save', '', '--dir', dir]);
    expect(await send(first.port, 'SET', 'greeting', 'hello')).toBe('+OK\r\n');
    expect(await send(first.port, 'RPUSH', 'list', 'a', 'b')).toBe(':2\r\n');
    await shutdown(first.port, 'SAVE');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('DB saved on disk');
    expect(existsSync(join(dir, 'dump.rdb'))).toBe(true);
    const second = await cli(['--port', '0', '--save', '', '--dir', dir]);
    expect(await send(second.port, 'GET', 'greeting')).toBe('$5\r\nhello\r\n');
    expect(await send(second.port, 'LRANGE', 'list', '0', '-1')).toBe('*2\r\n$1\r\na\r\n$1\r\nb\r\n');
    expect(second.output()).toContain('DB loaded from disk');
  });

  it('SHUTDOWN NOSAVE leaves no file, even with save points', async () => {
    const dir = freshDir();
    const p = await cli(['--port', '0', '--save', '3600 1', '--dir', dir]);
    await send(p.port, 'SET', 'k', 'v');
    await shutdown(p.port, 'NOSAVE');
    expect(await p.exited).toBe(0);
    expect(existsSync(join(dir, 'dump.rdb'))).toBe(false);
  });

  it('SIGTERM saves when save points are set', async () => {
    const dir = freshDir();
    const p = await cli(['--port', '0', '--save', '3600 1', '--dir', dir, '--dbfilename', 'mine.rdb']);
    await send(p.port, 'SET', 'k', 'v');
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(readFileSync(join(dir, 'mine.rdb')).subarray(0, 9).toString()).toBe('REDIS0010');
  });

  it('SHUTDOWN refuses to exit when the save fails, unless FORCE', async () => {
    const dir = freshDir();
    const p = await cli(['--port', '0', '--save', '3600 1', '--dir', dir]);
    rmSync(dir, { recursive: true, force: true });
    const c = await RawClient.connect({ port: p.port });
    expect((await c.call('SHUTDOWN')).toString()).toBe('-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
    expect((await c.call('PING')).toString()).toBe('+PONG\r\n');
    await c.call('SHUTDOWN', 'FORCE').catch(() => undefined);
    c.close();
    expect(await p.exited).toBe(0);
  });

  it('a corrupt dump.rdb stops the start with the reason', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'dump.rdb'), Buffer.from('REDIS0010\xfe\x00\x00\x01k', 'latin1'));
    const r = runCli(['--port', '0', '--save', '', '--dir', dir]);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toContain('Bad RDB file');
  });

  it('an embedded server loads its dir at startup and reports it in INFO', async () => {
    const dir = freshDir();
    const first = await startFerro({ config: { dir } });
    await send(first.port, 'MSET', 'a', '1', 'b', '2');
    expect(await send(first.port, 'SAVE')).toBe('+OK\r\n');
    await first.close();
    const second = await startFerro({ config: { dir } });
    try {
      expect(await send(second.port, 'MGET', 'a', 'b')).toBe('*2\r\n$1\r\n1\r\n$1\r\n2\r\n');
      const info = await send(second.port, 'INFO', 'persistence');
      expect(info).toContain('loading:0\r\n');
      expect(info).toMatch(/rdb_last_load_keys_loaded:\d+\r\n/);
    } finally {
      await second.close();
    }
  });
});

describe('BGSAVE while clients write', () => {
  it('the file holds the dataset as it was when BGSAVE began', async () => {
    const dir = freshDir();
    const server = await cli(['--port', '0', '--save', '', '--dir', dir, '--enable-debug-command', 'yes']);
    const c = await RawClient.connect({ port: server.port });
    try {
      expect((await c.call('DEBUG', 'POPULATE', '200000')).toString()).toBe('+OK\r\n');
      expect((await c.call('BGSAVE')).toString()).toBe('+Background saving started\r\n');
      // Overwrite, delete and add keys while the save walks the keyspace.
      for (let batch = 0; batch < 20; batch++) {
        const cmds: string[][] = [];
        for (let i = batch * 1000; i < (batch + 1) * 1000; i++) {
          cmds.push(['SET', `key:${i}`, 'changed'], ['DEL', `key:${i + 100_000}`], ['SET', `new:${i}`, 'x']);
        }
        await c.pipeline(cmds);
      }
      let info = '';
      for (let i = 0; i < 500; i++) {
        info = (await c.call('INFO', 'persistence')).toString();
        if (info.includes('rdb_bgsave_in_progress:0')) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(info).toContain('rdb_bgsave_in_progress:0');
      expect(info).toContain('rdb_last_bgsave_status:ok');
      // 20,000 keys deleted and 20,000 added since.
      expect((await c.call('EXISTS', 'key:100000', 'new:0')).toString()).toBe(':1\r\n');
      expect((await c.call('DEBUG', 'RELOAD', 'NOSAVE')).toString()).toBe('+OK\r\n');
      expect((await c.call('DBSIZE')).toString()).toBe(':200000\r\n');
      const replies = await c.pipeline([
        ['GET', 'key:0'],
        ['GET', 'key:19999'],
        ['GET', 'key:100000'],
        ['GET', 'key:199999'],
        ['EXISTS', 'new:0'],
      ]);
      expect(replies.map((r) => r.toString())).toEqual([
        '$7\r\nvalue:0\r\n',
        '$11\r\nvalue:19999\r\n',
        '$12\r\nvalue:100000\r\n',
        '$12\r\nvalue:199999\r\n',
        ':0\r\n',
      ]);
    } finally {
      c.close();
    }
  });
});
