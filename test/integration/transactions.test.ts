/**
 * Transactions and client-side caching as client libraries use them:
 * ioredis's MULTI/EXEC and WATCH (optimistic locking), a waiter served by a
 * transaction, and RESP3 invalidation pushes on raw sockets.
 */
import Redis from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from '../../ts/index';
import { RawClient } from '../support/raw';
import { startFerro } from '../support/servers';

let server: RunningServer;
const clients: Redis[] = [];
const raws: RawClient[] = [];

function client(): Redis {
  const c = new Redis({ port: server.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
  clients.push(c);
  return c;
}

async function raw(): Promise<RawClient> {
  const c = await RawClient.connect({ port: server.port });
  raws.push(c);
  return c;
}

beforeAll(async () => {
  server = await startFerro();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const c of raws.splice(0)) c.close();
});
afterAll(async () => {
  await server?.close();
});

describe('MULTI/EXEC through ioredis', () => {
  it('runs a transaction and reports a failing command in place', async () => {
    const c = client();
    await c.del('tx:a');
    const result = await c.multi().set('tx:a', '1').incr('tx:a').lpush('tx:a', 'x').get('tx:a').exec();
    expect(result?.map(([err, value]) => (err ? err.message : value))).toEqual([
      'OK',
      2,
      'WRONGTYPE Operation against a key holding the wrong kind of value',
      '2',
    ]);
  });

  it('aborts on a queueing error', async () => {
    const c = client();
    await expect(c.multi().set('tx:b', '1').call('NOSUCHCOMMAND').exec()).rejects.toThrow(/EXECABORT/);
    expect(await c.exists('tx:b')).toBe(0);
  });

  it('implements check-and-set with WATCH', async () => {
    const [c, other] = [client(), client()];
    await c.set('tx:counter', '10');
    await c.watch('tx:counter');
    const seen = Number(await c.get('tx:counter'));
    // Another client gets there first.
    await other.rename('tx:counter', 'tx:tmp');
    await other.rename('tx:tmp', 'tx:counter');
    expect(await c.multi().set('tx:counter', String(seen + 1)).exec()).toBeNull();
    // Retried without interference, it goes through.
    await c.watch('tx:counter');
    expect(await c.multi().set('tx:counter', String(seen + 1)).exec()).toEqual([[null, 'OK']]);
    expect(await c.get('tx:counter')).toBe('11');
  });

  it('serves a blocked worker only after the transaction that pushed', async () => {
    const [worker, producer] = [client(), client()];
    await producer.del('tx:jobs');
    const waiting = worker.blpop('tx:jobs', 0);
    await new Promise((r) => setTimeout(r, 50));
    const result = await producer.multi().lpush('tx:jobs', 'first').lpush('tx:jobs', 'second').exec();
    expect(result).toEqual([
      [null, 1],
      [null, 2],
    ]);
    // Redis's outcome: the waiter pops the head the whole transaction left.
    expect(await waiting).toEqual(['tx:jobs', 'second']);
    expect(await producer.lrange('tx:jobs', 0, -1)).toEqual(['first']);
  });
});

describe('client-side caching (RESP3 pushes)', () => {
  it('pushes an invalidation when another client changes a key this one read', async () => {
    const [reader, writer] = [await raw(), await raw()];
    await reader.call('HELLO', '3');
    expect((await reader.call('CLIENT', 'TRACKING', 'on')).toString()).toBe('+OK\r\n');
    await writer.call('SET', 'csc:src', 'v');
    expect((await reader.call('GET', 'csc:key')).toString()).toBe('_\r\n');
    expect((await writer.call('RENAME', 'csc:src', 'csc:key')).toString()).toBe('+OK\r\n');
    expect((await reader.reply()).toString()).toBe('>2\r\n$10\r\ninvalidate\r\n*1\r\n$7\r\ncsc:key\r\n');
  });

  it('sends a broadcast batch per prefix and a null after FLUSHALL', async () => {
    const [reader, writer] = [await raw(), await raw()];
    await reader.call('HELLO', '3');
    await reader.call('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'bc:');
    await writer.call('SET', 'other', 'v');
    await writer.call('RENAME', 'other', 'bc:1');
    expect((await reader.reply()).toString()).toBe('>2\r\n$10\r\ninvalidate\r\n*1\r\n$4\r\nbc:1\r\n');
    await writer.call('FLUSHALL');
    expect((await reader.reply()).toString()).toBe('>2\r\n$10\r\ninvalidate\r\n_\r\n');
  });

  it('redirects invalidations to another RESP3 connection', async () => {
    const [reader, sink, writer] = [await raw(), await raw(), await raw()];
    await sink.call('HELLO', '3');
    const id = (await sink.call('CLIENT', 'ID')).toString().slice(1, -2);
    await reader.call('CLIENT', 'TRACKING', 'on', 'REDIRECT', id);
    await reader.call('GET', 'rd:key');
    await writer.call('SET', 'rd:src', 'v');
    await writer.call('RENAME', 'rd:src', 'rd:key');
    expect((await sink.reply()).toString()).toBe('>2\r\n$10\r\ninvalidate\r\n*1\r\n$6\r\nrd:key\r\n');
    expect((await reader.call('CLIENT', 'GETREDIR')).toString()).toBe(`:${id}\r\n`);
  });
});
