/**
 * What an application sees through ioredis: strings with options, counters,
 * expiry, big pipelines, binary-safe and large values.
 */
import Redis from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { RunningServer } from '../../ts/index';
import { startFerro } from '../support/servers';

let server: RunningServer;
let redis: Redis;

beforeAll(async () => {
  server = await startFerro({ frozenClock: true });
  redis = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  await redis.connect();
});
afterAll(async () => {
  redis?.disconnect();
  await server?.close();
});
beforeEach(async () => {
  await redis.flushall();
});

describe('GET and SET', () => {
  it('sets, gets and overwrites', async () => {
    expect(await redis.set('k', 'v')).toBe('OK');
    expect(await redis.get('k')).toBe('v');
    expect(await redis.set('k', 'w')).toBe('OK');
    expect(await redis.get('k')).toBe('w');
    expect(await redis.get('missing')).toBeNull();
  });

  it('honours NX, XX and GET', async () => {
    expect(await redis.set('k', '1', 'NX')).toBe('OK');
    expect(await redis.set('k', '2', 'NX')).toBeNull();
    expect(await redis.set('other', '2', 'XX')).toBeNull();
    expect(await redis.set('k', '3', 'XX')).toBe('OK');
    expect(await redis.set('k', '4', 'GET')).toBe('3');
    expect(await redis.get('k')).toBe('4');
  });

  it('sets expiry with EX, PX, EXAT, PXAT and keeps it with KEEPTTL', async () => {
    const now = server.clock.now();
    await redis.set('ex', 'v', 'EX', 100);
    expect(await redis.ttl('ex')).toBe(100);
    await redis.set('px', 'v', 'PX', 1500);
    expect(await redis.pttl('px')).toBe(1500);
    await redis.set('exat', 'v', 'EXAT', Math.floor(now / 1000) + 50);
    expect(await redis.expiretime('exat')).toBe(Math.floor(now / 1000) + 50);
    await redis.set('pxat', 'v', 'PXAT', now + 2500);
    expect(await redis.pexpiretime('pxat')).toBe(now + 2500);
    await redis.set('ex', 'w', 'KEEPTTL');
    expect(await redis.ttl('ex')).toBe(100);
    await redis.set('ex', 'x');
    expect(await redis.ttl('ex')).toBe(-1);
  });

  it('rejects bad options with Redis errors', async () => {
    await expect(redis.set('k', 'v', 'EX', 0)).rejects.toThrow("ERR invalid expire time in 'set' command");
    await expect(redis.call('SET', 'k', 'v', 'NX', 'XX')).rejects.toThrow('ERR syntax error');
    await expect(redis.call('SET', 'k', 'v', 'EX', 'ten')).rejects.toThrow('ERR value is not an integer or out of range');
  });
});

describe('MGET MSET MSETNX', () => {
  it('sets and reads many keys at once', async () => {
    expect(await redis.mset({ a: '1', b: '2', c: '3' })).toBe('OK');
    expect(await redis.mget('a', 'b', 'nosuch', 'c')).toEqual(['1', '2', null, '3']);
    expect(await redis.msetnx('c', 'x', 'd', '4')).toBe(0);
    expect(await redis.exists('d')).toBe(0);
    expect(await redis.msetnx('d', '4', 'e', '5')).toBe(1);
    expect(await redis.mget('d', 'e')).toEqual(['4', '5']);
  });
});

describe('INCR family', () => {
  it('counts up and down', async () => {
    expect(await redis.incr('n')).toBe(1);
    expect(await redis.incrby('n', 10)).toBe(11);
    expect(await redis.decr('n')).toBe(10);
    expect(await redis.decrby('n', 20)).toBe(-10);
    expect(await redis.incrbyfloat('f', '1.5')).toBe('1.5');
    expect(await redis.incrbyfloat('f', '-0.25')).toBe('1.25');
    expect(await redis.incrbyfloat('f', '1e2')).toBe('101.25');
  });

  it('refuses what is not an integer and what would overflow', async () => {
    await redis.set('s', 'abc');
    await expect(redis.incr('s')).rejects.toThrow('ERR value is not an integer or out of range');
    await redis.set('max', '9223372036854775807');
    await expect(redis.incr('max')).rejects.toThrow('ERR increment or decrement would overflow');
    await expect(redis.incrbyfloat('s', '1')).rejects.toThrow('ERR value is not a valid float');
  });
});

