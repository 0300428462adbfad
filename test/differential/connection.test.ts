/**
 * Connection commands (PING ECHO HELLO AUTH SELECT RESET, CLIENT …) against a
 * real redis-server, byte for byte, in RESP2 and RESP3. Replies that carry
 * the server's version or a connection's id/address are left to the
 * integration tests.
 */
import { describe, expect, it } from 'vitest';

import { compareScripts, lines, runScript, type Script, usePair } from '../support/diff';
import { type Endpoint, RawClient } from '../support/raw';

/** HELLO's reply with the server version and client id masked (they differ by design). */
function helloShape(reply: Buffer): string {
  return JSON.stringify(reply.toString('latin1').replace(/\$\d+\r\n7\.[0-9.]+\r\n/, '$N\r\n<version>\r\n').replace(/id\r\n:\d+\r\n/, 'id\r\n:<id>\r\n'));
}

const pair = usePair();

const scripts: Record<string, Script> = {
  'PING ECHO': lines(`
    PING
    PING hello
    PING ""
    PING "a b\\r\\nc"
    PING a b
    ping
    PiNg x
    ECHO hello
    ECHO ""
    ECHO "\\x00\\xff\\r\\n"
    ECHO
    ECHO a b
  `),
  'HELLO errors': lines(`
    HELLO 4
    HELLO 1
    HELLO 0
    HELLO -1
    HELLO abc
    HELLO 3.0
    HELLO ""
    HELLO 3 FOO
    HELLO 2 SETNAME
    HELLO 2 AUTH default
    HELLO 3 AUTH
    HELLO 3 SETNAME "a b"
    HELLO 3 SETNAME "a\\nb"
    HELLO 3 AUTH nosuchuser pass
    HELLO 3 AUTH default pass SETNAME "bad name"
    CLIENT GETNAME
    PING
  `),
  AUTH: lines(`
    AUTH pass
    AUTH default anything
    AUTH nosuchuser pass
    AUTH
    AUTH a b c
    PING
  `),
  'AUTH with requirepass': [
    ...lines(`
    CONFIG SET requirepass secret
    AUTH wrong
    AUTH secret
    AUTH default secret
    AUTH default wrong
    AUTH nosuchuser secret
    HELLO 2 AUTH default wrong
  `),
    { args: ['HELLO', '2', 'AUTH', 'default', 'secret', 'SETNAME', 'authed'], normalize: helloShape },
    ...lines(`
    CLIENT GETNAME
    CONFIG SET requirepass ""
    AUTH secret
  `),
  ],
  RESET: lines(`
    SELECT 3
    SET k 3
    CLIENT SETNAME conn
    CLIENT REPLY ON
    RESET
    GET k
    CLIENT GETNAME
    RESET x
    reset
  `),
  'CLIENT SETNAME GETNAME': lines(`
    CLIENT GETNAME
    CLIENT SETNAME myname
    CLIENT GETNAME
    CLIENT SETNAME "with space"
    CLIENT SETNAME "new\\nline"
    CLIENT SETNAME "\\x7f"
    CLIENT SETNAME "ünï"
    CLIENT GETNAME
    CLIENT SETNAME ""
    CLIENT GETNAME
    CLIENT SETNAME a b
    CLIENT SETNAME
    CLIENT GETNAME x
    client setname lower
    client getname
  `),
  'CLIENT REPLY': [
    ...lines(`
      CLIENT REPLY ON
      CLIENT REPLY FOO
      CLIENT REPLY
      CLIENT REPLY ON OFF
    `),
    { args: ['CLIENT', 'REPLY', 'SKIP'], noReply: true },
    { args: ['PING', 'skipped'], noReply: true },
    ['PING', 'seen'],
    { args: ['CLIENT', 'REPLY', 'OFF'], noReply: true },
    { args: ['SET', 'k', 'silent'], noReply: true },
    { args: ['GET', 'k'], noReply: true },
    { args: ['NOSUCHCOMMAND'], noReply: true },
    ['CLIENT', 'REPLY', 'ON'],
    ['GET', 'k'],
  ],
  'CLIENT misc': lines(`
    CLIENT GETREDIR
    CLIENT TRACKINGINFO
    CLIENT NO-EVICT on
    CLIENT NO-EVICT off
    CLIENT NO-EVICT ON
    CLIENT NO-EVICT maybe
    CLIENT NO-EVICT
    CLIENT FOO
    CLIENT
    client foo bar
    CLIENT KILL 1.2.3.4:5
    CLIENT KILL ID abc
    CLIENT KILL ID 0
    CLIENT KILL ID -1
    CLIENT KILL ID 999999
    CLIENT KILL ADDR 1.2.3.4:5
    CLIENT KILL LADDR 1.2.3.4:5
    CLIENT KILL TYPE nosuch
    CLIENT KILL TYPE normal SKIPME maybe
    CLIENT KILL FOO bar
    CLIENT KILL ID
    CLIENT KILL USER nosuchuser
    CLIENT LIST ID abc
    CLIENT LIST ID 0
    CLIENT LIST ID 999999
    CLIENT LIST TYPE nosuch
    CLIENT LIST FOO
    CLIENT LIST TYPE
    CLIENT INFO x
    CLIENT ID x
  `),
  'CLIENT PAUSE UNPAUSE arguments': lines(`
    CLIENT PAUSE abc
    CLIENT PAUSE -1
    CLIENT PAUSE 10 foo
    CLIENT PAUSE abc foo
    CLIENT PAUSE 10 write extra
    CLIENT PAUSE
    CLIENT UNPAUSE x
    CLIENT PAUSE 0
    CLIENT PAUSE 0 WRITE
    CLIENT UNPAUSE
    CLIENT UNPAUSE
    CLIENT KILL MAXAGE 1
    PING
  `),
};

describe('connection: ferrokv replies byte for byte as redis-server', () => {
  compareScripts(() => pair(), scripts);
});

describe('a connection that has not authenticated', () => {
  /** Sets requirepass on one connection, then runs `script` on a fresh one. */
  async function unauthenticated(endpoint: Endpoint, script: Script): Promise<string[]> {
    const admin = await RawClient.connect(endpoint);
    await admin.call('CONFIG', 'SET', 'requirepass', 'secret');
    try {
      return await runScript(endpoint, script, { keepData: true });
    } finally {
      await admin.call('CONFIG', 'SET', 'requirepass', '');
      admin.close();
    }
  }

  const script = lines(`
    GET k
    PING
    NOSUCH
    GET
    CLIENT SETNAME x
    SELECT 1
    AUTH wrong
    AUTH secret
    GET k
  `);

  // HELLO without AUTH names its syntax differently in 7.0; the 7.2 text is asserted in resp3.test.ts.
  it('gets NOAUTH for everything but AUTH and the no-auth commands', async () => {
    const [ferro, redis] = await Promise.all([unauthenticated(pair().ferroEndpoint, script), unauthenticated(pair().redisEndpoint, script)]);
    expect(ferro).toEqual(redis);
  });
});
