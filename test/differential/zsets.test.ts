/**
 * The sorted set family against a real redis-server: every command, option
 * and error, byte for byte, in RESP2 and RESP3, with the sets in each
 * encoding (listpack, and skiplist by CONFIG SET zset-max-listpack-entries 0;
 * every script that changes it sets it back). Replies Redis leaves open
 * (ZSCAN of a skiplist walks a hash table, ZRANDMEMBER draws) are compared
 * by their shape and contents.
 *
 * Not compared here: ZRANK WITHSCORE (Redis 7.2; the oracle is 7.0) and set
 * inputs to ZUNION/ZINTER/ZDIFF (the set family is written on another
 * branch): the cargo tests cover the former.
 */
import { describe } from 'vitest';

import { compareScripts, lines, type Script, usePair } from '../support/diff';

const pair = usePair();

/** The bulk strings and doubles of a reply, in order. */
function words(reply: Buffer): string[] {
  const s = reply.toString('latin1');
  const out: string[] = [];
  const re = /(?:^|\r\n)(?:\$(\d+)\r\n|,([^\r]*))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    if (m[1] !== undefined) {
      const start = m.index + m[0].length;
      out.push(s.slice(start, start + Number(m[1])));
      re.lastIndex = start + Number(m[1]);
    } else {
      out.push(m[2]);
    }
  }
  return out;
}

/** ZSCAN's [cursor, [member, score, …]] with the pairs sorted (one call covering the whole set). */
function scanPairsSorted(reply: Buffer): string {
  if (reply[0] === 0x2d) return reply.toString('latin1');
  const w = words(reply);
  const pairs: string[] = [];
  for (let i = 1; i < w.length; i += 2) pairs.push(`${w[i]}=${w[i + 1]}`);
  return `cursor ${w[0]}: ${pairs.sort().join(' ')}`;
}

/** A random draw: how many elements, whether each is one of `members` (with its score), and (for a positive count) all distinct. */
function drawnFrom(members: Record<string, string>, withScores: boolean, unique = true): (reply: Buffer) => string {
  return (reply) => {
    if (reply[0] === 0x2d) return reply.toString('latin1');
    const w = words(reply);
    const step = withScores ? 2 : 1;
    const seen: string[] = [];
    for (let i = 0; i < w.length; i += step) {
      if (!(w[i] in members)) return `unexpected member ${w[i]}`;
      if (withScores && members[w[i]] !== w[i + 1]) return `wrong score ${w[i + 1]} for ${w[i]}`;
      seen.push(w[i]);
    }
    const header = reply.toString('latin1').split('\r\n')[0];
    const distinct = new Set(seen).size === seen.length;
    return `${header} ${seen.length} drawn${unique ? (distinct ? ', distinct' : ', REPEATED') : ''}`;
  };
}

const R = { a: '1', b: '2', c: '3', d: '4', e: '5' };

