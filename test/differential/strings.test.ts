/**
 * The string family against a real redis-server: every command, its options
 * and its errors, byte for byte, in RESP2 and RESP3.
 */
import { describe } from 'vitest';

import { compareScripts, intWithin, lines, type Script, usePair } from '../support/diff';

const pair = usePair();

const scripts: Record<string, Script> = {
  'SET and GET': lines(`
    SET k v
    GET k
    GET nosuch
    SET k ""
    GET k
    STRLEN k
    SET k "hello world"
    GET k
    SET "\\x00\\r\\n\\xff" "\\x00bin\\r\\nary\\xff"
    GET "\\x00\\r\\n\\xff"
    SET k v NX
    SET k2 v NX
    SET k v XX
    SET k3 v XX
    GET k3
    SET k v NX XX
    SET k v XX NX
    SET k new GET
    SET k newer XX GET
    SET k4 x NX GET
    SET k4 y NX GET
    SET k5 x XX GET
    EXISTS k5
    SET k v nx
    SET k v xx get
    SET k v GET GET
    SET k v NX NX
    SET k v FOO
    SET k v EX
    SET k v EX 10 20
  `),
  'SET expiry options': [
    ...lines(`
      SET k v EX 100
      TTL k
      SET k v PX 100000
      TTL k
      SET k v EX 100 KEEPTTL
      SET k v KEEPTTL EX 100
      SET k v EX 100 PX 100
      SET k v PX 100 EXAT 100
      SET k v EXAT 100 PXAT 100
      SET k v EX 0
      SET k v EX -1
      SET k v PX 0
      SET k v PX -5
      SET k v EXAT 0
      SET k v PXAT 0
      SET k v EX abc
      SET k v EX 1.5
      SET k v PX " 10"
      SET k v EX 9223372036854775807
      SET k v PX 9223372036854775807
      SET k v EX 9223372036854775
      SET k v EX 92233720368547758
      SET k v EXAT 9223372036854775
      SET k v EX 99999999999999999999
      SET k v EXAT 1
      EXISTS k
      SET k v PXAT 1
      EXISTS k
      SET k v EX 100
      SET k w KEEPTTL
      TTL k
      GET k
      SET k w
      TTL k
      SET k v EX 100 GET
      SET k v KEEPTTL GET
      TTL k
      SET k v PX 100000 NX
      SET k v PX 100000 XX GET
      TTL k
    `),
    { args: ['SET', 'k', 'v', 'EXAT', '4102444800'] },
    { args: ['TTL', 'k'], normalize: intWithin(1, 4102444800) },
    { args: ['SET', 'k', 'v', 'PXAT', '4102444800000', 'GET'] },
    { args: ['PTTL', 'k'], normalize: intWithin(1, 4102444800000) },
  ],
  'SETNX SETEX PSETEX': lines(`
    SETNX k v
    SETNX k w
    GET k
    SETEX k 100 v2
    TTL k
    GET k
    SETEX k 0 v
    SETEX k -1 v
    SETEX k abc v
    SETEX k 9223372036854775807 v
    PSETEX k 0 v
    PSETEX k -10 v
    PSETEX k 100000 v3
    TTL k
    GET k
    PSETEX k abc v
    SETNX k
    SETEX k 10
    PSETEX k 10
  `),
  'GETDEL GETSET': lines(`
    SET k v EX 100
    GETDEL k
    GETDEL k
    EXISTS k
    GETSET k a
    GETSET k b
    GET k
    SET k v EX 100
    GETSET k w
    TTL k
    GETDEL
    GETSET k
  `),
  GETEX: [
    ...lines(`
      GETEX nosuch
      GETEX nosuch EX 10
      SET k v
      GETEX k
      TTL k
      GETEX k EX 100
      TTL k
      GETEX k PX 200000
      TTL k
      GETEX k PERSIST
      TTL k
      GETEX k EX 0
      GETEX k EX -1
      GETEX k PX 0
      GETEX k EXAT 0
      GETEX k EX abc
      GETEX k EX 9223372036854775807
      GETEX k PX 9223372036854775807
      GETEX k EX 10 PX 10
      GETEX k EX 10 PERSIST
      GETEX k PERSIST EX 10
      GETEX k PERSIST PERSIST
      GETEX k EX 10 EX 20
      GETEX k KEEPTTL
      GETEX k NX
      GETEX k EX
      GETEX k FOO
      GETEX k ex 100
      TTL k
      GETEX k EXAT 1
      EXISTS k
      SET k v
      GETEX k PXAT 1
      EXISTS k
      GETEX
    `),
    ...lines('SET k v'),
    { args: ['GETEX', 'k', 'EXAT', '4102444800'] },
    { args: ['TTL', 'k'], normalize: intWithin(1, 4102444800) },
  ],
  'GETRANGE SUBSTR': lines(`
    SET k "Hello, World"
    GETRANGE k 0 4
    GETRANGE k -5 -1
    GETRANGE k 0 -1
    GETRANGE k 0 100
    GETRANGE k 5 3
    GETRANGE k -100 -50
    GETRANGE k -100 2
    GETRANGE k 100 200
    GETRANGE k -1 -5
    GETRANGE k 0 0
    GETRANGE k -1 -1
    GETRANGE k 11 11
    GETRANGE k 12 12
    GETRANGE k 0 -100
    GETRANGE k a 1
    GETRANGE k 0 b
    GETRANGE k 0 9223372036854775807
    GETRANGE k -9223372036854775808 -1
    GETRANGE k 0 99999999999999999999
    GETRANGE nosuch 0 -1
    GETRANGE nosuch 0 1
    SET e ""
    GETRANGE e 0 -1
    GETRANGE e 0 0
    GETRANGE e -1 -1
    SUBSTR k 0 4
    SUBSTR k -3 -1
    SUBSTR nosuch 0 1
    SUBSTR k a b
    SET n 12345
    GETRANGE n 1 2
    GETRANGE n -2 -1
    GETRANGE k 0
    SUBSTR k 0
  `),
  'SETRANGE APPEND STRLEN': lines(`
    SETRANGE k 0 hello
    GET k
    SETRANGE k 6 world
    GET k
    STRLEN k
    SETRANGE k 2 XY
    GET k
    SETRANGE k -1 x
    SETRANGE k a x
    SETRANGE k 536870912 x
    SETRANGE k 536870911 ""
    SETRANGE nosuch 10 ""
    EXISTS nosuch
    SETRANGE nosuch 0 ""
    EXISTS nosuch
    SETRANGE empty 3 ""
    SETRANGE k 1 ""
    GET k
    SETRANGE big 536870911 x
    SETRANGE big 536870912 x
    SET n 123
    SETRANGE n 1 9
    GET n
    OBJECT ENCODING n
    APPEND a x
    APPEND a yz
    GET a
    APPEND a ""
    STRLEN a
    SET n 10
    APPEND n 5
    GET n
    OBJECT ENCODING n
    INCR n
    APPEND n ""
    STRLEN nosuch
    STRLEN n
    SET "\\x00" "a\\x00b"
    STRLEN "\\x00"
    APPEND "\\x00" "\\x00\\r\\n"
    GET "\\x00"
    SETRANGE k 0
    APPEND k
    STRLEN
    STRLEN a b
  `),
  'INCR DECR INCRBY DECRBY': lines(`
    INCR c
    INCR c
    DECR c
    DECR c
    DECR c
    INCRBY c 100
    INCRBY c -50
    DECRBY c 20
    DECRBY c -20
    GET c
    SET c 9223372036854775806
    INCR c
    INCR c
    GET c
    SET c -9223372036854775807
    DECR c
    DECR c
    INCRBY c -1
    SET c 0
    DECRBY c -9223372036854775808
    DECRBY c 9223372036854775807
    INCRBY c 9223372036854775808
    INCRBY c abc
    INCRBY c 1.5
    INCRBY c ""
    SET s abc
    INCR s
    DECR s
    INCRBY s 1
    SET s " 1"
    INCR s
    SET s "1 "
    INCR s
    SET s 01
    INCR s
    SET s +1
    INCR s
    SET s -0
    INCR s
    SET s 1e3
    INCR s
    SET s ""
    INCR s
    SET s 9223372036854775808
    INCR s
    SET s "\\x001"
    INCR s
    SET s 00
    INCR s
    SET s -9223372036854775808
    INCR s
    SET c 10 EX 100
    INCR c
    TTL c
    INCRBY c 0
    OBJECT ENCODING c
    SET big 12345678901234567890
    OBJECT ENCODING big
    INCR
    INCRBY c
    DECRBY c 1 2
  `),
  INCRBYFLOAT: lines(`
    INCRBYFLOAT f 10.5
    INCRBYFLOAT f 0.1
    INCRBYFLOAT f -5
    INCRBYFLOAT f 5.0e3
    INCRBYFLOAT f 2.0e-3
    GET f
    SET f 1
    INCRBYFLOAT f 1
    SET f 3.0e3
    INCRBYFLOAT f 200
    SET f 0.1
    INCRBYFLOAT f 0.2
    SET f 1.1
    INCRBYFLOAT f -1.1
    INCRBYFLOAT f 1e308
    INCRBYFLOAT f 1e308
    SET f 1.7976931348623157e308
    INCRBYFLOAT f 1.7976931348623157e308
    INCRBYFLOAT f inf
    INCRBYFLOAT f -inf
    INCRBYFLOAT f nan
    INCRBYFLOAT f abc
    INCRBYFLOAT f ""
    INCRBYFLOAT f " 1"
    INCRBYFLOAT f 1x
    SET f abc
    INCRBYFLOAT f 1
    SET f " 1"
    INCRBYFLOAT f 1
    SET f 1.5
    INCRBYFLOAT f 0x10
    SET f 5
    INCRBYFLOAT f 1.23456789012345678901234567890
    SET f 1e-300
    INCRBYFLOAT f 1e-300
    SET f 123456789012345678
    INCRBYFLOAT f 1
    SET f 10
    INCRBYFLOAT f -10
    INCRBYFLOAT f -0.0
    INCRBYFLOAT f 3.14159265358979323846
    INCRBYFLOAT f 1.5e1
    SET f 10 EX 100
    INCRBYFLOAT f 1.5
    TTL f
    INCRBYFLOAT f
    INCRBYFLOAT f 1 2
  `),
  'MSET MSETNX MGET': lines(`
    MSET a 1 b 2 c 3
    MGET a b c d
    MGET d
    MSET a
    MSET a 1 b
    MSET a 1 a 2
    GET a
    MSETNX x 1 y 2
    MSETNX x 1 z 3
    MGET x y z
    MSETNX p 1 p 2
    GET p
    MSETNX q
    MSETNX q 1 r
    SET e v EX 100
    MSET e w
    TTL e
    MGET
    MGET "" a
  `),
  LCS: lines(`
    MSET key1 ohmytext key2 mynewtext
    LCS key1 key2
    LCS key1 key2 LEN
    LCS key1 key2 IDX
    LCS key1 key2 IDX MINMATCHLEN 4
    LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN
    LCS key1 key2 IDX WITHMATCHLEN
    LCS key1 key2 LEN IDX
    LCS key1 key2 IDX LEN
    LCS key1 key2 MINMATCHLEN 2
    LCS key1 key2 MINMATCHLEN -1 IDX
    LCS key1 key2 MINMATCHLEN abc
    LCS key1 key2 MINMATCHLEN
    LCS key1 key2 FOO
    LCS key1 nosuch
    LCS nosuch nosuch2
    LCS nosuch nosuch2 IDX
    LCS nosuch nosuch2 LEN
    LCS key1 key1
    MSET a ABCBDAB b BDCABA
    LCS a b
    LCS a b IDX WITHMATCHLEN
    MSET e ""
    LCS e a
    LCS e a IDX
    LCS key1
  `),
  'OBJECT ENCODING of strings': lines(`
    SET a 123
    OBJECT ENCODING a
    SET a -123
    OBJECT ENCODING a
    SET a 0
    OBJECT ENCODING a
    SET a 9223372036854775807
    OBJECT ENCODING a
    SET a 9223372036854775808
    OBJECT ENCODING a
    SET a 01
    OBJECT ENCODING a
    SET a " 1"
    OBJECT ENCODING a
    SET a abc
    OBJECT ENCODING a
    SET a 12345678901234567890123456789012345678901234
    OBJECT ENCODING a
    SET a 123456789012345678901234567890123456789012345
    OBJECT ENCODING a
    SET a ""
    OBJECT ENCODING a
    APPEND a x
    OBJECT ENCODING a
    SETRANGE s 0 abc
    OBJECT ENCODING s
    INCRBYFLOAT f 1.5
    OBJECT ENCODING f
    SETEX a 100 12
    OBJECT ENCODING a
    MSET m1 1 m2 abc
    OBJECT ENCODING m1
    OBJECT ENCODING m2
    GETSET m1 2
    OBJECT ENCODING m1
    OBJECT ENCODING nosuch
  `),
};

describe('strings: ferrokv replies byte for byte as redis-server', () => {
  compareScripts(() => pair(), scripts);
});
