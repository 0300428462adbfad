/**
 * The stream family against a real redis-server: every command, its options
 * and its errors, byte for byte, in RESP2 and RESP3. Scripts use explicit
 * IDs; where an ID comes from the clock (`*`) or a reply carries an idle
 * time, the reply is checked for its shape and compared as that. XINFO
 * CONSUMERS and XINFO STREAM FULL carry 7.2-only fields (`inactive`,
 * `active-time`) and times. Where the 7.0 oracle differs from 7.2, ferrokv
 * follows 7.2 and the cargo tests assert it: XSETID's check against the
 * max deleted ID, the `Unbalanced 'xread'` error, HELP's last line
 * ("Print this help."), and a blocked XREAD/XREADGROUP being re-run when
 * woken (a group reader told its group went; WRONGTYPE from another key).
 */
import { describe, expect, it } from 'vitest';

import { compareScripts, lines, type Script, sortedScan, type Step, usePair } from '../support/diff';
import { type Endpoint, RawClient } from '../support/raw';
import { elements, show } from '../support/resp';

const pair = usePair();

/** A bulk reply holding a `ms-seq` ID, shown as its shape. */
function streamId(reply: Buffer): string {
  return /^\$\d+\r\n\d+-\d+\r\n$/.test(reply.toString('latin1')) ? '<id>' : show(reply);
}

/**
 * XPENDING's extended rows with each idle time (the third field) checked to
 * be a small non-negative integer and shown as `:<idle>`.
 */
function pendingRows(reply: Buffer): string {
  if (reply[0] !== 0x2a) return show(reply);
  const { header, items } = elements(reply);
  const rows = items.map((row) => {
    const [id, consumer, idle, count] = elements(row).items;
    const ms = Number(idle.toString('latin1').slice(1, -2));
    const shownIdle = ms >= 0 && ms < 60_000 ? ':<idle>' : `bad idle ${show(idle)}`;
    return [show(id), show(consumer), shownIdle, show(count)].join(' ');
  });
  return `${header.trim()} ${rows.join(' | ')}`;
}

const id = (args: string): Step => ({ args: args.split(' '), normalize: streamId });
const pending = (args: string): Step => ({ args: args.split(' '), normalize: pendingRows });

/** XADD key i-0 f i for i in 1..n. */
function filled(key: string, n: number): string[][] {
  return Array.from({ length: n }, (_, i) => ['XADD', key, `${i + 1}-0`, 'f', String(i + 1)]);
}

