/**
 * The buffers of finished socket reads do not pile up (ts/server/read-reclaim.ts):
 * the reclaimer's budget arithmetic, and a server taking tens of megabytes of
 * requests while holding only a few megabytes of ArrayBuffer memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from '../../ts/index';
import { READ_BUDGET, ReadReclaimer, youngCollector } from '../../ts/server/read-reclaim';
import { RawClient } from '../support/raw';
import { encodeCommand } from '../support/resp';
import { startFerro } from '../support/servers';

describe('ReadReclaimer', () => {
  it('asks for one collection each time the bytes read reach the budget', () => {
    let collections = 0;
    const reclaimer = new ReadReclaimer(() => collections++, 1000);
    reclaimer.noteRead(999);
    expect(collections).toBe(0);
    reclaimer.noteRead(1);
    expect(collections).toBe(1);
    // The count restarts after each collection: a large read still asks only once.
    reclaimer.noteRead(2500);
    expect(collections).toBe(2);
    reclaimer.noteRead(999);
    expect(collections).toBe(2);
    reclaimer.noteRead(1);
    expect(collections).toBe(3);
  });

  it('after a burst of at least the budget, the first idle tick collects the whole heap and releases memory once', () => {
    const kinds: (string | undefined)[] = [];
    let releases = 0;
    const reclaimer = new ReadReclaimer((kind) => kinds.push(kind), 1000);
    const release = () => releases++;
    reclaimer.noteRead(600);
    reclaimer.onTick(release);
    expect(releases).toBe(0); // reads during this tick: not idle yet
    reclaimer.onTick(release);
    expect(releases).toBe(0); // idle, but under the budget since the last release
    reclaimer.noteRead(600);
    reclaimer.onTick(release);
    reclaimer.onTick(release);
    expect(releases).toBe(1);
    // The budget's young collection while reading, then the idle one of the whole heap.
    expect(kinds).toEqual([undefined, 'major']);
    reclaimer.onTick(release);
    expect(releases).toBe(1);
  });

  it('counts what the core read natively toward a burst, with no young collections (no read buffers)', () => {
    const kinds: (string | undefined)[] = [];
    let releases = 0;
    const reclaimer = new ReadReclaimer((kind) => kinds.push(kind), 1000);
    const release = () => releases++;
    reclaimer.noteNativeRead(1500);
    reclaimer.onTick(release);
    expect(releases).toBe(0); // read during this tick
    reclaimer.noteNativeRead(0);
    reclaimer.onTick(release);
    expect(releases).toBe(1);
    expect(kinds).toEqual(['major']);
  });

  it('takes the young-generation collector of V8 without leaving gc on the global object', () => {
    const collect = youngCollector();
    expect(collect).toBeTypeOf('function');
    expect(() => collect?.()).not.toThrow();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});

describe('a server reading many megabytes', () => {
  let server: RunningServer;
  let client: RawClient;

  beforeAll(async () => {
    server = await startFerro();
    client = await RawClient.connect({ port: server.port });
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
  });

  it('holds no more than a few megabytes of dead read buffers', async () => {
    // One 1 MiB SET sent 48 times: the client reuses one Buffer and gets "+OK"
    // back, so nearly all new ArrayBuffer memory would be the server's reads.
    const request = encodeCommand(['SET', 'big', Buffer.alloc(1024 * 1024, 'v')]);
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 48; i++) {
      client.write(request);
      expect((await client.reply()).toString()).toBe('+OK\r\n');
    }
    const grown = process.memoryUsage().arrayBuffers - before;
    // Without reclaiming, the reads stay until V8 happens to collect (16 MiB or more here).
    expect(grown).toBeLessThan(READ_BUDGET + 8 * 1024 * 1024);
  });
});
