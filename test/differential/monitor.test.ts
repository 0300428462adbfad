/**
 * MONITOR against a real redis-server: a monitor connection watches a
 * second client run a script, and the lines both servers stream are
 * compared with the timestamp and client address masked (they differ by
 * nature): quoting and escaping, the database, AUTH and HELLO secrets
 * shown as "(redacted)", admin commands and rejected commands left out.
 */
import { describe, expect, it } from 'vitest';

import { usePair } from '../support/diff';
import { type Endpoint, RawClient } from '../support/raw';
import type { Arg } from '../support/resp';

const pair = usePair();

const SYNC = 'monitor-sync';

/** The monitor's lines for each command of `script`, masked. */
async function monitorLines(endpoint: Endpoint, script: Arg[][]): Promise<string[]> {
  const [mon, client] = await Promise.all([RawClient.connect(endpoint), RawClient.connect(endpoint)]);
  try {
    await client.call('FLUSHALL');
    const out = [`MONITOR => ${(await mon.call('MONITOR')).toString('latin1').trim()}`];
    for (const args of script) {
      await client.call(...args);
      // ECHO is shown too: everything before it came from this command.
      await client.call('ECHO', SYNC);
      for (;;) {
        const line = (await mon.reply()).toString('latin1');
        if (line.endsWith(`"ECHO" "${SYNC}"\r\n`)) break;
        out.push(line.replace(/^\+\d+\.\d{6} \[(\d+) [^\]]+\]/, '+<time> [$1 <addr>]').trimEnd());
      }
    }
    return out;
  } finally {
    mon.close();
    client.close();
  }
}

const script: Arg[][] = [
  ['SET', 'k', 'a "quoted" value\n\t\\'],
  ['SET', 'bin', Buffer.from([0, 1, 7, 8, 0x7f, 0xff, 0x20])],
  ['GET', 'k'],
  ['SELECT', '3'],
  ['RPUSH', 'l', 'x'],
  ['BLPOP', 'l', '0'],
  ['AUTH', 'nopass-configured'],
  ['AUTH', 'default', 'secret'],
  ['HELLO', '2', 'AUTH', 'default', 'secret', 'SETNAME', 'watcher'],
  ['HELLO', '2', 'SETNAME', 'x'],
  ['CONFIG', 'GET', 'port'],
  ['CLIENT', 'GETNAME'],
  ['NOSUCHCOMMAND', 'a'],
  ['GET'],
  ['INCR', 'k'],
  ['PUBLISH', 'ch', 'm'],
];

describe('MONITOR against redis-server', () => {
  it('streams the same lines', async () => {
    const p = pair();
    const [ferro, redis] = await Promise.all([monitorLines(p.ferroEndpoint, script), monitorLines(p.redisEndpoint, script)]);
    expect(ferro).toEqual(redis);
  });
});
