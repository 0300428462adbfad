/**
 * The list family against a real redis-server: every command, its options
 * and its errors, byte for byte, in RESP2 and RESP3.
 *
 * Left out on purpose, because the installed oracle is Redis 7.0 and these
 * differ in 7.2, which ferrokv follows (the cargo tests assert 7.2's
 * replies, checked against a 7.2 server):
 * - OBJECT ENCODING of lists: 7.0 always says quicklist, 7.2 says listpack
 *   for small lists;
 * - LSET with an index beyond 32 bits: 7.2 wraps it to a C int;
 * - LPOS RANK -9223372036854775808: 7.2 rejects it as out of range.
 */
import { describe, expect, it } from 'vitest';

import { compareScripts, lines, runScript, type Script, usePair } from '../support/diff';

const pair = usePair();

/** `n` distinct elements `prefix0 prefix1 …`. */
const elems = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

const scripts: Record<string, Script> = {
  'LPUSH RPUSH LPUSHX RPUSHX': lines(`
    RPUSH k a
    RPUSH k b c
    LPUSH k z y
    LRANGE k 0 -1
    lpush k x
    rPush k d
    LRANGE k 0 -1
    RPUSH n 1 1 -1 10 007 -0
    LRANGE n 0 -1
    LPUSHX nokey a
    RPUSHX nokey a b
    EXISTS nokey
    LPUSHX k p q
    RPUSHX k r s
    LRANGE k 0 -1
    TYPE k
    SET s v
    LPUSH s a
    RPUSH s a
    LPUSHX s a
    RPUSHX s a
    GET s
    LPUSH k
    RPUSH k
    LPUSHX k
    RPUSHX k
    RPUSH e "" "" x
    LRANGE e 0 -1
  `),
  'LPOP RPOP': lines(`
    LPOP k
    RPOP k
    LPOP k 1
    RPOP k 0
    RPUSH k a b c d e f g
    LPOP k
    RPOP k
    LPOP k 0
    RPOP k 0
    LPOP k 2
    RPOP k 2
    LPOP k 1
    EXISTS k
    RPUSH k a b c
    RPOP k 10
    EXISTS k
    RPUSH k a b c
    LPOP k 9223372036854775807
    RPUSH k a
    LPOP k -1
    RPOP k -1
    LPOP k abc
    LPOP k 1.5
    LPOP k 99999999999999999999
    LPOP nokey -1
    SET s v
    LPOP s
    RPOP s
    LPOP s -1
    LPOP s 0
    RPOP s 2
    LPOP k 1 2
    RPOP k 1 2
    LPOP
    LRANGE k 0 -1
  `),
  'LLEN LRANGE LINDEX': lines(`
    LLEN k
    LRANGE k 0 -1
    LINDEX k 0
    LINDEX k abc
    RPUSH k a b c d e
    LLEN k
    LRANGE k 0 -1
    LRANGE k 1 3
    LRANGE k -2 -1
    LRANGE k -100 1
    LRANGE k 3 100
    LRANGE k 4 4
    LRANGE k 5 10
    LRANGE k 3 1
    LRANGE k -1 -2
    LRANGE k -100 -6
    LRANGE k 0 -6
    LRANGE k -9223372036854775808 9223372036854775807
    LRANGE k a 1
    LRANGE k 0 b
    LRANGE nokey a 1
    LINDEX k 0
    LINDEX k 4
    LINDEX k -1
    LINDEX k -5
    LINDEX k 5
    LINDEX k -6
    LINDEX k 9223372036854775807
    LINDEX k -9223372036854775808
    LINDEX k abc
    LINDEX k 1.0
    SET s v
    LLEN s
    LRANGE s 0 1
    LRANGE s a 1
    LINDEX s 0
    LINDEX s abc
    LLEN k k
    LRANGE k 0
    LINDEX k
  `),
  LSET: lines(`
    LSET k 0 x
    LSET k abc x
    RPUSH k a b c
    LSET k 0 x
    LSET k -1 z
    LSET k 1 yy
    LRANGE k 0 -1
    LSET k 3 w
    LSET k -4 w
    LSET k 2147483647 w
    LSET k -2147483648 w
    LSET k abc w
    LSET k 1.5 w
    LSET k 99999999999999999999 w
    SET s v
    LSET s 0 x
    LSET s abc x
    LSET k 0
    LRANGE k 0 -1
  `),
  LINSERT: lines(`
    LINSERT k BEFORE a x
    EXISTS k
    RPUSH k a b c b
    LINSERT k BEFORE b x
    LINSERT k AFTER b y
    LRANGE k 0 -1
    LINSERT k after c z
    LINSERT k before a first
    LINSERT k AFTER b last
    LRANGE k 0 -1
    LINSERT k BEFORE nope x
    LLEN k
    LINSERT k AROUND a x
    LINSERT nokey AROUND a x
    SET s v
    LINSERT s BEFORE a x
    LINSERT s AROUND a x
    LINSERT k BEFORE a
    LINSERT k BEFORE "" x
    RPUSH k ""
    LINSERT k BEFORE "" x
    LRANGE k 0 -1
  `),
  LREM: lines(`
    LREM k 0 a
    RPUSH k a b a c a b a
    LREM k 2 a
    LRANGE k 0 -1
    LREM k -1 b
    LRANGE k 0 -1
    LREM k 0 a
    LREM k 0 nope
    LREM k 100 c
    LREM k -100 b
    EXISTS k
    RPUSH k x y x
    LREM k -9223372036854775808 x
    LRANGE k 0 -1
    LREM k abc x
    LREM nokey abc x
    SET s v
    LREM s 0 x
    LREM s abc x
    LREM k 0
  `),
  LTRIM: lines(`
    LTRIM k 0 1
    EXISTS k
    RPUSH k a b c d e f
    LTRIM k 1 -2
    LRANGE k 0 -1
    LTRIM k -3 100
    LRANGE k 0 -1
    LTRIM k 0 -1
    LRANGE k 0 -1
    LTRIM k -100 0
    LRANGE k 0 -1
    LTRIM k 1 0
    EXISTS k
    RPUSH k a b c
    LTRIM k 5 10
    EXISTS k
    RPUSH k a b c
    LTRIM k -1 -2
    EXISTS k
    RPUSH k a b c
    LTRIM k -9223372036854775808 9223372036854775807
    LLEN k
    LTRIM k a 1
    LTRIM k 0 b
    LTRIM nokey a 1
    SET s v
    LTRIM s 0 1
    LTRIM s a 1
    LTRIM k 0
  `),
  LPOS: lines(`
    LPOS k a
    LPOS k a COUNT 0
    LPOS k a RANK 2 MAXLEN 1
    RPUSH k a b c 1 2 3 c c
    LPOS k c
    LPOS k nope
    LPOS k c RANK 1
    LPOS k c RANK 2
    LPOS k c RANK 4
    LPOS k c RANK -1
    LPOS k c RANK -3
    LPOS k c RANK -4
    LPOS k c COUNT 2
    LPOS k c COUNT 0
    LPOS k c COUNT 10
    LPOS k c RANK 2 COUNT 0
    LPOS k c RANK -1 COUNT 2
    LPOS k c RANK -2 COUNT 0
    LPOS k nope COUNT 0
    LPOS k c COUNT 0 MAXLEN 3
    LPOS k c MAXLEN 2
    LPOS k c MAXLEN 3
    LPOS k c RANK -1 MAXLEN 1
    LPOS k c RANK -3 MAXLEN 2
    LPOS k c RANK -1 COUNT 0 MAXLEN 2
    LPOS k c MAXLEN 0
    LPOS k 1
    lpos k c rank 2 count 1 maxlen 8
    LPOS k c RANK 5 RANK 1 COUNT 1 COUNT 0
    LPOS k c RANK -9223372036854775807
    LPOS k c RANK 9223372036854775807 COUNT 0
    LPOS k c RANK 0
    LPOS nokey c RANK 0
    LPOS k c RANK abc
    LPOS k c RANK 1.5
    LPOS k c COUNT -1
    LPOS k c COUNT abc
    LPOS k c MAXLEN -1
    LPOS k c MAXLEN abc
    LPOS k c RANK
    LPOS k c COUNT
    LPOS k c MAXLEN
    LPOS k c FOO 1
    LPOS k c COUNT 1 FOO
    LPOS k c COUNT -1 RANK 0
    LPOS k c RANK 0 COUNT -1
    SET s v
    LPOS s a
    LPOS s a RANK 0
    LPOS k
  `),
  'LMOVE RPOPLPUSH': lines(`
    LMOVE src dst LEFT RIGHT
    RPOPLPUSH src dst
    RPUSH src a b c d
    LMOVE src dst LEFT RIGHT
    LMOVE src dst RIGHT LEFT
    LMOVE src dst LEFT LEFT
    LMOVE src dst right right
    EXISTS src
    LRANGE dst 0 -1
    LMOVE dst dst LEFT RIGHT
    LRANGE dst 0 -1
    LMOVE dst dst RIGHT LEFT
    LMOVE dst dst LEFT LEFT
    LMOVE dst dst RIGHT RIGHT
    LRANGE dst 0 -1
    RPUSH one x
    LMOVE one one LEFT RIGHT
    LRANGE one 0 -1
    RPUSH src a b c
    RPOPLPUSH src dst
    RPOPLPUSH src dst
    RPOPLPUSH dst dst
    LRANGE dst 0 -1
    RPOPLPUSH src dst
    EXISTS src
    LRANGE dst 0 -1
    SET s v
    LMOVE dst d2 UP LEFT
    LMOVE dst d2 LEFT DOWN
    LMOVE nokey d2 UP LEFT
    LMOVE s d2 LEFT LEFT
    LMOVE dst s LEFT LEFT
    LMOVE nokey s LEFT LEFT
    RPOPLPUSH s dst
    RPOPLPUSH dst s
    RPOPLPUSH nokey s
    LRANGE dst 0 -1
    LMOVE dst d2 LEFT
    RPOPLPUSH dst
    SET e v PX 1
    DEBUG SLEEP 0.01
    LMOVE dst e LEFT LEFT
    LRANGE e 0 -1
    PTTL e
  `),
  LMPOP: lines(`
    LMPOP 2 a b LEFT
    RPUSH b 1 2 3
    LMPOP 2 a b LEFT
    LMPOP 2 a b RIGHT COUNT 5
    EXISTS b
    RPUSH a x y z
    RPUSH b q
    LMPOP 2 a b left count 2
    LMPOP 3 nokey b a RIGHT
    LMPOP 1 a RIGHT COUNT 1
    LMPOP 1 a RIGHT
    RPUSH a 1
    LMPOP 2 a a LEFT
    RPUSH a x
    SET s v
    LMPOP 0 a LEFT
    LMPOP -1 a LEFT
    LMPOP abc a LEFT
    LMPOP 1.5 a LEFT
    LMPOP 1 a LEFT COUNT 0
    LMPOP 1 a LEFT COUNT -1
    LMPOP 1 a LEFT COUNT abc
    LMPOP 1 a LEFT COUNT
    LMPOP 1 a LEFT COUNT 1 COUNT 1
    LMPOP 1 a LEFT FOO
    LMPOP 1 a MIDDLE
    LMPOP 2 a LEFT
    LMPOP 5 a b LEFT
    LMPOP 1 a b LEFT
    LMPOP 1 a
    LMPOP 2 s a LEFT
    LMPOP 2 nokey s LEFT
    LMPOP 2 a s LEFT
    LMPOP 1 a LEFT COUNT 9223372036854775807
  `),
  'binary and long elements': [
    ['RPUSH', 'k', '', Buffer.from([0, 13, 10, 255]), ''],
    ['LRANGE', 'k', '0', '-1'],
    ['LPOS', 'k', ''],
    ['LREM', 'k', '0', ''],
    ['LINDEX', 'k', '0'],
    ['RPUSH', Buffer.from([255, 0]), 'x'],
    ['LMPOP', '1', Buffer.from([255, 0]), 'LEFT'],
    ['LPUSH', 'k', 'x'.repeat(20_000), 'y'.repeat(200), 'z'.repeat(64)],
    ['LRANGE', 'k', '0', '-1'],
    ['LINSERT', 'k', 'AFTER', 'y'.repeat(200), 'w'.repeat(9000)],
    ['LSET', 'k', '0', 'v'.repeat(5000)],
    ['LRANGE', 'k', '0', '-1'],
    ['RPOP', 'k', '3'],
    ['LPOP', 'k', '3'],
    ['EXISTS', 'k'],
  ],
  'long lists over many nodes': [
    ['RPUSH', 'k', ...elems('element-', 3000)],
    ['LPUSH', 'k', ...elems('head-', 500)],
    ['LLEN', 'k'],
    ['LRANGE', 'k', '495', '505'],
    ['LRANGE', 'k', '-3', '-1'],
    ['LINDEX', 'k', '1700'],
    ['LINDEX', 'k', '-1700'],
    ['LPOS', 'k', 'element-2000'],
    ['LPOS', 'k', 'element-2000', 'RANK', '-1'],
    ['LPOS', 'k', 'element-2000', 'MAXLEN', '100'],
    ['LINSERT', 'k', 'BEFORE', 'element-1500', 'inserted'],
    ['LINSERT', 'k', 'AFTER', 'element-1500', 'inserted'],
    ['LPOS', 'k', 'inserted', 'COUNT', '0'],
    ['LSET', 'k', '2000', 'set'],
    ['LINDEX', 'k', '2000'],
    ['LREM', 'k', '0', 'inserted'],
    ['LTRIM', 'k', '100', '-100'],
    ['LLEN', 'k'],
    ['LRANGE', 'k', '0', '2'],
    ['LRANGE', 'k', '-2', '-1'],
    ['LPOP', 'k', '1000'],
    ['RPOP', 'k', '1000'],
    ['LMPOP', '1', 'k', 'LEFT', 'COUNT', '100'],
    ['LLEN', 'k'],
    ['LMOVE', 'k', 'k', 'LEFT', 'RIGHT'],
    ['LRANGE', 'k', '-1', '-1'],
    ['LTRIM', 'k', '0', '-1000'],
    ['EXISTS', 'k'],
  ],
  'small node limits': [
    ...lines(`
      CONFIG SET list-max-listpack-size 3
      RPUSH k a b c d e f g h
      LINSERT k AFTER b x
      LINSERT k BEFORE f y
      LINSERT k BEFORE a first
      LINSERT k AFTER h last
      LRANGE k 0 -1
      LREM k 0 x
      LSET k 3 z
      LRANGE k 0 -1
      LPOP k 2
      RPOP k 2
      LRANGE k 0 -1
      LMOVE k k RIGHT LEFT
      LRANGE k 0 -1
      LTRIM k 1 -2
      LRANGE k 0 -1
      CONFIG SET list-max-listpack-size -1
    `),
    ['RPUSH', 'big', ...Array.from({ length: 60 }, (_, i) => `${i}`.padStart(100, 'x'))],
    ['LINSERT', 'big', 'AFTER', `${30}`.padStart(100, 'x'), 'mid'],
    ['LRANGE', 'big', '29', '33'],
    ['LPOP', 'big', '50'],
    ['LRANGE', 'big', '0', '-1'],
    ...lines(`
      CONFIG SET list-max-listpack-size -2
    `),
  ],
  'COMMAND GETKEYS for lists': lines(`
    COMMAND GETKEYS LPUSH k a
    COMMAND GETKEYS LMOVE a b LEFT RIGHT
    COMMAND GETKEYS RPOPLPUSH a b
  `),
};

