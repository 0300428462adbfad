/**
 * CLIENT PAUSE / UNPAUSE as clients see them, on ferrokv and redis-server
 * side by side: held commands are answered only once the pause ends (by
 * UNPAUSE or by its deadline), in order, while WRITE lets reads through.
 * Each step's transcript ("<client>: <reply>" in arrival order) must match.
 */
import { describe, expect, it } from 'vitest';

import { usePair } from '../support/diff';
import { type Endpoint, RawClient } from '../support/raw';
import { encodeCommand } from '../support/resp';

const pair = usePair();
const text = (b: Buffer) => b.toString('latin1');

/** Connects three clients: the one that pauses, a writer, a reader. */
async function trio(endpoint: Endpoint): Promise<[RawClient, RawClient, RawClient]> {
  return Promise.all([RawClient.connect(endpoint), RawClient.connect(endpoint), RawClient.connect(endpoint)]);
}

/** Whether `c` has any reply waiting: checked after a round trip on another connection. */
const nothingYet = (c: RawClient) => c.pending().length === 0;

async function writePauseScenario(endpoint: Endpoint): Promise<string[]> {
  const [admin, writer, reader] = await trio(endpoint);
  const out: string[] = [];
  try {
    out.push(`admin: ${text(await admin.call('FLUSHALL'))}`);
    out.push(`admin: ${text(await admin.call('CLIENT', 'PAUSE', '100000', 'WRITE'))}`);
    writer.write(Buffer.concat([encodeCommand(['SET', 'k', 'v']), encodeCommand(['GET', 'k'])]));
    reader.write(encodeCommand(['PUBLISH', 'ch', 'x']));
    // Reads flow: by the time this GET is answered the writer's SET has been seen and held.
    const admin2 = await RawClient.connect(endpoint);
    out.push(`reader2: ${text(await admin2.call('GET', 'k'))}`);
    out.push(`reader2: ${text(await admin2.call('EXISTS', 'k'))}`);
    const list = text(await admin2.call('CLIENT', 'LIST'));
    // Redis's side is reached over a unix socket (flag U): compare the other flags.
    const flags = (f: string) => f.replace('U', '') || 'N';
    out.push(`held flags: ${[...list.matchAll(/ flags=(\w+) .* cmd=([a-z|]+) /g)].map((m) => `${flags(m[1])}/${m[2]}`).sort().join(',')}`);
    out.push(`blocked_clients: ${/blocked_clients:(\d+)/.exec(text(await admin2.call('INFO', 'clients')))?.[1]}`);
    out.push(`writer waiting: ${nothingYet(writer)}, publisher waiting: ${nothingYet(reader)}`);
    out.push(`admin: ${text(await admin.call('CLIENT', 'UNPAUSE'))}`);
    out.push(`writer: ${(await writer.replies(2)).map(text).join('')}`);
    out.push(`publisher: ${text(await reader.reply())}`);
    admin2.close();
  } finally {
    for (const c of [admin, writer, reader]) c.close();
  }
  return out;
}

async function allPauseScenario(endpoint: Endpoint): Promise<string[]> {
  const [admin, other, third] = await trio(endpoint);
  const out: string[] = [];
  try {
    out.push(`admin: ${text(await admin.call('CLIENT', 'PAUSE', '300', 'ALL'))}`);
    other.write(encodeCommand(['PING']));
    // Even UNPAUSE waits under ALL: everything is answered once the deadline passes.
    third.write(encodeCommand(['CLIENT', 'UNPAUSE']));
    admin.write(encodeCommand(['ECHO', 'after']));
    out.push(`other: ${text(await other.reply())}`);
    out.push(`third: ${text(await third.reply())}`);
    out.push(`admin: ${text(await admin.reply())}`);
  } finally {
    for (const c of [admin, other, third]) c.close();
  }
  return out;
}

async function expiryScenario(endpoint: Endpoint): Promise<string[]> {
  const c = await RawClient.connect(endpoint);
  const out: string[] = [];
  try {
    for (const cmd of [['FLUSHALL'], ['SET', 'e', 'v', 'PX', '5'], ['SET', 'kept', 'v'], ['CLIENT', 'PAUSE', '100000', 'WRITE']]) out.push(text(await c.call(...cmd)));
    // Past the deadline (a wait, not a timing assertion).
    await new Promise((resolve) => setTimeout(resolve, 30));
    for (const cmd of [['GET', 'e'], ['EXISTS', 'e'], ['DBSIZE'], ['CLIENT', 'UNPAUSE'], ['GET', 'e'], ['DBSIZE']]) out.push(`${cmd.join(' ')} => ${text(await c.call(...cmd))}`);
  } finally {
    c.close();
  }
  return out;
}

