/**
 * The native request path (crates/node/src/socket_io.rs): plain TCP clients
 * are read and answered by the core, and handed to the host only when it
 * must act. These cases push it off its fast path — replies the kernel does
 * not take whole, pushes queued by the host, a half-closed peer — and check
 * that every byte still arrives, in order. The same cases run with
 * FERROKV_NATIVE_IO=0 (Node's streams), the path TLS clients always take.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from '../../ts/index';
import { RawClient } from '../support/raw';
import { encodeCommand } from '../support/resp';
import { startFerro, tempDir } from '../support/servers';

/** A list of `n` distinct 100-byte elements: a reply of about 100·n bytes. */
async function bigList(client: RawClient, key: string, n: number): Promise<void> {
  const items = Array.from({ length: n }, (_, i) => `${String(i).padStart(6, '0')}${'x'.repeat(94)}`);
  for (let i = 0; i < n; i += 500) await client.call('RPUSH', key, ...items.slice(i, i + 500));
}

for (const native of [true, false]) {
  describe(native ? 'the native socket path' : "Node's streams (FERROKV_NATIVE_IO=0)", () => {
    let server: RunningServer;
    beforeAll(async () => {
      const saved = process.env.FERROKV_NATIVE_IO;
      process.env.FERROKV_NATIVE_IO = native ? '1' : '0';
      try {
        // With the AOF on, every write's reply waits for the turn's AOF write.
        server = await startFerro({ config: { dir: tempDir(), appendonly: 'yes', appendfsync: 'always' } });
      } finally {
        if (saved === undefined) delete process.env.FERROKV_NATIVE_IO;
        else process.env.FERROKV_NATIVE_IO = saved;
      }
      expect(server.server.nativeIo).toBe(native);
    });
    afterAll(() => server.close());

    it('delivers megabytes of pipelined replies to a client that reads them late, whole and in order', async () => {
      const client = await RawClient.connect({ port: server.port });
      try {
        await bigList(client, 'big', 2000);
        // 100 replies of ~200 KB, sent before the client reads any: the
        // socket buffer fills, the rest goes through the host's queue, and
        // a PING after each must still follow its LRANGE.
        const rounds = 100;
        const request = Buffer.concat([encodeCommand(['LRANGE', 'big', '0', '-1']), encodeCommand(['ECHO', 'marker'])]);
        client.write(Buffer.concat(Array.from({ length: rounds }, () => request)));
        await new Promise((r) => setTimeout(r, 200));
        const replies = await client.replies(rounds * 2, 60_000);
        for (let i = 0; i < rounds; i++) {
          const list = replies[2 * i].toString('latin1');
          expect(list.startsWith('*2000\r\n$100\r\n000000')).toBe(true);
          expect(list.length).toBe(7 + 2000 * (6 + 100 + 2));
          expect(list.endsWith(`001999${'x'.repeat(94)}\r\n`)).toBe(true);
          expect(replies[2 * i + 1].toString()).toBe('$6\r\nmarker\r\n');
        }
        // …and the connection is back to normal afterwards.
        expect((await client.call('PING')).toString()).toBe('+PONG\r\n');
      } finally {
        client.close();
      }
    });

    it('holds replies for the AOF and releases them in order, for clients writing and reading at once', async () => {
      const clients = await Promise.all(Array.from({ length: 4 }, () => RawClient.connect({ port: server.port })));
      try {
        const rounds = 300;
        for (const [n, client] of clients.entries()) {
          const commands: Buffer[] = [];
          for (let i = 0; i < rounds; i++) {
            commands.push(encodeCommand(['INCR', `counter:${n}`]), encodeCommand(['GET', `counter:${n}`]));
          }
          client.write(Buffer.concat(commands));
        }
        await Promise.all(
          clients.map(async (client) => {
            const replies = await client.replies(2 * rounds, 30_000);
            for (let i = 0; i < rounds; i++) {
              expect(replies[2 * i].toString()).toBe(`:${i + 1}\r\n`);
              expect(replies[2 * i + 1].toString()).toBe(`$${String(i + 1).length}\r\n${i + 1}\r\n`);
            }
          }),
        );
        const info = (await clients[0].call('INFO', 'persistence')).toString();
        expect(info).toContain('aof_enabled:1');
        expect(info).toContain('aof_last_write_status:ok');
      } finally {
        for (const client of clients) client.close();
      }
    });

    it('answers a client that sent its request and half-closed', async () => {
      const client = await RawClient.connect({ port: server.port });
      client.write(encodeCommand(['ECHO', 'last words']));
      client.socket.end();
      const reply = await client.reply();
      expect(reply.toString()).toBe('$10\r\nlast words\r\n');
      await client.closed;
    });

    it('keeps pub/sub pushes and replies in order on one RESP3 connection', async () => {
      const subscriber = await RawClient.connect({ port: server.port });
      const publisher = await RawClient.connect({ port: server.port });
      try {
        await subscriber.call('HELLO', '3');
        await subscriber.call('SUBSCRIBE', 'news');
        for (let i = 0; i < 50; i++) {
          // Each publish is acknowledged before the subscriber's PING is
          // sent, so its push must come before that PING's reply.
          expect((await publisher.call('PUBLISH', 'news', `m${i}`)).toString()).toBe(':1\r\n');
          subscriber.write(encodeCommand(['PING', `p${i}`]));
          const [push, pong] = await subscriber.replies(2);
          expect(push.toString()).toBe(`>3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$${`m${i}`.length}\r\nm${i}\r\n`);
          expect(pong.toString()).toBe(`$${`p${i}`.length}\r\np${i}\r\n`);
        }
      } finally {
        subscriber.close();
        publisher.close();
      }
    });

    it('sees a client go away and forgets it', async () => {
      const client = await RawClient.connect({ port: server.port });
      await client.call('CLIENT', 'SETNAME', 'leaving');
      const observer = await RawClient.connect({ port: server.port });
      try {
        expect((await observer.call('CLIENT', 'LIST')).toString()).toContain('name=leaving');
        client.socket.destroy();
        let list = '';
        for (let i = 0; i < 50 && (list === '' || list.includes('name=leaving')); i++) {
          await new Promise((r) => setTimeout(r, 20));
          list = (await observer.call('CLIENT', 'LIST')).toString();
        }
        expect(list).not.toContain('name=leaving');
      } finally {
        observer.close();
      }
    });
  });
}