function randomScript(): Script {
  return [
    ['ZADD', 'r', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
    { args: ['ZRANDMEMBER', 'r'], normalize: drawnFrom(R, false) },
    { args: ['ZRANDMEMBER', 'r', '1'], normalize: drawnFrom(R, false) },
    { args: ['ZRANDMEMBER', 'r', '3'], normalize: drawnFrom(R, false) },
    { args: ['ZRANDMEMBER', 'r', '4', 'WITHSCORES'], normalize: drawnFrom(R, true) },
    { args: ['ZRANDMEMBER', 'r', '-20'], normalize: drawnFrom(R, false, false) },
    { args: ['ZRANDMEMBER', 'r', '-3', 'WITHSCORES'], normalize: drawnFrom(R, true, false) },
    ['ZRANDMEMBER', 'r', '5'],
    ['ZRANDMEMBER', 'r', '6', 'WITHSCORES'],
    { args: ['ZSCAN', 'r', '0', 'COUNT', '1000'], normalize: scanPairsSorted },
    { args: ['ZSCAN', 'r', '0', 'MATCH', '[a-c]', 'COUNT', '1000'], normalize: scanPairsSorted },
    { args: ['ZSCAN', 'r', '0', 'COUNT', '0'], normalize: scanPairsSorted },
  ];
}

/**
 * A script run twice: as a listpack, and as a skiplist (every sorted set
 * created while `zset-max-listpack-entries` is 0), restoring the limit after.
 */
function inBothEncodings(name: string, body: string): Record<string, Script> {
  return {
    [`${name} (listpack)`]: lines(body),
    [`${name} (skiplist)`]: lines(`CONFIG SET zset-max-listpack-entries 0\n${body}\nCONFIG SET zset-max-listpack-entries 128`),
  };
}

const scripts: Record<string, Script> = {
  ...inBothEncodings('ZADD ZINCRBY ZSCORE ZMSCORE ZCARD ZRANK ZCOUNT ZLEXCOUNT ZREM', `
    zadd z 1 a 2 b 3 c
    zadd z 1 a
    zadd z ch 5 a 2 b
    zadd z nx 10 a 10 d
    zadd z xx 20 a 20 e
    zadd z xx ch 21 a 20 e
    zadd z gt 1 a
    zadd z gt ch 100 a
    zadd z lt ch 100 a 50 b
    zadd z incr 5 a
    zadd z incr nx 5 a
    zadd z incr xx 5 nope
    zadd z incr gt -1 a
    zadd z incr lt -1 a
    zadd z nx xx 1 a
    zadd z gt lt 1 a
    zadd z gt nx 1 a
    zadd z lt nx 1 a
    zadd z xx gt 1 a
    zadd z incr 1 a 2 b
    zadd z 1
    zadd z 1 a 2
    zadd z abc a
    zadd z nan a
    zadd z inf a
    zadd z -inf b
    zadd z +inf c
    zadd z 1e400 a
    zadd z 1e-400 a
    zadd z 0x10 hex
    zadd z " 1" a
    zadd z "1 " a
    zadd z "" a
    zadd z 1.5e3 f
    zadd z .5 g
    zadd z 5. h
    zadd z -0 neg0
    zscore z neg0
    zadd z 0 zero
    zadd z -0 zero
    zscore z zero
    zrange z 0 -1 withscores
    zadd z incr inf inf1
    zadd z incr -inf c
    zadd z incr -inf inf1
    zincrby z 1 a
    zincrby z abc a
    zincrby z 1.1 newm
    zincrby z inf a
    zincrby z -inf a
    zincrby z 1 a b
    zscore z newm
    zscore z a
    zscore nokey a
    zmscore z a nope newm
    zmscore nokey a b
    zcard z
    zcard nokey
    zrank z a
    zrank z nope
    zrank nokey a
    zrevrank z a
    zrevrank z c
    zcount z -inf +inf
    zcount z (1 5
    zcount z 1 (5
    zcount z (1 (1
    zcount z 5 1
    zcount z abc 1
    zcount z 1 nan
    zcount z "" ""
    zcount z "(" 10
    zcount z " 1" 10
    zcount z 1e400 inf
    zcount z 0x1 0x10
    zcount nokey 0 1
    zrem z a nope
    zrem z nope
    zrem nokey a
    set str x
    zadd str 1 a
    zadd str x a
    zscore str a
    zcard str
    zrank str a
    zcount str 0 1
    zrem str a
    zincrby str 1 a
    zmscore str a
    zadd lz 0 a 0 b 0 c 0 d 0 e 0 f 0 g
    zlexcount lz - +
    zlexcount lz [b [d
    zlexcount lz (b (d
    zlexcount lz (b [d
    zlexcount lz + -
    zlexcount lz [d [b
    zlexcount lz - [c
    zlexcount lz [c +
    zlexcount lz a c
    zlexcount lz [a c
    zlexcount lz -a +
    zlexcount lz "" +
    zlexcount lz [ +
    zlexcount lz ( (
    zlexcount nokey - +
    zlexcount str - +
    zadd r 1 one 2 two 3 three 4 four 5 five
    zrem r one two three four five
    exists r
    zadd z2 xx 1 a
    exists z2
    zincrby z3 5 m
    zadd z4 gt 5 m
    zadd z4 lt 3 m
    zadd z4 xx incr 1 missing
    zadd z4 NX INCR 1 m
    zadd z4 Ch 7 m
  `),
  '-0 in each encoding': lines(`
    CONFIG SET zset-max-listpack-entries 0
    ZADD s -0 a
    ZSCORE s a
    ZINCRBY s -0 b
    ZSCORE s b
    ZADD s INCR -0 c
    ZRANGE s 0 -1 WITHSCORES
    CONFIG SET zset-max-listpack-entries 128
    ZADD l -0 a
    ZSCORE l a
    ZUNIONSTORE u 1 s
    ZRANGE u 0 -1 WITHSCORES
    OBJECT ENCODING u
    ZADD w 1 a
    ZUNION 1 w WEIGHTS -0 WITHSCORES
    ZUNION 1 w WEIGHTS 0 WITHSCORES
  `),
  ...inBothEncodings('ZRANGE family, ZRANGESTORE, ZREMRANGEBY*', `
    zadd z 1 a 2 b 3 c 4 d 5 e 6 f
    zrange z 0 -1
    zrange z 0 -1 withscores
    zrange z 2 3
    zrange z -2 -1
    zrange z -100 100
    zrange z 5 2
    zrange z 10 20
    zrange z 0 -10
    zrange z a 1
    zrange z 0 1 rev
    zrange z 0 1 rev withscores
    zrange z 1 4 byscore
    zrange z (1 (4 byscore withscores
    zrange z 4 1 byscore rev
    zrange z 1 4 byscore rev
    zrange z -inf +inf byscore limit 1 2
    zrange z -inf +inf byscore limit 1 -1
    zrange z -inf +inf byscore limit -1 2
    zrange z -inf +inf byscore limit 10 2
    zrange z -inf +inf byscore limit 0 0
    zrange z +inf -inf byscore rev limit 1 2 withscores
    zrange z 0 -1 limit 0 1
    zrange z - + bylex
    zrange z - + bylex withscores
    zrange z [b [d bylex
    zrange z [d [b bylex rev
    zrange z [d [b bylex rev limit 1 1
    zrange z 0 -1 byscore bylex
    zrange z 0 -1 bylex byscore
    zrange z 0 -1 rev rev
    zrange z 0 -1 withscores withscores
    zrange z 0 -1 limit 1
    zrange z 0 -1 byscore limit 1
    zrange z 0 -1 byscore limit a 1
    zrange z 0 -1 byscore limit 1 a
    zrange z 0 -1 foo
    zrange z a b byscore
    zrange z a b bylex
    zrange z 0 1 byscore limit a b foo
    zrange nokey 0 -1
    zrange nokey a b
    zrange nokey a b byscore
    zrange nokey 0 -1 limit 0 1
    set str x
    zrange str 0 -1
    zrange str a b
    zrevrange z 0 1
    zrevrange z 0 1 withscores
    zrevrange z 0 1 rev
    zrevrange z 0 1 byscore
    zrevrange z 0 1 limit 0 1
    zrangebyscore z 2 4
    zrangebyscore z 2 4 withscores limit 1 1
    zrangebyscore z 2 4 byscore
    zrangebyscore z 2 4 rev
    zrangebyscore z (2 4 limit 0 -1
    zrangebyscore z 4 2
    zrevrangebyscore z 4 2
    zrevrangebyscore z 4 2 withscores limit 1 5
    zrevrangebyscore z 2 4
    zrangebylex z - +
    zrangebylex z [b (e limit 1 2
    zrangebylex z [b (e withscores
    zrevrangebylex z + -
    zrevrangebylex z (e [b
    zrevrangebylex z (e [b limit 0 1
    zrangebylex z b e
    zrangestore dst z 0 1
    zrange dst 0 -1 withscores
    zrangestore dst z 0 -1 byscore rev
    zrange dst 0 -1 withscores
    zrangestore dst z (1 3 byscore limit 1 5
    zrange dst 0 -1 withscores
    zrangestore dst z 1 0
    exists dst
    zrangestore dst z 0 1 withscores
    zrangestore dst nokey 0 1
    zrangestore dst str 0 1
    zrangestore str z 0 1
    type str
    zrangestore dst z [a [c bylex
    zrange dst 0 -1
    zrangestore dst z [a [c bylex rev
    zrangestore dst z [c [a bylex rev
    zrange dst 0 -1
    object encoding dst
    zremrangebyrank z 0 0
    zrange z 0 -1
    zremrangebyrank z -1 -1
    zremrangebyrank z 5 10
    zremrangebyrank z a 1
    zremrangebyscore z (2 3
    zrange z 0 -1 withscores
    zremrangebyscore z a 1
    zremrangebyscore z 10 1
    zremrangebylex z - +
    exists z
    zadd l 0 a 0 b 0 c 0 d
    zremrangebylex l [b (d
    zrange l 0 -1
    zremrangebylex l a b
    zremrangebyrank nokey 0 1
    zremrangebyscore nokey 0 1
    zremrangebylex nokey - +
    zremrangebyrank str 0 1
    zremrangebyrank l 0 -1
    exists l
  `),
  'ZPOPMIN ZPOPMAX ZMPOP ZRANDMEMBER ZSCAN (listpack)': lines(`
    zadd z 1 a 2 b 3 c 4 d 5 e
    zpopmin z
    zpopmax z
    zpopmin z 2
    zpopmax z 0
    zpopmin z -1
    zpopmin z a
    zpopmin z 1 2
    zpopmax z 10
    exists z
    zpopmin nokey
    zpopmin nokey 2
    zpopmin nokey 0
    zpopmin nokey -1
    set str x
    zpopmin str
    zpopmin str 0
    zadd a 1 x 2 y
    zadd b 3 p 4 q 5 r
    zmpop 1 a min
    zmpop 2 nokey b max count 2
    zmpop 2 nokey b max count 5
    zmpop 2 nokey b max
    zmpop 3 nokey a b min count 10
    zmpop 1 nokey min
    zmpop 0 a min
    zmpop -1 a min
    zmpop abc a min
    zmpop 1 a
    zmpop 5 a min
    zmpop 1 a foo
    zmpop 1 a min count 0
    zmpop 1 a min count -1
    zmpop 1 a min count a
    zmpop 1 a min count
    zmpop 1 a min count 1 count 1
    zmpop 1 a min foo 1
    zmpop 2 str a min
    zmpop 2 nokey str min
    zadd c 1 x
    zmpop 2 c str min
    zrandmember nokey
    zrandmember nokey 5
    zrandmember nokey 5 withscores
    zrandmember nokey -5
    zrandmember nokey 0
    zadd r 1 a 2 b 3 c
    zrandmember r 0
    zrandmember r 3
    zrandmember r 10 withscores
    zrandmember r a
    zrandmember r 1 foo
    zrandmember r 1 withscores foo
    zrandmember r -9223372036854775808
    zrandmember r 9223372036854775807 withscores
    zrandmember r -4611686018427387904 withscores
    zrandmember r 4611686018427387904 withscores
    zrandmember str
    zrandmember str 1
    zadd one 7 only
    zrandmember one
    zrandmember one 1
    zrandmember one -3
    zrandmember one -3 withscores
    zrandmember one 1 withscores
    zscan r 0
    zscan r 0 match a*
    zscan r 0 count 1
    zscan r 0 count 0
    zscan r 0 count a
    zscan r 0 match
    zscan r 0 foo bar
    zscan r abc
    zscan r -1
    zscan r " 1"
    zscan nokey 0
    zscan nokey 0 count 0
    zscan nokey abc
    zscan str 0
    zadd fl 1.5 a 1e20 b -0.000001 c
    zscan fl 0
  `),
  'ZPOPMIN ZPOPMAX ZMPOP ZRANDMEMBER (skiplist)': lines(`
    CONFIG SET zset-max-listpack-entries 0
    zadd z 1 a 2 b 3 c 4 d 5 e
    zpopmin z
    zpopmax z
    zpopmin z 2
    zpopmax z 0
    zpopmin z -1
    zpopmin z a
    zpopmin z 1 2
    zpopmax z 10
    exists z
    zpopmin nokey
    zpopmin nokey 2
    zpopmin nokey 0
    zpopmin nokey -1
    set str x
    zpopmin str
    zpopmin str 0
    zadd a 1 x 2 y
    zadd b 3 p 4 q 5 r
    zmpop 1 a min
    zmpop 2 nokey b max count 2
    zmpop 2 nokey b max count 5
    zmpop 2 nokey b max
    zmpop 3 nokey a b min count 10
    zmpop 1 nokey min
    zmpop 0 a min
    zmpop -1 a min
    zmpop abc a min
    zmpop 1 a
    zmpop 5 a min
    zmpop 1 a foo
    zmpop 1 a min count 0
    zmpop 1 a min count -1
    zmpop 1 a min count a
    zmpop 1 a min count
    zmpop 1 a min count 1 count 1
    zmpop 1 a min foo 1
    zmpop 2 str a min
    zmpop 2 nokey str min
    zadd c 1 x
    zmpop 2 c str min
    zrandmember nokey
    zrandmember nokey 5
    zrandmember nokey 5 withscores
    zrandmember nokey -5
    zrandmember nokey 0
    zadd r 1 a 2 b 3 c
    zrandmember r 0
    zrandmember r 3
    zrandmember r 10 withscores
    zrandmember r a
    zrandmember r 1 foo
    zrandmember r 1 withscores foo
    zrandmember r -9223372036854775808
    zrandmember r 9223372036854775807 withscores
    zrandmember r -4611686018427387904 withscores
    zrandmember r 4611686018427387904 withscores
    zrandmember str
    zrandmember str 1
    zadd one 7 only
    zrandmember one
    zrandmember one 1
    zrandmember one -3
    zrandmember one -3 withscores
    zrandmember one 1 withscores
    zadd fl 1.5 a 1e20 b -0.000001 c
    CONFIG SET zset-max-listpack-entries 128
  `),
  ...inBothEncodings('ZUNION ZINTER ZDIFF, STORE forms, ZINTERCARD', `
    zadd a 1 x 2 y 3 z
    zadd b 10 y 20 z 30 w
    zadd c 100 z
    zunion 2 a b
    zunion 2 a b withscores
    zunion 2 a b weights 2 3 withscores
    zunion 2 a b weights 2 withscores
    zunion 2 a b weights 2 x withscores
    zunion 2 a b aggregate min withscores
    zunion 2 a b aggregate max withscores
    zunion 2 a b aggregate foo
    zunion 2 a b aggregate
    zunion 2 a b weights 1 1 aggregate max weights 2 2 withscores
    zunion 3 a b nokey withscores
    zunion 0 a
    zunion -1 a
    zunion x a
    zunion 3 a b
    zunion 1 a foo
    zunion 1 a withscores withscores
    zinter 2 a b withscores
    zinter 3 a b c withscores
    zinter 2 a a withscores
    zinter 2 a nokey withscores
    zinter 2 a b aggregate min weights 0 1 withscores
    zinter 2 a b weights inf -inf withscores
    zinter 2 a b weights 0 0 withscores
    zunion 2 a b weights inf -inf withscores
    zinter 1 a limit 1
    zdiff 2 a b withscores
    zdiff 2 b a
    zdiff 1 a withscores
    zdiff 2 a a
    zdiff 2 nokey a
    zdiff 2 a b weights 1 1
    zdiff 2 a b aggregate sum
    zdiff 0 a
    zintercard 2 a b
    zintercard 2 a b limit 1
    zintercard 2 a b limit 0
    zintercard 2 a b limit -1
    zintercard 2 a b limit x
    zintercard 2 a b withscores
    zintercard 2 a b weights 1 1
    zintercard 0 a
    zintercard 3 a b
    zintercard 2 a nokey
    zunionstore d 2 a b
    zrange d 0 -1 withscores
    object encoding d
    zunionstore d 2 a b withscores
    zinterstore d 2 a b weights 2 2
    zrange d 0 -1 withscores
    zinterstore d 2 a nokey
    exists d
    zdiffstore d 2 b a
    zrange d 0 -1 withscores
    zdiffstore d 0 a
    zunionstore d 0 a
    set str v
    zunion 2 a str
    zunion 2 str a
    zunion 2 a b foo
    zunion 2 str nokey foo
    zunionstore str 1 a
    type str
    zunionstore a 2 a b
    zrange a 0 -1 withscores
    expire a 100
    zunionstore a 1 a
    ttl a
    zinterstore d 1 b aggregate max
    zrange d 0 -1 withscores
  `),
  'ZRANDMEMBER and ZSCAN (listpack)': randomScript(),
  'ZRANDMEMBER and ZSCAN (skiplist)': [['CONFIG', 'SET', 'zset-max-listpack-entries', '0'], ...randomScript(), ['OBJECT', 'ENCODING', 'r'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '128']],
  'encodings and conversions': lines(`
    CONFIG SET zset-max-listpack-entries 2
    CONFIG SET zset-max-listpack-value 3
    ZADD z 1 a 2 b
    OBJECT ENCODING z
    ZADD z 3 c
    OBJECT ENCODING z
    ZREM z a b
    OBJECT ENCODING z
    ZADD v 1 abcd
    OBJECT ENCODING v
    ZADD w 1 abc 2 x 3 y
    OBJECT ENCODING w
    ZADD n 1 a
    ZADD n 1 a 2 b 3 c
    OBJECT ENCODING n
    ZUNIONSTORE d 1 w
    OBJECT ENCODING d
    ZRANGESTORE d w 0 1
    OBJECT ENCODING d
    ZRANGESTORE d w -inf +inf BYSCORE LIMIT 0 2
    OBJECT ENCODING d
    ZRANGESTORE d w 0 -1
    OBJECT ENCODING d
    CONFIG SET zset-max-listpack-entries 128
    CONFIG SET zset-max-listpack-value 64
    TYPE z
  `),
};

describe('zsets: ferrokv replies byte for byte as redis-server', () => {
  compareScripts(() => pair(), scripts);
});
