/**
 * ACL and AUTH against a real redis-server, byte for byte, in RESP2 and
 * RESP3. The oracle is 7.0, so what 7.2 changed is asserted elsewhere:
 * ACL LIST/GETUSER rule strings (7.2 adds sanitize-payload and keeps the
 * rules' order), NOPERM and DRYRUN refusal texts, ACL LOG's 7.2 fields and
 * ACL HELP's last line are in test/integration/acl.test.ts, checked
 * against strings taken from Redis 7.2.
 */
import { describe, expect, it } from 'vitest';

import { compareScripts, lines, type Script, type Step, usePair } from '../support/diff';
import { type Endpoint, RawClient } from '../support/raw';
import { elements, show } from '../support/resp';

const pair = usePair();

/** A GENPASS reply reduced to its length (the bytes are random). */
const genpassShape = (reply: Buffer): string => {
  const m = /^\$(\d+)\r\n([0-9a-f]*)\r\n$/.exec(reply.toString('latin1'));
  return m && m[2].length === Number(m[1]) ? `hex of length ${m[1]}` : `unexpected ${show(reply)}`;
};

const genpass = (bits?: string): Step => ({ args: ['ACL', 'GENPASS', ...(bits ? [bits] : [])], normalize: genpassShape });

const scripts: Record<string, Script> = {
  'SETUSER errors': lines(`
    ACL SETUSER u1 +nosuch
    ACL SETUSER u1 +@nosuch
    ACL SETUSER u1 -@nosuch
    ACL SETUSER u1 bogus
    ACL SETUSER u1 ~* ~foo
    ACL SETUSER u1 allkeys ~foo
    ACL SETUSER u1 &* &foo
    ACL SETUSER u1 allchannels &foo
    ACL SETUSER u1 <nopw
    ACL SETUSER u1 #abc
    ACL SETUSER u1 !abc
    ACL SETUSER u1 #E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855
    ACL SETUSER u1 +config|get|x
    ACL SETUSER u1 +config|
    ACL SETUSER u1 +select|
    ACL SETUSER u1 -select|0
    ACL SETUSER u1 +config|nosuch
    ACL SETUSER u1 +client|id|x
    ACL SETUSER u1 "(+get ~a"
    ACL SETUSER u1 "(+get" "~a"
    ACL SETUSER u1 "(+get" "~a)" "(+nosuch)"
    ACL SETUSER u1 %X~a
    ACL SETUSER u1 %RR~a
    ACL SETUSER u1 "~a b"
    ACL SETUSER "a b"
    ACL SETUSER u1 on +get ~a* bogus
    ACL GETUSER u1
    ACL USERS
  `),
  'DELUSER GETUSER USERS WHOAMI': lines(`
    ACL DELUSER default
    ACL DELUSER nosuch u1 default
    ACL DELUSER nosuch
    ACL GETUSER nosuch
    ACL SETUSER zed
    ACL SETUSER amy on nopass
    ACL USERS
    ACL DELUSER zed amy nosuch
    ACL USERS
    ACL WHOAMI
    ACL WHOAMI x
  `),
  'CAT GENPASS LOG LOAD SAVE and bad subcommands': [
    ...lines(`
      ACL CAT
      ACL CAT nosuch
      ACL CAT a b
      ACL GENPASS 0
      ACL GENPASS -1
      ACL GENPASS abc
      ACL GENPASS 4097
      ACL GENPASS 1 2
      ACL LOG abc
      ACL LOG 1 2
      ACL LOG RESET
      ACL LOG 0
      ACL LOG -5
      ACL LOG
      ACL LOAD
      ACL SAVE
      ACL nosuch
      ACL
      ACL HELP x
      ACL GETUSER
    `),
    genpass(),
    genpass('1'),
    genpass('5'),
    genpass('4096'),
  ],
  DRYRUN: lines(`
    ACL DRYRUN nosuch get a
    ACL DRYRUN default nosuch a
    ACL DRYRUN default get
    ACL DRYRUN default get a
    ACL DRYRUN default config get x
    ACL DRYRUN default config nosuch
    ACL DRYRUN default config
    ACL SETUSER dry on >pw +get +set +exists +lpush +client|id +select|0 ~a* %R~r* %W~w*
    ACL DRYRUN dry get a1
    ACL DRYRUN dry get r1
    ACL DRYRUN dry set w1 v
    ACL DRYRUN dry set a1 v
    ACL DRYRUN dry lpush w1 v
    ACL DRYRUN dry client id
    ACL DRYRUN dry select 0
    ACL DRYRUN dry exists w1 r1 a1
    ACL DELUSER dry
  `),
  'AUTH against users': lines(`
    ACL SETUSER dave on >pw1 >pw2 +@all ~*
    ACL SETUSER erin off >pw +@all ~*
    ACL SETUSER free on nopass +@all ~*
    AUTH dave nope
    AUTH dave pw2
    ACL WHOAMI
    AUTH dave pw1
    AUTH erin pw
    ACL WHOAMI
    AUTH free anything
    ACL WHOAMI
    AUTH nobody pw
    AUTH onlypassword
    AUTH default whatever
    ACL WHOAMI
    ACL SETUSER dave <pw1
    AUTH dave pw1
    AUTH dave pw2
    ACL SETUSER dave resetpass
    AUTH dave pw2
    ACL SETUSER dave nopass
    AUTH dave pw2
    ACL DELUSER dave erin free
  `),
};

