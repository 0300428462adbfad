/**
 * The AOF as a client and an operator see it, in-process: CONFIG SET
 * appendonly yes at runtime (a rewrite, then logging), BGREWRITEAOF while
 * clients keep writing, INFO persistence's aof_* fields, QUIT's reply
 * arriving under appendfsync always, a restart on the same directory
 * holding everything, and -LOADING while a large AOF loads at startup.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

import { RawClient } from '../support/raw';
import { startFerro, tempDir } from '../support/servers';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function freshDir(): string {
  const d = tempDir('ferrokv-aof-int-');
  dirs.push(d);
  return d;
}

function infoField(info: string, name: string): string {
  const m = new RegExp(`^${name}:(.*)\\r?$`, 'm').exec(info);
  if (!m) throw new Error(`INFO has no ${name}`);
  return m[1];
}

/** A port of 127.0.0.1 free right now (the test starts the server on it). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (!address || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

/** Connects as soon as something listens on `port`. */
async function connectWhenListening(port: number): Promise<RawClient> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await RawClient.connect({ port });
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 1));
    }
  }
}

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('AOF at runtime', () => {
  it('CONFIG SET appendonly yes starts with a rewrite, then logs every write', async () => {
    const dir = freshDir();
    const server = await startFerro({ config: { dir } });
    const c = new Redis({ port: server.port, host: '127.0.0.1' });
    try {
      await c.set('before', '1');
      expect(infoField(await c.info('persistence'), 'aof_enabled')).toBe('0');
      expect(await c.config('SET', 'appendonly', 'yes')).toBe('OK');
      await until(async () => {
        const info = await c.info('persistence');
        return infoField(info, 'aof_enabled') === '1' && infoField(info, 'aof_rewrites') === '1';
      });
      await c.set('after', '2');
      const info = await c.info('persistence');
      expect(infoField(info, 'aof_last_bgrewrite_status')).toBe('ok');
      expect(infoField(info, 'aof_last_write_status')).toBe('ok');
      expect(Number(infoField(info, 'aof_current_size'))).toBeGreaterThan(0);
      const manifest = readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'utf8');
      expect(manifest).toMatch(/^file appendonly\.aof\.\d+\.base\.rdb seq \d+ type b\nfile appendonly\.aof\.\d+\.incr\.aof seq \d+ type i\n$/);
    } finally {
      c.disconnect();
      await server.close();
    }
    const again = await startFerro({ config: { dir, appendonly: 'yes' } });
    const r = new Redis({ port: again.port, host: '127.0.0.1' });
    try {
      expect(await r.mget('before', 'after')).toEqual(['1', '2']);
    } finally {
      r.disconnect();
      await again.close();
    }
  });

  it('BGREWRITEAOF runs while clients keep writing; nothing is lost', async () => {
    const dir = freshDir();
    const server = await startFerro({ config: { dir, appendonly: 'yes', appendfsync: 'always' } });
    const c = new Redis({ port: server.port, host: '127.0.0.1' });
    try {
      const pipeline = c.pipeline();
      for (let i = 0; i < 5000; i++) pipeline.rpush('list', `item-${i}`);
      await pipeline.exec();
      expect(await c.bgrewriteaof()).toBe('Background append only file rewriting started');
      for (let i = 0; i < 200; i++) await c.incr('during');
      await until(async () => infoField(await c.info('persistence'), 'aof_rewrite_in_progress') === '0');
      expect(readdirSync(join(dir, 'appendonlydir')).sort()).toEqual([
        'appendonly.aof.2.base.rdb',
        'appendonly.aof.2.incr.aof',
        'appendonly.aof.manifest',
      ]);
    } finally {
      c.disconnect();
      await server.close();
    }
    const again = await startFerro({ config: { dir, appendonly: 'yes' } });
    const r = new Redis({ port: again.port, host: '127.0.0.1' });
    try {
      expect(await r.llen('list')).toBe(5000);
      expect(await r.get('during')).toBe('200');
    } finally {
      r.disconnect();
      await again.close();
    }
  });

  it('replies held for the sync keep their order, and QUIT still answers', async () => {
    const dir = freshDir();
    const server = await startFerro({ config: { dir, appendonly: 'yes', appendfsync: 'always' } });
    try {
      const c = await RawClient.connect({ port: server.port });
      const replies = await c.pipeline([['SET', 'k', 'v'], ['GET', 'k'], ['INCR', 'n'], ['QUIT']]);
      expect(replies.map((r) => r.toString('latin1'))).toEqual(['+OK\r\n', '$1\r\nv\r\n', ':1\r\n', '+OK\r\n']);
      c.close();
      expect(existsSync(join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('a client connecting while a large AOF loads gets -LOADING, then the data', async () => {
    const dir = freshDir();
    // An old-style single AOF of ~32 MB: the load replays it a megabyte per event-loop turn.
    const keys = 240_000;
    const value = 'v'.repeat(100);
    const parts: string[] = [];
    for (let i = 0; i < keys; i++) {
      const key = `key:${i}`;
      parts.push(`*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${value.length}\r\n${value}\r\n`);
    }
    const file = join(dir, 'appendonly.aof');
    writeFileSync(file, parts.join(''));
    const size = statSync(file).size;
    const port = await freePort();
    const starting = startFerro({ port, config: { dir, appendonly: 'yes' } });
    let client: RawClient | undefined;
    try {
      client = await connectWhenListening(port);
      // One pipeline, so both are answered in the same turn of the load.
      const [ping, info] = await client.pipeline([['PING'], ['INFO', 'persistence']]);
      expect(ping.toString('latin1')).toBe('-LOADING Redis is loading the dataset in memory\r\n');
      const text = info.toString('latin1');
      expect(infoField(text, 'loading')).toBe('1');
      expect(Number(infoField(text, 'loading_total_bytes'))).toBe(size);
      const loaded = Number(infoField(text, 'loading_loaded_bytes'));
      expect(loaded).toBeGreaterThanOrEqual(0);
      expect(loaded).toBeLessThan(size);
      expect(Number(infoField(text, 'loading_loaded_perc'))).toBeLessThan(100);
      const server = await starting;
      try {
        expect((await client.call('GET', `key:${keys - 1}`)).toString('latin1')).toBe(`$100\r\n${value}\r\n`);
        expect((await client.call('DBSIZE')).toString('latin1')).toBe(`:${keys}\r\n`);
        expect(infoField((await client.call('INFO', 'persistence')).toString('latin1'), 'loading')).toBe('0');
        // The old file moved into the AOF directory, now opened for appending.
        expect(existsSync(join(dir, 'appendonlydir', 'appendonly.aof'))).toBe(true);
        expect((await client.call('SET', 'after', '1')).toString('latin1')).toBe('+OK\r\n');
      } finally {
        client.close();
        await server.close();
      }
    } catch (e) {
      client?.close();
      await starting.then((s) => s.close(), () => undefined);
      throw e;
    }
  });
});
