/**
 * Limits that keep the server alive, as clients see them: `timeout` closes
 * idle clients (by the server's clock, frozen here and moved by hand) but
 * not blocked ones; `tcp-keepalive` and `tcp-backlog` reach the sockets (read
 * back with `ss`); `client-output-buffer-limit normal` drops a client whose
 * unread replies pile up, at once past the hard limit, and past the soft
 * limit only after its seconds.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Redis from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

import { FerroServer, loadConfig, type RunningServer, startServer, type StartServerOptions } from '../../ts/index';
import { Logger } from '../../ts/log';
import { RawClient } from '../support/raw';
import { encodeCommands } from '../support/resp';

const running: { close(): unknown }[] = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.close();
});

async function start(options: StartServerOptions): Promise<RunningServer> {
  const s = await startServer(options);
  running.push(s);
  return s;
}

async function raw(s: RunningServer): Promise<RawClient> {
  const c = await RawClient.connect({ port: s.port });
  running.push(c);
  return c;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (polling) until `check` holds. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (check()) return;
    await sleep(10);
  }
  throw new Error(`never happened: ${what}`);
}

/** Lets the server's timer run a few times (hz 100 in these tests). */
const someTicks = () => sleep(100);

describe('timeout', () => {
  it('closes a client idle for more than the timeout, by the server’s clock', async () => {
    const s = await start({ frozenClock: true, config: { timeout: 2, hz: 100 } });
    const idle = await raw(s);
    expect((await idle.call('PING')).toString()).toBe('+PONG\r\n');
    // Idle for one second (whole seconds are compared): kept.
    s.clock.advance(1000);
    await someTicks();
    expect(idle.isClosed).toBe(false);
    expect((await idle.call('PING')).toString()).toBe('+PONG\r\n');
    // A command just now restarts the count; three seconds later it is gone.
    s.clock.advance(3000);
    await idle.closed;
    expect(idle.pending().length).toBe(0);
    await eventually(() => s.server.clientCount === 0, 'the server forgets the client');
  });

  it('spares blocked clients until they are served, then counts from their reply', async () => {
    const s = await start({ frozenClock: true, config: { timeout: 5, hz: 100 } });
    const waiter = await raw(s);
    const idle = await raw(s);
    expect((await idle.call('PING')).toString()).toBe('+PONG\r\n');
    waiter.write(encodeCommands([['BLPOP', 'queue', '0']]));
    // The waiter is blocked once CLIENT LIST shows its BLPOP.
    const observer = await raw(s);
    let list = '';
    for (let i = 0; i < 500 && !list.includes('cmd=blpop'); i++) list = (await observer.call('CLIENT', 'LIST')).toString();
    expect(list).toContain('cmd=blpop');
    observer.close();
    s.clock.advance(60_000);
    await idle.closed;
    await someTicks();
    expect(waiter.isClosed).toBe(false);
    const pusher = await raw(s);
    expect((await pusher.call('RPUSH', 'queue', 'job')).toString()).toBe(':1\r\n');
    expect((await waiter.reply()).toString()).toBe('*2\r\n$5\r\nqueue\r\n$3\r\njob\r\n');
    // Served: now it is an ordinary client again.
    s.clock.advance(6000);
    await waiter.closed;
  });

  it('timeout 0 (the default) never closes anyone', async () => {
    const s = await start({ frozenClock: true, config: { hz: 100 } });
    const c = await raw(s);
    expect((await c.call('PING')).toString()).toBe('+PONG\r\n');
    s.clock.advance(10 * 365 * 24 * 3600 * 1000);
    await someTicks();
    expect((await c.call('PING')).toString()).toBe('+PONG\r\n');
  });

  it('CONFIG SET timeout applies to connected clients', async () => {
    const s = await start({ frozenClock: true, config: { hz: 100 } });
    const c = await raw(s);
    expect((await c.call('CONFIG', 'SET', 'timeout', '1')).toString()).toBe('+OK\r\n');
    s.clock.advance(2000);
    await c.closed;
  });
});

/** `ss` lines for TCP sockets on `port` (listening ones with `-l`). */
function ss(args: string[], port: number): string {
  return execFileSync('ss', ['-tnoH', ...args, `sport = :${port}`]).toString();
}

