/**
 * Transactions (MULTI EXEC DISCARD WATCH UNWATCH) and client-side caching
 * (CLIENT TRACKING …) against a real redis-server, byte for byte: one-
 * connection scripts in RESP2 and RESP3, and sessions over several
 * connections for what one client does to another (a broken WATCH, an
 * invalidation push, a waiter served by a transaction).
 */
import { describe, expect, it } from 'vitest';

import { compareScripts, lines, type Script, usePair } from '../support/diff';
import { runSession, session, type SessionStep } from '../support/sessions';

const pair = usePair();

const scripts: Record<string, Script> = {
  'MULTI and EXEC': lines(`
    MULTI
    SET a 1
    INCR a
    GET a
    LPUSH a x
    EXEC
    GET a
    MULTI
    EXEC
    EXEC
    DISCARD
    MULTI
    SET b 1
    DISCARD
    EXISTS b
  `),
  'errors while queueing abort EXEC': lines(`
    MULTI
    SET a 1
    NOPE x
    GET
    EXEC
    EXISTS a
    MULTI
    SHUTDOWN
    EXEC
    MULTI
    CLIENT NOPE
    EXEC
    MULTI
    MULTI
    WATCH x
    SET c 1
    EXEC
  `),
  'blocking commands answer at once inside EXEC': lines(`
    MULTI
    BLPOP e 0
    BRPOP e 0
    BLMOVE e d LEFT LEFT 0
    BRPOPLPUSH e d 0
    BZPOPMIN e 0
    BZPOPMAX e 0
    BLMPOP 0 1 e LEFT
    BZMPOP 0 1 e MIN
    EXEC
  `),
  'CONFIG inside EXEC': lines(`
    MULTI
    SET a 1
    CONFIG GET maxmemory-policy
    CONFIG SET maxmemory-policy allkeys-lru
    CONFIG GET maxmemory-policy
    CONFIG SET nosuch 1
    GET a
    CONFIG SET maxmemory-policy noeviction
    EXEC
    PING
  `),
  'SELECT inside EXEC': lines(`
    MULTI
    SELECT 1
    SET a 1
    GET a
    EXEC
    GET a
    SELECT 0
    GET a
  `),
  "WATCH and the client's own changes": lines(`
    SET src v
    WATCH k
    RENAME src k
    MULTI
    PING
    EXEC
    WATCH k
    MULTI
    PING
    EXEC
    WATCH k
    RENAME k src
    UNWATCH
    MULTI
    PING
    EXEC
    WATCH k x y
    WATCH k
    COPY src k
    MULTI
    PING
    EXEC
  `),
  'WATCH and FLUSHDB FLUSHALL SWAPDB': lines(`
    SET k v
    WATCH k
    FLUSHDB
    MULTI
    PING
    EXEC
    WATCH k
    FLUSHALL
    MULTI
    PING
    EXEC
    SET k v
    WATCH k
    SWAPDB 0 1
    MULTI
    PING
    EXEC
    WATCH k
    SWAPDB 0 1
    MULTI
    PING
    EXEC
    WATCH nokey
    SWAPDB 0 1
    MULTI
    PING
    EXEC
  `),
  'WATCH a key that expires before EXEC': lines(`
    SET k v PX 20
    WATCH k
    DEBUG SLEEP 0.05
    MULTI
    PING
    EXEC
    SET k v PX 10
    DEBUG SLEEP 0.03
    WATCH k
    MULTI
    PING
    EXEC
  `),
  'CLIENT TRACKING options and errors': lines(`
    CLIENT TRACKINGINFO
    CLIENT GETREDIR
    CLIENT CACHING yes
    CLIENT TRACKING on PREFIX a
    CLIENT TRACKING on REDIRECT 0
    CLIENT TRACKING on REDIRECT abc
    CLIENT TRACKING on FOO
    CLIENT TRACKING maybe
    CLIENT TRACKING on OPTIN OPTOUT
    CLIENT TRACKING on BCAST OPTIN
    CLIENT TRACKING on OPTIN
    CLIENT CACHING yes
    CLIENT TRACKINGINFO
    CLIENT CACHING no
    CLIENT CACHING maybe
    CLIENT TRACKING on OPTOUT
    CLIENT TRACKING on BCAST
    CLIENT GETREDIR
    CLIENT TRACKING off
    CLIENT TRACKING on OPTOUT NOLOOP
    CLIENT CACHING no
    CLIENT TRACKINGINFO
    CLIENT TRACKING off
    CLIENT TRACKING on BCAST PREFIX b PREFIX c
    CLIENT TRACKING on BCAST PREFIX bx
    CLIENT TRACKING on BCAST PREFIX xy PREFIX x
    CLIENT TRACKING on BCAST PREFIX d
    CLIENT TRACKINGINFO
    CLIENT TRACKING off
    CLIENT TRACKINGINFO
    CLIENT TRACKING on BCAST
    CLIENT TRACKINGINFO
  `),
};