describe('EXPIRE and TTL', () => {
  it('follows the server clock', async () => {
    await redis.set('k', 'v');
    expect(await redis.ttl('k')).toBe(-1);
    expect(await redis.ttl('nosuch')).toBe(-2);
    expect(await redis.expire('k', 10)).toBe(1);
    expect(await redis.ttl('k')).toBe(10);
    server.clock.advance(4_000);
    expect(await redis.ttl('k')).toBe(6);
    expect(await redis.pexpire('k', 2_500)).toBe(1);
    expect(await redis.pttl('k')).toBe(2_500);
    expect(await redis.persist('k')).toBe(1);
    expect(await redis.ttl('k')).toBe(-1);
    expect(await redis.expire('nosuch', 10)).toBe(0);
  });
});

describe('pipelines', () => {
  it('runs 1,000 commands in one pipeline, replies in order', async () => {
    const p = redis.pipeline();
    for (let i = 0; i < 500; i++) {
      p.set(`key:${i}`, `value:${i}`);
      p.incr('counter');
    }
    const results = await p.exec();
    expect(results).toHaveLength(1000);
    for (let i = 0; i < 500; i++) {
      expect(results?.[2 * i]).toEqual([null, 'OK']);
      expect(results?.[2 * i + 1]).toEqual([null, i + 1]);
    }
    const reads = redis.pipeline();
    for (let i = 0; i < 1000; i++) reads.get(`key:${i % 500}`);
    const values = (await reads.exec())?.map(([err, v]) => (err ? err.message : v));
    expect(values).toEqual(Array.from({ length: 1000 }, (_, i) => `value:${i % 500}`));
    expect(await redis.dbsize()).toBe(501);
  });

  it('keeps errors in their slot', async () => {
    const results = await redis.pipeline().set('a', 'x').incr('a').get('a').exec();
    expect(results?.[0]).toEqual([null, 'OK']);
    expect(results?.[1][0]?.message).toBe('ERR value is not an integer or out of range');
    expect(results?.[2]).toEqual([null, 'x']);
  });
});

describe('binary safety and size', () => {
  it('stores bytes exactly: NUL, CR LF and every byte value', async () => {
    const key = Buffer.from([0x00, 0x0d, 0x0a, 0xff, 0x20]);
    const value = Buffer.concat([Buffer.from('\0\r\n$5\r\n*1\r\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);
    await redis.set(key, value);
    expect((await redis.getBuffer(key))?.equals(value)).toBe(true);
    expect(await redis.strlen(key)).toBe(value.length);
    await redis.append(key, Buffer.from([0, 0]));
    expect((await redis.getBuffer(key))?.equals(Buffer.concat([value, Buffer.from([0, 0])]))).toBe(true);
    expect((await redis.getrangeBuffer(key, 0, 2)).equals(Buffer.from('\0\r\n'))).toBe(true);
    expect(await redis.keys('*')).toHaveLength(1);
  });

  it('stores and returns a 10 MB value', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 8)) & 0xff;
    expect(await redis.set('big', big)).toBe('OK');
    expect(await redis.strlen('big')).toBe(big.length);
    const back = await redis.getBuffer('big');
    expect(back?.length).toBe(big.length);
    expect(back?.equals(big)).toBe(true);
    expect((await redis.getrangeBuffer('big', big.length - 4, -1)).equals(big.subarray(big.length - 4))).toBe(true);
  });
});
