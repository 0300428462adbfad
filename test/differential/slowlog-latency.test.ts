/**
 * SLOWLOG and LATENCY against redis-server (and OBJECT FREQ's error under
 * a policy that does not count accesses): reply shapes, argument
 * trimming and errors. What only time decides (timestamps, durations,
 * latencies) and what differs by transport (the client address: ferrokv is
 * reached over TCP, redis-server over a unix socket) is masked; ids are
 * shown relative to the newest entry. The HELP texts are asserted in cargo
 * tests instead: 7.2 says "Print this help." where 7.0 says "Prints", and
 * ferrokv's LATENCY HELP lists no DOCTOR, GRAPH or HISTOGRAM.
 */
import { describe } from 'vitest';

import { compareScripts, lines, type Script, type Step, usePair } from '../support/diff';
import { elements } from '../support/resp';

/** Masks a SLOWLOG GET reply's varying fields. */
function maskSlowlog(reply: Buffer): string {
  if (reply[0] === 0x2d) return reply.toString('latin1');
  const entries = elements(reply).items.map((e) => elements(e).items);
  const newest = entries.length ? Number(entries[0][0].toString('latin1').slice(1, -2)) : 0;
  const shown = entries.map(([id, time, duration, argv, addr, name]) => {
    const relative = newest - Number(id.toString('latin1').slice(1, -2));
    const ints = [time, duration].every((b) => b[0] === 0x3a) ? 'ints' : 'not ints';
    const addrShape = addr[0] === 0x24 ? 'bulk' : 'not a bulk';
    return `[id-${relative} time/duration:${ints} ${JSON.stringify(argv.toString('latin1'))} addr:${addrShape} name:${JSON.stringify(name.toString('latin1'))}]`;
  });
  return `${elements(reply).header.trim()} ${shown.join(' ')}`;
}

/** Masks the integers of LATENCY LATEST / HISTORY replies, keeping their shape. */
function maskLatency(reply: Buffer): string {
  return reply.toString('latin1').replace(/\r\n:\d+/g, '\r\n:<n>');
}

const slow = (args: string[]): Step => ({ args, normalize: maskSlowlog });
const latency = (args: string[]): Step => ({ args, normalize: maskLatency });

const big = 'x'.repeat(200);

const SCRIPTS: Record<string, Script> = {
  'slowlog entries, newest first, with client names': [
    ...lines(`
      CONFIG SET slowlog-log-slower-than 0
      SLOWLOG RESET
      SET k v
      CLIENT SETNAME worker
      GET k
      SLOWLOG LEN
    `),
    slow(['SLOWLOG', 'GET']),
    slow(['SLOWLOG', 'GET', '2']),
    slow(['SLOWLOG', 'GET', '0']),
    slow(['SLOWLOG', 'GET', '-1']),
    ...lines(`
      SLOWLOG LEN
      CONFIG SET slowlog-log-slower-than 10000
      SLOWLOG RESET
      SLOWLOG LEN
    `),
  ],
  'slowlog trims long commands and long arguments': [
    ...lines(`
      CONFIG SET slowlog-log-slower-than 0
      SLOWLOG RESET
    `),
    ['RPUSH', 'list', ...Array.from({ length: 40 }, (_, i) => (i % 2 ? big : String(i)))],
    ['SET', 'long', 'y'.repeat(129)],
    slow(['SLOWLOG', 'GET', '2']),
    ...lines(`
      CONFIG SET slowlog-log-slower-than 10000
      SLOWLOG RESET
    `),
  ],
  'slowlog max len and disabling': [
    ...lines(`
      CONFIG SET slowlog-log-slower-than 0
      CONFIG SET slowlog-max-len 2
      SLOWLOG RESET
      PING
      PING
      PING
      SLOWLOG LEN
      CONFIG SET slowlog-log-slower-than -1
      SLOWLOG RESET
      PING
      SLOWLOG LEN
      CONFIG SET slowlog-log-slower-than 10000
      CONFIG SET slowlog-max-len 128
    `),
  ],
  'slowlog errors and help': lines(`
    SLOWLOG GET -2
    SLOWLOG GET x
    SLOWLOG GET 1 2
    SLOWLOG LEN x
    SLOWLOG RESET x
    SLOWLOG
    SLOWLOG NOPE
    SLOWLOG HELP x
  `),
  'latency monitor off, then recording a slow command': [
    ...lines(`
      LATENCY RESET
      LATENCY LATEST
      LATENCY HISTORY command
      CONFIG SET latency-monitor-threshold 1
      DEBUG SLEEP 0.01
    `),
    latency(['LATENCY', 'LATEST']),
    latency(['LATENCY', 'HISTORY', 'command']),
    ...lines(`
      LATENCY HISTORY nosuch
      LATENCY RESET nosuch command
      LATENCY LATEST
      CONFIG SET latency-monitor-threshold 0
      LATENCY RESET
    `),
  ],
  'OBJECT FREQ needs an LFU maxmemory-policy': lines(`
    CONFIG SET maxmemory-policy allkeys-lru
    SET k v
    OBJECT FREQ k
    OBJECT FREQ nosuch
    CONFIG SET maxmemory-policy volatile-ttl
    OBJECT FREQ k
    CONFIG SET maxmemory-policy noeviction
    OBJECT FREQ k
  `),
  'latency errors': lines(`
    LATENCY
    LATENCY HISTORY
    LATENCY HISTORY a b
    LATENCY LATEST x
    LATENCY NOPE
  `),
};

const pair = usePair();

describe('SLOWLOG and LATENCY: as redis-server', () => {
  compareScripts(pair, SCRIPTS);
});
