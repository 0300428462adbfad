/**
 * Server commands whose replies are deterministic, and the errors every
 * command shares (unknown command or subcommand, wrong arity), against a real
 * redis-server, byte for byte, in RESP2 and RESP3. The arity scripts are
 * built from ferrokv's own command table, so every declared command is
 * exercised with too few and too many arguments.
 */
import { beforeAll, describe, expect, it } from 'vitest';

import { compareScripts, lines, type Script, sorted, sortedPairs, type Step, usePair } from '../support/diff';
import { RawClient } from '../support/raw';
import { type Arg, elements } from '../support/resp';

const pair = usePair();

/** `*2 :secs :usecs` → the shape, after checking both are decimal strings. */
function timeShape(reply: Buffer): string {
  const m = /^\*2\r\n\$(\d+)\r\n(\d+)\r\n\$(\d+)\r\n(\d+)\r\n$/.exec(reply.toString('latin1'));
  if (!m) return `not a TIME reply: ${JSON.stringify(reply.toString('latin1'))}`;
  return Number(m[2]) > 1_600_000_000 && Number(m[4]) < 1_000_000 ? 'TIME [unix seconds, microseconds]' : `bad TIME ${m[2]} ${m[4]}`;
}

const scripts: Record<string, Script> = {
  'ECHO PING TYPE DBSIZE OBJECT ENCODING': lines(`
    ECHO hi
    PING
    SET s abc
    SET n 42
    TYPE s
    TYPE n
    TYPE nosuch
    OBJECT ENCODING s
    OBJECT ENCODING n
    DBSIZE
    DEL s
    DBSIZE
  `),
  'TIME LASTSAVE shapes': [
    { args: ['TIME'], normalize: timeShape },
    { args: ['LASTSAVE'], normalize: (b) => (/^:\d{10}\r\n$/.test(b.toString()) ? 'LASTSAVE :<unix seconds>' : b) },
    ['TIME', 'x'],
    ['LASTSAVE', 'x'],
  ],
  'unknown commands': [
    ...lines(`
      NOSUCH
      NOSUCH a b c
      nosuch "with space" ""
      "" a
      "GET\\r\\nX" a
      GETT key
    `),
    ['NOSUCH', 'x'.repeat(200), 'y'],
    ['NOSUCH', 'a'.repeat(100), 'b'.repeat(100), 'c'],
    ['NOSUCH', ...Array.from({ length: 40 }, (_, i) => `arg${i}`)],
    ['N'.repeat(300)],
  ],
  'unknown subcommands': lines(`
    OBJECT nosuch
    OBJECT nosuch key
    CLIENT nosuch
    CONFIG nosuch
    COMMAND nosuch
    MEMORY nosuch
    object NoSuch
    OBJECT "a b"
  `),
  'COMMAND GETKEYS and LIST FILTERBY': [
    ...lines(`
      COMMAND GETKEYS SET a b
      COMMAND GETKEYS MSET a 1 b 2
      COMMAND GETKEYS GET a
      COMMAND GETKEYS DEL a b c
      COMMAND GETKEYS RENAME a b
      COMMAND GETKEYS NOSUCH a b
      COMMAND GETKEYS GET a b
      COMMAND GETKEYS PING x
      COMMAND INFO NoSuch
      COMMAND DOCS nosuch
      COMMAND LIST FOO
      COMMAND LIST FILTERBY
      COMMAND LIST FILTERBY FOO bar
      COMMAND LIST FILTERBY MODULE nosuch
      COMMAND COUNT x
    `),
    { args: ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'getr*'], normalize: sorted },
    { args: ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'incr*'], normalize: sorted },
    { args: ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'p?ttl'], normalize: sorted },
  ],
  'INFO with unknown sections': lines(`
    INFO nosuchsection
    INFO nosuch other
  `),
  'CONFIG GET and SET errors': [
    ...lines(`
      CONFIG GET nosuch
      CONFIG GET maxmemory
      CONFIG GET MAXMEMORY
      CONFIG GET maxmemory maxmemory
      CONFIG GET hash-max-ziplist-entries
      CONFIG GET
      CONFIG SET nosuch 1
      CONFIG SET hz abc
      CONFIG SET hz -1
      CONFIG SET hz 1.5
      CONFIG SET maxmemory abc
      CONFIG SET maxmemory -1
      CONFIG SET maxmemory 1xb
      CONFIG SET daemonize yes
      CONFIG SET databases 4
      CONFIG SET hz 10 hz 11
      CONFIG SET hz 10 HZ 11
      CONFIG SET hz
      CONFIG SET hz 10 maxmemory
      CONFIG SET maxmemory-policy foo
      CONFIG SET appendonly maybe
      CONFIG SET save "100 x"
      CONFIG SET save "100"
      CONFIG SET hz 11 nosuch 1
      CONFIG GET hz
      CONFIG SET hz 10
      CONFIG SET maxmemory 1gb
      CONFIG GET maxmemory
      CONFIG SET maxmemory 100mb
      CONFIG GET maxmemory
      CONFIG SET maxmemory 2GB
      CONFIG GET maxmemory
      CONFIG SET maxmemory 1k
      CONFIG GET maxmemory
      CONFIG SET maxmemory 0
      CONFIG SET maxmemory-policy ALLKEYS-LRU
      CONFIG GET maxmemory-policy
      CONFIG SET maxmemory-policy noeviction
      CONFIG SET loglevel verbose
      CONFIG GET loglevel
      CONFIG SET loglevel notice
      CONFIG SET include /tmp/x
      CONFIG SET rename-command a
      CONFIG GET include
      CONFIG RESETSTAT x
      CONFIG REWRITE x
      CONFIG HELP x
    `),
    // Several names or patterns: Redis replies in its dictionary's order.
    { args: ['CONFIG', 'GET', 'maxmemory-policy', 'hz'], normalize: sortedPairs },
    { args: ['CONFIG', 'GET', 'maxmemory*'], normalize: sortedPairs },
    { args: ['CONFIG', 'GET', 'lfu-*'], normalize: sortedPairs },
    { args: ['CONFIG', 'GET', 'list-*'], normalize: sortedPairs },
    { args: ['CONFIG', 'GET', 'active-expire-effort', 'lazyfree-*'], normalize: sortedPairs },
  ],
  'CONFIG SET values and their canonical forms': lines(`
    CONFIG SET client-output-buffer-limit "normal 1mb 2mb 3"
    CONFIG GET client-output-buffer-limit
    CONFIG SET client-output-buffer-limit "replica 1 2 3 pubsub 4 5 6"
    CONFIG GET client-output-buffer-limit
    CONFIG SET client-output-buffer-limit "slave 1"
    CONFIG SET client-output-buffer-limit "nosuch 1 2 3"
    CONFIG SET client-output-buffer-limit "normal 0 0 0 replica 268435456 67108864 60 pubsub 33554432 8388608 60"
    CONFIG GET client-output-buffer-limit
    CONFIG SET hash-max-listpack-entries -1
    CONFIG SET hash-max-ziplist-entries 100
    CONFIG GET hash-max-listpack-entries
    CONFIG SET hash-max-listpack-entries 512
    CONFIG SET notify-keyspace-events KEA
    CONFIG GET notify-keyspace-events
    CONFIG SET notify-keyspace-events Ex$
    CONFIG GET notify-keyspace-events
    CONFIG SET notify-keyspace-events "mnKg$lshzxetd"
    CONFIG GET notify-keyspace-events
    CONFIG SET notify-keyspace-events xyz
    CONFIG SET notify-keyspace-events ""
    CONFIG GET notify-keyspace-events
    CONFIG SET maxmemory-clients 10%
    CONFIG GET maxmemory-clients
    CONFIG SET maxmemory-clients 0
    CONFIG SET dir /nonexistent/dir
    CONFIG SET dbfilename x.rdb
    CONFIG SET proto-max-bulk-len 1k
    CONFIG SET client-query-buffer-limit 1
    CONFIG SET hz 0
    CONFIG GET hz
    CONFIG SET hz 1000
    CONFIG GET hz
    CONFIG SET hz 10
    CONFIG GET MaxMemory maxmemory
    CONFIG SET save "3600 1 300 100"
    CONFIG GET save
    CONFIG SET save ""
    CONFIG GET save
    CONFIG SET port abc
    CONFIG SET oom-score-adj-values "0 200 800"
    CONFIG GET oom-score-adj-values
    CONFIG SET slave-read-only yes
    CONFIG GET slave-read-only
    CONFIG SET maxmemory-policy allkeys-lfu
    CONFIG GET maxmemory-policy
    CONFIG SET maxmemory-policy noeviction
    CONFIG SET proto-max-bulk-len 2mb
    CONFIG GET proto-max-bulk-len
    CONFIG SET proto-max-bulk-len 512mb
    CONFIG SET requirepass ""
    CONFIG GET requirepass
  `),
  'DEBUG POPULATE, SLEEP, OBJECT errors': lines(`
    DEBUG POPULATE 3
    DBSIZE
    GET key:0
    GET key:2
    DEBUG POPULATE 3
    DBSIZE
    DEBUG POPULATE 2 pre 12
    GET pre:1
    DEBUG POPULATE 1 short 3
    GET short:0
    DEBUG POPULATE 0
    DEBUG POPULATE -1
    DEBUG POPULATE abc
    DEBUG POPULATE 3 p -2
    DEBUG POPULATE 3 p 2 x
    DEBUG SLEEP 0
    DEBUG SLEEP abc
    DEBUG OBJECT nosuch
    DEBUG ERROR "MYERR something failed"
    DEBUG FOO
    DEBUG
    DEBUG SET-ACTIVE-EXPIRE 1
    DEBUG PROTOCOL nosuch
    DEBUG PROTOCOL string
    DEBUG PROTOCOL integer
    DEBUG PROTOCOL null
    DEBUG PROTOCOL array
    DEBUG PROTOCOL set
    DEBUG PROTOCOL map
    DEBUG PROTOCOL true
    DEBUG PROTOCOL false
    DEBUG PROTOCOL double
    DEBUG PROTOCOL bignum
    DEBUG PROTOCOL verbatim
    DEBUG PROTOCOL attrib
  `),
  'SHUTDOWN errors': lines(`
    SHUTDOWN FOO
    SHUTDOWN ABORT
    SHUTDOWN NOSAVE SAVE
    SHUTDOWN SAVE NOSAVE
  `),
};