describe('transactions and tracking: ferrokv replies byte for byte as redis-server', () => {
  compareScripts(() => pair(), scripts);
});

const sessions: Record<string, SessionStep[]> = {
  'another client breaks a WATCH': session(`
    a: SET src v
    a: WATCH k
    b: RENAME src k
    a: MULTI
    a: PING
    a: EXEC
    a: WATCH k
    b: MOVE k 3
    a: MULTI
    a: EXEC
    a: SET k v
    a: WATCH k
    b: FLUSHALL
    a: MULTI
    a: EXEC
    a: (quiet) HELLO 3
    b: SET k v
    a: WATCH k
    b: SWAPDB 0 2
    a: MULTI
    a: EXEC
  `),
  'a waiter is served after the EXEC that pushed': session(`
    w: (blocks) BLPOP l 0
    a: MULTI
    a: LPUSH l a
    a: LPUSH l b
    a: EXEC
    w: (read)
    a: LRANGE l 0 -1
  `),
  'tracking: invalidations to the client itself and from others': session(`
    a: (quiet) HELLO 3
    a: CLIENT TRACKING on
    a: SET src v
    a: GET k
    b: RENAME src k
    a: (read)
    b: RENAME k src
    a: GET k
    a: RENAME src k
    a: MULTI
    a: RENAME k src
    a: GET k
    a: EXEC
    b: FLUSHALL
    a: (read)
    a: FLUSHDB
    a: CLIENT TRACKING off
    a: CLIENT TRACKING on NOLOOP
    a: SET src v
    a: GET k
    a: RENAME src k
    a: CLIENT TRACKINGINFO
    a: (read)
  `),
  'tracking: OPTIN and OPTOUT': session(`
    a: (quiet) HELLO 3
    a: CLIENT TRACKING on OPTIN
    b: SET s1 v
    b: SET s2 v
    a: GET k1
    b: RENAME s1 k1
    a: CLIENT CACHING yes
    a: GET k2
    b: RENAME s2 k2
    a: (read)
    a: CLIENT CACHING yes
    a: NOPE
    a: GET k3
    a: CLIENT CACHING yes
    a: CLIENT ID
    a: GET k4
    b: SET s3 v
    b: RENAME s3 k3
    b: RENAME k2 k4
    a: (read)
    a: CLIENT TRACKING off
    a: CLIENT TRACKING on OPTOUT
    a: CLIENT CACHING no
    a: GET k1
    b: RENAME k1 s1
    a: GET k2
    b: RENAME k2 s2
    a: (read)
  `),
  'tracking: REDIRECT to a RESP3 client, and to one that left': session(`
    r: (quiet) HELLO 3
    a: CLIENT TRACKING on REDIRECT {id:r}
    a: CLIENT GETREDIR
    a: SET src v
    a: GET k
    a: RENAME src k
    r: (read)
    a: CLIENT TRACKING on REDIRECT {id:r} REDIRECT {id:r}
    b: (quiet) HELLO 3
    b: CLIENT TRACKING on REDIRECT {id:gone}
    b: GET k
    b: CLIENT KILL ID {id:gone}
    b: RENAME k src
    b: CLIENT TRACKINGINFO
    b: CLIENT GETREDIR
  `),
  'tracking: BCAST prefixes and NOLOOP': session(`
    a: (quiet) HELLO 3
    a: CLIENT TRACKING on BCAST PREFIX a PREFIX b
    a: CLIENT TRACKINGINFO
    b: MSET x 1 y 2
    b: RENAME x a1
    a: (read)
    b: RENAME a1 b1
    b: RENAME y a2
    b: RENAME a2 a3
    a: (read)
    a: RENAME b1 x
    n: (quiet) HELLO 3
    n: CLIENT TRACKING on BCAST NOLOOP
    n: RENAME x y
    b: RENAME y z
    n: (read)
    a: (read)
  `),
};

describe('transactions and tracking across connections', () => {
  for (const [name, steps] of Object.entries(sessions)) {
    it(name, async () => {
      const [ferro, redis] = await Promise.all([
        runSession(pair().ferroEndpoint, steps),
        runSession(pair().redisEndpoint, steps),
      ]);
      expect(ferro).toEqual(redis);
    });
  }
});
