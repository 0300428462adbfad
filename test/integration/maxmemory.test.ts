/**
 * maxmemory on a real server: used_memory comes from the allocator, so
 * these tests write real data past a small limit and watch what INFO says.
 * The OOM error is also compared byte for byte with redis-server. (The
 * `evicted` keyspace event is asserted in the eviction cargo tests.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from '../../ts/index';
import { RawClient } from '../support/raw';
import { encodeCommand } from '../support/resp';
import { type RedisServer, startFerro, startRedis } from '../support/servers';

const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";
const MB = 1024 * 1024;

let server: RunningServer;
let client: RawClient;
beforeAll(async () => {
  server = await startFerro();
  client = await RawClient.connect({ port: server.port });
});
afterAll(async () => {
  client?.close();
  await server?.close();
});

async function info(field: string): Promise<string> {
  const text = (await client.call('INFO', 'everything')).toString('latin1');
  const m = new RegExp(`\\r\\n${field}:([^\\r]*)\\r\\n`).exec(text);
  if (!m) throw new Error(`INFO has no ${field}`);
  return m[1];
}

async function config(name: string, value: string | number): Promise<void> {
  expect((await client.call('CONFIG', 'SET', name, String(value))).toString()).toBe('+OK\r\n');
}

/** SETs `count` keys of `size` bytes in pipelined batches; returns every reply. */
async function write(prefix: string, count: number, size: number): Promise<string[]> {
  const value = 'v'.repeat(size);
  const replies: string[] = [];
  for (let start = 0; start < count; start += 100) {
    const n = Math.min(100, count - start);
    const batch = Array.from({ length: n }, (_, i) => encodeCommand(['SET', `${prefix}:${start + i}`, value]));
    client.write(Buffer.concat(batch));
    replies.push(...(await client.replies(n)).map((r) => r.toString('latin1')));
  }
  return replies;
}

describe('maxmemory with allkeys-lru', () => {
  it('with maxmemory 20 MB, writing 100 MB succeeds and used_memory stays near the limit', async () => {
    await client.call('FLUSHALL');
    const base = Number(await info('used_memory'));
    const limit = 20 * MB;
    expect(base).toBeLessThan(limit / 2);
    await config('maxmemory-policy', 'allkeys-lru');
    await config('maxmemory', limit);
    expect(await info('maxmemory')).toBe(String(limit));
    expect(await info('maxmemory_policy')).toBe('allkeys-lru');
    // 10,000 values of 10 kB: 100 MB offered.
    const replies = await write('lru', 10_000, 10_000);
    expect(replies.every((r) => r === '+OK\r\n')).toBe(true);
    const used = Number(await info('used_memory'));
    // Memory is checked before each write, so one value (plus buffers) may sit above it.
    expect(used).toBeLessThan(limit + MB);
    expect(used).toBeGreaterThan(limit / 2);
    expect(Number(await info('evicted_keys'))).toBeGreaterThan(7000);
    const size = Number((await client.call('DBSIZE')).toString().slice(1, -2));
    expect(size).toBeLessThan(2100);
    expect(size).toBeGreaterThan(1000);
    // The newest writes survive, the oldest went first.
    expect((await client.call('EXISTS', 'lru:9999')).toString()).toBe(':1\r\n');
    expect((await client.call('EXISTS', 'lru:0')).toString()).toBe(':0\r\n');
  });
});

describe('maxmemory with noeviction', () => {
  it('refuses writes with the OOM error while reads and deletes keep working', async () => {
    await client.call('FLUSHALL');
    await config('maxmemory', 0);
    await config('maxmemory-policy', 'noeviction');
    const evictedBefore = await info('evicted_keys');
    await config('maxmemory', 20 * MB);
    // 30 MB offered against 20 MB: the first ~2,000 fit, the rest are refused.
    const replies = await write('full', 3000, 10_000);
    const refused = replies.filter((r) => r === OOM).length;
    expect(refused).toBeGreaterThan(800);
    expect(replies.slice(0, 1000).every((r) => r === '+OK\r\n')).toBe(true);
    expect(replies.filter((r) => r !== OOM && r !== '+OK\r\n')).toEqual([]);
    expect(await info('evicted_keys')).toBe(evictedBefore);
    expect((await client.call('GET', 'full:0')).toString('latin1')).toBe(`$10000\r\n${'v'.repeat(10_000)}\r\n`);
    expect((await client.call('DEL', 'full:0', 'full:1')).toString()).toBe(':2\r\n');
    expect((await client.call('PING')).toString()).toBe('+PONG\r\n');
    expect(await info('errorstat_OOM')).toMatch(/^count=\d+$/);
    await config('maxmemory', 0);
    expect((await client.call('SET', 'full:0', 'x')).toString()).toBe('+OK\r\n');
  });
});

describe('the OOM reply, as redis-server sends it', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('matches byte for byte under maxmemory 1', async () => {
    const transcripts: string[] = [];
    for (const endpoint of [{ port: server.port }, { path: redis.path }]) {
      const c = await RawClient.connect(endpoint);
      try {
        await c.call('FLUSHALL');
        await c.call('SET', 'k', 'v');
        await c.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
        await c.call('CONFIG', 'SET', 'maxmemory', '1');
        const steps = [['SET', 'k2', 'v'], ['GET', 'k'], ['LPUSH', 'l', 'a'], ['APPEND', 'k', 'x'], ['DEL', 'k'], ['PING'], ['INCR', 'n']];
        const out: string[] = [];
        for (const step of steps) out.push(`${step.join(' ')} => ${(await c.call(...step)).toString('latin1')}`);
        transcripts.push(out.join(''));
        await c.call('CONFIG', 'SET', 'maxmemory', '0');
      } finally {
        c.close();
      }
    }
    expect(transcripts[0]).toBe(transcripts[1]);
    expect(transcripts[0]).toContain(`SET k2 v => ${OOM}`);
  });
});
