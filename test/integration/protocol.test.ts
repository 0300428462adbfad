/**
 * The wire protocol as a raw-socket client sees it: inline commands, a
 * request stream split at every byte boundary and at random ones, malformed
 * input that closes one connection and leaves the others alone, and the
 * query-buffer limits. (The exact bytes of each case are checked against
 * redis-server in test/differential/protocol.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from '../../ts/index';
import { RawClient } from '../support/raw';
import { encodeCommand, splitReplies } from '../support/resp';
import { startFerro } from '../support/servers';

let server: RunningServer;
beforeAll(async () => {
  server = await startFerro();
});
afterAll(async () => {
  await server?.close();
});

const connect = () => RawClient.connect({ port: server.port });

/** A request stream mixing inline and multibulk commands, binary values and an empty value. */
const STREAM = Buffer.concat([
  Buffer.from('FLUSHALL\r\nPING\r\nSET a "b c"\r\nGET a\r\n'),
  encodeCommand(['SET', Buffer.from([0, 13, 10, 255]), Buffer.from('\r\n*1\r\n$4\r\nPING\r\n')]),
  encodeCommand(['GET', Buffer.from([0, 13, 10, 255])]),
  encodeCommand(['MSET', 'x', '1', 'y', '', 'z', 'zzz']),
  Buffer.from('MGET x y z nosuch\n'),
  encodeCommand(['INCRBY', 'x', '41']),
  encodeCommand(['APPEND', 'y', 'x'.repeat(300)]),
  Buffer.from('\r\n'),
  encodeCommand(['GETRANGE', 'y', '0', '9']),
  encodeCommand(['NOSUCH', 'arg']),
  encodeCommand(['ECHO', 'last']),
]);
const COMMANDS = 13;

/** A small deterministic PRNG (mulberry32) so random chunkings repeat. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sends the stream in the given chunks, letting the server read between them. */
async function sendChunked(chunks: Buffer[]): Promise<Buffer> {
  const c = await connect();
  try {
    for (const chunk of chunks) {
      c.write(chunk);
      await new Promise((r) => setImmediate(r));
    }
    return Buffer.concat(await c.replies(COMMANDS));
  } finally {
    c.close();
  }
}

describe('pipelining across chunk boundaries', () => {
  let whole: Buffer;
  beforeAll(async () => {
    whole = await sendChunked([STREAM]);
  });

  it('answers the whole stream sent at once', () => {
    const replies = splitReplies(whole).map((r) => r.toString('latin1'));
    expect(replies).toHaveLength(COMMANDS);
    expect(replies.slice(0, 4)).toEqual(['+OK\r\n', '+PONG\r\n', '+OK\r\n', '$3\r\nb c\r\n']);
    expect(replies[5]).toBe('$16\r\n\r\n*1\r\n$4\r\nPING\r\n\r\n');
    expect(replies[7]).toBe('*4\r\n$1\r\n1\r\n$0\r\n\r\n$3\r\nzzz\r\n$-1\r\n');
    expect(replies[8]).toBe(':42\r\n');
    expect(replies[9]).toBe(':300\r\n');
    expect(replies[10]).toBe('$10\r\nxxxxxxxxxx\r\n');
    expect(replies[11]).toBe("-ERR unknown command 'NOSUCH', with args beginning with: 'arg' \r\n");
    expect(replies[12]).toBe('$4\r\nlast\r\n');
  });

  it('gives identical replies when the stream arrives one byte at a time', async () => {
    const bytes = Array.from(STREAM, (b) => Buffer.from([b]));
    expect((await sendChunked(bytes)).equals(whole)).toBe(true);
  });

  it('gives identical replies for random chunkings', async () => {
    for (let seed = 1; seed <= 25; seed++) {
      const random = rng(seed);
      const chunks: Buffer[] = [];
      for (let pos = 0; pos < STREAM.length; ) {
        const n = 1 + Math.floor(random() * (seed % 2 ? 8 : 90));
        chunks.push(STREAM.subarray(pos, pos + n));
        pos += n;
      }
      const got = await sendChunked(chunks);
      expect(got.toString('latin1'), `seed ${seed}`).toBe(whole.toString('latin1'));
    }
  });

  it('gives identical replies when split at every single boundary into two chunks', async () => {
    for (let cut = 1; cut < STREAM.length; cut += 1) {
      const got = await sendChunked([STREAM.subarray(0, cut), STREAM.subarray(cut)]);
      if (!got.equals(whole)) expect(got.toString('latin1'), `cut at ${cut}`).toBe(whole.toString('latin1'));
    }
  });
});

