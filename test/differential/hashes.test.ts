/**
 * The hash family against a real redis-server: every command, its options
 * and its errors, byte for byte, in RESP2 and RESP3. A listpack hash keeps
 * insertion order, so its HGETALL, HKEYS, HVALS and HSCAN replies are
 * compared exactly; a hashtable's order is Redis's own, so those are sorted.
 * HRANDFIELD's draws are random: its replies are checked for their shape and
 * rules (how many, distinct or not, pairs intact), then compared as that.
 */
import { describe, expect, it } from 'vitest';

import { compareScripts, lines, type Script, type Step, sorted, sortedPairs, usePair } from '../support/diff';
import { type Endpoint, RawClient } from '../support/raw';
import { elements, sortReply } from '../support/resp';

const pair = usePair();

/** HSCAN's `[cursor, [field, value …]]` with the pairs sorted by field. */
function sortedHscan(reply: Buffer): Buffer {
  if (reply[0] === 0x2d) return reply;
  const { header, items } = elements(reply);
  return Buffer.concat([Buffer.from(header, 'latin1'), items[0], sortReply(items[1], true)]);
}

/** HRANDFIELD's whole hash WITHVALUES, sorted: flat pairs in RESP2, [field, value] arrays in RESP3. */
function sortedPicks(reply: Buffer): Buffer {
  const { items } = elements(reply);
  return items[0]?.[0] === 0x2a /* * */ ? sorted(reply) : sortedPairs(reply);
}

/** A bulk string's text. */
function text(bulk: Buffer): string {
  const end = bulk.indexOf('\r\n');
  return bulk.toString('latin1', end + 2, bulk.length - 2);
}

/**
 * Checks an HRANDFIELD reply drawn from `hash` (field → value) and returns
 * its shape: the array header, then each field and value replaced by `F`
 * and `V` (RESP3 pairs keep their `*2`), so both servers' transcripts read
 * the same whatever was drawn. A broken rule is reported instead.
 */
function randomFields(hash: Record<string, string>, opts: { count: number; withValues?: boolean; distinct?: boolean }) {
  return (reply: Buffer): string => {
    if (reply[0] === 0x2d) return JSON.stringify(reply.toString('latin1'));
    const { header, items } = elements(reply);
    const pairs: [string, string | undefined][] = [];
    const shape: string[] = [header.trim()];
    if (!opts.withValues) {
      for (const it of items) pairs.push([text(it), undefined]);
      shape.push(items.map(() => 'F').join(' '));
    } else if (items.length > 0 && items[0][0] === 0x2a /* * */) {
      for (const it of items) {
        const inner = elements(it);
        if (inner.items.length !== 2) return `not a pair: ${JSON.stringify(it.toString('latin1'))}`;
        pairs.push([text(inner.items[0]), text(inner.items[1])]);
      }
      shape.push(items.map(() => '[F V]').join(' '));
    } else {
      for (let i = 0; i < items.length; i += 2) pairs.push([text(items[i]), text(items[i + 1])]);
      shape.push(pairs.map(() => 'F V').join(' '));
    }
    if (pairs.length !== opts.count) return `${pairs.length} picks, expected ${opts.count}`;
    for (const [f, v] of pairs) {
      if (!(f in hash)) return `not a field: ${f}`;
      if (v !== undefined && hash[f] !== v) return `value of ${f} is ${v}, expected ${hash[f]}`;
    }
    if (opts.distinct && new Set(pairs.map(([f]) => f)).size !== pairs.length) return `repeated fields: ${pairs.map(([f]) => f).join(' ')}`;
    return shape.join(' ');
  };
}

/** f0…f{n-1} → v0…v{n-1}. */
function numbered(n: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, `v${i}`]));
}

/** HSET h with every pair of `hash`, as one command. */
function hsetAll(key: string, hash: Record<string, string>): string[] {
  return ['HSET', key, ...Object.entries(hash).flat()];
}

const SMALL = numbered(10);
const BIG = numbered(600);

