/**
 * The library API as an application's test suite uses it: `startServer()`
 * from the package, a clock moved by hand instead of sleeping, several
 * isolated servers in one process, `flushAll()` between tests, and the
 * package loading from both ESM and CommonJS.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

import Redis from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { type RunningServer, startServer } from '../../ts/index';
import { ROOT, tempDir } from '../support/servers';

const servers: RunningServer[] = [];
const clients: Redis[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const s of servers.splice(0)) await s.close();
});

async function start(options: Parameters<typeof startServer>[0] = {}): Promise<[RunningServer, Redis]> {
  const server = await startServer(options);
  servers.push(server);
  const redis = new Redis(server.url, { maxRetriesPerRequest: 0 });
  clients.push(redis);
  return [server, redis];
}

describe('startServer', () => {
  it('returns a running server on a free port with its address', async () => {
    const [server, redis] = await start();
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await redis.ping()).toBe('PONG');
  });

  it('close() stops listening', async () => {
    const server = await startServer();
    await server.close();
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(server.port, server.host, () => resolve('connected'));
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});

describe('the clock', () => {
  it('a frozen clock expires SET EX 10 after advance(11 s), with no sleeping', async () => {
    const [server, redis] = await start({ frozenClock: true });
    await redis.set('session', 'x', 'EX', 10);
    server.clock.advance(9_000);
    expect(await redis.get('session')).toBe('x');
    expect(await redis.ttl('session')).toBe(1);
    server.clock.advance(2_000);
    expect(await redis.get('session')).toBeNull();
  });

  it('now() is the server time; freeze() stops it and advance() moves it exactly', async () => {
    const [server, redis] = await start();
    server.clock.freeze();
    const t = server.clock.now();
    expect(Math.abs(t - Date.now())).toBeLessThan(5_000);
    server.clock.advance(60_000);
    expect(server.clock.now()).toBe(t + 60_000);
    const [secs] = await redis.time();
    expect(Number(secs)).toBe(Math.floor((t + 60_000) / 1000));
  });

  it('unfreeze() lets time run on from the advanced instant', async () => {
    const [server] = await start({ frozenClock: true });
    const t = server.clock.now();
    server.clock.advance(1_000_000);
    server.clock.unfreeze();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.clock.now()).toBeGreaterThan(t + 1_000_000);
    expect(server.clock.now()).toBeLessThan(t + 1_000_000 + 5_000);
  });

  it('active expiry on the hz tick follows the clock: unread keys go once it is advanced', async () => {
    const [server, redis] = await start({ frozenClock: true, config: { hz: '100' } });
    const p = redis.pipeline();
    for (let i = 0; i < 50; i++) p.set(`lock:${i}`, 'owner', 'EX', 10);
    await p.exec();
    // Real time passing does not expire anything while the clock is frozen.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await redis.dbsize()).toBe(50);
    server.clock.advance(11_000);
    // Nobody reads the keys: only the periodic cycle can reclaim them.
    await vi.waitFor(async () => expect(await redis.dbsize()).toBe(0), { timeout: 5_000, interval: 20 });
  });

  it('blocking timeouts follow the clock: BLPOP … 5 returns once it is advanced 5 s', async () => {
    const [server, redis] = await start({ frozenClock: true, config: { hz: '100' } });
    let settled = false;
    const waiting = redis.blpop('jobs', 5).then((r) => {
      settled = true;
      return r;
    });
    // Real time alone does not end the wait while the clock is frozen.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(settled).toBe(false);
    server.clock.advance(5_000);
    expect(await waiting).toBeNull();
  });
});

describe('several servers in one process', () => {
  it('keep separate keyspaces and clocks', async () => {
    const [a, ra] = await start({ frozenClock: true });
    const [b, rb] = await start({ frozenClock: true });
    expect(a.port).not.toBe(b.port);
    await ra.set('k', 'from-a', 'EX', 10);
    await rb.set('k', 'from-b', 'EX', 10);
    a.clock.advance(11_000);
    expect(await ra.get('k')).toBeNull();
    expect(await rb.get('k')).toBe('from-b');
    await b.flushAll();
    expect(await rb.dbsize()).toBe(0);
    await ra.set('x', '1');
    await b.close();
    expect(await ra.get('x')).toBe('1');
  });
});

describe('flushAll', () => {
  it('empties every database', async () => {
    const [server, redis] = await start();
    await redis.set('a', '1');
    await redis.select(3);
    await redis.set('b', '2');
    await server.flushAll();
    expect(await redis.dbsize()).toBe(0);
    await redis.select(0);
    expect(await redis.dbsize()).toBe(0);
    expect(await redis.set('after', 'ok')).toBe('OK');
  });
});

describe('the package from ESM and CommonJS', () => {
  let dir: string;

  beforeAll(() => {
    // A folder outside the repository whose node_modules/ferrokv is this
    // package, so `ferrokv` resolves through package.json's `exports`.
    dir = tempDir('ferrokv-embed-');
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'ferrokv'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{"name":"embed-check","private":true}\n');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Starts a server, checks it answers PING over a raw socket, advances its clock, prints a JSON line.
  const body = (imp: string) => `${imp}
const net = require_net();
const s = await startServer({ frozenClock: true });
const t = s.clock.now();
s.clock.advance(5000);
const pong = await new Promise((resolve, reject) => {
  const c = net.connect(s.port, s.host, () => c.write('PING\\r\\n'));
  c.once('data', (d) => { resolve(d.toString()); c.end(); });
  c.once('error', reject);
});
await s.flushAll();
await s.close();
console.log(JSON.stringify({ pong, moved: s.clock.now() - t, url: s.url.startsWith('redis://127.0.0.1:') }));`;

  const run = (args: string[], script: string) => {
    const r = spawnSync(process.execPath, [...args, script], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout.trim()) as unknown;
  };

  const expected = { pong: '+PONG\r\n', moved: 5000, url: true };

  it('import { startServer } from "ferrokv"', () => {
    const script = body(`import { startServer, VERSION } from 'ferrokv';
import * as netModule from 'node:net';
const require_net = () => netModule;
if (typeof VERSION !== 'string') throw new Error('no VERSION');`);
    expect(run(['--input-type=module', '-e'], script)).toEqual(expected);
  });

  it('require("ferrokv")', () => {
    const script = `const { startServer } = require('ferrokv');
const require_net = () => require('node:net');
(async () => {${body('')}})().catch((e) => { console.error(e); process.exit(1); });`;
    expect(run(['-e'], script)).toEqual(expected);
  });

  it('ESM and CommonJS share one module instance', () => {
    const script = `import { createRequire } from 'node:module';
import * as esm from 'ferrokv';
const cjs = createRequire(process.cwd() + '/x.js')('ferrokv');
console.log(JSON.stringify(esm.startServer === cjs.startServer && esm.default === cjs));`;
    expect(run(['--input-type=module', '-e'], script)).toBe(true);
  });
});
