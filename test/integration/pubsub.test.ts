/**
 * Pub/sub through the TypeScript server: fan-out batches reach every
 * subscriber socket, and `client-output-buffer-limit pubsub` drops a
 * subscriber that stops reading, so the output queued for it stays bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from '../../ts/index';
import { outputLimitReached, parseOutputLimits } from '../../ts/server/output-limits';
import { RawClient } from '../support/raw';
import { startFerro } from '../support/servers';

let server: RunningServer;
beforeAll(async () => {
  server = await startFerro({ config: { 'client-output-buffer-limit': 'pubsub 1mb 256kb 60' } });
});
afterAll(async () => {
  await server?.close();
});

const connect = () => RawClient.connect({ port: server.port });
const text = (b: Buffer) => b.toString('latin1');

describe('fan-out', () => {
  it('writes one publish to subscribers of both protocols and patterns', async () => {
    const subs = await Promise.all([connect(), connect(), connect()]);
    await subs[2].call('HELLO', '3');
    for (const s of subs) await s.call('SUBSCRIBE', 'fan');
    await subs[0].call('PSUBSCRIBE', 'f*');
    const pub = await connect();
    expect(text(await pub.call('PUBLISH', 'fan', 'x'))).toBe(':4\r\n');
    const message = '*3\r\n$7\r\nmessage\r\n$3\r\nfan\r\n$1\r\nx\r\n';
    expect((await subs[0].replies(2)).map(text)).toEqual([message, '*4\r\n$8\r\npmessage\r\n$2\r\nf*\r\n$3\r\nfan\r\n$1\r\nx\r\n']);
    expect(text(await subs[1].reply())).toBe(message);
    expect(text(await subs[2].reply())).toBe(`>3${message.slice(2)}`);
    const list = text(await pub.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
    expect(list.match(/flags=P /g)).toHaveLength(3);
    expect(list).toContain(' sub=1 psub=1 ssub=0 ');
    for (const s of [...subs, pub]) s.close();
  });
});

describe('client-output-buffer-limit pubsub', () => {
  it('drops a subscriber that stops reading; its queued output never passes the hard limit by more than a message', async () => {
    const sub = await connect();
    await sub.call('SUBSCRIBE', 'flood');
    sub.socket.pause();
    const pub = await connect();
    const message = Buffer.alloc(64 * 1024, 'm');
    let maxOmem = 0;
    let dropped = false;
    // Up to 512 MB offered; the subscriber is gone long before.
    for (let round = 0; round < 128 && !dropped; round++) {
      await pub.pipeline(Array.from({ length: 64 }, () => ['PUBLISH', 'flood', message]));
      const list = text(await pub.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
      for (const m of list.matchAll(/omem=(\d+)/g)) maxOmem = Math.max(maxOmem, Number(m[1]));
      dropped = text(await pub.call('PUBSUB', 'NUMSUB', 'flood')) === '*2\r\n$5\r\nflood\r\n:0\r\n';
    }
    expect(dropped).toBe(true);
    expect(maxOmem).toBeLessThanOrEqual(1024 * 1024 + message.length + 64);
    // The server closed the connection: the paused reader sees the end once it reads again.
    sub.socket.resume();
    await sub.closed;
    expect(text(await pub.call('PUBLISH', 'flood', 'x'))).toBe(':0\r\n');
    pub.close();
  });
});

describe('output limit rules', () => {
  it('reads the three classes of the directive value', () => {
    expect(parseOutputLimits('normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60')).toEqual([
      { hard: 0, soft: 0, softSeconds: 0 },
      { hard: 268435456, soft: 67108864, softSeconds: 60 },
      { hard: 33554432, soft: 8388608, softSeconds: 60 },
    ]);
  });

  it('breaks at the hard limit at once, and at the soft limit only once held longer than its seconds', () => {
    const limit = { hard: 1000, soft: 100, softSeconds: 60 };
    const state = { softSince: 0 };
    expect(outputLimitReached(limit, 1000, { softSince: 0 }, 5)).toBe(true);
    expect(outputLimitReached(limit, 99, state, 5)).toBe(false);
    expect(outputLimitReached(limit, 100, state, 10)).toBe(false);
    expect(state.softSince).toBe(10);
    expect(outputLimitReached(limit, 500, state, 70)).toBe(false);
    expect(outputLimitReached(limit, 500, state, 71)).toBe(true);
    // Dropping under the soft limit starts the count again.
    expect(outputLimitReached(limit, 50, state, 72)).toBe(false);
    expect(state.softSince).toBe(0);
    expect(outputLimitReached({ hard: 0, soft: 0, softSeconds: 0 }, 1e12, { softSince: 0 }, 1)).toBe(false);
  });
});

describe('MONITOR', () => {
  it('streams each command as Redis formats it', async () => {
    const mon = await connect();
    expect(text(await mon.call('MONITOR'))).toBe('+OK\r\n');
    const c = await connect();
    await c.call('SET', 'k', 'a "quoted"\n');
    const line = text(await mon.reply());
    expect(line).toMatch(/^\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "k" "a \\"quoted\\"\\n"\r\n$/);
    mon.close();
    c.close();
  });
});
