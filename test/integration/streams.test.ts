/**
 * Streams as a client sees them: IDs from the server's clock (a frozen
 * clock makes them exact), and consumers blocked on a group.
 */
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

import { type RunningServer, startServer } from '../../ts/index';

const servers: RunningServer[] = [];
const clients: Redis[] = [];

async function start(options: Parameters<typeof startServer>[0] = {}): Promise<[RunningServer, Redis]> {
  const server = await startServer({ port: 0, ...options });
  servers.push(server);
  const redis = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  await redis.connect();
  clients.push(redis);
  return [server, redis];
}

afterAll(async () => {
  for (const c of clients) c.disconnect();
  for (const s of servers) await s.close();
});

describe('streams', () => {
  it('XADD * takes its ID from the server clock', async () => {
    const [server, redis] = await start({ frozenClock: true });
    const now = server.clock.now();
    expect(await redis.xadd('s', '*', 'f', 'v')).toBe(`${now}-0`);
    expect(await redis.xadd('s', '*', 'f', 'v')).toBe(`${now}-1`);
    server.clock.advance(1_000);
    expect(await redis.xadd('s', '*', 'f', 'v')).toBe(`${now + 1_000}-0`);
    expect(await redis.xlen('s')).toBe(3);
  });

  it('a consumer blocked on a group gets the next entry; a deleted group wakes it with NOGROUP', async () => {
    const [, redis] = await start();
    const worker = redis.duplicate();
    clients.push(worker);
    await redis.xgroup('CREATE', 'jobs', 'workers', '$', 'MKSTREAM');
    const waiting = worker.xreadgroup('GROUP', 'workers', 'w1', 'BLOCK', '0', 'STREAMS', 'jobs', '>');
    await new Promise((r) => setTimeout(r, 50));
    await redis.xadd('jobs', '1-0', 'task', 'a');
    expect(await waiting).toEqual([['jobs', [['1-0', ['task', 'a']]]]]);
    expect(await redis.xpending('jobs', 'workers')).toEqual([1, '1-0', '1-0', [['w1', '1']]]);
    const again = worker.xreadgroup('GROUP', 'workers', 'w1', 'BLOCK', '0', 'STREAMS', 'jobs', '>');
    await new Promise((r) => setTimeout(r, 50));
    await redis.del('jobs');
    await expect(again).rejects.toThrow("NOGROUP No such key 'jobs' or consumer group 'workers' in XREADGROUP with GROUP option");
  });
});
