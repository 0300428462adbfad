/**
 * Scripts as applications use them through ioredis: defineCommand (EVALSHA
 * with a fallback to EVAL), a sliding rate limiter, a lock with a token,
 * FUNCTION libraries called with FCALL, errors surfacing as ReplyError,
 * -BUSY and SCRIPT KILL around a long script, redis.log in the server log.
 */
import Redis from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { FerroServer, loadConfig, type RunningServer } from '../../ts/index';
import { Logger } from '../../ts/log';
import { startFerro } from '../support/servers';

interface ScriptedRedis extends Redis {
  rateLimit(key: string, limit: number, windowSeconds: number): Promise<number>;
  unlock(key: string, token: string): Promise<number>;
  counters(a: string, b: string, by: number): Promise<[number, number]>;
}

let server: RunningServer;
let redis: ScriptedRedis;

beforeAll(async () => {
  server = await startFerro();
  redis = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 }) as ScriptedRedis;
  await redis.connect();
  redis.defineCommand('rateLimit', {
    numberOfKeys: 1,
    lua: `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if n > tonumber(ARGV[1]) then return 0 end
return 1`,
  });
  redis.defineCommand('unlock', {
    numberOfKeys: 1,
    lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
  });
  redis.defineCommand('counters', {
    numberOfKeys: 2,
    lua: `return {redis.call('INCRBY', KEYS[1], ARGV[1]), redis.call('INCRBY', KEYS[2], ARGV[1] * 2)}`,
  });
});
afterAll(async () => {
  redis?.disconnect();
  await server?.close();
});
beforeEach(async () => {
  await redis.flushall();
  await redis.script('FLUSH');
  await redis.function('FLUSH');
});

