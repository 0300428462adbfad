/**
 * The HyperLogLog family against a real redis-server: PFADD PFCOUNT
 * PFMERGE PFDEBUG, byte for byte in RESP2 and RESP3. Counts must be equal
 * to the unit, and the values themselves (GET) equal byte for byte, sparse
 * and dense, so an HLL moves between ferrokv and Redis with GET and SET.
 */
import { describe, expect, it } from 'vitest';

import { compareScripts, lines, type Script, usePair } from '../support/diff';
import { type Endpoint, RawClient } from '../support/raw';
import type { Arg } from '../support/resp';

const pair = usePair();

/** `prefix1` … `prefixN` as arguments. */
function elements(prefix: string, from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);
}

/** PFADD of `elements`, `batch` at a time. */
function pfaddAll(key: string, all: string[], batch = 500): Arg[][] {
  const cmds: Arg[][] = [];
  for (let i = 0; i < all.length; i += batch) cmds.push(['PFADD', key, ...all.slice(i, i + batch)]);
  return cmds;
}

/** A small seeded generator (mulberry32), so a failing script is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random adds, merges, counts and conversions over a few keys, reading the
 * values back with GET: the sparse runs' splits and merges, promotion, and
 * merges into sparse and dense destinations, byte for byte.
 */
function randomHllScript(seed: number, n: number): Script {
  const random = seeded(seed);
  const key = () => `h${Math.floor(random() * 5)}`;
  const script: Script = [];
  for (let i = 0; i < n; i++) {
    const r = random();
    if (r < 0.5) {
      const count = [1, 1, 2, 5, 20, 100, 400][Math.floor(random() * 7)];
      script.push(['PFADD', key(), ...Array.from({ length: count }, () => `x${Math.floor(random() * 30000)}`)]);
    } else if (r < 0.6) {
      script.push(['PFMERGE', key(), ...Array.from({ length: Math.floor(random() * 4) }, key)]);
    } else if (r < 0.75) {
      script.push(['PFCOUNT', key()]);
    } else if (r < 0.82) {
      script.push(['PFCOUNT', key(), key()]);
    } else if (r < 0.84) {
      script.push(['PFDEBUG', 'TODENSE', key()]);
    } else if (r < 0.86) {
      script.push(['DEL', key()]);
    } else {
      script.push(['GET', key()]);
    }
  }
  return script;
}

const scripts: Record<string, Script> = {
  'PFADD, PFCOUNT and the cached cardinality': lines(`
    PFADD h a b c
    GET h
    PFADD h a
    PFCOUNT h
    GET h
    PFCOUNT h
    OBJECT ENCODING h
    PFADD empty
    GET empty
    PFADD empty
    PFCOUNT empty
    PFCOUNT nosuch
    PFCOUNT nosuch nosuch2
    PFADD "\\x00bin\\xff" "\\x00" "" "\\xff\\xfe"
    PFCOUNT "\\x00bin\\xff"
    GET "\\x00bin\\xff"
    PFADD
  `),
  'PFADD and PFCOUNT on thousands of elements': [
    ...pfaddAll('big', elements('e', 1, 20000)),
    ['PFCOUNT', 'big'],
    ['GET', 'big'],
    ...pfaddAll('other', elements('x', 1, 5000)),
    ['PFCOUNT', 'other'],
    ['PFCOUNT', 'big', 'other'],
    ['PFCOUNT', 'other', 'nosuch', 'big'],
    ...pfaddAll('small', elements('e', 1, 3000), 1),
    ['PFCOUNT', 'small'],
    ['GET', 'small'],
  ],
  'sparse to dense promotion': [
    ...pfaddAll('p', elements('e', 1, 1683)),
    ['PFDEBUG', 'ENCODING', 'p'],
    ['STRLEN', 'p'],
    ['GET', 'p'],
    ['PFCOUNT', 'p'],
    ['PFADD', 'p', 'e1684'],
    ['PFDEBUG', 'ENCODING', 'p'],
    ['STRLEN', 'p'],
    ['GET', 'p'],
    ['PFCOUNT', 'p'],
    ['GET', 'p'],
    ...pfaddAll('q', elements('w', 1, 400), 1),
    ['PFDEBUG', 'DECODE', 'q'],
    ['GET', 'q'],
  ],
  'hll-sparse-max-bytes': [
    ['CONFIG', 'SET', 'hll-sparse-max-bytes', '100'],
    ...pfaddAll('c', elements('e', 1, 40), 1),
    ['PFDEBUG', 'ENCODING', 'c'],
    ['GET', 'c'],
    ['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000'],
    ...pfaddAll('d', elements('e', 1, 40), 1),
    ['PFDEBUG', 'ENCODING', 'd'],
    ['GET', 'd'],
  ],
  PFMERGE: [
    ...pfaddAll('mid', elements('e', 1, 200)),
    ...pfaddAll('big', elements('z', 1, 3000)),
    ...lines(`
      PFADD h a b c
      PFMERGE m1 mid h
      PFCOUNT m1
      GET m1
      PFDEBUG ENCODING m1
      PFMERGE m2 mid big
      PFCOUNT m2
      PFDEBUG ENCODING m2
      GET m2
      PFMERGE m3
      GET m3
      PFMERGE m1 nosuch
      PFCOUNT m1
      PFMERGE h big
      PFDEBUG ENCODING h
      PFCOUNT h
      GET h
      PFMERGE
    `),
  ],
  PFDEBUG: [
    ...pfaddAll('mid', elements('e', 1, 100)),
    ...lines(`
      PFADD h a b c
      PFDEBUG DECODE h
      PFDEBUG DECODE mid
      PFDEBUG ENCODING h
      PFDEBUG TODENSE h
      PFDEBUG TODENSE h
      PFDEBUG ENCODING h
      PFDEBUG DECODE h
      PFCOUNT h
      GET h
      PFDEBUG GETREG mid
      PFDEBUG ENCODING mid
      PFDEBUG getreg mid
      PFDEBUG FOO h
      PFDEBUG GETREG nosuch
      PFDEBUG foo nosuch
      PFDEBUG GETREG
      PFDEBUG GETREG h extra
    `),
  ],
  'values that are not HyperLogLogs': lines(`
    PFADD h a
    SET str hello
    PFADD str a
    PFCOUNT str
    PFCOUNT h str
    PFMERGE h str
    PFDEBUG ENCODING str
    SET num 12345
    PFADD num a
    PFCOUNT num
    LPUSH list a
    PFADD list a
    PFCOUNT list
    PFCOUNT h list
    PFMERGE list h
    PFMERGE h list
    PFDEBUG ENCODING list
    SET fakedense "HYLL\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"
    PFCOUNT fakedense
    SET badenc "HYLL\\x02\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"
    PFCOUNT badenc
    SET headonly "HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80"
    PFCOUNT headonly
    PFADD headonly a
    PFDEBUG DECODE headonly
    SET cached "HYLL\\x01\\x00\\x00\\x00\\x07\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x7f\\xff"
    PFCOUNT cached
    PFADD cached a
    PFCOUNT cached
    SET toomany "HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80\\x7f\\xff\\x00"
    PFCOUNT toomany
    PFADD toomany a
    PFMERGE x toomany
    EXISTS x
    PFDEBUG TODENSE toomany
    PFDEBUG GETREG toomany
  `),
  'random adds, merges and counts': randomHllScript(11, 800),
  PFSELFTEST: lines(`
    PFSELFTEST
    PFSELFTEST extra
  `),
  'COMMAND GETKEYS for HyperLogLogs': lines(`
    COMMAND GETKEYS PFADD k a
    COMMAND GETKEYS PFMERGE d a b
    COMMAND GETKEYS PFCOUNT a b
  `),
};

