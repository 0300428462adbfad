/**
 * SLOWLOG and LATENCY against redis-server (and OBJECT FREQ's error under
 * a policy that does not count accesses): reply shapes, argument
 * trimming and errors. What only time decides (timestamps, durations,
 * latencies) and what differs by transport (the client address: ferrokv is
 * reached over TCP, redis-server over a unix socket) is masked; ids are
 * shown relative to the newest entry. The HELP texts are asserted in cargo
 * tests instead: 7.2 says "Print this help." where 7.0 says "Prints". LATENCY
 * DOCTOR's prose is ferrokv's own: only its reply type is compared.
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

/** An integer reply's value. */
const int = (b: Buffer): number => Number(b.toString('latin1').slice(1, -2));

/**
 * Checks each LATENCY HISTOGRAM distribution (bounds that grow, counts that
 * grow and end at the command's calls) and shows it without its timings.
 */
function maskHistogram(reply: Buffer): string {
  if (reply[0] === 0x2d) return reply.toString('latin1');
  const { header, items } = elements(reply);
  const shown = [header.trim()];
  for (let i = 0; i < items.length; i += 2) {
    const stats = elements(items[i + 1]);
    const [callsKey, calls, cdfKey, cdf] = stats.items;
    const steps = elements(cdf).items.map(int);
    const bounds = steps.filter((_, j) => j % 2 === 0);
    const counts = steps.filter((_, j) => j % 2 === 1);
    const rising = (xs: number[]): boolean => xs.every((x, j) => j === 0 || x > xs[j - 1]);
    const ok = counts.length > 0 && rising(bounds) && rising(counts) && counts[counts.length - 1] === int(calls);
    const key = (b: Buffer): string => JSON.stringify(b.toString('latin1'));
    shown.push(`${key(items[i])} ${stats.header.trim()} ${key(callsKey)} ${int(calls)} ${key(cdfKey)} ${ok ? 'rises to calls' : `bad ${steps.join(' ')}`}`);
  }
  return shown.join(' ');
}

/** INFO latencystats with each percentile's value masked, lines sorted (Redis's order is its hash table's). */
function maskLatencystats(reply: Buffer): string {
  const text = reply.toString('latin1').replace(/^[$=]\d+\r\n(txt:)?/, '');
  const rows = text.split('\r\n').filter(Boolean);
  const masked = rows.map((r) => r.replace(/=\d+\.\d{3}/g, '=<usec>'));
  return [masked[0], ...masked.slice(1).sort()].join(' | ');
}

/** A LATENCY GRAPH with its numbers masked: the layout stays. */
function maskGraph(reply: Buffer): string {
  return reply.toString('latin1').replace(/\d+/g, 'N');
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
    LATENCY GRAPH
    LATENCY GRAPH a b
    LATENCY GRAPH nosuch
    LATENCY DOCTOR x
  `),
  'latency graph and doctor of a recorded slow command': [
    ...lines(`
      LATENCY RESET
      CONFIG SET latency-monitor-threshold 1
      DEBUG SLEEP 0.01
    `),
    { args: ['LATENCY', 'GRAPH', 'command'], normalize: maskGraph },
    { args: ['LATENCY', 'DOCTOR'], normalize: (b) => `${b.toString('latin1', 0, 1)}${b.includes('txt:') ? ' txt' : ''}` },
    ...lines(`
      CONFIG SET latency-monitor-threshold 0
      LATENCY RESET
    `),
  ],
  'latency histograms per command': [
    ...lines(`
      CONFIG RESETSTAT
      SET k v
      SET k v
      GET k
    `),
    { args: ['LATENCY', 'HISTOGRAM', 'set'], normalize: maskHistogram },
    { args: ['LATENCY', 'HISTOGRAM', 'GET'], normalize: maskHistogram },
    { args: ['LATENCY', 'HISTOGRAM', 'config|resetstat'], normalize: maskHistogram },
    { args: ['LATENCY', 'HISTOGRAM', 'config'], normalize: maskHistogram },
    ...lines(`
      LATENCY HISTOGRAM nosuch
      LATENCY HISTOGRAM lpush
      LATENCY HISTOGRAM config|nosuch
      LATENCY HISTOGRAM config|get|x
    `),
  ],
  'INFO latencystats and its configuration': [
    ...lines(`
      CONFIG RESETSTAT
      SET k v
      GET k
    `),
    { args: ['INFO', 'latencystats'], normalize: maskLatencystats },
    ...lines(`
      CONFIG SET latency-tracking-info-percentiles "50.0 99 0 100 12.5"
      CONFIG GET latency-tracking-info-percentiles
    `),
    { args: ['INFO', 'latencystats'], normalize: maskLatencystats },
    ...lines(`
      CONFIG SET latency-tracking-info-percentiles ""
      CONFIG GET latency-tracking-info-percentiles
    `),
    { args: ['INFO', 'latencystats'], normalize: maskLatencystats },
    ...lines(`
      CONFIG SET latency-tracking-info-percentiles "50 101"
      CONFIG SET latency-tracking-info-percentiles "50 abc"
      CONFIG SET latency-tracking-info-percentiles -1
      CONFIG GET latency-tracking-info-percentiles
      CONFIG SET latency-tracking-info-percentiles "50 99 99.9"
      CONFIG SET latency-tracking no
      SET k v
    `),
    { args: ['INFO', 'latencystats'], normalize: maskLatencystats },
    ...lines(`
      CONFIG SET latency-tracking yes
    `),
  ],
};

const pair = usePair();

describe('SLOWLOG and LATENCY: as redis-server', () => {
  compareScripts(pair, SCRIPTS);
});