describe('ACL: ferrokv replies byte for byte as redis-server', () => {
  compareScripts(() => pair(), scripts);
});

/** ACL LOG's newest entry without what time and transport decide (age, timestamps, the client line). */
function lastLogEntry(reply: Buffer): string {
  const entry = elements(elements(reply).items[0]).items.map((b) => b.toString('latin1').split('\r\n')[1]);
  const kept = ['count', 'reason', 'context', 'object', 'username'];
  const fields: string[] = [];
  for (let i = 0; i < entry.length; i += 2) if (kept.includes(entry[i])) fields.push(`${entry[i]}=${entry[i + 1]}`);
  const info = entry[entry.indexOf('client-info') + 1];
  fields.push(`client cmd=${/ cmd=(\S+)/.exec(info)?.[1]}`);
  return fields.join(' ');
}

/** A user's rules narrowed between queueing and EXEC: EXEC refuses the affected commands in its reply. */
async function execRecheckScenario(endpoint: Endpoint): Promise<string[]> {
  const [admin, user] = await Promise.all([RawClient.connect(endpoint), RawClient.connect(endpoint)]);
  const out: string[] = [];
  const say = (who: string, b: Buffer) => out.push(`${who}: ${b.toString('latin1')}`);
  try {
    say('admin', await admin.call('ACL', 'LOG', 'RESET'));
    say('admin', await admin.call('ACL', 'SETUSER', 'execbob', 'on', '>pw', '~*', '&*', '+@all'));
    say('user', await user.call('AUTH', 'execbob', 'pw'));
    for (const cmd of [['MULTI'], ['SET', 'a', '1'], ['GET', 'b'], ['PUBLISH', 'ch', 'x'], ['GET', 'a'], ['CONFIG', 'GET', 'maxmemory']]) say('user', await user.call(...cmd));
    say('admin', await admin.call('ACL', 'SETUSER', 'execbob', '-set', '-config', 'resetkeys', '~a', 'resetchannels'));
    say('user', await user.call('EXEC'));
    say('admin', Buffer.from(lastLogEntry(await admin.call('ACL', 'LOG', '1'))));
    say('admin', await admin.call('ACL', 'DELUSER', 'execbob'));
  } finally {
    admin.close();
    user.close();
  }
  return out;
}

describe('EXEC checks ACL permissions again', () => {
  it('refuses queued commands the user may no longer run, runs the rest, logs in the multi context', async () => {
    const p = pair();
    const ferro = await execRecheckScenario(p.ferroEndpoint);
    const redis = await execRecheckScenario(p.redisEndpoint);
    expect(ferro).toEqual(redis);
    expect(ferro.find((l) => l.startsWith('user: *5'))).toContain('-NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call.');
  });
});

/** Every command (with subcommands) a server lists, lower case. */
async function commandNames(endpoint: Endpoint): Promise<Set<string>> {
  const client = await RawClient.connect(endpoint);
  try {
    const names = elements(await client.call('COMMAND', 'LIST')).items.map((b) => b.toString('latin1').split('\r\n')[1]);
    return new Set(names);
  } finally {
    client.close();
  }
}

async function category(endpoint: Endpoint, name: string): Promise<string[]> {
  const client = await RawClient.connect(endpoint);
  try {
    return elements(await client.call('ACL', 'CAT', name)).items.map((b) => b.toString('latin1').split('\r\n')[1]);
  } finally {
    client.close();
  }
}

describe('ACL CAT <category>', () => {
  // ferrokv has a subset of Redis's commands (and 7.2 has some 7.0 lacks):
  // compare the members both servers implement.
  it('lists the same commands in every category', async () => {
    const [ferroNames, redisNames] = await Promise.all([commandNames(pair().ferroEndpoint), commandNames(pair().redisEndpoint)]);
    const both = (n: string) => ferroNames.has(n) && redisNames.has(n);
    const cats = elements(await (await RawClient.connect(pair().ferroEndpoint)).call('ACL', 'CAT')).items.map((b) => b.toString('latin1').split('\r\n')[1]);
    expect(cats).toHaveLength(21);
    let compared = 0;
    for (const cat of cats) {
      const [ferro, redis] = await Promise.all([category(pair().ferroEndpoint, cat), category(pair().redisEndpoint, cat)]);
      const f = ferro.filter(both).sort();
      const r = redis.filter(both).sort();
      expect({ cat, members: f }).toEqual({ cat, members: r });
      compared += f.length;
    }
    expect(compared).toBeGreaterThan(200);
  });
});