describe('socket options', () => {
  it('tcp-keepalive sets the keepalive timer on client sockets; 0 leaves it off', async () => {
    // ss prints the time left before the first probe: "4min59sec" for the default 300 seconds.
    const byDefault = await start({});
    const a = await raw(byDefault);
    await a.call('PING');
    expect(ss(['state', 'established'], byDefault.port)).toMatch(/timer:\(keepalive,(4min5\dsec|5min)/);

    const short = await start({ config: { 'tcp-keepalive': 7 } });
    const b = await raw(short);
    await b.call('PING');
    const line = ss(['state', 'established'], short.port);
    expect(line).toContain('timer:(keepalive,');
    expect(line).not.toContain('min');

    const off = await start({ config: { 'tcp-keepalive': 0 } });
    const c = await raw(off);
    await c.call('PING');
    expect(ss(['state', 'established'], off.port)).not.toContain('keepalive');
  });

  it('tcp-backlog is the listen queue’s length', async () => {
    const s = await start({ config: { 'tcp-backlog': 17 } });
    // For a listening socket, ss shows the backlog as Send-Q.
    const fields = ss(['-l'], s.port).trim().split(/\s+/);
    expect(fields[0]).toBe('LISTEN');
    expect(fields[2]).toBe('17');
  });

  it('a tcp-backlog above the kernel’s somaxconn is logged at startup, as Redis warns', async () => {
    const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim());
    const dir = mkdtempSync(join(tmpdir(), 'ferrokv-log-'));
    const logfile = join(dir, 'server.log');
    const config = loadConfig({ directives: [{ name: 'port', args: ['0'] }, { name: 'bind', args: ['127.0.0.1'] }, { name: 'tcp-backlog', args: [String(somaxconn + 1)] }] });
    const server = new FerroServer({ config, logger: new Logger('notice', logfile) });
    try {
      await server.listen();
      expect(readFileSync(logfile, 'utf8')).toContain(
        `# WARNING: The TCP backlog setting of ${somaxconn + 1} cannot be enforced because /proc/sys/net/core/somaxconn is set to the lower value of ${somaxconn}.`,
      );
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('client-output-buffer-limit normal', () => {
  /** A list whose LRANGE is about 1 MB. */
  async function bigList(s: RunningServer): Promise<void> {
    const r = new Redis({ host: '127.0.0.1', port: s.port, maxRetriesPerRequest: 0 });
    try {
      await r.rpush('big', ...Array.from({ length: 1000 }, (_, i) => `${i}`.padEnd(1000, 'x')));
    } finally {
      r.disconnect();
    }
  }

  /** A client that pipelines `n` LRANGEs of the big list and reads nothing. */
  async function hog(s: RunningServer, n: number): Promise<RawClient> {
    const c = await raw(s);
    c.socket.pause();
    c.write(encodeCommands(Array.from({ length: n }, () => ['LRANGE', 'big', '0', '-1'])));
    return c;
  }

  it('with no limit (the default) a slow reader gets every reply in the end', async () => {
    const s = await start({ config: { hz: 100 } });
    await bigList(s);
    const c = await hog(s, 30);
    await someTicks();
    c.socket.resume();
    const replies = await c.replies(30, 30_000);
    expect(replies.every((r) => r.toString('latin1', 0, 7) === '*1000\r\n')).toBe(true);
  });

  it('past the hard limit the client is dropped; others keep being served', async () => {
    const s = await start({ config: { hz: 100 } });
    await bigList(s);
    const admin = await raw(s);
    expect((await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 4mb 0 0')).toString()).toBe('+OK\r\n');
    await hog(s, 30);
    await eventually(() => s.server.clientCount === 1, 'the reader that never reads is dropped');
    expect((await admin.call('LLEN', 'big')).toString()).toBe(':1000\r\n');
    expect((await admin.call('CONFIG', 'GET', 'client-output-buffer-limit')).toString()).toContain('normal 4194304 0 0');
  });

  it('past the soft limit the client is dropped only once it stayed there longer than the seconds', async () => {
    const s = await start({ frozenClock: true, config: { hz: 100, 'client-output-buffer-limit': 'normal 0 2mb 10' } });
    await bigList(s);
    const admin = await raw(s);
    await hog(s, 30);
    await someTicks();
    s.clock.advance(5000);
    await someTicks();
    expect(s.server.clientCount).toBe(2);
    s.clock.advance(6000);
    await eventually(() => s.server.clientCount === 1, 'dropped after more than 10 seconds over the soft limit');
    expect((await admin.call('PING')).toString()).toBe('+PONG\r\n');
  });
});
