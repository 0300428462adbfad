/**
 * Server and connection administration as a client sees it: SHUTDOWN,
 * CLIENT KILL, QUIT, RESET, databases, DEBUG POPULATE, INFO and COMMAND,
 * and the error replies every client library has to parse.
 */
import { connect as tcpConnect } from 'node:net';

import Redis from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from '../../ts/index';
import { RawClient } from '../support/raw';
import { startFerro } from '../support/servers';

let server: RunningServer;
let redis: Redis;
const clients: RawClient[] = [];

beforeAll(async () => {
  server = await startFerro({ config: { 'enable-debug-command': 'yes' } });
  redis = new Redis({ port: server.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
  await redis.flushall();
});
afterAll(async () => {
  redis?.disconnect();
  await server?.close();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

async function raw(): Promise<RawClient> {
  const c = await RawClient.connect({ port: server.port });
  clients.push(c);
  return c;
}
const text = (b: Buffer) => b.toString('latin1');

describe('connections', () => {
  it('QUIT replies OK and closes', async () => {
    const c = await raw();
    c.write('*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n');
    expect(text(await c.untilClosed())).toBe('+OK\r\n');
  });

  it('CLIENT KILL closes the other connection and leaves the caller alone', async () => {
    const victim = await raw();
    const id = /^:(\d+)/.exec(text(await victim.call('CLIENT', 'ID')))?.[1];
    const killer = await raw();
    expect(text(await killer.call('CLIENT', 'KILL', 'ID', id ?? ''))).toBe(':1\r\n');
    await victim.closed;
    expect(victim.isClosed).toBe(true);
    expect(text(await killer.call('PING'))).toBe('+PONG\r\n');
    expect(text(await killer.call('CLIENT', 'KILL', 'ID', id ?? ''))).toBe(':0\r\n');

    const second = await raw();
    const info = text(await second.call('CLIENT', 'INFO'));
    const addr = / addr=(\S+) /.exec(info)?.[1] ?? '';
    expect(text(await killer.call('CLIENT', 'KILL', addr))).toBe('+OK\r\n');
    await second.closed;
    expect(text(await killer.call('CLIENT', 'KILL', addr))).toBe('-ERR No such client\r\n');
  });

  it('CLIENT LIST shows every connection, named ones by name', async () => {
    const a = await raw();
    await a.call('CLIENT', 'SETNAME', 'lister-a');
    const list = text(await a.call('CLIENT', 'LIST'));
    expect(list).toMatch(/^\$\d+\r\nid=\d+ addr=127\.0\.0\.1:\d+ /);
    expect(list).toContain(' name=lister-a ');
    expect(list.split('\n').filter((l) => l.includes('id=')).length).toBeGreaterThanOrEqual(2);
  });

  it('RESET restores a fresh connection state', async () => {
    const c = await raw();
    await c.call('SELECT', '4');
    await c.call('CLIENT', 'SETNAME', 'temp');
    await c.call('HELLO', '3');
    expect(text(await c.call('RESET'))).toBe('+RESET\r\n');
    const info = text(await c.call('CLIENT', 'INFO'));
    expect(info).toContain(' name= ');
    expect(info).toContain(' db=0 ');
    expect(info).toContain(' resp=2 ');
  });
});

describe('databases', () => {
  it('SELECT, SWAPDB, DBSIZE, FLUSHDB and FLUSHALL', async () => {
    const c = await raw();
    await c.call('FLUSHALL');
    await c.call('MSET', 'a', '1', 'b', '2');
    await c.call('SELECT', '1');
    await c.call('SET', 'only-in-1', 'x');
    expect(text(await c.call('DBSIZE'))).toBe(':1\r\n');
    expect(text(await c.call('SWAPDB', '0', '1'))).toBe('+OK\r\n');
    // Still on index 1, which now holds what 0 had.
    expect(text(await c.call('DBSIZE'))).toBe(':2\r\n');
    expect(await redis.get('only-in-1')).toBe('x');
    expect(text(await c.call('SELECT', '16'))).toBe('-ERR DB index is out of range\r\n');
    expect(text(await c.call('FLUSHDB'))).toBe('+OK\r\n');
    expect(text(await c.call('DBSIZE'))).toBe(':0\r\n');
    expect(await redis.dbsize()).toBe(1);
    expect(text(await c.call('FLUSHALL'))).toBe('+OK\r\n');
    expect(await redis.dbsize()).toBe(0);
  });

  it('DEBUG POPULATE creates keys (with DEBUG enabled, as Redis requires)', async () => {
    await redis.flushall();
    expect(await redis.call('DEBUG', 'POPULATE', '1000', 'item', '8')).toBe('OK');
    expect(await redis.dbsize()).toBe(1000);
    expect(await redis.get('item:999')).toBe('value:99');
    expect(await redis.info('keyspace')).toContain('db0:keys=1000,expires=0,avg_ttl=0');
    await redis.flushall();
  });

  it('DEBUG is refused by default (enable-debug-command no)', async () => {
    const plain = await startFerro();
    try {
      const c = await RawClient.connect({ port: plain.port });
      expect(text(await c.call('DEBUG', 'POPULATE', '10'))).toMatch(/^-ERR DEBUG command not allowed\. If the enable-debug-command option is set to "local"/);
      expect(text(await c.call('DBSIZE'))).toBe(':0\r\n');
      c.close();
    } finally {
      await plain.close();
    }
  });
});

describe('INFO and COMMAND', () => {
  it('INFO reports a Redis 7.2 server, this process and the keyspace', async () => {
    await redis.flushall();
    await redis.set('k1', 'v', 'EX', 100);
    await redis.set('k2', 'v');
    const info = await redis.info();
    const field = (name: string) => new RegExp(`^${name}:(.*)\\r$`, 'm').exec(info)?.[1];
    expect(field('redis_version')).toMatch(/^7\.2\./);
    expect(field('redis_mode')).toBe('standalone');
    expect(field('tcp_port')).toBe(String(server.port));
    expect(field('process_id')).toBe(String(process.pid));
    expect(field('role')).toBe('master');
    expect(Number(field('connected_clients'))).toBeGreaterThanOrEqual(1);
    expect(Number(field('used_memory'))).toBeGreaterThan(0);
    expect(info).toMatch(/^# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=\d+\r\n/m);
    const server_ = await redis.info('server');
    expect(server_.startsWith('# Server\r\n')).toBe(true);
    expect(server_).not.toContain('# Clients');
  });

  it('COMMAND COUNT, COMMAND INFO and COMMAND DOCS come from one table', async () => {
    const count = (await redis.call('COMMAND', 'COUNT')) as number;
    const all = (await redis.call('COMMAND')) as unknown[];
    expect(count).toBe(all.length);
    const list = (await redis.call('COMMAND', 'LIST')) as string[];
    expect(list).toContain('get');
    const [get] = (await redis.call('COMMAND', 'INFO', 'get')) as [unknown[]];
    expect(get.slice(0, 7)).toEqual(['get', 2, ['readonly', 'fast'], 1, 1, 1, ['@read', '@string', '@fast']]);
    expect(await redis.call('COMMAND', 'INFO', 'nosuch')).toEqual([null]);
    const docs = (await redis.call('COMMAND', 'DOCS', 'set')) as unknown[];
    expect(docs[0]).toBe('set');
  });
});

describe('error replies', () => {
  it('names the unknown command and its first arguments', async () => {
    await expect(redis.call('FOOBAR', 'a', 'b c')).rejects.toThrow("ERR unknown command 'FOOBAR', with args beginning with: 'a' 'b c' ");
    await expect(redis.call('OBJECT', 'NOPE')).rejects.toThrow("ERR unknown subcommand 'NOPE'. Try OBJECT HELP.");
  });

  it('arity, integer, syntax and range errors', async () => {
    await expect(redis.call('GET')).rejects.toThrow("ERR wrong number of arguments for 'get' command");
    await expect(redis.call('GET', 'a', 'b')).rejects.toThrow("ERR wrong number of arguments for 'get' command");
    await expect(redis.call('CONFIG', 'GET')).rejects.toThrow("ERR wrong number of arguments for 'config|get' command");
    await expect(redis.call('INCRBY', 'n', 'x')).rejects.toThrow('ERR value is not an integer or out of range');
    await expect(redis.call('SET', 'k', 'v', 'NOPE')).rejects.toThrow('ERR syntax error');
    await expect(redis.call('SELECT', '99')).rejects.toThrow('ERR DB index is out of range');
    await expect(redis.call('EXPIRE', 'k', '10', 'NX', 'XX')).rejects.toThrow('ERR NX and XX, GT or LT options at the same time are not compatible');
    await expect(redis.call('GETRANGE', 'k', 'a', '1')).rejects.toThrow('ERR value is not an integer or out of range');
  });

  it('INFO errorstats counts errors by their code', async () => {
    await redis.config('RESETSTAT');
    await expect(redis.call('NOSUCH')).rejects.toThrow();
    await expect(redis.call('GET')).rejects.toThrow();
    expect(await redis.info('errorstats')).toBe('# Errorstats\r\nerrorstat_ERR:count=2\r\n');
  });
});

describe('SHUTDOWN', () => {
  it('closes the connection without a reply and stops the server', async () => {
    const own = await startFerro();
    const c = await RawClient.connect({ port: own.port });
    expect(text(await c.call('SHUTDOWN', 'NOSUCHOPTION'))).toBe('-ERR syntax error\r\n');
    c.write('*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n');
    expect(text(await c.untilClosed())).toBe('');
    const refused = await new Promise<boolean>((resolve) => {
      const s = tcpConnect({ host: '127.0.0.1', port: own.port });
      s.once('connect', () => {
        s.destroy();
        resolve(false);
      });
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    await own.close();
  });
});
