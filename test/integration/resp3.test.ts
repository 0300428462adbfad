/**
 * RESP3 on a raw socket (HELLO 3 and back), and the replies where ferrokv
 * follows Redis 7.2 while the 7.0 oracle of the differential suite differs:
 * those are asserted here with the 7.2 bytes, each checked against the
 * Redis 7.2.4 source.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from '../../ts/index';
import { RawClient } from '../support/raw';
import { elements } from '../support/resp';
import { startFerro } from '../support/servers';

let server: RunningServer;
beforeAll(async () => {
  server = await startFerro({ config: { 'enable-debug-command': 'yes' } });
});
afterAll(async () => {
  await server?.close();
});

const connect = () => RawClient.connect({ port: server.port });
const text = (b: Buffer) => b.toString('latin1');

describe('HELLO 3', () => {
  it('replies with a map describing the server, then speaks RESP3 until HELLO 2', async () => {
    const c = await connect();
    const id = Number(/^:(\d+)/.exec(text(await c.call('CLIENT', 'ID')))?.[1]);
    const hello = text(await c.call('HELLO', '3'));
    expect(hello).toBe(
      `%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.2.4\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:${id}\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n`,
    );
    // Nulls are `_`, in and out of aggregates.
    expect(text(await c.call('GET', 'nosuch'))).toBe('_\r\n');
    await c.call('SET', 'a', '1');
    expect(text(await c.call('MGET', 'a', 'nosuch'))).toBe('*2\r\n$1\r\n1\r\n_\r\n');
    expect(text(await c.call('OBJECT', 'ENCODING', 'nosuch'))).toBe('_\r\n');
    // Doubles, booleans and big numbers in their own types.
    expect(text(await c.call('DEBUG', 'PROTOCOL', 'double'))).toBe(',3.141\r\n');
    expect(text(await c.call('DEBUG', 'PROTOCOL', 'true'))).toBe('#t\r\n');
    expect(text(await c.call('DEBUG', 'PROTOCOL', 'bignum'))).toBe('(1234567999999999999999999999999999999\r\n');
    // CONFIG GET is a map.
    expect(text(await c.call('CONFIG', 'GET', 'maxmemory'))).toBe('%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n');
    // CLIENT LIST and CLIENT INFO are verbatim text.
    const list = text(await c.call('CLIENT', 'LIST'));
    expect(list).toMatch(/^=\d+\r\ntxt:id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ fd=\d+ name= age=\d+ idle=\d+ flags=N db=0 /);
    expect(list).toContain(` resp=3 lib-name= lib-ver=\n\r\n`);
    const len = Number(/^=(\d+)\r\n/.exec(list)?.[1]);
    expect(Buffer.byteLength(list, 'latin1')).toBe(`=${len}\r\n`.length + len + 2);
    expect(text(await c.call('CLIENT', 'INFO'))).toMatch(/^=\d+\r\ntxt:id=\d+ addr=/);
    // INFO is verbatim too.
    expect(text(await c.call('INFO', 'server'))).toMatch(/^=\d+\r\ntxt:# Server\r\nredis_version:7\.2\.4\r\n/);
    // Back to RESP2: the HELLO reply itself is already a flat array.
    const back = text(await c.call('HELLO', '2'));
    expect(back.startsWith('*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n')).toBe(true);
    expect(back).toContain('$5\r\nproto\r\n:2\r\n');
    expect(text(await c.call('GET', 'nosuch'))).toBe('$-1\r\n');
    expect(text(await c.call('CLIENT', 'INFO'))).toMatch(/^\$\d+\r\nid=\d+ /);
    expect(text(await c.call('CONFIG', 'GET', 'maxmemory'))).toBe('*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n');
    c.close();
  });

  it('HELLO with SETNAME names the connection; RESET goes back to RESP2', async () => {
    const c = await connect();
    const hello = elements(await c.call('HELLO', '3', 'SETNAME', 'worker-1'));
    expect(hello.type).toBe('%');
    expect(text(await c.call('CLIENT', 'GETNAME'))).toBe('$8\r\nworker-1\r\n');
    expect(text(await c.call('RESET'))).toBe('+RESET\r\n');
    expect(text(await c.call('GET', 'nosuch'))).toBe('$-1\r\n');
    expect(text(await c.call('CLIENT', 'GETNAME'))).toBe('$-1\r\n');
    expect(text(await c.call('HELLO', '4'))).toBe('-NOPROTO unsupported protocol version\r\n');
    c.close();
  });
});

describe('Redis 7.2 replies the 7.0 oracle does not give', () => {
  it('every HELP ends with "Print this help." (7.0: "Prints")', async () => {
    const c = await connect();
    for (const cmd of [['OBJECT', 'HELP'], ['CONFIG', 'HELP'], ['COMMAND', 'HELP'], ['MEMORY', 'HELP'], ['CLIENT', 'HELP']]) {
      expect(text(await c.call(...cmd)).endsWith('+HELP\r\n+    Print this help.\r\n')).toBe(true);
    }
    c.close();
  });

  it('COMMAND GETKEYS takes arity -3 and explains commands without keys (7.0: arity -4)', async () => {
    const c = await connect();
    expect(text(await c.call('COMMAND', 'GETKEYS', 'PING'))).toBe('-ERR The command has no key arguments\r\n');
    expect(text(await c.call('COMMAND', 'GETKEYS', 'GET'))).toBe('-ERR Invalid number of arguments specified for command\r\n');
    expect(text(await c.call('COMMAND', 'GETKEYS', 'NOSUCH'))).toBe('-ERR Invalid command specified\r\n');
    expect(text(await c.call('COMMAND', 'GETKEYS'))).toBe("-ERR wrong number of arguments for 'command|getkeys' command\r\n");
    expect(text(await c.call('COMMAND', 'GETKEYSANDFLAGS', 'GET'))).toBe('-ERR Invalid number of arguments specified for command\r\n');
    c.close();
  });

  it('CLIENT NO-TOUCH and CLIENT SETINFO exist (new in 7.2)', async () => {
    const c = await connect();
    expect(text(await c.call('CLIENT', 'NO-TOUCH', 'on'))).toBe('+OK\r\n');
    expect(text(await c.call('CLIENT', 'NO-TOUCH', 'off'))).toBe('+OK\r\n');
    expect(text(await c.call('CLIENT', 'NO-TOUCH', 'maybe'))).toBe('-ERR syntax error\r\n');
    expect(text(await c.call('CLIENT', 'SETINFO', 'lib-name', 'mylib'))).toBe('+OK\r\n');
    expect(text(await c.call('CLIENT', 'SETINFO', 'lib-ver', '1.2.3'))).toBe('+OK\r\n');
    expect(text(await c.call('CLIENT', 'SETINFO', 'lib-ver', 'has space'))).toBe('-ERR lib-ver cannot contain spaces, newlines or special characters.\r\n');
    expect(text(await c.call('CLIENT', 'SETINFO', 'nosuch', 'x'))).toBe("-ERR Unrecognized option 'nosuch'\r\n");
    expect(text(await c.call('CLIENT', 'INFO'))).toMatch(/ lib-name=mylib lib-ver=1\.2\.3\n\r\n$/);
    c.close();
  });

  it('HELLO before AUTH names the HELLO <proto> AUTH syntax (7.0 omitted <proto>)', async () => {
    const admin = await connect();
    await admin.call('CONFIG', 'SET', 'requirepass', 'secret');
    const c = await connect();
    expect(text(await c.call('HELLO', '3'))).toBe(
      '-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n',
    );
    expect(text(await c.call('GET', 'k'))).toBe('-NOAUTH Authentication required.\r\n');
    expect(elements(await c.call('HELLO', '3', 'AUTH', 'default', 'secret')).type).toBe('%');
    expect(text(await c.call('GET', 'nosuch'))).toBe('_\r\n');
    await admin.call('CONFIG', 'SET', 'requirepass', '');
    c.close();
    admin.close();
  });

  it('COMMAND INFO shows ECHO with the loading and stale flags', async () => {
    const c = await connect();
    const entry = elements(elements(await c.call('COMMAND', 'INFO', 'echo')).items[0]).items;
    expect(text(entry[2])).toBe('*3\r\n+loading\r\n+stale\r\n+fast\r\n');
    c.close();
  });
});