const scripts: Record<string, Script> = {
  'HSET HMSET HSETNX HGET': lines(`
    HSET h a 1 b 2 a 3
    HGETALL h
    HSET h b x c y
    HSET h c z
    HGETALL h
    HMSET h d 4
    HMSET h a 0 e 5
    HGETALL h
    HSETNX h a 9
    HSETNX h f 6
    HSETNX n f 6
    HGETALL n
    HGET h a
    HGET h zz
    HGET nokey a
    hset h A lower
    HGET h A
    HGET h a
    HSET h "" ""
    HGET h ""
    HSET "\\x00\\r\\n\\xff" "\\x00f\\r\\n" "\\x00v\\xff"
    HGETALL "\\x00\\r\\n\\xff"
    HSTRLEN "\\x00\\r\\n\\xff" "\\x00f\\r\\n"
    HSET h
    HSET h a
    HSET h a 1 b
    HMSET h a
    HMSET h a 1 b
    HSETNX h a
    HSETNX h a 1 2
    HGET h
    HGET h a b
    EXISTS h n nokey
  `),
  'HMGET HLEN HEXISTS HSTRLEN': lines(`
    HSET h a 1 b 22 c 333
    HMGET h a zz c
    HMGET nokey a b
    HMGET h
    HLEN h
    HLEN nokey
    HEXISTS h a
    HEXISTS h zz
    HEXISTS nokey a
    HSTRLEN h c
    HSTRLEN h zz
    HSTRLEN nokey a
    HSET h n -123
    HSTRLEN h n
    HLEN h x
    HEXISTS h
  `),
  'HGETALL HKEYS HVALS keep insertion order': lines(`
    HSET h z 1 y 2 x 3 w 4
    HGETALL h
    HKEYS h
    HVALS h
    HDEL h y
    HSET h y 5
    HSET h z 6
    HGETALL h
    HKEYS h
    HVALS h
    HGETALL nokey
    HKEYS nokey
    HVALS nokey
    HGETALL h extra
    HKEYS
  `),
  HDEL: lines(`
    HSET h a 1 b 2 c 3
    HDEL h zz
    HDEL h a a zz
    HGETALL h
    HDEL h c b zz
    EXISTS h
    HDEL h a
    HDEL nokey a
    HDEL h
  `),
  HINCRBY: lines(`
    HINCRBY h f 5
    HINCRBY h f -10
    HGET h f
    HINCRBY h g 0
    HINCRBY h f 1.5
    HINCRBY h f abc
    HINCRBY h f ""
    HINCRBY h f 9223372036854775808
    HINCRBY nokey f x
    EXISTS nokey
    HSET h sp " 1" z 007 x 1.0 e ""
    HINCRBY h sp 1
    HINCRBY h z 1
    HINCRBY h x 1
    HINCRBY h e 1
    HSET h n -9223372036854775808 m 9223372036854775807
    HINCRBY h n -1
    HINCRBY h m 1
    HINCRBY h n 1
    HINCRBY h m -9223372036854775807
    HGETALL h
    HINCRBY h f
  `),
  HINCRBYFLOAT: [
    ...lines(`
    HINCRBYFLOAT h f 1.5
    HINCRBYFLOAT h f -3
    HINCRBYFLOAT h f 1.5
    HINCRBYFLOAT h g 0x10
    HINCRBYFLOAT h g 1e3
    HSET h p 0.1
    HINCRBYFLOAT h p 0.2
    HSET h z 007
    HINCRBYFLOAT h z 1
    HSET h big 9223372036854775807
    HINCRBYFLOAT h big 1
    HINCRBY h f 2
    HINCRBYFLOAT h f 0.25
    HINCRBY h f 1
    HINCRBYFLOAT h f abc
    HINCRBYFLOAT h f " 1"
    HINCRBYFLOAT h f "1 "
    HINCRBYFLOAT h f ""
    HINCRBYFLOAT h f nan
    HINCRBYFLOAT h f inf
    HINCRBYFLOAT h f -inf
    HINCRBYFLOAT h f +Infinity
    HINCRBYFLOAT nokey f inf
    EXISTS nokey
    HSET h sp " 1" w abc
    HINCRBYFLOAT h sp 1
    HINCRBYFLOAT h w 1
    HGETALL h
    HINCRBYFLOAT h x 1e4000
    OBJECT ENCODING h
    HSET h y 1e4932
    HINCRBYFLOAT h y 1e4932
    HGET h y
    HINCRBYFLOAT h f 1e400
    HINCRBYFLOAT h f
  `),
    { args: ['HGETALL', 'h'], normalize: sortedPairs },
  ],
  'wrong types': lines(`
    SET s v
    HSET s a 1
    HMSET s a 1
    HSETNX s a 1
    HGET s a
    HMGET s a
    HGETALL s
    HKEYS s
    HVALS s
    HLEN s
    HEXISTS s a
    HSTRLEN s a
    HDEL s a
    HINCRBY s a 1
    HINCRBY s a x
    HINCRBYFLOAT s a 1
    HINCRBYFLOAT s a x
    HINCRBYFLOAT s a inf
    HRANDFIELD s
    HRANDFIELD s 0
    HRANDFIELD s 1 x
    HRANDFIELD s -9223372036854775808
    HSCAN s 0
    HSCAN s x
    HSCAN s 0 COUNT 0
    GET s
    HSET h a 1
    TYPE h
    GET h
    INCR h
  `),
  'HSCAN on a listpack': lines(`
    HSET h b 2 a 1 c 3
    HSCAN h 0
    HSCAN h 99 COUNT 1
    HSCAN h ""
    HSCAN h -1
    HSCAN h 0 count 1 count 2 match *
    HSCAN h 0 MATCH [ab]
    HSCAN h 0 MATCH 1
    HSCAN h 0 COUNT 0
    HSCAN h 0 COUNT -1
    HSCAN h 0 COUNT x
    HSCAN h 0 MATCH
    HSCAN h 0 COUNT
    HSCAN h 0 TYPE string
    HSCAN h 0 NOVALUES
    HSCAN h x
    HSCAN h 1x
    HSCAN h 18446744073709551616
    HSCAN nokey 0
    HSCAN nokey 0 COUNT 0
    HSCAN nokey 0 bogus
    HSCAN nokey x
    HSCAN h
  `),
  'HSCAN on a hashtable': [
    hsetAll('h', BIG),
    ['OBJECT', 'ENCODING', 'h'],
    { args: ['HSCAN', 'h', '0', 'COUNT', '10000'], normalize: sortedHscan },
    { args: ['HSCAN', 'h', '0', 'COUNT', '10000', 'MATCH', 'f1?'], normalize: sortedHscan },
    { args: ['HSCAN', 'h', '0', 'MATCH', 'nothing*', 'COUNT', '10000'], normalize: sortedHscan },
    ...lines(`
      HSCAN h 0 COUNT 0
      HSCAN h 0 TYPE hash
      HSCAN h abc
    `),
  ],
  'HRANDFIELD errors and edges': lines(`
    HRANDFIELD nokey
    HRANDFIELD nokey 0
    HRANDFIELD nokey 5
    HRANDFIELD nokey -5 WITHVALUES
    HSET h a 1
    HRANDFIELD h
    HRANDFIELD h 0
    HRANDFIELD h 0 WITHVALUES
    HRANDFIELD h 1
    HRANDFIELD h 1 withvalues
    HRANDFIELD h -3
    HRANDFIELD h -2 WITHVALUES
    HRANDFIELD h 5 WITHVALUES
    HRANDFIELD h 1.5
    HRANDFIELD h abc WITHVALUES
    HRANDFIELD h 99999999999999999999
    HRANDFIELD h -9223372036854775808
    HRANDFIELD h -9223372036854775808 WITHVALUES x
    HRANDFIELD h 1 x
    HRANDFIELD h 1 WITHVALUES x
    HRANDFIELD h 4611686018427387904 WITHVALUES
    HRANDFIELD h -4611686018427387904 withvalues
    HRANDFIELD h 4611686018427387903 WITHVALUES
    HRANDFIELD
  `),
  'HRANDFIELD on a listpack': [
    hsetAll('h', SMALL),
    ['OBJECT', 'ENCODING', 'h'],
    // The whole hash comes in its order when the count covers it.
    ['HRANDFIELD', 'h', '10'],
    ['HRANDFIELD', 'h', '100', 'WITHVALUES'],
    ...randomSteps(SMALL),
  ],
  'HRANDFIELD on a hashtable': [
    hsetAll('h', BIG),
    ['OBJECT', 'ENCODING', 'h'],
    { args: ['HRANDFIELD', 'h', '600'], normalize: sorted },
    { args: ['HRANDFIELD', 'h', '1000', 'WITHVALUES'], normalize: sortedPicks },
    ...randomSteps(BIG),
  ],
  'encodings follow hash-max-listpack-entries and -value': [
    ...lines(`
      HSET h a 1
      OBJECT ENCODING h
      CONFIG SET hash-max-listpack-value 3
      HSET h abc 123
      OBJECT ENCODING h
      HSET h long 1234
      OBJECT ENCODING h
    `),
    { args: ['HGETALL', 'h'], normalize: sortedPairs },
    ...lines(`
      HSET h2 abcd 1
      OBJECT ENCODING h2
      HSETNX h3 abcd 1
      OBJECT ENCODING h3
      HINCRBY h4 f 999
      OBJECT ENCODING h4
      HINCRBY h4 f 1
      OBJECT ENCODING h4
      HINCRBYFLOAT h5 f 0.5
      OBJECT ENCODING h5
      HINCRBYFLOAT h5 f 0.25
      OBJECT ENCODING h5
      CONFIG SET hash-max-ziplist-value 64
      CONFIG SET hash-max-listpack-entries 2
      HSET e a 1 b 2
      OBJECT ENCODING e
      HSET e b 3
      OBJECT ENCODING e
      HSET e c 3
      OBJECT ENCODING e
      HDEL e a b
      OBJECT ENCODING e
      HSET small a 1 b 2
      CONFIG SET hash-max-listpack-entries 1
      OBJECT ENCODING small
      HSET small a 9
      OBJECT ENCODING small
      CONFIG SET hash-max-ziplist-entries 0
      HSET z1 f 1
      HINCRBY z2 f 1
      HINCRBYFLOAT z3 f 1
      HSETNX z4 f 1
      HMSET z5 f 1
      OBJECT ENCODING z1
      OBJECT ENCODING z2
      OBJECT ENCODING z3
      OBJECT ENCODING z4
      OBJECT ENCODING z5
      CONFIG SET hash-max-listpack-entries 512
      CONFIG SET hash-max-listpack-value 64
    `),
    hsetAll('full', numbered(512)),
    ['OBJECT', 'ENCODING', 'full'],
    ['HSET', 'full', 'f0', 'x'.repeat(64), 'x'.repeat(64), 'v'],
    ['OBJECT', 'ENCODING', 'full'],
    ['HSET', 'full', 'one', 'more'],
    ['OBJECT', 'ENCODING', 'full'],
    ['HLEN', 'full'],
    ['HSET', 'long', 'f', 'x'.repeat(65)],
    ['OBJECT', 'ENCODING', 'long'],
  ],
  'expiry and other key commands': lines(`
    HSET h a 1
    PEXPIRE h 100000
    HSET h b 2
    HINCRBY h a 1
    HDEL h b
    TTL h
    COPY h h2
    OBJECT ENCODING h2
    HSET h2 c 3
    HGETALL h
    HGETALL h2
    RENAME h2 h3
    HGETALL h3
    HDEL h a
    EXISTS h
    TYPE h3
    DEL h3
  `),
};

