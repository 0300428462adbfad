/**
 * The generic key commands against a real redis-server, byte for byte, in
 * RESP2 and RESP3. KEYS and SCAN results are sorted (Redis leaves their
 * order open); times that move with the clock are checked as ranges.
 */
import { describe } from 'vitest';

import { compareScripts, intWithin, lines, type Script, sorted, sortedScan, usePair } from '../support/diff';

const pair = usePair();

const FUTURE_S = 4102444800; // 2100-01-01
const FUTURE_MS = FUTURE_S * 1000;

const scripts: Record<string, Script> = {
  'DEL UNLINK EXISTS TOUCH TYPE': lines(`
    MSET a 1 b 2 c 3
    EXISTS a
    EXISTS a b nosuch a
    EXISTS nosuch
    TYPE a
    TYPE nosuch
    TOUCH a b nosuch
    TOUCH nosuch
    DEL a nosuch
    DEL a
    DEL b c b
    UNLINK nosuch
    MSET a 1 b 2
    UNLINK a b a
    EXISTS a b
    DEL
    UNLINK
    EXISTS
    TOUCH
    TYPE
    TYPE a b
  `),
  'EXPIRE family': lines(`
    SET k v
    TTL k
    PTTL k
    EXPIRETIME k
    PEXPIRETIME k
    TTL nosuch
    PTTL nosuch
    EXPIRETIME nosuch
    PEXPIRETIME nosuch
    EXPIRE k 100
    TTL k
    EXPIRE nosuch 100
    PEXPIRE nosuch 100
    EXPIREAT nosuch 100
    PEXPIREAT nosuch 100
    PERSIST k
    PERSIST k
    PERSIST nosuch
    TTL k
    EXPIRE k abc
    EXPIRE k 1.5
    EXPIRE k ""
    PEXPIRE k abc
    EXPIREAT k abc
    PEXPIREAT k abc
    EXPIRE k 9223372036854775807
    EXPIRE k 9223372036854775
    EXPIRE k 92233720368547758
    EXPIRE k -9223372036854775808
    PEXPIRE k 9223372036854775807
    PEXPIRE k -9223372036854775808
    EXPIREAT k 9223372036854775807
    EXPIREAT k 9223372036854775
    PEXPIREAT k 9223372036854775807
    TTL k
    EXISTS k
    SET k v
    EXPIRE k 0
    EXISTS k
    SET k v
    EXPIRE k -10
    EXISTS k
    SET k v
    PEXPIRE k 0
    EXISTS k
    SET k v
    EXPIREAT k 1
    EXISTS k
    SET k v
    PEXPIREAT k 1
    EXISTS k
    SET k v
    EXPIRE k
    EXPIRE k 10 NX XX GT
    TTL
    PERSIST
    PERSIST a b
  `),
  'EXPIRE NX XX GT LT': lines(`
    SET k v
    EXPIRE k 100 XX
    TTL k
    EXPIRE k 100 GT
    TTL k
    EXPIRE k 100 LT
    TTL k
    PERSIST k
    EXPIRE k 100 NX
    TTL k
    EXPIRE k 200 NX
    TTL k
    EXPIRE k 200 XX
    TTL k
    EXPIRE k 100 GT
    TTL k
    EXPIRE k 300 GT
    TTL k
    EXPIRE k 400 LT
    TTL k
    EXPIRE k 50 LT
    TTL k
    EXPIRE k 50 nx
    EXPIRE k 50 NX XX
    EXPIRE k 50 GT LT
    EXPIRE k 50 NX GT
    EXPIRE k 50 NX LT
    EXPIRE k 40 XX GT
    TTL k
    EXPIRE k 40 XX LT
    TTL k
    EXPIRE k 50 FOO
    EXPIRE k 30 GT GT
    EXPIRE k 20 LT LT
    TTL k
    EXPIRE k abc NX
    EXPIRE k 50 NX abc
    PEXPIRE k 100000 LT
    TTL k
    EXPIREAT k 1 GT
    EXISTS k
    EXPIREAT k 1 LT
    EXISTS k
    SET k v
    PEXPIREAT k 1 NX
    EXISTS k
    SET k v EX 100
    EXPIRE k -1 GT
    EXISTS k
    EXPIRE k -1 LT
    EXISTS k
  `),
  'TTL and EXPIRETIME of a far-future key': [
    ...lines('SET k v'),
    { args: ['EXPIREAT', 'k', FUTURE_S] },
    { args: ['EXPIRETIME', 'k'] },
    { args: ['PEXPIRETIME', 'k'] },
    { args: ['TTL', 'k'], normalize: intWithin(1, FUTURE_S) },
    { args: ['PEXPIREAT', 'k', FUTURE_MS + 1234] },
    { args: ['EXPIRETIME', 'k'] },
    { args: ['PEXPIRETIME', 'k'] },
    { args: ['PTTL', 'k'], normalize: intWithin(1, FUTURE_MS + 1234) },
    { args: ['PEXPIRE', 'k', 100_000] },
    { args: ['PTTL', 'k'], normalize: intWithin(99_000, 100_000) },
    { args: ['EXPIREAT', 'k', FUTURE_S, 'GT'] },
    { args: ['EXPIREAT', 'k', FUTURE_S, 'LT'] },
    { args: ['EXPIRETIME', 'k'] },
  ],
  KEYS: [
    ...lines(`
      MSET hello 1 hallo 2 hxllo 3 hllo 4 heeeello 5 "h*llo" 6 "h\\\\llo" 7 foo 8 "" 9 "a b" 10 "\\x00x" 11 Hello 12
    `),
    ...[
      '*',
      'h?llo',
      'h*llo',
      'h[ae]llo',
      'h[^e]llo',
      'h[a-b]llo',
      'h[b-a]llo',
      'h\\*llo',
      'h\\\\llo',
      '?',
      '',
      'a*',
      '*o',
      'H*',
      '[',
      'h[',
      'h[a-',
      '[!e]*',
      '*\\',
      'nosuch*',
      '\x00*',
      'a?b',
      '**',
      'h**llo',
    ].map((p) => ({ args: ['KEYS', p], normalize: sorted })),
    ...lines(`
      KEYS
      KEYS a b
    `),
  ],
  SCAN: [
    ...lines(`
      SCAN 0
      MSET a 1 b 2 c 3 d 4 e 5 aa 6 ab 7
    `),
    { args: ['SCAN', '0', 'COUNT', '1000'], normalize: sortedScan },
    { args: ['SCAN', '0', 'MATCH', 'a*', 'COUNT', '1000'], normalize: sortedScan },
    { args: ['SCAN', '0', 'COUNT', '1000', 'MATCH', '?'], normalize: sortedScan },
    { args: ['SCAN', '0', 'TYPE', 'string', 'COUNT', '1000'], normalize: sortedScan },
    { args: ['SCAN', '0', 'TYPE', 'list', 'COUNT', '1000'], normalize: sortedScan },
    { args: ['SCAN', '0', 'TYPE', 'nosuchtype', 'COUNT', '1000'], normalize: sortedScan },
    { args: ['SCAN', '0', 'match', 'z*', 'count', '1000', 'type', 'STRING'], normalize: sortedScan },
    ...lines(`
      SCAN abc
      SCAN 18446744073709551616
      SCAN 0 COUNT 0
      SCAN 0 COUNT -1
      SCAN 0 COUNT abc
      SCAN 0 COUNT
      SCAN 0 MATCH
      SCAN 0 TYPE
      SCAN 0 FOO bar
      SCAN 0 MATCH a* FOO
      SCAN
    `),
  ],
  'RENAME RENAMENX': lines(`
    SET a 1
    RENAME a b
    GET b
    EXISTS a
    RENAME nosuch x
    RENAMENX nosuch x
    RENAME b b
    RENAMENX b b
    SET c 3
    RENAMENX b c
    RENAMENX b d
    GET d
    SET e 5 EX 100
    RENAME e f
    TTL f
    SET g 7
    RENAME g f
    TTL f
    GET f
    RENAME a
    RENAMENX a
    RENAME a b c
  `),
  'COPY MOVE': lines(`
    SET a 1 EX 100
    COPY a b
    GET b
    TTL b
    COPY a b
    COPY a b REPLACE
    COPY nosuch b
    COPY a a
    COPY a a DB 0
    COPY a a DB 1
    SELECT 1
    GET a
    TTL a
    SELECT 0
    COPY a a DB 1
    COPY a a DB 1 REPLACE
    COPY a x DB 16
    COPY a x DB -1
    COPY a x DB abc
    COPY a x DB
    COPY a x FOO
    COPY a x REPLACE REPLACE
    COPY a
    SET m 1
    MOVE m 1
    EXISTS m
    MOVE m 1
    SET m 2
    MOVE m 1
    MOVE nosuch 1
    MOVE m 0
    MOVE m 16
    MOVE m -1
    MOVE m abc
    MOVE m
    SELECT 1
    GET m
    SELECT 0
    GET m
  `),
  RANDOMKEY: lines(`
    RANDOMKEY
    SET only 1
    RANDOMKEY
    RANDOMKEY x
  `),
  OBJECT: lines(`
    SET a 1
    OBJECT REFCOUNT a
    OBJECT REFCOUNT nosuch
    OBJECT ENCODING nosuch
    OBJECT IDLETIME nosuch
    OBJECT FREQ nosuch
    OBJECT FREQ a
    OBJECT FOO a
    OBJECT
    OBJECT ENCODING
    OBJECT ENCODING a b
    OBJECT REFCOUNT
    object encoding a
    SET s "a string"
    OBJECT REFCOUNT s
    CONFIG SET maxmemory-policy allkeys-lfu
    OBJECT IDLETIME a
    OBJECT FREQ nosuch
    CONFIG SET maxmemory-policy noeviction
  `),
  'OBJECT IDLETIME just after a write': [
    ...lines('SET a 1'),
    { args: ['OBJECT', 'IDLETIME', 'a'], normalize: intWithin(0, 1) },
  ],
};

describe('keys: ferrokv replies byte for byte as redis-server', () => {
  compareScripts(() => pair(), scripts);
});