describe('server: ferrokv replies byte for byte as redis-server', () => {
  compareScripts(() => pair(), scripts);
});

/** Arguments that make `spec` fail its arity check, one step each side. */
function arityProbes(name: string, arity: number): Arg[][] {
  const words = name.split('|');
  const call = (argc: number) => [...words, ...Array.from({ length: Math.max(0, argc - words.length) }, (_, i) => `a${i}`)];
  const out: Arg[][] = [];
  if (arity > 0) {
    if (arity - 1 >= words.length) out.push(call(arity - 1));
    out.push(call(arity + 1));
  } else if (-arity - 1 >= words.length) {
    out.push(call(-arity - 1));
  }
  return out;
}

describe('arity errors for every command ferrokv declares', () => {
  let probes: Step[] = [];
  beforeAll(async () => {
    const client = await RawClient.connect(pair().ferroEndpoint);
    const info = elements(await client.call('COMMAND'));
    client.close();
    const specs: [string, number][] = [];
    for (const entry of info.items) {
      const [name, arity, , , , , , , , subs] = elements(entry).items;
      const parse = (b: Buffer) => b.toString('latin1').split('\r\n');
      specs.push([parse(name)[1], Number(parse(arity)[0].slice(1))]);
      for (const sub of elements(subs).items) {
        const [sname, sarity] = elements(sub).items;
        specs.push([parse(sname)[1], Number(parse(sarity)[0].slice(1))]);
      }
    }
    // SHUTDOWN with extra words is a syntax error, never a shutdown; QUIT closes.
    const skip = new Set(['quit', 'shutdown', 'reset', 'hello', 'client|kill', 'debug', 'client|no-touch', 'client|setinfo', 'zrank', 'zrevrank']);
    probes = specs
      .filter(([name]) => !skip.has(name))
      .sort()
      .flatMap(([name, arity]) => arityProbes(name, arity).map((args) => ({ args })));
  });

  it('covers the whole table', () => {
    expect(probes.length).toBeGreaterThan(100);
  });

  for (const resp3 of [false, true]) {
    it(`replies as redis-server${resp3 ? ' (RESP3)' : ''}`, async () => {
      const { ferro, redis } = await pair().run(probes, { resp3 });
      expect(ferro).toEqual(redis);
    });
  }
});