const scripts: Record<string, Script> = {
  'XADD with explicit IDs and its errors': lines(`
    XADD s 1-1 a 1 b 2
    XADD s 1-2 a 3 b 4
    XADD s 1-* a 5
    XADD s 2 c 6
    XADD s 2 c 6
    XADD s 1-5 c 6
    XADD s 0-0 x y
    XADD s 0-* x y
    XADD s 3-0 x
    XADD s 3-0 x y z
    XADD s NOMKSTREAM 5-1 f v
    XADD nokey NOMKSTREAM 5-1 f v
    EXISTS nokey
    XADD s MAXLEN
    XADD s MAXLEN 2
    XADD s MAXLEN -1 * f v
    XADD s MAXLEN 2 MINID 1 * f v
    XADD s LIMIT 10 * f v
    XADD s MAXLEN 10 LIMIT 10 * f v
    XADD s MAXLEN ~ 10 LIMIT -1 * f v
    XADD s MAXLEN x * f v
    XADD s MINID bad * f v
    XADD s bad f v
    XADD s 1-2-3 f v
    XADD s 007-01 f v
    XADD s 18446744073709551616 f v
    XADD s 18446744073709551615-18446744073709551615 f v
    XADD s * f v
    XADD s 18446744073709551615-* f v
    XLEN s
    XRANGE s - +
    SET str x
    XADD str * a b
    XLEN str
  `),
  'XADD * takes its IDs from the clock': [
    id('XADD s * f v'),
    id('XADD s * f v'),
    id('XADD s NOMKSTREAM MAXLEN = 1 * f v'),
    ['XLEN', 's'],
    ['XADD', 's', '9999999999999-5', 'f', 'v'],
    ['XADD', 's', '*', 'f', 'v'],
    ['XADD', 's', '9999999999999-*', 'f', 'v'],
  ],
  'XRANGE XREVRANGE and their intervals': [
    ...filled('s', 6),
    ...lines(`
      XADD s 6-1 other 1 f 2
      XADD s 6-2 f ""
      XRANGE s - +
      XRANGE s (1-0 (4-0
      XRANGE s (1 (4
      XRANGE s 2 2
      XRANGE s 6 6
      XRANGE s 6-1 +
      XRANGE s - + COUNT 2
      XRANGE s - + COUNT 0
      XRANGE s - + COUNT -1
      XRANGE s - + COUNT
      XRANGE s - + COUNT x
      XRANGE s - + FOO 1
      XREVRANGE s + - COUNT 2
      XREVRANGE s (6-2 (1-0
      XREVRANGE s + -
      XRANGE s 3 1
      XRANGE s (18446744073709551615-18446744073709551615 +
      XRANGE s - (0-0
      XREVRANGE s (0 -
      XRANGE s ( +
      XRANGE s (- +
      XRANGE s - (+
      XRANGE s abc +
      XRANGE nokey - +
      XREVRANGE nokey + -
      XLEN nokey
      SET str x
      XRANGE str - +
      XRANGE s -
    `),
  ],
  'XDEL and the first and max-deleted IDs': [
    ...filled('s', 5),
    ...lines(`
      XDEL s 1-0 1-0 9-9
      XDEL s bad
      XDEL s 2-0 bad
      XDEL nokey bad
      XRANGE s - +
      XINFO STREAM s
      XDEL s 3-0 5-0
      XINFO STREAM s
      XDEL s 2-0 4-0
      XINFO STREAM s
      XLEN s
      EXISTS s
      XADD s 6-0 f v
      XINFO STREAM s
      SET str x
      XDEL str 1-0
    `),
  ],
  'XTRIM exact and approximate, nodes and LIMIT': [
    ...filled('s', 250),
    ...lines(`
      XINFO STREAM s
      XTRIM s MAXLEN ~ 240
      XTRIM s MAXLEN ~ 0 LIMIT 50
      XTRIM s MAXLEN ~ 0 LIMIT 100
      XINFO STREAM s
      XTRIM s MAXLEN 140
      XTRIM s MINID ~ 190
      XTRIM s MINID = 195
      XINFO STREAM s
      XTRIM s MINID 1000
      XINFO STREAM s
      XTRIM s
      XTRIM s FOO 1
      XTRIM s MAXLEN
      XTRIM s MAXLEN -1
      XTRIM s MAXLEN 1 LIMIT 5
      XTRIM s LIMIT 5
      XTRIM s MAXLEN 1 MINID 1
      XTRIM s NOMKSTREAM MAXLEN 1
      XTRIM nokey MAXLEN 1
      XADD s MAXLEN 0 7-0 f v
      XLEN s
    `),
  ],
  'nodes split by stream-node-max-entries and -bytes': [
    ['CONFIG', 'SET', 'stream-node-max-entries', '5'],
    ['CONFIG', 'SET', 'stream-node-max-bytes', '100'],
    ...Array.from({ length: 40 }, (_, i) => ['XADD', 'b', `${i + 1}-${i + 1}`, `f${i % 2}`, 'x'.repeat((i + 1) * 3)]),
    ['XINFO', 'STREAM', 'b'],
    ['XTRIM', 'b', 'MAXLEN', '~', '20'],
    ['XINFO', 'STREAM', 'b'],
    ['XDEL', 'b', '30-30', '31-31', '32-32'],
    ['XINFO', 'STREAM', 'b'],
    ['CONFIG', 'SET', 'stream-node-max-entries', '0'],
    ['CONFIG', 'SET', 'stream-node-max-bytes', '0'],
    ...Array.from({ length: 30 }, (_, i) => ['XADD', 'c', `${i + 1}-0`, 'n', String(i * 1000), 'm', `-${i}`]),
    ['XINFO', 'STREAM', 'c'],
    ['XTRIM', 'c', 'MAXLEN', '~', '3'],
    ['CONFIG', 'SET', 'stream-node-max-entries', '100'],
    ['CONFIG', 'SET', 'stream-node-max-bytes', '4096'],
  ],
  'XGROUP CREATE SETID DESTROY CREATECONSUMER DELCONSUMER': lines(`
    XGROUP CREATE s g $
    XGROUP CREATE s g $ MKSTREAM
    XGROUP CREATE s g $ MKSTREAM
    XGROUP CREATE s g2 0 ENTRIESREAD 0
    XGROUP CREATE s g3 0 ENTRIESREAD -2
    XGROUP CREATE s g3 0 ENTRIESREAD x
    XGROUP CREATE s g3 0 FOO
    XGROUP CREATE s g3 bad
    XGROUP CREATE s g3 + MKSTREAM
    XGROUP SETID s nog 0
    XGROUP SETID nokey g 0
    XGROUP SETID s g 5-5 ENTRIESREAD 3
    XGROUP SETID s g 5-5 MKSTREAM
    XGROUP SETID s g -
    XGROUP CREATECONSUMER s nog c
    XGROUP CREATECONSUMER s g c
    XGROUP CREATECONSUMER s g c
    XGROUP DELCONSUMER s g c
    XGROUP DELCONSUMER s g c
    XGROUP DESTROY s nog
    XGROUP DESTROY s g2
    XGROUP DESTROY nokey g
    XINFO GROUPS s
    XGROUP help extra
    XGROUP FOO
    XGROUP FOO s g
    XGROUP CREATE s
    XGROUP DESTROY s g extra
    SET str x
    XGROUP CREATE str g $
    XGROUP CREATE str g $ MKSTREAM
    XINFO GROUPS nokey
    XINFO GROUPS str
    TYPE s
  `),
  'XREADGROUP XACK and the group counters': [
    ...filled('s', 3),
    ...lines(`
      XGROUP CREATE s g 0
      XGROUP CREATE s g4 0 ENTRIESREAD 2
      XINFO GROUPS s
      XREADGROUP GROUP g alice COUNT 2 STREAMS s >
      XREADGROUP GROUP g bob STREAMS s >
      XREADGROUP GROUP g bob STREAMS s >
      XREADGROUP GROUP g alice STREAMS s 0
      XREADGROUP GROUP g alice COUNT 1 STREAMS s 1-0
      XINFO GROUPS s
      XACK s g 1-0 9-0
      XACK s g bad
      XACK s nog bad
      XACK nokey g 1-0
      XDEL s 2-0
      XREADGROUP GROUP g alice STREAMS s 0
      XINFO GROUPS s
      XADD s 4-0 f 4
      XADD s 5-0 f 5
      XDEL s 4-0
      XINFO GROUPS s
      XREADGROUP GROUP g carol NOACK STREAMS s >
      XINFO GROUPS s
      XREADGROUP GROUP g4 dave STREAMS s >
      XINFO GROUPS s
      XGROUP SETID s g 0
      XINFO GROUPS s
      XGROUP SETID s g $ ENTRIESREAD 5
      XINFO GROUPS s
      XTRIM s MAXLEN 0
      XINFO GROUPS s
      XREADGROUP GROUP g alice STREAMS s 0
      XREADGROUP GROUP g alice STREAMS s $
      XREADGROUP GROUP nog c STREAMS s >
      XREADGROUP GROUP g c STREAMS nokey >
      XREADGROUP GROUP g c STREAMS s
      XREADGROUP COUNT 1 NOACK STREAMS s >
      XREADGROUP GROUP g c COUNT x STREAMS s >
      XREADGROUP GROUP g c BLOCK x STREAMS s >
      XREADGROUP GROUP g c FOO STREAMS s >
      XREADGROUP GROUP g c STREAMS s bad
      SET str x
      XREADGROUP GROUP g c STREAMS str >
      XREADGROUP GROUP g c STREAMS s str > >
    `),
  ],
  'XREAD without blocking': [
    ...filled('s', 3),
    ...lines(`
      XADD other 5-0 f 5
      XREAD STREAMS s 0
      XREAD COUNT 1 STREAMS s nokey other 1 0 0
      XREAD COUNT 0 STREAMS s 0
      XREAD COUNT -5 STREAMS s 1
      XREAD STREAMS s $
      XREAD STREAMS s 3
      XREAD STREAMS s 2-18446744073709551615
      XREAD STREAMS s +
      XREAD STREAMS s -
      XREAD STREAMS s bad
      XREAD STREAMS s >
      XREAD GROUP g c STREAMS s 0
      XREAD NOACK STREAMS s 0
      XREAD STREAMS s
      XREAD BLOCK -1 STREAMS s 0
      XREAD BLOCK x STREAMS s 0
      XREAD BLOCK 0 STREAMS s 0
      XREAD COUNT x STREAMS s 0
      XREAD FOO STREAMS s 0
      XREAD COUNT 1 s 0
      XREAD COUNT 1 BLOCK
      SET str x
      XREAD STREAMS str 0
      XREAD STREAMS s str 0 0
    `),
  ],
  'XPENDING XCLAIM XAUTOCLAIM': [
    ...filled('s', 4),
    ['XGROUP', 'CREATE', 's', 'g', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '3', 'STREAMS', 's', '>'],
    ['XPENDING', 's', 'g'],
    ['XCLAIM', 's', 'g', 'bob', '0', '1-0', '2-0'],
    pending('XPENDING s g - + 10'),
    ['XCLAIM', 's', 'g', 'bob', '0', '4-0', 'JUSTID'],
    ['XCLAIM', 's', 'g', 'bob', '0', '4-0', 'FORCE', 'JUSTID'],
    ['XCLAIM', 's', 'g', 'carol', '0', '3-0', 'RETRYCOUNT', '7', 'JUSTID'],
    ['XCLAIM', 's', 'g', 'carol', '0', '3-0', 'RETRYCOUNT', '-5'],
    ['XCLAIM', 's', 'g', 'carol', '3600000', '3-0'],
    ['XCLAIM', 's', 'g', 'carol', '0', '3-0', 'IDLE', '3600000', 'JUSTID'],
    ['XCLAIM', 's', 'g', 'erin', '3000000', '3-0'],
    pending('XPENDING s g - + 10'),
    pending('XPENDING s g IDLE 3000000 - + 10'),
    ...lines(`
      XCLAIM s g carol 0 1-0 bad
      XCLAIM s g carol 0 1-0 LASTID 9-0 JUSTID
      XINFO GROUPS s
      XCLAIM s g carol 0 bad
      XCLAIM s g carol x 1-0
      XCLAIM s g carol 0 1-0 IDLE x
      XCLAIM s g carol 0 1-0 TIME x
      XCLAIM s g carol 0 1-0 RETRYCOUNT x
      XCLAIM s g carol 0 1-0 LASTID bad
      XCLAIM s nog carol 0 1-0
      XCLAIM nokey g carol 0 1-0
      XDEL s 2-0
      XCLAIM s g carol 0 2-0
      XPENDING s g
      XAUTOCLAIM s g dave 0 0 COUNT 1
      XAUTOCLAIM s g dave 0 0 COUNT 1 JUSTID
      XAUTOCLAIM s g dave 0 (3-0
      XAUTOCLAIM s g dave 3600000 0
      XAUTOCLAIM s g dave 0 0 COUNT 0
      XAUTOCLAIM s g dave 0 0 COUNT x
      XAUTOCLAIM s g dave 0 0 FOO
      XAUTOCLAIM s nog dave 0 0
      XAUTOCLAIM nokey g dave 0 0
      XAUTOCLAIM s g dave x 0
      XAUTOCLAIM s g dave 0 bad
      XAUTOCLAIM s g dave 0 (18446744073709551615-18446744073709551615
    `),
    pending('XPENDING s g - + 10 dave'),
    ...lines(`
      XPENDING s g - + 0
      XPENDING s g - + -1
      XPENDING s g - + 10 nobody
      XPENDING s g IDLE x - + 10
      XPENDING s g IDLE 0 - +
      XPENDING s g - + x
      XPENDING s g - +
      XPENDING s g (bad + 10
      XPENDING s g - (0-0 10
      XPENDING s g a b c d e f g
      XPENDING s nog
      XPENDING nokey g
      SET str x
      XPENDING str g
      XCLAIM str g c 0 1-0
      XAUTOCLAIM str g c 0 0
      XACK str g 1-0
    `),
    pending('XPENDING s g (1-0 + 10'),
    pending('XPENDING s g - (4-0 10 dave'),
  ],
  'XINFO STREAM and GROUPS': [
    ...filled('s', 3),
    ...lines(`
      XINFO STREAM s
      XGROUP CREATE s g 0
      XGROUP CREATE s a $
      XINFO STREAM s
      XINFO GROUPS s
      XINFO help extra
      XINFO FOO s
      XINFO STREAM s FOO
      XINFO STREAM s FULL COUNT
      XINFO STREAM s FULL COUNT x
      XINFO STREAM s FULL FOO 1
      XINFO STREAM nokey
      XINFO CONSUMERS s nog
      XINFO CONSUMERS nokey g
      XINFO CONSUMERS s g extra
      XINFO GROUPS s extra
      XINFO STREAM
      XTRIM s MAXLEN 0
      XINFO STREAM s
      SET str x
      XINFO STREAM str
    `),
  ],
  'a stream among the other families': [
    ...filled('s', 3),
    ...lines(`
      XGROUP CREATE s g 0
      TYPE s
      OBJECT ENCODING s
      COPY s c
      XGROUP DESTROY c g
      XINFO STREAM s
      XINFO STREAM c
      RENAME c r
      XRANGE r - +
      EXISTS c r
    `),
    { args: ['SCAN', '0', 'TYPE', 'stream'], normalize: sortedScan },
    ['DEL', 's', 'r'],
    ['EXISTS', 's'],
  ],
};

