/**
 * Bad input never hurts the server. Malformed, truncated and oversized
 * requests go to ferrokv and to a real redis-server over real sockets while
 * a bystander connection stays open on each: the offending connection must
 * get exactly what redis-server sends it (and be closed or kept as Redis
 * does), and the bystander must be served normally afterwards.
 */
import { describe, expect, it } from 'vitest';

import { usePair } from '../support/diff';
import { type Endpoint, RawClient } from '../support/raw';
import { encodeCommand } from '../support/resp';

const pair = usePair();

/** What a connection received for `bytes`, and whether the server closed it. */
async function transcript(endpoint: Endpoint, bytes: Buffer, options: { hangUp?: boolean; setup?: string[][] } = {}): Promise<string> {
  const client = await RawClient.connect(endpoint);
  try {
    for (const cmd of options.setup ?? []) await client.call(...cmd);
    client.write(bytes);
    if (options.hangUp) {
      // The request is cut off mid-way: the client goes away.
      client.socket.end();
    }
    // A closing server closes at once; an open one is given time to answer.
    await Promise.race([client.closed, new Promise((r) => setTimeout(r, 400))]);
    const got = client.pending().toString('latin1');
    return `${JSON.stringify(got.length > 300 ? `${got.slice(0, 300)}…(${got.length})` : got)} ${client.isClosed ? '(closed)' : '(open)'}`;
  } finally {
    client.close();
  }
}

/** The bystander still gets answers, and data written before is intact. */
async function stillServes(bystander: RawClient): Promise<string> {
  const replies = [
    await bystander.call('PING'),
    await bystander.call('SET', 'bystander', 'ok'),
    await bystander.call('GET', 'bystander'),
    await bystander.call('EXISTS', 'half-written'),
  ];
  return replies.map((r) => r.toString('latin1')).join('');
}

async function onBoth(bytes: Buffer | string, options: { hangUp?: boolean; setup?: string[][] } = {}): Promise<void> {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  const endpoints = [pair().ferroEndpoint, pair().redisEndpoint];
  const bystanders = await Promise.all(endpoints.map((e) => RawClient.connect(e)));
  try {
    const [ferro, redis] = await Promise.all(endpoints.map((e) => transcript(e, b, options)));
    expect(ferro).toBe(redis);
    const after = await Promise.all(bystanders.map(stillServes));
    expect(after[0]).toBe('+PONG\r\n+OK\r\n$2\r\nok\r\n:0\r\n');
    expect(after[1]).toBe(after[0]);
  } finally {
    for (const c of bystanders) c.close();
  }
}

const setHalf = (value: string) => encodeCommand(['SET', 'half-written', value]);

describe('malformed requests: answered as redis-server, others keep being served', () => {
  const CASES: Record<string, Buffer | string> = {
    'bad multibulk length': '*x1\r\n$4\r\nPING\r\n',
    'multibulk length over INT_MAX': '*4294967296\r\n',
    'negative multibulk length then a command': '*-5\r\nPING\r\n',
    'bad bulk length': '*2\r\n$4\r\nECHO\r\n$1x\r\nab\r\n',
    'bulk length with a sign': '*1\r\n$+4\r\nPING\r\n',
    'bulk length over proto-max-bulk-len': '*2\r\n$4\r\nECHO\r\n$9999999999\r\n',
    "a bulk without '$'": '*2\r\n$4\r\nECHO\r\n:12\r\n',
    'inline request too long': Buffer.alloc(80 * 1024, 'x'),
    'mbulk count string too long': Buffer.concat([Buffer.from('*'), Buffer.alloc(80 * 1024, '9')]),
    'bulk count string too long': Buffer.concat([Buffer.from('*1\r\n$'), Buffer.alloc(80 * 1024, '9')]),
    'unbalanced double quotes': 'SET half-written "abc\r\n',
    'unbalanced single quotes': "SET half-written 'abc\r\n",
    'quote followed by a letter': 'ECHO "a"b\r\n',
    'NUL and high bytes inline': Buffer.from([0x00, 0xff, 0x20, 0x80, 0x0d, 0x0a]),
    'a NUL before the newline keeps an inline request waiting': 'ECHO ab\x00cd\r\nECHO more\r\n',
    'a request stalled by a NUL grows too big': Buffer.concat([Buffer.from('ECHO a\x00\r\n'), Buffer.alloc(70 * 1024, 'x')]),
    'good commands then garbage in one chunk': `PING\r\n${encodeCommand(['ECHO', 'before']).toString('latin1')}*1\r\n$-3\r\nPING\r\n`,
  };
  for (const [name, bytes] of Object.entries(CASES)) {
    it(name, async () => {
      await onBoth(bytes);
    });
  }
});

