/**
 * The request protocol against a real redis-server: raw byte streams,
 * including malformed ones, go to both servers; everything each sends back
 * until it closes the connection (or goes quiet) must be identical.
 */
import { describe, expect, it } from 'vitest';

import { usePair } from '../support/diff';
import { type Endpoint, RawClient } from '../support/raw';
import { encodeCommand } from '../support/resp';

const pair = usePair();

/** Sends `bytes` (after optional setup commands) and returns what came back and whether the server closed. */
async function exchange(endpoint: Endpoint, bytes: Buffer, setup: string[][] = [], quietMs = 300): Promise<string> {
  const client = await RawClient.connect(endpoint);
  try {
    for (const cmd of setup) await client.call(...cmd);
    client.write(bytes);
    // Wait for the close, or for the server to go quiet.
    let last = -1;
    const deadline = Date.now() + 10_000;
    while (!client.isClosed && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, quietMs / 3));
      const n = client.pending().length;
      if (n === last) {
        await Promise.race([client.closed, new Promise((r) => setTimeout(r, quietMs))]);
        if (client.pending().length === n) break;
      }
      last = client.pending().length;
    }
    const got = client.pending().toString('latin1');
    return `${JSON.stringify(got.length > 400 ? `${got.slice(0, 400)}…(${got.length})` : got)} ${client.isClosed ? '(closed)' : '(open)'}`;
  } finally {
    client.close();
  }
}

async function both(bytes: Buffer | string, setup: string[][] = []): Promise<{ ferro: string; redis: string }> {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  const [ferro, redis] = await Promise.all([exchange(pair().ferroEndpoint, b, setup), exchange(pair().redisEndpoint, b, setup)]);
  return { ferro, redis };
}

const CASES: Record<string, string | Buffer> = {
  'inline commands': 'PING\r\nPING hello\r\nSET a "b c"\r\nGET a\r\nECHO \'single quoted\'\r\nECHO "esc\\x41\\n"\r\n\r\n   \r\nGET a\n',
  'inline with tabs and repeated spaces': 'SET  \t k2 \t  v2 \r\nGET k2\r\n',
  'multibulk and inline mixed': `${encodeCommand(['SET', 'k', 'v\r\nx']).toString('latin1')}GET k\r\n*0\r\n*-1\r\nPING\r\n`,
  'invalid multibulk length': 'PING\r\n*abc\r\nPING\r\n',
  'multibulk length too large': '*2147483648\r\n',
  'multibulk length with sign': '*+1\r\n$4\r\nPING\r\n',
  'invalid bulk length': '*1\r\n$abc\r\nPING\r\n',
  'negative bulk length': '*1\r\n$-1\r\n',
  'bulk length past proto-max-bulk-len': '*1\r\n$536870913\r\n',
  "expected '$'": '*1\r\nPING\r\n',
  "expected '$' got a digit": '*2\r\n$4\r\nECHO\r\n4\r\n',
  'unbalanced double quotes': 'PING\r\nSET a "b\r\n',
  'unbalanced single quotes': "ECHO 'abc\r\n",
  'closing quote not followed by space': 'ECHO "a"b\r\n',
  'replies before an error in the same chunk': `PING\r\n${encodeCommand(['ECHO', 'first']).toString('latin1')}*1\r\n$x\r\n`,
  'unknown command inline': 'NOSUCH a "b c"\r\n',
  'QUIT replies and closes; nothing after it runs': 'PING\r\nQUIT\r\nPING\r\n',
  'QUIT with arguments': `${encodeCommand(['QUIT', 'now']).toString('latin1')}PING\r\n`,
  'bulk not followed by CRLF (Redis skips two bytes)': '*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n',
  'too big inline request': Buffer.alloc(70 * 1024, 'a'),
  'too big mbulk count string': Buffer.concat([Buffer.from('*'), Buffer.alloc(70 * 1024, '1')]),
  'too big bulk count string': Buffer.concat([Buffer.from('*1\r\n$'), Buffer.alloc(70 * 1024, '1')]),
};

describe('request framing: replies and closes as redis-server', () => {
  for (const [name, bytes] of Object.entries(CASES)) {
    it(name, async () => {
      const { ferro, redis } = await both(bytes);
      expect(ferro).toBe(redis);
    });
  }

  it('proto-max-bulk-len set low refuses a bigger bulk and closes', async () => {
    const setup = [['CONFIG', 'SET', 'proto-max-bulk-len', '1mb']];
    const { ferro, redis } = await both(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${1024 * 1024 + 1}\r\n`, setup);
    expect(ferro).toBe(redis);
    expect(ferro).toBe('"-ERR Protocol error: invalid bulk length\\r\\n" (closed)');
    const ok = await both(`*2\r\n$4\r\nECHO\r\n$${1024 * 1024}\r\n${'x'.repeat(1024 * 1024)}\r\n`, setup);
    expect(ok.ferro).toBe(ok.redis);
    for (const ep of [pair().ferroEndpoint, pair().redisEndpoint]) {
      const c = await RawClient.connect(ep);
      await c.call('CONFIG', 'SET', 'proto-max-bulk-len', '512mb');
      c.close();
    }
  });

  it('client-query-buffer-limit closes a connection whose request outgrows it, without a reply', async () => {
    const setup = [['CONFIG', 'SET', 'client-query-buffer-limit', '1mb']];
    const partial = Buffer.concat([Buffer.from(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${4 * 1024 * 1024}\r\n`), Buffer.alloc(2 * 1024 * 1024, 'x')]);
    const { ferro, redis } = await both(partial, setup);
    expect(ferro).toBe(redis);
    expect(ferro).toBe('"" (closed)');
    for (const ep of [pair().ferroEndpoint, pair().redisEndpoint]) {
      const c = await RawClient.connect(ep);
      expect((await c.call('CONFIG', 'SET', 'client-query-buffer-limit', '1gb')).toString()).toBe('+OK\r\n');
      c.close();
    }
  });
});