describe('defineCommand', () => {
  it('runs a rate limiter: allowed up to the limit, then refused, with a TTL set once', async () => {
    const results: number[] = [];
    for (let i = 0; i < 7; i++) results.push(await redis.rateLimit('rl:user1', 5, 60));
    expect(results).toEqual([1, 1, 1, 1, 1, 0, 0]);
    expect(await redis.get('rl:user1')).toBe('7');
    const ttl = await redis.ttl('rl:user1');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('falls back from EVALSHA to EVAL after SCRIPT FLUSH and keeps working', async () => {
    await redis.set('lock', 'token-1');
    expect(await redis.unlock('lock', 'other')).toBe(0);
    await redis.script('FLUSH');
    expect(await redis.unlock('lock', 'token-1')).toBe(1);
    expect(await redis.exists('lock')).toBe(0);
  });

  it('returns arrays of integers and runs in pipelines', async () => {
    const pipeline = redis.pipeline();
    for (let i = 0; i < 20; i++) (pipeline as unknown as ScriptedRedis).counters('a', 'b', 1);
    const replies = await pipeline.exec();
    expect(replies?.length).toBe(20);
    expect(replies?.[19]).toEqual([null, [20, 40]]);
  });

  it('sees a script error as a ReplyError naming the script', async () => {
    await redis.set('s', 'text');
    await expect(redis.eval("return redis.call('INCR', KEYS[1])", 1, 's')).rejects.toThrow(
      /^ERR value is not an integer or out of range script: [0-9a-f]{40}, on @user_script:1\.$/,
    );
    await expect(redis.eval('x = 1', 0)).rejects.toThrow(/Attempt to modify a readonly table/);
  });
});

describe('values', () => {
  it('converts Lua values as Redis does', async () => {
    expect(await redis.eval('return {1, 2.7, "x", false, {ok="fine"}}', 0)).toEqual([1, 2, 'x', null, 'fine']);
    expect(await redis.eval('return cjson.encode({a = {1, 2}})', 0)).toBe('{"a":[1,2]}');
    expect(await redis.eval("return cjson.decode(ARGV[1]).user.name", 0, JSON.stringify({ user: { name: 'ada' } }))).toBe('ada');
    expect(await redis.eval('return cmsgpack.unpack(ARGV[1])', 0, Buffer.from([0x93, 0x01, 0x02, 0xa1, 0x78]))).toEqual([1, 2, 'x']);
  });
});

describe('FUNCTION', () => {
  it('loads a library and calls its functions with FCALL and FCALL_RO', async () => {
    const code = `#!lua name=counters
redis.register_function('bump', function(keys, args) return redis.call('INCRBY', keys[1], args[1]) end)
redis.register_function{function_name='peek', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}}`;
    expect(await redis.function('LOAD', code)).toBe('counters');
    expect(await redis.fcall('bump', 1, 'c', 5)).toBe(5);
    expect(await redis.fcall('bump', 1, 'c', 2)).toBe(7);
    expect(await redis.fcall_ro('peek', 1, 'c')).toBe('7');
    await expect(redis.fcall_ro('bump', 1, 'c', 1)).rejects.toThrow(/Can not execute a script with write flag using \*_ro command/);
    const list = (await redis.function('LIST')) as unknown[];
    expect(list.length).toBe(1);
  });
});

describe('long scripts', () => {
  it('answers other clients -BUSY while a script runs past busy-reply-threshold, and SCRIPT KILL stops it', async () => {
    const other = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    await other.connect();
    try {
      expect(await redis.config('SET', 'busy-reply-threshold', '50')).toBe('OK');
      const running = redis.eval('local i = 0 while true do i = i + 1 end', 0).then(
        () => 'returned',
        (e: Error) => e.message,
      );
      // Wait until the script is past the threshold: others get BUSY.
      let reply = '';
      for (let i = 0; i < 200 && !reply.startsWith('BUSY'); i++) {
        reply = await other.get('x').then(String, (e: Error) => e.message);
      }
      expect(reply).toBe('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.');
      expect(await other.script('KILL')).toBe('OK');
      expect(await running).toMatch(/^ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.$/);
      expect(await other.get('x')).toBeNull();
      expect(await redis.ping()).toBe('PONG');
    } finally {
      await redis.config('SET', 'busy-reply-threshold', '5000');
      other.disconnect();
    }
  });

  it('finishes a long script that wrote, refusing SCRIPT KILL meanwhile', async () => {
    const other = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    await other.connect();
    try {
      await redis.config('SET', 'busy-reply-threshold', '20');
      const script = "redis.call('SET', 'progress', 'started')\nlocal t = 0\nfor i = 1, 30000000 do t = t + 1 end\nreturn t";
      const running = redis.eval(script, 0);
      let reply = '';
      for (let i = 0; i < 200 && !reply.startsWith('BUSY'); i++) {
        reply = await other.get('progress').then(String, (e: Error) => e.message);
      }
      if (reply.startsWith('BUSY')) {
        // Still running (unless it ended just now): it wrote, so it cannot be killed.
        const kill = await other.script('KILL').then(String, (e: Error) => e.message);
        expect(kill).toMatch(/^(UNKILLABLE Sorry the script already executed write commands|NOTBUSY No scripts in execution right now\.)/);
      }
      expect(await running).toBe(30000000);
      expect(await other.get('progress')).toBe('started');
    } finally {
      await redis.config('SET', 'busy-reply-threshold', '5000');
      other.disconnect();
    }
  });
});

describe('redis.log', () => {
  it('writes script lines to the server log at their level', async () => {
    const config = loadConfig({ directives: [{ name: 'port', args: ['0'] }, { name: 'bind', args: ['127.0.0.1'] }] });
    const logger = new Logger('debug', '', true);
    const logged: [string, string][] = [];
    const log = logger.log.bind(logger);
    logger.log = (level, msg) => {
      logged.push([level, msg]);
      log(level, msg);
    };
    const own = new FerroServer({ config, logger });
    await own.listen();
    const client = new Redis({ port: own.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await client.connect();
      await client.eval("redis.log(redis.LOG_WARNING, 'disk', 'is', 3, 'full') redis.log(redis.LOG_DEBUG, 'detail') return 1", 0);
      expect(logged).toContainEqual(['warning', 'disk is 3 full']);
      expect(logged).toContainEqual(['debug', 'detail']);
      await expect(client.eval("redis.log(9, 'x')", 0)).rejects.toThrow(/^ERR Invalid debug level\. script: /);
    } finally {
      client.disconnect();
      await own.close();
    }
  });
});
