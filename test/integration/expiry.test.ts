/**
 * Expiry as a client sees it: lazily on access with a frozen clock moved by
 * hand, and actively from the `hz` timer on the real clock for keys nobody
 * reads.
 */
import Redis from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

import type { RunningServer } from '../../ts/index';
import { startFerro } from '../support/servers';

let server: RunningServer | undefined;
let redis: Redis | undefined;

afterEach(async () => {
  redis?.disconnect();
  redis = undefined;
  await server?.close();
  server = undefined;
});

async function start(frozenClock: boolean, config: Record<string, string> = {}): Promise<[RunningServer, Redis]> {
  server = await startFerro({ frozenClock, config });
  redis = new Redis({ port: server.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
  return [server, redis];
}

const field = (info: string, name: string) => Number(new RegExp(`^${name}:(\\d+)\\r$`, 'm').exec(info)?.[1]);

describe('lazy expiry (frozen clock)', () => {
  it('a key is there until its deadline and gone at it', async () => {
    const [s, r] = await start(true, { hz: '1' });
    await r.set('session', 'x', 'PX', 5_000);
    await r.set('keep', 'y');
    s.clock.advance(4_999);
    expect(await r.get('session')).toBe('x');
    expect(await r.pttl('session')).toBe(1);
    s.clock.advance(1);
    expect(await r.get('session')).toBeNull();
    expect(await r.exists('session')).toBe(0);
    expect(await r.ttl('session')).toBe(-2);
    expect(await r.get('keep')).toBe('y');
    expect(field(await r.info('stats'), 'expired_keys')).toBe(1);
  });

  it('EXPIREAT in the past deletes at once; time never moves by itself', async () => {
    const [s, r] = await start(true);
    const now = s.clock.now();
    await r.set('k', 'v', 'EX', 1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await r.get('k')).toBe('v');
    expect(s.clock.now()).toBe(now);
    expect(await r.pexpireat('k', now - 1)).toBe(1);
    expect(await r.exists('k')).toBe(0);
  });

  it('expired keys are invisible to KEYS and MGET; DBSIZE counts them until a lookup reclaims them', async () => {
    const [s, r] = await start(true, { 'enable-debug-command': 'yes' });
    // Only lazy expiry here: the periodic cycle is switched off.
    expect(await r.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('OK');
    await r.set('a', '1', 'EX', 10);
    await r.set('b', '2');
    s.clock.advance(10_000);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await r.dbsize()).toBe(2);
    expect(await r.keys('*')).toEqual(['b']);
    expect(await r.dbsize()).toBe(2);
    expect(await r.mget('a', 'b')).toEqual([null, '2']);
    expect(await r.dbsize()).toBe(1);
  });
});

describe('active expiry (real clock, hz timer)', () => {
  it('reclaims keys nobody reads; DBSIZE drops to 0 and INFO counts them', async () => {
    const [, r] = await start(false, { hz: '100' });
    const p = r.pipeline();
    for (let i = 0; i < 200; i++) p.set(`temp:${i}`, 'v', 'PX', 50);
    await p.exec();
    expect(await r.dbsize()).toBe(200);
    // Never read them: only the periodic cycle can remove them.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const deadline = Date.now() + 5_000;
    while ((await r.dbsize()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await r.dbsize()).toBe(0);
    const stats = await r.info('stats');
    expect(field(stats, 'expired_keys')).toBe(200);
    expect(await r.info('keyspace')).toBe('# Keyspace\r\n');
  });

  it('leaves keys without a deadline and keys not yet due', async () => {
    const [, r] = await start(false, { hz: '100' });
    await r.set('forever', '1');
    await r.set('later', '1', 'EX', 100);
    await r.set('soon', '1', 'PX', 20);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await r.dbsize()).toBe(2);
    expect(field(await r.info('stats'), 'expired_keys')).toBe(1);
  });
});
