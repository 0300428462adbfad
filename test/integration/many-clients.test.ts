/**
 * Issue #7's proof that many clients and a stuck reader do not hurt the
 * server: 2,000 connections publish at once to a channel whose only
 * subscriber never reads. The subscriber's unsent output is capped by
 * `client-output-buffer-limit pubsub` (it is dropped at the hard limit), so
 * memory stays bounded, every publisher gets its reply and another client's
 * PING is answered throughout.
 *
 * 2,000 clients in this process means about 4,000 open sockets (both ends):
 * the test checks the file-descriptor limit first and says how to raise it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import type { RunningServer } from '../../ts/index';
import { RawClient } from '../support/raw';
import { encodeCommand } from '../support/resp';
import { startFerro } from '../support/servers';

const CLIENTS = 2000;
const HARD_LIMIT = 8 * 1024 * 1024;
const MESSAGE = Buffer.alloc(16 * 1024, 'p');

const text = (b: Buffer) => b.toString('latin1');

/** The soft limit on open files this process (and so a child shell) has. */
function openFileLimit(): number {
  const out = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out);
}

/** The most a loopback connection's two kernel buffers (sender's and receiver's) may hold. */
function kernelSocketBuffers(): number {
  const max = (file: string) => Number(readFileSync(file, 'utf8').trim().split(/\s+/)[2]);
  return max('/proc/sys/net/ipv4/tcp_rmem') + max('/proc/sys/net/ipv4/tcp_wmem');
}

let server: RunningServer;
const clients: RawClient[] = [];
beforeAll(async () => {
  const needed = 2 * CLIENTS + 200;
  const limit = openFileLimit();
  if (limit < needed) {
    throw new Error(`this test opens ~${needed} sockets but \`ulimit -n\` is ${limit}: raise it (ulimit -n ${needed * 2}) and rerun`);
  }
  server = await startFerro({ config: { 'client-output-buffer-limit': `pubsub ${HARD_LIMIT} ${HARD_LIMIT / 4} 60`, maxclients: CLIENTS + 100 } });
});
afterAll(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

/** Connects `n` clients, a few hundred at a time. */
async function connectMany(n: number): Promise<RawClient[]> {
  const out: RawClient[] = [];
  while (out.length < n) {
    const batch = Math.min(250, n - out.length);
    out.push(...(await Promise.all(Array.from({ length: batch }, () => RawClient.connect({ port: server.port })))));
  }
  return out;
}

describe('2,000 clients and a subscriber that never reads', () => {
  it('the server stays responsive and drops the subscriber at its output limit', async () => {
    const probe = await RawClient.connect({ port: server.port });
    clients.push(probe);
    const subscriber = await RawClient.connect({ port: server.port });
    clients.push(subscriber);
    expect(text(await subscriber.call('SUBSCRIBE', 'firehose'))).toContain('firehose');
    subscriber.socket.pause();

    const publishers = await connectMany(CLIENTS);
    clients.push(...publishers);
    // The server may still be accepting the last ones when their connect events fire here.
    await vi.waitFor(async () => expect(text(await probe.call('INFO', 'clients'))).toContain(`\r\nconnected_clients:${CLIENTS + 2}\r\n`), { timeout: 10_000 });

    // Every publisher sends two 16 kB messages at once: 64 MB offered to a reader that takes nothing.
    const publish = encodeCommand(['PUBLISH', 'firehose', MESSAGE]);
    for (const p of publishers) p.write(Buffer.concat([publish, publish]));
    // Answered while the flood is being served.
    expect(text(await probe.call('PING'))).toBe('+PONG\r\n');
    const replies = (await Promise.all(publishers.map((p) => p.replies(2, 60_000)))).flat().map(text);
    expect(replies).toHaveLength(2 * CLIENTS);
    expect(replies.every((r) => r === ':1\r\n' || r === ':0\r\n')).toBe(true);
    // A burst read in one event-loop turn still counts the subscriber (as Redis counts a
    // client scheduled to close until it is freed), but nothing more is queued for it.

    subscriber.socket.resume();
    await subscriber.closed;
    // What reached it is bounded by the hard limit plus what the kernel's socket buffers
    // can hold, below the 64 MB offered: the rest was never queued.
    const received = subscriber.pending().length;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThanOrEqual(HARD_LIMIT + MESSAGE.length + kernelSocketBuffers());
    expect(text(await probe.call('PUBSUB', 'NUMSUB', 'firehose'))).toBe('*2\r\n$8\r\nfirehose\r\n:0\r\n');
    expect(text(await probe.call('PING'))).toBe('+PONG\r\n');
    // Nothing is left queued for anyone: the dropped subscriber's buffer went with it.
    const list = text(await probe.call('CLIENT', 'LIST'));
    const omem = [...list.matchAll(/ omem=(\d+) /g)].map((m) => Number(m[1]));
    expect(omem).toHaveLength(CLIENTS + 1);
    expect(Math.max(...omem)).toBe(0);
    // Every publisher is still served.
    const again = await Promise.all(publishers.slice(0, 100).map((p) => p.call('PUBLISH', 'firehose', 'x')));
    expect(again.map(text).every((r) => r === ':0\r\n')).toBe(true);
  });
});