const LIBRARY = [
  '#!lua name=pausetest',
  "redis.register_function{function_name='pt_ro', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}",
  "redis.register_function('pt_rw', function(keys) return redis.call('set', keys[1], 'w') end)",
].join('\n');

/** Scripts under a WRITE pause: those declared no-writes answer at once, the others wait for UNPAUSE. */
async function scriptsUnderPauseScenario(endpoint: Endpoint): Promise<string[]> {
  const [admin, held, reads] = await trio(endpoint);
  const out: string[] = [];
  try {
    for (const cmd of [['FLUSHALL'], ['FUNCTION', 'LOAD', 'REPLACE', LIBRARY], ['SET', 'k', 'v'], ['CLIENT', 'PAUSE', '100000', 'WRITE']]) {
      out.push(`admin: ${text(await admin.call(...cmd))}`);
    }
    held.write(encodeCommand(['EVAL', "return redis.call('set', KEYS[1], 'x')", '1', 'k']));
    const readOnly = [
      ['EVAL', "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", '1', 'k'],
      ['EVAL_RO', 'return 1', '0'],
      ['FCALL', 'pt_ro', '1', 'k'],
      ['FCALL_RO', 'pt_ro', '1', 'k'],
    ];
    for (const cmd of readOnly) out.push(`reads: ${cmd[0]} => ${text(await reads.call(...cmd))}`);
    const writer = await RawClient.connect(endpoint);
    writer.write(encodeCommand(['FCALL', 'pt_rw', '1', 'k2']));
    out.push(`reads: GET k2 => ${text(await reads.call('GET', 'k2'))}`);
    out.push(`held waiting: ${nothingYet(held)}, writer waiting: ${nothingYet(writer)}`);
    out.push(`admin: ${text(await admin.call('CLIENT', 'UNPAUSE'))}`);
    out.push(`held: ${text(await held.reply())}`);
    out.push(`writer: ${text(await writer.reply())}`);
    out.push(`admin: ${text(await admin.call('FUNCTION', 'DELETE', 'pausetest'))}`);
    writer.close();
  } finally {
    for (const c of [admin, held, reads]) c.close();
  }
  return out;
}

describe('CLIENT PAUSE: ferrokv as redis-server', () => {
  it('WRITE lets scripts declared no-writes through and holds the others', async () => {
    const p = pair();
    const [ferro, redis] = await Promise.all([scriptsUnderPauseScenario(p.ferroEndpoint), scriptsUnderPauseScenario(p.redisEndpoint)]);
    expect(ferro).toEqual(redis);
    expect(ferro).toContain('reads: FCALL => $1\r\nv\r\n');
    expect(ferro).toContain('held waiting: true, writer waiting: true');
  });

  it('expiry is held: a key past its deadline reads as missing but stays until the pause ends', async () => {
    const p = pair();
    const [ferro, redis] = await Promise.all([expiryScenario(p.ferroEndpoint), expiryScenario(p.redisEndpoint)]);
    expect(ferro).toEqual(redis);
    expect(ferro).toContain('DBSIZE => :2\r\n');
    expect(ferro.at(-1)).toBe('DBSIZE => :1\r\n');
  });

  it('WRITE holds writes and PUBLISH, answers reads, and releases on UNPAUSE', async () => {
    const p = pair();
    const [ferro, redis] = await Promise.all([writePauseScenario(p.ferroEndpoint), writePauseScenario(p.redisEndpoint)]);
    expect(ferro).toEqual(redis);
    expect(ferro).toContain('writer: +OK\r\n$1\r\nv\r\n');
  });

  it('ALL holds every command, UNPAUSE included, until the deadline', async () => {
    const p = pair();
    const [ferro, redis] = await Promise.all([allPauseScenario(p.ferroEndpoint), allPauseScenario(p.redisEndpoint)]);
    expect(ferro).toEqual(redis);
    expect(ferro).toEqual(['admin: +OK\r\n', 'other: +PONG\r\n', 'third: +OK\r\n', 'admin: $5\r\nafter\r\n']);
  });
});