describe('lists: ferrokv replies byte for byte as redis-server', () => {
  compareScripts(() => pair(), scripts);
});

describe('lists: OBJECT ENCODING as Redis 7.2 reports it', () => {
  // ferrokv alone: the 7.0 oracle says quicklist for every list. This also
  // checks that CONFIG SET, answered by the host, reaches the core.
  it('listpack while small, quicklist past list-max-listpack-size, listpack again below half', async () => {
    const script = lines(`
      RPUSH k a b c d
      OBJECT ENCODING k
      CONFIG SET list-max-listpack-size 4
      RPUSH k e
      OBJECT ENCODING k
      RPOP k 3
      OBJECT ENCODING k
      CONFIG SET list-max-listpack-size -2
    `);
    const replies = await runScript(pair().ferroEndpoint, script);
    expect(replies.filter((l) => l.startsWith('OBJECT'))).toEqual([
      'OBJECT ENCODING k => "$8\\r\\nlistpack\\r\\n"',
      'OBJECT ENCODING k => "$9\\r\\nquicklist\\r\\n"',
      'OBJECT ENCODING k => "$8\\r\\nlistpack\\r\\n"',
    ]);
  });
});

describe('lists: DEBUG OBJECT shows the quicklist as Redis does', () => {
  // The node layout (count, fill, compression, listpack bytes) is Redis's
  // own, whatever ferrokv packs into each node; the address and LRU clock
  // before it differ by nature.
  const quicklist = (reply: Buffer): string => /ql_nodes:.*(?=\r\n)/.exec(reply.toString('latin1'))?.[0] ?? reply.toString('latin1');
  const debug = { args: ['DEBUG', 'OBJECT', 'k'], normalize: quicklist };

  it('after pushes, pops and a trim, with compression', async () => {
    const script: Script = [
      ['CONFIG', 'SET', 'list-compress-depth', '1'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '-1'],
      ['RPUSH', 'k', ...elems('element:', 3000)],
      debug,
      ['LPUSH', 'k', ...elems('', 500), 'x'.repeat(300), 'y'.repeat(5000)],
      debug,
      ['RPOP', 'k', '700'],
      ['LPOP', 'k', '10'],
      debug,
      ['LTRIM', 'k', '100', '-100'],
      debug,
      ['CONFIG', 'SET', 'list-compress-depth', '0'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
    ];
    const { ferro, redis } = await pair().run(script);
    const shown = ferro.filter((l) => l.startsWith('DEBUG'));
    expect(shown).toHaveLength(4);
    for (const l of shown) expect(l).toMatch(/ql_nodes:\d+ ql_avg_node:\d+\.\d\d ql_listpack_max:-1 ql_compressed:1 ql_uncompressed_size:\d+$/);
    expect(ferro).toEqual(redis);
  });
});