/**
 * What COMMAND INFO says of each command that both servers know: arity,
 * flags, legacy key positions and ACL categories. (Key specs and tips are
 * not declared in ferrokv's table yet; see the report of issue #2.)
 * Redis 7.2 changed COMMAND GETKEYS/GETKEYSANDFLAGS to arity -3 (7.0: -4) and
 * added CLIENT NO-TOUCH and CLIENT SETINFO; those are asserted for 7.2 in the
 * integration tests instead. ZRANK/ZREVRANK take 7.2's WITHSCORE (arity -3;
 * 7.0: 3), asserted in the zsets cargo tests. 7.2 dropped `noscript` from
 * the blocking commands (in a script they just do not block); their 7.2
 * declarations are asserted in the lists and zsets cargo tests. 7.2 puts
 * EVAL_RO, EVALSHA_RO and FCALL_RO in @scripting (7.0: only @slow), asserted
 * in the scripting cargo tests.
 */
describe('COMMAND INFO: arity, flags, key positions and ACL categories', () => {
  const ONLY_72 = new Set([
    'command|getkeys',
    'command|getkeysandflags',
    'client|no-touch',
    'client|setinfo',
    'zrank',
    'zrevrank',
    'blpop',
    'brpop',
    'blmove',
    'brpoplpush',
    'blmpop',
    'bzpopmin',
    'bzpopmax',
    'bzmpop',
    'eval_ro',
    'evalsha_ro',
    'fcall_ro',
  ]);

  async function summaries(endpoint: Parameters<typeof RawClient.connect>[0], names: string[]): Promise<string[]> {
    const client = await RawClient.connect(endpoint);
    try {
      const out: string[] = [];
      for (const name of names) {
        const entry = elements(await client.call('COMMAND', 'INFO', name)).items[0];
        if (entry[0] !== 0x2a) {
          out.push(`${name}: unknown`);
          continue;
        }
        const [, arity, flags, first, last, step, acl] = elements(entry).items;
        const words = (b: Buffer) => elements(b).items.map((i) => i.toString('latin1').slice(1, -2)).join(' ');
        const int = (b: Buffer) => b.toString('latin1').slice(1, -2);
        out.push(`${name}: arity=${int(arity)} flags=[${words(flags)}] keys=${int(first)},${int(last)},${int(step)} acl=[${words(acl)}]`);
      }
      return out;
    } finally {
      client.close();
    }
  }

  it('matches redis-server for every command ferrokv declares', async () => {
    const client = await RawClient.connect(pair().ferroEndpoint);
    const list = elements(await client.call('COMMAND', 'LIST')).items.map((b) => b.toString('latin1').split('\r\n')[1]);
    client.close();
    const names = list.filter((n) => !ONLY_72.has(n)).sort();
    expect(names.length).toBeGreaterThan(90);
    const [ferro, redis] = await Promise.all([summaries(pair().ferroEndpoint, names), summaries(pair().redisEndpoint, names)]);
    expect(ferro).toEqual(redis);
  });
});