/** HRANDFIELD's random cases on `hash`: distinct picks, repeats, values. */
function randomSteps(hash: Record<string, string>): Step[] {
  const size = Object.keys(hash).length;
  const step = (count: number, withValues: boolean): Step => ({
    args: ['HRANDFIELD', 'h', String(count), ...(withValues ? ['WITHVALUES'] : [])],
    normalize: randomFields(hash, { count: count < 0 ? -count : Math.min(count, size), withValues, distinct: count > 0 }),
  });
  const single: Step = { args: ['HRANDFIELD', 'h'], normalize: (r) => (text(r) in hash ? 'a field' : `not a field: ${text(r)}`) };
  // Few of many, a third or more of them, all but one; repeats below and above the size.
  const counts = [1, 2, Math.floor(size / 3) + 1, size - 1, -1, -5, -(size * 3)];
  return [single, single, ...counts.flatMap((n) => [step(n, false), step(n, true)])];
}

describe('hashes: ferrokv replies byte for byte as redis-server', () => {
  compareScripts(() => pair(), scripts);
});

describe('a full HSCAN of a hashtable with a small COUNT', () => {
  /** Every (field, value) a complete scan returned, sorted, and whether the cursor came back to 0. */
  async function fullScan(endpoint: Endpoint, count: string): Promise<string[]> {
    const client = await RawClient.connect(endpoint);
    try {
      await client.call('FLUSHALL');
      await client.call(...hsetAll('h', BIG));
      const found: string[] = [];
      let cursor = '0';
      for (let calls = 0; calls < 10_000; calls++) {
        const { items } = elements(await client.call('HSCAN', 'h', cursor, 'COUNT', count));
        cursor = text(items[0]);
        const pairs = elements(items[1]).items.map(text);
        for (let i = 0; i < pairs.length; i += 2) found.push(`${pairs[i]}=${pairs[i + 1]}`);
        if (cursor === '0') break;
      }
      return [...new Set(found)].sort();
    } finally {
      client.close();
    }
  }

  for (const count of ['1', '10', '77']) {
    it(`returns every field (COUNT ${count})`, async () => {
      const [ferro, redis] = await Promise.all([fullScan(pair().ferroEndpoint, count), fullScan(pair().redisEndpoint, count)]);
      expect(ferro).toHaveLength(600);
      expect(ferro).toEqual(redis);
    });
  }
});
