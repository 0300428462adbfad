/**
 * The set family against a real redis-server: every command, its options
 * and its errors, byte for byte, in RESP2 and RESP3.
 *
 * The oracle is Redis 7.0, which has no listpack sets (a small set of
 * strings is a hashtable there, a listpack in 7.2), so:
 * - members of an intset are compared exactly (ascending in both);
 *   members of any other set are compared sorted;
 * - OBJECT ENCODING is compared only as "intset or not" (7.2's listpack
 *   encodings are asserted in the cargo tests);
 * - SPOP and SRANDMEMBER are compared by what is deterministic: the reply's
 *   type and size, whether its members are distinct, and that each is a
 *   member of the set.
 */
import { describe } from 'vitest';

import { compareScripts, lines, type Script, type Step, sorted, sortedScan, usePair } from '../support/diff';
import { type Arg, elements, show } from '../support/resp';

const pair = usePair();

/** OBJECT ENCODING as "intset" or "<not intset>", the one distinction 7.0 and 7.2 share. */
function intsetOrNot(reply: Buffer): string {
  const s = reply.toString('latin1');
  if (s === '$6\r\nintset\r\n') return s;
  return /^\$\d+\r\n(listpack|hashtable)\r\n$/.test(s) ? '<not intset>' : `unexpected ${show(reply)}`;
}

const bulkValue = (b: Buffer): string => {
  const s = b.toString('latin1');
  return s.slice(s.indexOf('\r\n') + 2, -2);
};

/**
 * A reply of random members: its header (type and size), whether the
 * members are distinct (when `distinct` asks), and that each is in `pool`.
 */
function drawnFrom(pool: string[], distinct: boolean): (reply: Buffer) => string {
  return (reply) => {
    if (!'*~'.includes(String.fromCharCode(reply[0]))) return show(reply);
    const { header, items } = elements(reply);
    const values = items.map(bulkValue);
    const outside = values.filter((v) => !pool.includes(v));
    const parts = [JSON.stringify(header)];
    if (distinct) parts.push(new Set(values).size === values.length ? 'distinct' : `REPEATS ${values.join(',')}`);
    parts.push(outside.length ? `OUTSIDE ${outside.join(',')}` : 'all members');
    return parts.join(' ');
  };
}

/** One random member (or the null reply) that must be in `pool`. */
function oneOf(pool: string[]): (reply: Buffer) => string {
  return (reply) => {
    if (reply[0] !== 0x24 /* $ */ || reply.toString('latin1').startsWith('$-1')) return show(reply);
    const v = bulkValue(reply);
    return pool.includes(v) ? 'a member' : `NOT A MEMBER ${v}`;
  };
}

/** Only an aggregate's header: how many, not which (after random pops). */
function sizeOnly(reply: Buffer): string {
  return '*~'.includes(String.fromCharCode(reply[0])) ? JSON.stringify(elements(reply).header) : show(reply);
}

const range = (n: number, f: (i: number) => string = String): string[] => Array.from({ length: n }, (_, i) => f(i));
const step = (args: Arg[], normalize?: Step['normalize']): Step => ({ args, normalize });
const members = (key: string): Step => step(['SMEMBERS', key], sorted);
const enc = (key: string): Step => step(['OBJECT', 'ENCODING', key], intsetOrNot);

const ABC = ['a', 'b', 'c', 'd', 'e'];

