/**
 * maxclients against a real redis-server: the connection over the limit
 * gets the same bytes before the server closes it, and both count it in
 * INFO's rejected_connections.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from '../../ts/index';
import { type Endpoint, RawClient } from '../support/raw';
import { type RedisServer, startFerro, startRedis } from '../support/servers';

let redis: RedisServer;
let ferro: RunningServer;

beforeAll(async () => {
  [redis, ferro] = await Promise.all([startRedis(['--maxclients', '2']), startFerro({ config: { maxclients: 2 } })]);
});
afterAll(async () => {
  await Promise.all([redis?.stop(), ferro?.close()]);
});

/** Waits until the server counts `n` clients (it notices closed connections a moment later). */
async function settle(client: RawClient, n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const clients = /connected_clients:(\d+)/.exec((await client.call('INFO', 'clients')).toString())?.[1];
    if (clients === String(n)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`the server never counted ${n} clients`);
}

/** Fills the server to its limit, then returns what one more connection receives and the rejection count. */
async function overTheLimit(endpoint: Endpoint): Promise<{ refused: Buffer; rejected: string; afterFree: Buffer }> {
  // The harness's readiness probe may still count as a client for a moment.
  const held = [await RawClient.connect(endpoint)];
  try {
    await settle(held[0], 1);
    held.push(await RawClient.connect(endpoint));
    for (const c of held) expect((await c.call('PING')).toString()).toBe('+PONG\r\n');
    const extra = await RawClient.connect(endpoint);
    const refused = await extra.untilClosed();
    const info = (await held[0].call('INFO', 'stats')).toString();
    const rejected = /rejected_connections:(\d+)/.exec(info)?.[1] ?? 'missing';
    // A place frees up once a client leaves (the server notices the close first).
    held.pop()?.close();
    await settle(held[0], 1);
    const again = await RawClient.connect(endpoint);
    const afterFree = await again.call('PING');
    again.close();
    return { refused, rejected, afterFree };
  } finally {
    for (const c of held) c.close();
  }
}

describe('maxclients', () => {
  it('the connection over the limit gets Redis’s bytes, then is closed', async () => {
    const theirs = await overTheLimit({ path: redis.path });
    const ours = await overTheLimit({ port: ferro.port });
    expect(theirs.refused.toString()).toBe('-ERR max number of clients reached\r\n');
    expect(ours.refused).toEqual(theirs.refused);
    expect(ours.rejected).toBe(theirs.rejected);
    expect(theirs.afterFree.toString(), 'redis after a client left').toBe('+PONG\r\n');
    expect(ours.afterFree.toString(), 'ferrokv after a client left').toBe('+PONG\r\n');
    expect(ours.afterFree).toEqual(theirs.afterFree);
  });
});