describe('truncated and oversized requests', () => {
  it('a command cut off mid-argument is never run', async () => {
    const full = setHalf('hello');
    for (const cut of [1, 5, 14, full.length - 3, full.length - 1]) {
      await onBoth(full.subarray(0, cut), { hangUp: true });
    }
  });

  it('a huge multibulk count waits for arguments that never come', async () => {
    await onBoth('*2147483647\r\n$4\r\nPING\r\n$4\r\nPING\r\n', { hangUp: true });
    await onBoth('*1000000\r\n');
  });

  it('a huge declared bulk is not run when the client goes away', async () => {
    await onBoth('*3\r\n$3\r\nSET\r\n$12\r\nhalf-written\r\n$536870912\r\nabc', { hangUp: true });
  });

  it('a bulk over a lowered proto-max-bulk-len closes the connection', async () => {
    const setup = [['CONFIG', 'SET', 'proto-max-bulk-len', '1mb']];
    try {
      await onBoth(`*3\r\n$3\r\nSET\r\n$12\r\nhalf-written\r\n$${1024 * 1024 + 1}\r\n`, { setup });
    } finally {
      for (const ep of [pair().ferroEndpoint, pair().redisEndpoint]) {
        const c = await RawClient.connect(ep);
        await c.call('CONFIG', 'SET', 'proto-max-bulk-len', '512mb');
        c.close();
      }
    }
  });

  it('a query buffer over client-query-buffer-limit drops that client only', async () => {
    const setup = [['CONFIG', 'SET', 'client-query-buffer-limit', '1mb']];
    const partial = Buffer.concat([Buffer.from(`*3\r\n$3\r\nSET\r\n$12\r\nhalf-written\r\n$${3 * 1024 * 1024}\r\n`), Buffer.alloc(1536 * 1024, 'x')]);
    try {
      await onBoth(partial, { setup });
    } finally {
      for (const ep of [pair().ferroEndpoint, pair().redisEndpoint]) {
        const c = await RawClient.connect(ep);
        await c.call('CONFIG', 'SET', 'client-query-buffer-limit', '1gb');
        c.close();
      }
    }
  });
});

describe('many hostile clients at once', () => {
  it('random garbage from 40 connections leaves the server serving', async () => {
    let seed = 0x5eed;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const alphabet = Buffer.from('*$\r\n0123456789-"\' abcPINGSET\x00\xff');
    const endpoint = pair().ferroEndpoint;
    const bystander = await RawClient.connect(endpoint);
    try {
      await Promise.all(
        Array.from({ length: 40 }, async () => {
          const c = await RawClient.connect(endpoint);
          const bytes = Buffer.from(Array.from({ length: 2000 }, () => alphabet[next() % alphabet.length]));
          for (let at = 0; at < bytes.length; at += 97) c.write(bytes.subarray(at, at + 97));
          await Promise.race([c.closed, new Promise((r) => setTimeout(r, 200))]);
          c.close();
        }),
      );
      expect(await stillServes(bystander)).toBe('+PONG\r\n+OK\r\n$2\r\nok\r\n:0\r\n');
    } finally {
      bystander.close();
    }
  });
});
