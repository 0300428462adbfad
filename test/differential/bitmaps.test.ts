/**
 * The bitmap family against a real redis-server: SETBIT GETBIT BITCOUNT
 * BITPOS BITOP BITFIELD BITFIELD_RO, their options and errors, byte for
 * byte, in RESP2 and RESP3.
 */
import { describe } from 'vitest';

import { compareScripts, lines, type Script, usePair } from '../support/diff';

const pair = usePair();

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
 * Random BITCOUNT / BITPOS / BITFIELD calls over a few keys, with indexes
 * around byte and word edges, both signs, both units, and the overflow
 * modes: the corners a hand-written script misses.
 */
function randomBitScript(seed: number, n: number): Script {
  const random = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const values = ['\x00\xff\x0f\xf0', 'foobar', '\xff\xff\xff', '\x00\x00\x01', '12345', 'a', '\x80', '\x00'.repeat(9) + '\x01'];
  const index = () => String(pick([0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 23, 24, 31, 40, 63, 64, 65, 79, 80, 100, -1, -2, -3, -7, -8, -9, -17, -24, -100]));
  const script: Script = [];
  for (let i = 0; i < n; i++) {
    const key = `k${Math.floor(random() * 4)}`;
    const r = random();
    if (r < 0.08) {
      script.push(...lines(`SET ${key} "${pick(values)}"`));
    } else if (r < 0.3) {
      const unit = pick(['', 'BIT', 'BYTE', 'bit']);
      script.push(['BITCOUNT', key, index(), index(), ...(unit ? [unit] : [])]);
    } else if (r < 0.6) {
      const args = Array.from({ length: Math.floor(random() * 3) }, index);
      const unit = args.length === 2 ? pick(['', 'BIT', 'BYTE']) : '';
      script.push(['BITPOS', key, pick(['0', '1']), ...args, ...(unit ? [unit] : [])]);
    } else if (r < 0.9) {
      const ops: string[] = [];
      for (let j = 1 + Math.floor(random() * 3); j > 0; j--) {
        const type = pick(['i', 'u']) + String(pick([1, 2, 3, 5, 7, 8, 9, 13, 16, 31, 32, 33, 63, 64]));
        const offset = pick(['0', '1', '3', '7', '8', '13', '#0', '#1', '#2', '40', '77']);
        const o = random();
        if (o < 0.3) ops.push('GET', type, offset);
        else if (o < 0.6) ops.push('SET', type, offset, pick(['0', '1', '-1', '127', '128', '-128', '255', '256', '9223372036854775807', '-9223372036854775808', '4611686018427387904']));
        else if (o < 0.9) ops.push('INCRBY', type, offset, pick(['1', '-1', '100', '-100', '9223372036854775807', '-9223372036854775808', '300']));
        else ops.push('OVERFLOW', pick(['WRAP', 'SAT', 'FAIL']));
      }
      script.push(['BITFIELD', key, ...ops]);
    } else {
      script.push(['GET', key]);
    }
  }
  return script;
}

