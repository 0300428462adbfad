/**
 * Blocking list commands as a queue worker uses them over real sockets:
 * a waiter is served by another client's push, in the order waiters
 * blocked; timeouts fire from the server's timer; commands pipelined behind
 * a blocked one run once it is served.
 */
import Redis from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from '../../ts/index';
import { startFerro } from '../support/servers';

let server: RunningServer;
const clients: Redis[] = [];

function client(): Redis {
  const c = new Redis({ port: server.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  server = await startFerro();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
});
afterAll(async () => {
  await server?.close();
});

describe('blocking pops', () => {
  it('serves a waiter when another client pushes', async () => {
    const worker = client();
    const producer = client();
    const waiting = worker.blpop('jobs', 0);
    await new Promise((r) => setTimeout(r, 50));
    expect(await producer.rpush('jobs', 'job-1')).toBe(1);
    expect(await waiting).toEqual(['jobs', 'job-1']);
    expect(await producer.exists('jobs')).toBe(0);
  });

  it('serves waiters first come, first served', async () => {
    const [w1, w2, producer] = [client(), client(), client()];
    const first = w1.brpop('q', 0);
    await new Promise((r) => setTimeout(r, 30));
    const second = w2.brpop('q', 0);
    await new Promise((r) => setTimeout(r, 30));
    await producer.lpush('q', 'a', 'b');
    expect(await first).toEqual(['q', 'a']);
    expect(await second).toEqual(['q', 'b']);
  });

  it('times out with a null reply', async () => {
    const worker = client();
    const started = Date.now();
    expect(await worker.blpop('nothing', 0.2)).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(await worker.blmove('nothing', 'dst', 'LEFT', 'RIGHT', 0.1)).toBeNull();
  });

  it('moves work between lists as BullMQ-style queues do', async () => {
    const worker = client();
    const producer = client();
    const waiting = worker.brpoplpush('wait', 'active', 0);
    await new Promise((r) => setTimeout(r, 30));
    await producer.lpush('wait', 'job-7');
    expect(await waiting).toBe('job-7');
    expect(await producer.lrange('active', 0, -1)).toEqual(['job-7']);
  });

  it('runs commands pipelined behind a blocked one after it is served', async () => {
    const worker = client();
    const producer = client();
    const results = worker.pipeline().blpop('p', 0).ping().echo('after').exec();
    await new Promise((r) => setTimeout(r, 50));
    await producer.rpush('p', 'x');
    expect(await results).toEqual([
      [null, ['p', 'x']],
      [null, 'PONG'],
      [null, 'after'],
    ]);
  });

  it('can be unblocked by CLIENT UNBLOCK', async () => {
    const worker = client();
    const admin = client();
    const id = await worker.client('ID');
    const waiting = worker.blpop('never', 0);
    await new Promise((r) => setTimeout(r, 30));
    expect(await admin.client('UNBLOCK', id)).toBe(1);
    expect(await waiting).toBeNull();
  });
});