/** The value under `key` (a bulk reply's payload). */
async function getValue(endpoint: Endpoint, key: string): Promise<Buffer> {
  const client = await RawClient.connect(endpoint);
  try {
    const reply = await client.call('GET', key);
    const header = reply.indexOf('\r\n');
    return reply.subarray(header + 2, reply.length - 2);
  } finally {
    client.close();
  }
}

async function callOn(endpoint: Endpoint, ...args: Arg[]): Promise<string> {
  const client = await RawClient.connect(endpoint);
  try {
    return (await client.call(...args)).toString('latin1');
  } finally {
    client.close();
  }
}

describe('hyperloglog (differential)', () => {
  compareScripts(pair, scripts);

  for (const [label, count] of [
    ['sparse', 300],
    ['dense', 8000],
  ] as const) {
    it(`a ${label} HLL moves between Redis and ferrokv through GET and SET`, async () => {
      const { ferroEndpoint: ferro, redisEndpoint: redis } = pair();
      for (const endpoint of [ferro, redis]) {
        const client = await RawClient.connect(endpoint);
        try {
          await client.call('DEL', 'made', 'moved');
          await client.pipeline(pfaddAll('made', elements(`${label}-`, 1, count)));
        } finally {
          client.close();
        }
      }
      const fromRedis = await getValue(redis, 'made');
      const fromFerro = await getValue(ferro, 'made');
      expect(fromFerro.equals(fromRedis)).toBe(true);

      // Redis's bytes into ferrokv, ferrokv's into Redis: the same count
      // and the same growth afterwards.
      expect(await callOn(ferro, 'SET', 'moved', fromRedis)).toBe('+OK\r\n');
      expect(await callOn(redis, 'SET', 'moved', fromFerro)).toBe('+OK\r\n');
      const counts = await Promise.all([callOn(ferro, 'PFCOUNT', 'moved'), callOn(redis, 'PFCOUNT', 'moved')]);
      expect(counts[0]).toBe(counts[1]);
      expect(counts[0]).toMatch(/^:\d+\r\n$/);
      const adds = await Promise.all([callOn(ferro, 'PFADD', 'moved', 'one', 'more', 'element'), callOn(redis, 'PFADD', 'moved', 'one', 'more', 'element')]);
      expect(adds[0]).toBe(adds[1]);
      const after = await Promise.all([getValue(ferro, 'moved'), getValue(redis, 'moved')]);
      expect(after[0].equals(after[1])).toBe(true);
      const merged = await Promise.all([callOn(ferro, 'PFCOUNT', 'moved', 'made'), callOn(redis, 'PFCOUNT', 'moved', 'made')]);
      expect(merged[0]).toBe(merged[1]);
    });
  }
});