describe('inline commands', () => {
  it('parses words, quotes and escapes as redis-cli would send them', async () => {
    const c = await connect();
    c.write('PING\r\nSET a "b c"\r\nGET a\r\nECHO "tab\\there\\x21"\r\nECHO \'it\\\'s\'\r\n');
    const replies = (await c.replies(5)).map((r) => r.toString('latin1'));
    expect(replies).toEqual(['+PONG\r\n', '+OK\r\n', '$3\r\nb c\r\n', '$9\r\ntab\there!\r\n', "$4\r\nit's\r\n"]);
    c.close();
  });
});

describe('malformed input', () => {
  const cases: [string, string, string][] = [
    ['invalid multibulk length', '*x\r\n', '-ERR Protocol error: invalid multibulk length\r\n'],
    ['invalid bulk length', '*1\r\n$-5\r\n', '-ERR Protocol error: invalid bulk length\r\n'],
    ["expected '$'", '*1\r\n:1\r\n', "-ERR Protocol error: expected '$', got ':'\r\n"],
    ['unbalanced quotes', 'ECHO "open\r\n', '-ERR Protocol error: unbalanced quotes in request\r\n'],
    ['too big inline request', 'x'.repeat(65 * 1024), '-ERR Protocol error: too big inline request\r\n'],
  ];

  for (const [name, bad, error] of cases) {
    it(`${name}: replies with the error, after earlier commands, then closes; others are unaffected`, async () => {
      const other = await connect();
      expect((await other.call('PING')).toString()).toBe('+PONG\r\n');
      const c = await connect();
      // A too-big inline request is refused only while no newline has arrived, so it ends the stream.
      const after = name.startsWith('too big') ? Buffer.alloc(0) : encodeCommand(['SET', 'after', '1']);
      c.write(Buffer.concat([encodeCommand(['SET', 'before', '1']), Buffer.from('PING\r\n'), Buffer.from(bad, 'latin1'), after]));
      const out = await c.untilClosed();
      expect(out.toString('latin1')).toBe(`+OK\r\n+PONG\r\n${error}`);
      expect(c.isClosed).toBe(true);
      // The other connection still works; nothing after the error ran.
      expect((await other.call('EXISTS', 'before', 'after')).toString()).toBe(':1\r\n');
      expect((await other.call('DEL', 'before')).toString()).toBe(':1\r\n');
      other.close();
    });
  }
});

describe('limits', () => {
  it('proto-max-bulk-len: a bigger bulk is a protocol error and the connection closes', async () => {
    const admin = await connect();
    expect((await admin.call('CONFIG', 'SET', 'proto-max-bulk-len', '1mb')).toString()).toBe('+OK\r\n');
    const c = await connect();
    c.write(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${1024 * 1024 + 1}\r\n`);
    expect((await c.untilClosed()).toString()).toBe('-ERR Protocol error: invalid bulk length\r\n');
    // Exactly the limit is fine.
    const ok = await admin.call('SET', 'big', Buffer.alloc(1024 * 1024, 'b'));
    expect(ok.toString()).toBe('+OK\r\n');
    expect((await admin.call('STRLEN', 'big')).toString()).toBe(':1048576\r\n');
    await admin.call('CONFIG', 'SET', 'proto-max-bulk-len', '512mb');
    admin.close();
  });

  it('client-query-buffer-limit: an oversized request closes that connection; the server keeps serving', async () => {
    const admin = await connect();
    expect((await admin.call('CONFIG', 'SET', 'client-query-buffer-limit', '1mb')).toString()).toBe('+OK\r\n');
    const c = await connect();
    c.write(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${8 * 1024 * 1024}\r\n`);
    c.write(Buffer.alloc(3 * 1024 * 1024, 'q'));
    expect((await c.untilClosed()).length).toBe(0);
    expect((await admin.call('PING')).toString()).toBe('+PONG\r\n');
    const fresh = await connect();
    expect((await fresh.call('EXISTS', 'k')).toString()).toBe(':0\r\n');
    fresh.close();
    await admin.call('CONFIG', 'SET', 'client-query-buffer-limit', '1gb');
    admin.close();
  });
});
