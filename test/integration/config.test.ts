/**
 * CONFIG as a client sees it: GET with glob patterns in RESP2 and RESP3,
 * SET (valid, invalid, immutable, unknown) taking effect, RESETSTAT, and
 * REWRITE of the file the server was started from. (Byte-exact error texts
 * and the rewritten file are checked against redis-server in the
 * differential suite.)
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FerroServer, RunningServer } from '../../ts/index';
import { RawClient } from '../support/raw';
import { startFerro, startFerroWithConfigFile, tempDir } from '../support/servers';

let server: RunningServer;
let redis: Redis;
beforeAll(async () => {
  server = await startFerro();
  redis = new Redis({ port: server.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
});
afterAll(async () => {
  redis?.disconnect();
  await server?.close();
});

describe('CONFIG GET', () => {
  it('matches glob patterns case-insensitively, as a flat array in RESP2', async () => {
    const reply = (await redis.call('CONFIG', 'GET', 'maxmemory*')) as string[];
    const pairs = new Map<string, string>();
    for (let i = 0; i < reply.length; i += 2) pairs.set(reply[i], reply[i + 1]);
    expect([...pairs.keys()].sort()).toEqual(['maxmemory', 'maxmemory-clients', 'maxmemory-eviction-tenacity', 'maxmemory-policy', 'maxmemory-samples']);
    expect(pairs.get('maxmemory-policy')).toBe('noeviction');
    expect(await redis.call('CONFIG', 'GET', 'M?XMEMORY')).toEqual(['maxmemory', '0']);
    expect(await redis.call('CONFIG', 'GET', 'h[xyz]')).toEqual(['hz', '10']);
    expect(await redis.call('CONFIG', 'GET', 'nosuch*')).toEqual([]);
    const all = (await redis.call('CONFIG', 'GET', '*')) as string[];
    expect(all.length).toBeGreaterThan(300);
    expect(all.length % 2).toBe(0);
  });

  it('is a map in RESP3', async () => {
    const c = await RawClient.connect({ port: server.port });
    await c.call('HELLO', '3');
    expect((await c.call('CONFIG', 'GET', 'hz', 'maxmemory')).toString()).toBe('%2\r\n$2\r\nhz\r\n$2\r\n10\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n');
    expect((await c.call('CONFIG', 'GET', 'nosuch')).toString()).toBe('%0\r\n');
    c.close();
  });
});

describe('CONFIG SET', () => {
  it('changes a value, normalized as Redis shows it', async () => {
    expect(await redis.config('SET', 'maxmemory', '10mb')).toBe('OK');
    expect(await redis.config('GET', 'maxmemory')).toEqual(['maxmemory', '10485760']);
    expect(await redis.call('CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'ALLKEYS-LRU')).toBe('OK');
    expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lru']);
    await redis.config('SET', 'maxmemory-policy', 'noeviction');
  });

  it('refuses an invalid value, an immutable directive and an unknown one, changing nothing', async () => {
    await expect(redis.config('SET', 'hz', 'fast')).rejects.toThrow("ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer");
    await expect(redis.config('SET', 'daemonize', 'yes')).rejects.toThrow("ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config");
    await expect(redis.config('SET', 'nosuch', '1')).rejects.toThrow("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
    // All or nothing: the valid first pair is not applied either.
    await expect(redis.call('CONFIG', 'SET', 'maxmemory', '5mb', 'appendonly', 'maybe')).rejects.toThrow("argument 'appendonly') - argument must be 'yes' or 'no'");
    expect(await redis.config('GET', 'maxmemory')).toEqual(['maxmemory', '0']);
  });

  it('takes effect: a lower proto-max-bulk-len refuses bigger bulks', async () => {
    await redis.config('SET', 'proto-max-bulk-len', '1mb');
    const c = await RawClient.connect({ port: server.port });
    c.write(`*2\r\n$4\r\nECHO\r\n$${2 * 1024 * 1024}\r\n`);
    expect((await c.untilClosed()).toString()).toBe('-ERR Protocol error: invalid bulk length\r\n');
    await redis.config('SET', 'proto-max-bulk-len', '512mb');
  });
});

describe('CONFIG RESETSTAT', () => {
  it('zeroes the counters INFO shows; the RESETSTAT itself is the first counted', async () => {
    await redis.set('k', 'v');
    await redis.get('k');
    await redis.get('nosuch');
    await expect(redis.call('NOSUCHCMD')).rejects.toThrow("ERR unknown command 'NOSUCHCMD'");
    const before = await redis.info('stats');
    expect(before).toMatch(/keyspace_hits:[1-9]/);
    expect(before).toMatch(/total_error_replies:[1-9]/);
    expect(await redis.config('RESETSTAT')).toBe('OK');
    const after = await redis.info('stats');
    expect(after).toContain('total_commands_processed:1\r\n');
    expect(after).toContain('keyspace_hits:0\r\n');
    expect(after).toContain('keyspace_misses:0\r\n');
    expect(after).toContain('total_error_replies:0\r\n');
    const commandstats = await redis.info('commandstats');
    expect(commandstats).toMatch(/cmdstat_config\|resetstat:calls=1,/);
    expect(commandstats).not.toContain('cmdstat_get');
    expect(await redis.info('errorstats')).toBe('# Errorstats\r\n');
  });
});

describe('CONFIG REWRITE', () => {
  it('refuses without a config file', async () => {
    await expect(redis.config('REWRITE')).rejects.toThrow('ERR The server is running without a config file');
  });

  describe('with a config file', () => {
    let dir: string;
    let file: string;
    let fromFile: FerroServer;
    beforeAll(async () => {
      dir = tempDir();
      file = join(dir, 'redis.conf');
      writeFileSync(file, '# top comment\nmaxmemory 1mb\n\n# about hz\nhz 20\nhz 25\nloglevel warning\n');
      fromFile = await startFerroWithConfigFile(file);
    });
    afterAll(async () => {
      await fromFile?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps comments and order, rewrites values in place and appends new ones', async () => {
      const c = new Redis({ port: fromFile.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
      expect(await c.config('GET', 'hz')).toEqual(['hz', '25']);
      await c.config('SET', 'maxmemory', '2gb');
      await c.config('SET', 'hz', '50');
      await c.config('SET', 'maxmemory-policy', 'allkeys-lfu');
      expect(await c.config('REWRITE')).toBe('OK');
      c.disconnect();
      expect(readFileSync(file, 'utf8')).toBe(
        [
          '# top comment',
          'maxmemory 2gb',
          '',
          '# about hz',
          'hz 50',
          '',
          'loglevel warning',
          '',
          '# Generated by CONFIG REWRITE',
          'bind 127.0.0.1',
          'port 0',
          'maxmemory-policy allkeys-lfu',
          'latency-tracking-info-percentiles 50 99 99.9',
          // Redis writes every ACL user, the default one included.
          'user default on nopass sanitize-payload ~* &* +@all',
          '',
        ].join('\n'),
      );
    });
  });
});