const scripts: Record<string, Script> = {
  'SADD SREM SCARD on intsets': lines(`
    SADD s 3 1 2
    SADD s 2 3 4 4 4
    SMEMBERS s
    SCARD s
    SCARD nosuch
    SREM s 1 1 99
    SMEMBERS s
    SREM s notanint
    SREM nosuch a
    SADD s -5 100000 -9223372036854775808 9223372036854775807 0
    SMEMBERS s
    SREM s 2 3 4 -5 100000 -9223372036854775808 9223372036854775807 0 7
    EXISTS s
    SCARD s
    SADD s
    SREM s
    SCARD
    SCARD s t
  `),
  'SADD SREM on strings': [
    ...lines(`
      SADD s a b c
      SADD s c d "" "\\x00\\xff" "with space"
      SISMEMBER s ""
      SISMEMBER s "\\x00\\xff"
      SREM s "" "\\x00\\xff" nosuch
      SCARD s
    `),
    members('s'),
    ...lines(`
      SREM s a b c d "with space"
      EXISTS s
    `),
  ],
  'intset membership follows string2ll': [
    ...lines(`
      SADD s 1
      SADD s 01
      SISMEMBER s 1
      SISMEMBER s 01
      SMISMEMBER s 1 01 +1 " 1" 1.0 0x1
    `),
    enc('s'),
    ...lines(`
      SADD i 1 -1 0
      SMISMEMBER i 01 +1 -0 " 1" "1 " 1.0 -1 0
      SADD i 9223372036854775807 -9223372036854775808
      SISMEMBER i 9223372036854775808
      SISMEMBER i -9223372036854775809
      SMEMBERS i
    `),
    enc('i'),
    ...lines(`
      SADD j 9223372036854775808
      SADD k -0
      SADD l +5
      SADD m " 5"
      SADD n 00
    `),
    enc('j'),
    enc('k'),
    enc('l'),
    enc('m'),
    enc('n'),
    step(['SADD', 'w', '5', '70000', '-70000', '5000000000', '-5000000000']),
    step(['SMEMBERS', 'w']),
    enc('w'),
  ],
  'intset limits: set-max-intset-entries': [
    step(['SADD', 's', ...range(512, (i) => String(511 - i))]),
    enc('s'),
    step(['SMEMBERS', 's']),
    step(['SADD', 's', '512']),
    enc('s'),
    step(['SREM', 's', ...range(510)]),
    enc('s'),
    members('s'),
    // A new key with more arguments than an intset holds starts as a hashtable.
    step(['SADD', 't', ...range(513)]),
    enc('t'),
  ],
  'intset to a string set': [
    step(['SADD', 's', '1', '2', '3']),
    step(['SADD', 's', 'x']),
    enc('s'),
    members('s'),
    step(['SISMEMBER', 's', '2']),
    step(['SREM', 's', 'x']),
    // Never back to an intset.
    enc('s'),
    members('s'),
    step(['SADD', 'big', ...range(200)]),
    step(['SADD', 'big', 'x']),
    enc('big'),
    step(['SCARD', 'big']),
  ],
  'SMEMBERS SISMEMBER SMISMEMBER': [
    step(['SADD', 's', ...ABC]),
    members('s'),
    ...lines(`
      SISMEMBER s a
      SISMEMBER s z
      SISMEMBER nosuch a
      SMISMEMBER s a z b a
      SMISMEMBER nosuch a b
      SMEMBERS nosuch
      SMEMBERS
      SMEMBERS s t
      SISMEMBER s
      SMISMEMBER s
    `),
  ],
  SMOVE: [
    ...lines(`
      SADD src 1 2 3
      SADD dst 3 4
      SMOVE src dst 1
      SMEMBERS src
      SMEMBERS dst
      SMOVE src dst 3
      SMEMBERS src
      SMEMBERS dst
      SMOVE src dst nosuch
      SMOVE nosuch dst 1
      SMOVE src src 2
      SMOVE src src 9
      SMOVE src new 2
      EXISTS src
      SMEMBERS new
    `),
    enc('new'),
    ...lines(`
      SMOVE new strset 2
      SMOVE dst strset x
      SADD strs a
      SMOVE strs strs2 a
      EXISTS strs
      SMEMBERS strs2
    `),
    enc('strs2'),
    ...lines(`
      SET str v
      SADD set a b
      SMOVE str set a
      SMOVE set str a
      SMOVE nosuch str a
      SMOVE set set a
      SMOVE str str a
    `),
    members('set'),
    ...lines(`
      SMOVE set other nosuch
      EXISTS other
      SMOVE a b
      SMOVE a b c d
    `),
  ],
  'SPOP without a count': [
    step(['SADD', 's', ...ABC]),
    step(['SPOP', 's'], oneOf(ABC)),
    step(['SCARD', 's']),
    step(['SPOP', 's'], oneOf(ABC)),
    step(['SPOP', 's'], oneOf(ABC)),
    step(['SPOP', 's'], oneOf(ABC)),
    step(['SPOP', 's'], oneOf(ABC)),
    step(['EXISTS', 's']),
    step(['SPOP', 's']),
    step(['SPOP', 'nosuch']),
    step(['SADD', 'i', '7']),
    step(['SPOP', 'i']),
    step(['EXISTS', 'i']),
    step(['SADD', 'i', '1']),
    step(['SPOP', 'i', '1', '2']),
    step(['SPOP']),
  ],
  'SPOP with a count': [
    step(['SADD', 's', ...ABC]),
    step(['SPOP', 's', '0']),
    step(['SCARD', 's']),
    step(['SPOP', 's', '2'], drawnFrom(ABC, true)),
    step(['SCARD', 's']),
    step(['SPOP', 's', '1'], drawnFrom(ABC, true)),
    step(['SCARD', 's']),
    step(['SPOP', 's', '10'], drawnFrom(ABC, true)),
    step(['EXISTS', 's']),
    step(['SPOP', 'nosuch', '3']),
    step(['SPOP', 'nosuch', '0']),
    step(['SPOP', 's', '-1']),
    step(['SPOP', 's', 'abc']),
    step(['SPOP', 's', '1.5']),
    step(['SPOP', 's', '-9223372036854775808']),
    step(['SPOP', 's', '9223372036854775808']),
    // The whole set, in the set's order: an intset's is ascending.
    step(['SADD', 'i', '5', '3', '1']),
    step(['SPOP', 'i', '3']),
    step(['EXISTS', 'i']),
    step(['SADD', 'i', '5', '3', '1']),
    step(['SPOP', 'i', '9223372036854775807']),
    step(['SADD', 'str', 'a', 'b', 'c']),
    step(['SPOP', 'str', '3'], sorted),
    // Most of a big set: the few left are kept aside (Redis's other strategy).
    step(['SADD', 'big', ...range(600, (i) => `m${i}`)]),
    step(['SPOP', 'big', '590'], drawnFrom(range(600, (i) => `m${i}`), true)),
    step(['SCARD', 'big']),
    step(['SPOP', 'big', '3'], drawnFrom(range(600, (i) => `m${i}`), true)),
    step(['SCARD', 'big']),
    step(['SADD', 'bigint', ...range(500)]),
    step(['SPOP', 'bigint', '495'], drawnFrom(range(500), true)),
    step(['SCARD', 'bigint']),
    enc('bigint'),
    step(['SMEMBERS', 'bigint'], sizeOnly),
  ],
  SRANDMEMBER: [
    step(['SADD', 's', ...ABC]),
    step(['SRANDMEMBER', 's'], oneOf(ABC)),
    step(['SRANDMEMBER', 'nosuch']),
    step(['SRANDMEMBER', 'nosuch', '5']),
    step(['SRANDMEMBER', 'nosuch', '-5']),
    step(['SRANDMEMBER', 'nosuch', '0']),
    step(['SRANDMEMBER', 's', '0']),
    step(['SRANDMEMBER', 's', '1'], drawnFrom(ABC, true)),
    step(['SRANDMEMBER', 's', '3'], drawnFrom(ABC, true)),
    step(['SRANDMEMBER', 's', '5'], drawnFrom(ABC, true)),
    step(['SRANDMEMBER', 's', '100'], drawnFrom(ABC, true)),
    step(['SRANDMEMBER', 's', '-1'], drawnFrom(ABC, false)),
    step(['SRANDMEMBER', 's', '-3'], drawnFrom(ABC, false)),
    step(['SRANDMEMBER', 's', '-20'], drawnFrom(ABC, false)),
    step(['SCARD', 's']),
    members('s'),
    step(['SRANDMEMBER', 's', 'x']),
    step(['SRANDMEMBER', 's', '1.5']),
    step(['SRANDMEMBER', 's', '-9223372036854775808']),
    step(['SRANDMEMBER', 's', '9223372036854775808']),
    step(['SRANDMEMBER', 's', '1', '2']),
    step(['SRANDMEMBER']),
    // The whole of an intset comes back in order.
    step(['SADD', 'i', '9', '-4', '2']),
    step(['SRANDMEMBER', 'i', '3']),
    step(['SRANDMEMBER', 'i', '10']),
    step(['SRANDMEMBER', 'i', '2'], drawnFrom(['9', '-4', '2'], true)),
    step(['SADD', 'big', ...range(300, (i) => `m${i}`)]),
    step(['SRANDMEMBER', 'big', '50'], drawnFrom(range(300, (i) => `m${i}`), true)),
    step(['SRANDMEMBER', 'big', '250'], drawnFrom(range(300, (i) => `m${i}`), true)),
    step(['SRANDMEMBER', 'big', '-500'], drawnFrom(range(300, (i) => `m${i}`), false)),
    step(['SRANDMEMBER', 'big', '300'], sorted),
  ],
  'SINTER SINTERCARD': [
    ...lines(`
      SADD a 1 2 3 4 5 6
      SADD b 4 5 6 7 8
      SADD c 5 6 9
      SINTER a b
      SINTER a b c
      SINTER c b a
      SINTER a
      SINTER a a
      SINTER a nosuch
      SINTER nosuch a
      SINTERCARD 2 a b
      SINTERCARD 3 a b c
      SINTERCARD 1 a
      SINTERCARD 2 a nosuch
      SINTERCARD 2 a b LIMIT 0
      SINTERCARD 2 a b LIMIT 1
      SINTERCARD 2 a b LIMIT 2
      SINTERCARD 2 a b LIMIT 100
      SINTERCARD 2 a b limit 1 LIMIT 2
      SINTERCARD 0 a
      SINTERCARD -1 a
      SINTERCARD x a
      SINTERCARD 3 a b
      SINTERCARD 2 a b LIMIT -1
      SINTERCARD 2 a b LIMIT x
      SINTERCARD 2 a b LIMIT
      SINTERCARD 2 a b FOO 1
      SINTERCARD 1 a b
      SINTERCARD 9223372036854775808 a
      SINTER
      SINTERCARD 1
      SADD s1 x y z 1
      SADD s2 y z w 1
    `),
    step(['SINTER', 's1', 's2'], sorted),
    step(['SINTER', 's1', 'a'], sorted),
    step(['SINTERCARD', '2', 's1', 's2']),
    step(['SADD', 'big', ...range(600)]),
    step(['SINTER', 'big', 'a', 'b']),
    step(['SINTER', 'big', 's1'], sorted),
  ],
  SINTERSTORE: [
    ...lines(`
      SADD a 1 2 3 4 5 6
      SADD b 4 5 6 7 8
      SINTERSTORE dst a b
      SMEMBERS dst
      OBJECT ENCODING dst
      SINTERSTORE dst a nosuch
      EXISTS dst
      SET dst str
      SINTERSTORE dst a nosuch
      EXISTS dst
      SET dst str
      EXPIRE dst 100
      SINTERSTORE dst a b
      TTL dst
      TYPE dst
      SADD c 100
      SINTERSTORE dst a c
      EXISTS dst
      SINTERSTORE a a b
      SMEMBERS a
      SINTERSTORE dst
      SINTERSTORE dst
      SADD s1 x y 1 2
      SADD s2 x 1 2 q
      SINTERSTORE d s1 s2
    `),
    members('d'),
    step(['SADD', 's3', '1', '2', 'z']),
    step(['SINTERSTORE', 'd', 's1', 's3']),
    // Only integers in common: the result is an intset.
    step(['SMEMBERS', 'd']),
    enc('d'),
    step(['SADD', 'bigs', ...range(300), ...range(300, (i) => `s${i}`)]),
    step(['SADD', 'bigs2', ...range(300), ...range(300, (i) => `s${i}`)]),
    step(['SINTERSTORE', 'd', 'bigs', 'bigs2']),
    enc('d'),
    step(['SREM', 'bigs2', ...range(300, (i) => `s${i}`)]),
    step(['SINTERSTORE', 'd', 'bigs', 'bigs2']),
    enc('d'),
    step(['SMEMBERS', 'd']),
  ],
  'SUNION SUNIONSTORE': [
    ...lines(`
      SADD a 3 1 2
      SADD b 2 5 4
      SUNION a b
      SUNION b a nosuch
      SUNION nosuch
      SUNION a
      SUNIONSTORE dst a b
      SMEMBERS dst
      OBJECT ENCODING dst
      SUNIONSTORE dst nosuch nosuch2
      EXISTS dst
      SET dst v
      SUNIONSTORE dst nosuch
      EXISTS dst
      SET dst v
      EXPIRE dst 100
      SUNIONSTORE dst a
      TTL dst
      SUNIONSTORE a a b
      SMEMBERS a
      SADD s x y
      SUNIONSTORE mixed a s
    `),
    step(['SUNION', 'a', 's'], sorted),
    members('mixed'),
    enc('mixed'),
    step(['SADD', 'big', ...range(400)]),
    step(['SADD', 'big2', ...range(200, (i) => String(i + 300))]),
    step(['SUNIONSTORE', 'u', 'big', 'big2']),
    enc('u'),
    step(['SUNION', 'big', 'big2'], sorted),
    ...lines(`
      SUNION
      SUNIONSTORE dst
    `),
  ],
  'SDIFF SDIFFSTORE': [
    ...lines(`
      SADD a 1 2 3 4 5
      SADD b 2 4
      SADD c 5 6
      SDIFF a b
      SDIFF a b c
      SDIFF a nosuch
      SDIFF nosuch a
      SDIFF a a
      SDIFF a b a
      SDIFF a nosuch nosuch
      SDIFF a
      SDIFFSTORE dst a b c
      SMEMBERS dst
      OBJECT ENCODING dst
      SDIFFSTORE dst a a
      EXISTS dst
      SET dst v
      SDIFFSTORE dst nosuch a
      EXISTS dst
      SET dst v
      EXPIRE dst 100
      SDIFFSTORE dst a b
      TTL dst
      SMEMBERS dst
      SDIFFSTORE a a b
      SMEMBERS a
      SADD s x y 1 3
      SDIFFSTORE d s a
    `),
    step(['SDIFF', 's', 'a'], sorted),
    members('d'),
    enc('d'),
    // A big first set against small ones, and the other way round (Redis
    // picks one of two algorithms by the sizes).
    step(['SADD', 'big', ...range(300, (i) => `m${i}`)]),
    step(['SADD', 'few', 'm1', 'm2', 'zzz']),
    step(['SADD', 'one', 'm3']),
    step(['SDIFF', 'big', 'few', 'one'], sorted),
    step(['SDIFFSTORE', 'd', 'big', 'few', 'one']),
    step(['SDIFF', 'few', 'big'], sorted),
    step(['SDIFFSTORE', 'd', 'few', 'big']),
    members('d'),
    ...lines(`
      SDIFF
      SDIFFSTORE dst
    `),
  ],
  'WRONGTYPE from every command': lines(`
    SET str v
    SADD s a
    SADD str a
    SREM str a
    SMEMBERS str
    SISMEMBER str a
    SMISMEMBER str a b
    SCARD str
    SPOP str
    SPOP str 2
    SPOP str 0
    SPOP str -1
    SRANDMEMBER str
    SRANDMEMBER str 2
    SRANDMEMBER str 0
    SRANDMEMBER str x
    SINTER s str
    SINTER nosuch str
    SINTER str nosuch
    SINTERCARD 2 nosuch str
    SINTERCARD 2 s str LIMIT 1
    SINTERSTORE dst s str
    SINTERSTORE dst nosuch str
    SINTERSTORE str s
    TYPE str
    SUNION s str
    SUNION nosuch str
    SUNIONSTORE dst s str
    SUNIONSTORE str s
    TYPE str
    SDIFF s str
    SDIFF nosuch str
    SDIFF str s
    SDIFFSTORE dst s str
    SDIFFSTORE dst nosuch str
    SDIFFSTORE str s
    TYPE str
    SSCAN str 0
    SSCAN str x
    SSCAN str 0 COUNT 0
    EXISTS dst
  `),
  'SSCAN on compact sets': [
    ...lines(`
      SADD i 5 3 10 1
      SSCAN i 0
      SSCAN i 7
      SSCAN i 0 COUNT 1
      SSCAN i 0 MATCH 1*
      SSCAN i 0 MATCH * COUNT 2
      SSCAN i 0 MATCH nomatch
      SSCAN i 0 count 5 match 1* count 100
      SSCAN nosuch 0
      SSCAN nosuch 0 COUNT 0
      SSCAN nosuch 0 BADOPT
      SSCAN nosuch x
      SSCAN i x
      SSCAN i -1
      SSCAN i 18446744073709551615
      SSCAN i 18446744073709551616
      SSCAN i " 1"
      SSCAN i ""
      SSCAN i 0 COUNT 0
      SSCAN i 0 COUNT -1
      SSCAN i 0 COUNT x
      SSCAN i 0 COUNT
      SSCAN i 0 MATCH
      SSCAN i 0 TYPE set
      SSCAN i 0 FOO bar
      SSCAN i
      SADD s foo bar baz qux
    `),
    step(['SSCAN', 's', '0'], sortedScan),
    step(['SSCAN', 's', '0', 'MATCH', 'ba?'], sortedScan),
    step(['SSCAN', 's', '0', 'MATCH', '*[rz]'], sortedScan),
  ],
  'SSCAN on a hashtable': [
    step(['SADD', 'h', ...range(700, (i) => `k${i}`)]),
    step(['SSCAN', 'h', '0', 'COUNT', '100000'], sortedScan),
    step(['SSCAN', 'h', '0', 'MATCH', 'k1?', 'COUNT', '100000'], sortedScan),
    step(['SSCAN', 'h', '0', 'MATCH', 'nomatch*', 'COUNT', '100000'], sortedScan),
    step(['SSCAN', 'h', '0', 'COUNT', '0']),
    step(['SSCAN', 'h', '0', 'COUNT', 'x']),
    step(['SSCAN', 'h', 'x']),
  ],
  'big sets (hashtables in both servers)': [
    step(['SADD', 'h', ...range(1000, (i) => `member:${i}`)]),
    step(['SADD', 'h', ...range(10, (i) => `member:${i}`)]),
    step(['SCARD', 'h']),
    step(['SISMEMBER', 'h', 'member:999']),
    step(['SMISMEMBER', 'h', 'member:0', 'member:1000', 'member:500']),
    step(['SREM', 'h', ...range(500, (i) => `member:${i * 2}`)]),
    step(['SCARD', 'h']),
    members('h'),
    step(['SADD', 'ints', ...range(1000)]),
    enc('ints'),
    step(['SINTERCARD', '2', 'h', 'ints']),
    step(['SUNIONSTORE', 'u', 'h', 'ints']),
    step(['SDIFFSTORE', 'd', 'ints', 'h']),
    step(['SINTERSTORE', 'i', 'ints', 'ints']),
    step(['SCARD', 'i']),
    step(['SMOVE', 'ints', 'h', '5']),
    step(['SCARD', 'h']),
  ],
};

describe('set commands', () => {
  compareScripts(pair, scripts);
});
