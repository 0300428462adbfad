/**
 * Keyspace notifications against a real redis-server: with
 * notify-keyspace-events set, a subscriber to every keyspace and keyevent
 * channel watches a second client run writes of every family, and the
 * pushes it receives are compared byte for byte, in RESP2 and RESP3.
 */
import { describe, expect, it } from 'vitest';

import { usePair } from '../support/diff';
import { type Line, runSubscriberScript } from '../support/subscriber';

const pair = usePair();

const pub = (...args: string[]): Line => ['pub', ...args];

const scripts: Record<string, Line[]> = {
  strings: [
    pub('SET', 's', '1'),
    pub('SET', 's', '2', 'EX', '100'),
    pub('INCR', 's'),
    pub('INCRBYFLOAT', 's', '1.5'),
    pub('APPEND', 's', 'x'),
    pub('SETRANGE', 's', '0', 'ab'),
    pub('SETRANGE', 'n', '0', ''),
    pub('MSET', 'a', '1', 'b', '2'),
    pub('MSETNX', 'a', '1', 'c', '2'),
    pub('GETSET', 'a', '9'),
    pub('GETDEL', 'b'),
    pub('GETEX', 'a', 'EX', '50'),
    pub('GETEX', 'a', 'PERSIST'),
    pub('SETNX', 'a', 'x'),
  ],
  keys: [
    pub('SET', 'k', 'v'),
    pub('EXPIRE', 'k', '100'),
    pub('PERSIST', 'k'),
    pub('RENAME', 'k', 'k2'),
    pub('COPY', 'k2', 'k3'),
    pub('MOVE', 'k3', '1'),
    pub('DEL', 'k2', 'missing'),
    pub('SET', 'e', 'v'),
    pub('PEXPIREAT', 'e', '1'),
    pub('GET', 'missing'),
  ],
  lists: [
    pub('RPUSH', 'l', 'a', 'b', 'c', 'd'),
    pub('LPUSHX', 'l', 'z'),
    pub('RPUSHX', 'nolist', 'z'),
    pub('LSET', 'l', '0', 'y'),
    pub('LINSERT', 'l', 'AFTER', 'a', 'q'),
    pub('LREM', 'l', '0', 'q'),
    pub('LTRIM', 'l', '0', '3'),
    pub('LMOVE', 'l', 'm', 'LEFT', 'RIGHT'),
    pub('RPOPLPUSH', 'm', 'm'),
    pub('LPOP', 'l'),
    pub('LMPOP', '1', 'l', 'RIGHT', 'COUNT', '10'),
    pub('BLPOP', 'm', '0'),
  ],
  'hashes and sets': [
    pub('HSET', 'h', 'f', '1', 'g', '2'),
    pub('HSETNX', 'h', 'f', '1'),
    pub('HINCRBY', 'h', 'f', '5'),
    pub('HINCRBYFLOAT', 'h', 'g', '0.5'),
    pub('HDEL', 'h', 'f', 'g'),
    pub('SADD', 's', 'a', 'b', 'c'),
    pub('SADD', 's', 'a'),
    pub('SREM', 's', 'a'),
    pub('SMOVE', 's', 't', 'b'),
    pub('SPOP', 's'),
    pub('SINTERSTORE', 'u', 't'),
    pub('SDIFFSTORE', 'u', 'nothing'),
  ],
  'sorted sets and sort': [
    pub('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'),
    pub('ZADD', 'z', 'XX', '1', 'a'),
    pub('ZINCRBY', 'z', '1', 'a'),
    pub('ZADD', 'z', 'INCR', '1', 'b'),
    pub('ZREM', 'z', 'a', 'x'),
    pub('ZREMRANGEBYRANK', 'z', '0', '0'),
    pub('ZUNIONSTORE', 'zu', '1', 'z'),
    pub('ZRANGESTORE', 'zr', 'z', '0', '-1'),
    pub('ZPOPMIN', 'z'),
    pub('ZPOPMAX', 'z', '5'),
    pub('RPUSH', 'list', '3', '1', '2'),
    pub('SORT', 'list', 'STORE', 'sorted'),
    pub('SORT', 'nothing', 'STORE', 'sorted'),
  ],
};

/** Scripts run with other flags than KEA: key creation and misses, which "A" leaves out. */
const FLAGS: Record<string, string> = { 'new keys and misses': 'KEAnm', 'keyspace channels only, lists': 'Kl' };
scripts['new keys and misses'] = [
  pub('CONFIG', 'GET', 'notify-keyspace-events'),
  pub('RPUSH', 'l', 'a'),
  pub('SET', 'k', 'v'),
  pub('GET', 'missing'),
  pub('TYPE', 'missing'),
  pub('OBJECT', 'ENCODING', 'missing'),
  pub('COPY', 'k', 'c', 'DB', '3'),
  pub('MOVE', 'k', '2'),
  pub('RENAME', 'l', 'l2'),
  pub('LMOVE', 'l2', 'l3', 'LEFT', 'RIGHT'),
  pub('HINCRBY', 'h', 'f', '1'),
  pub('ZADD', 'z', '1', 'a'),
];
scripts['keyspace channels only, lists'] = [pub('SET', 'x', '1'), pub('LPUSH', 'l', 'a'), pub('RPOP', 'l'), pub('DEL', 'x')];

describe('keyspace notifications against redis-server', () => {
  for (const [name, script] of Object.entries(scripts)) {
    for (const resp3 of [false, true]) {
      it(`${name}${resp3 ? ' (RESP3)' : ''}`, async () => {
        const p = pair();
        const full: Line[] = [['sub', 'PSUBSCRIBE', '__key*__:*'], ...script];
        const options = { resp3, setup: [['CONFIG', 'SET', 'notify-keyspace-events', FLAGS[name] ?? 'KEA']] };
        const [ferro, redis] = await Promise.all([
          runSubscriberScript(p.ferroEndpoint, full, options),
          runSubscriberScript(p.redisEndpoint, full, options),
        ]);
        expect(ferro).toEqual(redis);
      });
    }
  }
});