describe('streams: ferrokv replies byte for byte as redis-server', () => {
  compareScripts(() => pair(), scripts);
});

describe('blocking reads', () => {
  /** Runs `blocked` on one connection, then `writes` on another; returns the blocked reply and the writes'. */
  async function blockThenWrite(endpoint: Endpoint, setup: string[][], blocked: string[], writes: string[][]): Promise<string[]> {
    const [a, b] = await Promise.all([RawClient.connect(endpoint), RawClient.connect(endpoint)]);
    try {
      await b.call('FLUSHALL');
      for (const cmd of setup) await b.call(...cmd);
      a.write(Buffer.from(`*${blocked.length}\r\n${blocked.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join('')}`));
      // The blocked command must have reached the server before the writes.
      for (let i = 0; i < 500 && a.pending().length === 0 && !(await b.call('CLIENT', 'LIST')).toString('latin1').includes('flags=b'); i++) {
        await new Promise((r) => setTimeout(r, 5));
      }
      const out: string[] = [];
      for (const cmd of writes) out.push(show(await b.call(...cmd)));
      out.push(show(await a.reply()));
      return out;
    } finally {
      a.close();
      b.close();
    }
  }

  const cases: [string, string[][], string[], string[][]][] = [
    ['XREAD BLOCK is served by XADD', [['XADD', 's', '1-0', 'f', 'v']], ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'], [['XADD', 's', '2-0', 'g', 'w']]],
    [
      'XREAD BLOCK on a missing key is served by the XADD that creates it',
      [],
      ['XREAD', 'BLOCK', '0', 'COUNT', '5', 'STREAMS', 'a', 's', '$', '$'],
      [['XADD', 's', '3-0', 'f', 'v']],
    ],
    [
      'XREADGROUP BLOCK is served by XADD and the entry becomes pending',
      [['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>'],
      [['XADD', 's', '5-0', 'f', 'v'], ['XPENDING', 's', 'g']],
    ],
    ['XREAD BLOCK times out with a null array', [['XADD', 's', '1-0', 'f', 'v']], ['XREAD', 'BLOCK', '20', 'STREAMS', 's', '$'], []],
  ];
  for (const [name, setup, blocked, writes] of cases) {
    it(name, async () => {
      const [ferro, redis] = await Promise.all([
        blockThenWrite(pair().ferroEndpoint, setup, blocked, writes),
        blockThenWrite(pair().redisEndpoint, setup, blocked, writes),
      ]);
      expect(ferro).toEqual(redis);
    });
  }
});