const scripts: Record<string, Script> = {
  'SETBIT and GETBIT': lines(`
    SETBIT b 7 1
    GET b
    SETBIT b 7 1
    SETBIT b 7 0
    SETBIT b 100 1
    STRLEN b
    GET b
    GETBIT b 100
    GETBIT b 99
    GETBIT b 100000
    GETBIT nosuch 3
    SET n 12
    GETBIT n 2
    GETBIT n 3
    SETBIT n 0 1
    GET n
    OBJECT ENCODING n
    SET short hi
    OBJECT ENCODING short
    SETBIT short 1 1
    OBJECT ENCODING short
    SETBIT fresh 0 0
    GET fresh
    OBJECT ENCODING fresh
    SETBIT b -1 1
    SETBIT b 4294967296 1
    CONFIG SET proto-max-bulk-len 1048576
    SETBIT limit 8388608 1
    GETBIT limit 8388608
    BITFIELD limit SET u8 #1048576 1
    SETBIT limit 8388607 1
    STRLEN limit
    BITFIELD limit GET u8 #1048575
    CONFIG SET proto-max-bulk-len 536870912
    SETBIT b abc 1
    SETBIT b 1.5 1
    SETBIT b 1 2
    SETBIT b 1 -1
    SETBIT b 1 x
    GETBIT b -1
    GETBIT b x
    LPUSH l a
    GETBIT l 0
    SETBIT l 0 1
    SETBIT b 1
    GETBIT b
  `),
  'BITCOUNT ranges': lines(`
    SET s foobar
    BITCOUNT s
    BITCOUNT s 0 0
    BITCOUNT s 1 1
    BITCOUNT s 1 1 BYTE
    BITCOUNT s 1 1 byte
    BITCOUNT s 5 30 BIT
    BITCOUNT s 5 30 bit
    BITCOUNT s 0 -1 BIT
    BITCOUNT s -1 -1
    BITCOUNT s -5 -1 BIT
    BITCOUNT s -100 -1
    BITCOUNT s -1 -5
    BITCOUNT s -1 -5 foo
    BITCOUNT s 2 1
    BITCOUNT s 0 1000
    BITCOUNT s 9 1000 BIT
    BITCOUNT s 47 47 BIT
    BITCOUNT s 46 47 BIT
    BITCOUNT s 0
    BITCOUNT s 0 1 2 3
    BITCOUNT s 0 1 foo
    BITCOUNT s a 1
    BITCOUNT s 1 a
    BITCOUNT nosuch
    BITCOUNT nosuch a b
    SET e ""
    BITCOUNT e
    BITCOUNT e 0 -1
    BITCOUNT e 0 -1 BIT
    SET n 255
    BITCOUNT n
    LPUSH l a
    BITCOUNT l
    BITCOUNT l 0 1
  `),
  'BITPOS and its edges': lines(`
    SET s foobar
    BITPOS s 1
    BITPOS s 0
    BITPOS s 1 2
    BITPOS s 0 2 -1
    BITPOS s 1 7 15 BIT
    BITPOS s 0 7 15 BIT
    BITPOS s 1 7 15 bit
    BITPOS s 1 1 BIT
    BITPOS s 0 -3 -1 BIT
    BITPOS s 1 -1
    BITPOS s 1 3 2
    BITPOS s 1 1 1 BYTE
    SET ff "\\xff\\xff\\xff"
    BITPOS ff 0
    BITPOS ff 0 0
    BITPOS ff 0 0 -1
    BITPOS ff 0 1 BIT
    BITPOS ff 0 1 23 BIT
    BITPOS ff 0 5 BIT
    BITPOS ff 1 3
    SET mixed "\\x00\\xff\\x0f"
    BITPOS mixed 1
    BITPOS mixed 1 2 BIT
    BITPOS mixed 1 17 22 BIT
    BITPOS mixed 0 9 15 BIT
    BITPOS mixed 0 9 22 BIT
    BITPOS mixed 0 8 BIT
    BITPOS mixed 1 20 20 BIT
    BITPOS mixed 0 20 20 BIT
    SETBIT z 0 0
    BITPOS z 0
    BITPOS z 1
    BITPOS z 0 0 -1
    BITPOS z 0 0
    SET e ""
    BITPOS e 0
    BITPOS e 1
    BITPOS nosuch 1
    BITPOS nosuch 0
    BITPOS nosuch 0 5 10
    BITPOS nosuch 2
    BITPOS s 2
    BITPOS s x
    BITPOS s 1 0 1 2
    BITPOS s 1 0 1 bits
    BITPOS s 1 a
    BITPOS s 1 0 a
    BITPOS s 1 0 1 BIT extra
    SET n 1234
    BITPOS n 1
    LPUSH l a
    BITPOS l 1
  `),
  BITOP: lines(`
    SET a foobar
    SET b abc
    SET c "\\x00\\xff"
    BITOP AND dest a b
    GET dest
    BITOP and dest a b c
    GET dest
    BITOP OR dest a b nosuch
    GET dest
    BITOP XOR dest a b c
    GET dest
    BITOP NOT dest a
    GET dest
    OBJECT ENCODING dest
    BITOP NOT dest c
    GET dest
    BITOP NOT dest a b
    BITOP FOO dest a
    BITOP AND dest nosuch nosuch2
    EXISTS dest
    BITOP AND dest nosuch
    SET dest x
    EXPIRE dest 100
    BITOP OR dest a
    TTL dest
    SET n 42
    BITOP OR dest n
    GET dest
    LPUSH l a
    BITOP AND dest a l
    BITOP AND l a
    TYPE l
    BITOP AND
    BITOP AND dest
  `),
  'BITFIELD operations and overflow': lines(`
    BITFIELD bf SET i8 0 100 GET i8 0 INCRBY i8 0 100 GET u4 0
    BITFIELD bf OVERFLOW SAT INCRBY i8 0 100 OVERFLOW FAIL INCRBY i8 0 100 OVERFLOW WRAP INCRBY i8 0 1
    BITFIELD bf SET u8 #1 255 GET u8 #1 GET u8 8 INCRBY u8 #1 10
    BITFIELD bf OVERFLOW SAT INCRBY u8 #1 -300 INCRBY u8 #1 1000
    BITFIELD bf overflow fail incrby u8 #1 1000 get u8 #1
    BITFIELD bf GET i64 0 SET i64 0 -1 GET u63 1 INCRBY i64 0 -9223372036854775807
    BITFIELD bf OVERFLOW SAT INCRBY i64 0 -9223372036854775807
    BITFIELD bf OVERFLOW WRAP INCRBY i64 0 -9223372036854775807
    BITFIELD bf OVERFLOW SAT SET i64 0 9223372036854775807 INCRBY i64 0 1
    BITFIELD bf OVERFLOW WRAP INCRBY i64 0 1
    BITFIELD bf OVERFLOW SAT SET i8 0 -9223372036854775808 SET u8 0 -1 GET i8 0
    BITFIELD bf OVERFLOW WRAP SET i8 0 200 SET u4 0 17 GET i8 0
    BITFIELD bf OVERFLOW WRAP SET u63 3 -1 GET u63 3 INCRBY u63 3 1
    BITFIELD bf OVERFLOW SAT INCRBY u63 3 -1 INCRBY i1 0 1 INCRBY i1 0 -5 INCRBY u1 0 7
    BITFIELD bf SET i5 13 -7 GET i5 13 GET u5 13 INCRBY i5 13 -100
    GET bf
    BITFIELD nosuch
    BITFIELD nosuch GET u8 0 GET i16 100
    BITFIELD new SET u1 100 1
    GET new
    BITFIELD new SET u1 100 1
    BITFIELD new OVERFLOW FAIL INCRBY u2 100 10
    BITFIELD n2 INCRBY u8 #2 5
    GET n2
    SET num 12
    BITFIELD num GET u8 0 GET u8 8
    BITFIELD_RO bf GET u8 0 GET u8 8
    BITFIELD_RO nosuch GET i64 #10
    BITFIELD_RO bf
  `),
  'BITFIELD errors': lines(`
    SET bf x
    BITFIELD bf GET u64 0
    BITFIELD bf GET i65 0
    BITFIELD bf GET x8 0
    BITFIELD bf GET i0 0
    BITFIELD bf GET i 0
    BITFIELD bf GET "" 0
    BITFIELD bf GET i8 -1
    BITFIELD bf GET i8 #-1
    BITFIELD bf GET i8 #
    BITFIELD bf GET i8 #x
    BITFIELD bf GET i8 4294967296
    BITFIELD bf GET i8 #536870912
    BITFIELD bf GET i8 #536870911
    BITFIELD bf SET i8 0 x
    BITFIELD bf SET i8 0
    BITFIELD bf INCRBY i8 0 1.5
    BITFIELD bf FOO
    BITFIELD bf OVERFLOW BAD
    BITFIELD bf OVERFLOW
    BITFIELD bf GET
    BITFIELD bf GET u8 0 FOO
    BITFIELD bf SET u8 0 1 GET i99 0
    GET bf
    BITFIELD_RO bf SET u8 0 1
    BITFIELD_RO bf INCRBY u8 0 1 GET u8 x
    BITFIELD_RO bf OVERFLOW SAT GET u8 0
    GET bf
    LPUSH l a
    BITFIELD l GET u8 0
    BITFIELD l SET u8 0 1
    BITFIELD_RO l GET u8 0
  `),
  'bitmaps built bit by bit': (() => {
    const script: Script = [];
    for (let i = 0; i < 200; i += 7) script.push(['SETBIT', 'big', String(i * 13), '1']);
    script.push(['GET', 'big'], ['BITCOUNT', 'big'], ['BITCOUNT', 'big', '3', '-3', 'BIT'], ['BITPOS', 'big', '1', '100', '-1', 'BIT']);
    script.push(['BITOP', 'NOT', 'inv', 'big'], ['BITPOS', 'inv', '0'], ['BITCOUNT', 'inv'], ['BITOP', 'XOR', 'x', 'big', 'inv'], ['BITCOUNT', 'x']);
    script.push(['BITFIELD', 'big', 'GET', 'u63', '#3', 'GET', 'i37', '1001', 'INCRBY', 'u9', '#40', '511'], ['GET', 'big']);
    return script;
  })(),
  'random ranges and fields': randomBitScript(7, 1500),
  'COMMAND GETKEYS for bitmaps': lines(`
    COMMAND GETKEYS BITOP AND dest a b
    COMMAND GETKEYS BITFIELD k GET u8 0
  `),
};

describe('bitmaps (differential)', () => {
  compareScripts(pair, scripts);
});
