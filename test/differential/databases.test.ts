/**
 * Database commands (SELECT SWAPDB DBSIZE FLUSHDB FLUSHALL, MOVE/COPY across
 * databases) against a real redis-server, byte for byte, in RESP2 and RESP3.
 */
import { describe } from 'vitest';

import { compareScripts, lines, type Script, usePair } from '../support/diff';

const pair = usePair();

const scripts: Record<string, Script> = {
  SELECT: lines(`
    SELECT 0
    SELECT 15
    SELECT 16
    SELECT -1
    SELECT abc
    SELECT 1.5
    SELECT ""
    SELECT " 1"
    SELECT 01
    SELECT 9223372036854775808
    SELECT 2147483648
    SELECT
    SELECT 1 2
    SELECT 3
    SET k in3
    SELECT 0
    GET k
    SELECT 3
    GET k
    DBSIZE
  `),
  'DBSIZE FLUSHDB FLUSHALL': lines(`
    DBSIZE
    MSET a 1 b 2 c 3
    DBSIZE
    SELECT 1
    SET x 1
    DBSIZE
    FLUSHDB
    DBSIZE
    SELECT 0
    DBSIZE
    FLUSHDB ASYNC
    DBSIZE
    SET a 1
    FLUSHDB SYNC
    DBSIZE
    FLUSHDB sync
    FLUSHDB FOO
    FLUSHDB SYNC ASYNC
    FLUSHDB ASYNC SYNC
    FLUSHALL FOO
    FLUSHALL SYNC
    FLUSHALL ASYNC
    FLUSHALL SYNC ASYNC
    SET a 1
    SELECT 5
    SET b 2
    FLUSHALL
    DBSIZE
    SELECT 0
    DBSIZE
    DBSIZE x
  `),
  SWAPDB: lines(`
    SET a in0
    SELECT 1
    SET b in1
    SWAPDB 0 1
    GET a
    GET b
    SELECT 0
    GET a
    GET b
    SWAPDB 0 0
    GET b
    SWAPDB 0 16
    SWAPDB 16 0
    SWAPDB -1 0
    SWAPDB abc 0
    SWAPDB 0 abc
    SWAPDB 0 1.5
    SWAPDB 0
    SWAPDB 0 1 2
    SET e 1 EX 100
    SWAPDB 0 2
    SELECT 2
    TTL e
    DBSIZE
  `),
  'MOVE and COPY across databases': lines(`
    SET a 1 EX 100
    MOVE a 3
    SELECT 3
    TTL a
    COPY a b DB 0
    SELECT 0
    TTL b
    GET b
    MOVE b 3
    SET b local
    MOVE b 3
    GET b
    COPY b b DB 3
    COPY b b DB 3 REPLACE
    SELECT 3
    GET b
    TTL b
  `),
};

describe('databases: ferrokv replies byte for byte as redis-server', () => {
  compareScripts(() => pair(), scripts);
});
