/**
 * The differential harness: the same command script goes to ferrokv and to a
 * real redis-server, each on a fresh connection after FLUSHALL; the raw reply
 * bytes of every command are returned side by side, one readable line per
 * command, so `expect(ferro).toEqual(redis)` names the first command that
 * differs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';

import type { RunningServer } from '../../ts/index';
import { type Endpoint, RawClient } from './raw';
import { type Arg, encodeCommand, show, sortReply, sortScanReply } from './resp';
import { type RedisServer, startFerro, startRedis } from './servers';
import { splitArgs } from '../../ts/util/splitargs';

export interface Step {
  args: Arg[];
  /** Rewrites a reply whose order (or exact value) Redis leaves open. */
  normalize?: (reply: Buffer) => Buffer | string;
  /** The command gets no reply (CLIENT REPLY OFF/SKIP): send it and go on. */
  noReply?: boolean;
}

export type Script = (Arg[] | Step)[];

export interface RunOptions {
  /** Send `HELLO 3` first and run the script in RESP3. */
  resp3?: boolean;
  /** Skip the FLUSHALL that starts every run. */
  keepData?: boolean;
}

/** Replaces an integer reply by `:<shape>` after checking it is within [min, max]. */
export function intWithin(min: number, max: number): (reply: Buffer) => string {
  return (reply) => {
    const m = /^:(-?\d+)\r\n$/.exec(reply.toString('latin1'));
    if (!m) return `not an integer: ${show(reply)}`;
    const n = Number(m[1]);
    return n >= min && n <= max ? `:<${min}..${max}>` : `out of range ${n} (${min}..${max})`;
  };
}

export const sorted = (reply: Buffer): Buffer => sortReply(reply);
export const sortedPairs = (reply: Buffer): Buffer => sortReply(reply, true);
export const sortedScan = (reply: Buffer): Buffer => sortScanReply(reply);

/** An argument as a test diff shows it: bare when plain, quoted otherwise. */
function word(a: Arg): string {
  const s = Buffer.isBuffer(a) ? a.toString('latin1') : String(a);
  return /^[\x21-\x7e]+$/.test(s) ? s : JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…(${s.length})` : s);
}

export async function runScript(endpoint: Endpoint, script: Script, options: RunOptions = {}): Promise<string[]> {
  const client = await RawClient.connect(endpoint);
  try {
    if (!options.keepData) await client.call('FLUSHALL');
    if (options.resp3) await client.call('HELLO', '3');
    const lines: string[] = [];
    for (const item of script) {
      const step: Step = Array.isArray(item) ? { args: item } : item;
      const label = step.args.map(word).join(' ');
      if (step.noReply) {
        client.write(encodeCommand(step.args));
        lines.push(`${label} => (no reply)`);
        continue;
      }
      let reply: Buffer;
      try {
        reply = await client.call(...step.args);
      } catch (e) {
        lines.push(`${label} => ${(e as Error).message}`);
        break;
      }
      const shown = step.normalize ? step.normalize(reply) : reply;
      lines.push(`${label} => ${typeof shown === 'string' ? shown : show(shown)}`);
    }
    return lines;
  } finally {
    client.close();
  }
}

/** A ferrokv and a redis-server, started together and stopped together. */
/**
 * Starts a ferrokv and redis-server pair before a file's tests and stops it
 * after them; call the returned function to reach it inside a test.
 */
export function usePair(): () => Pair {
  let pair: Pair | undefined;
  beforeAll(async () => {
    pair = await Pair.start();
  });
  afterAll(async () => {
    await pair?.stop();
  });
  return () => {
    if (!pair) throw new Error('the server pair has not started');
    return pair;
  };
}

export class Pair {
  private constructor(
    readonly ferro: RunningServer,
    readonly redis: RedisServer,
  ) {}

  /** Both with DEBUG enabled (Redis 7 refuses it by default), as Redis's own test suite runs. */
  static async start(): Promise<Pair> {
    const [ferro, redis] = await Promise.all([
      startFerro({ config: { 'enable-debug-command': 'yes' } }),
      startRedis(['--enable-debug-command', 'yes']),
    ]);
    return new Pair(ferro, redis);
  }

  get ferroEndpoint(): Endpoint {
    return { port: this.ferro.port };
  }

  get redisEndpoint(): Endpoint {
    return { path: this.redis.path };
  }

  /** Runs the script on both; returns both transcripts. */
  async run(script: Script, options: RunOptions = {}): Promise<{ ferro: string[]; redis: string[] }> {
    const [ferro, redis] = await Promise.all([runScript(this.ferroEndpoint, script, options), runScript(this.redisEndpoint, script, options)]);
    return { ferro, redis };
  }

  async stop(): Promise<void> {
    await Promise.all([this.ferro.close(), this.redis.stop()]);
  }
}

/**
 * One test per script, in RESP2 and again in RESP3 (HELLO 3 first), each
 * asserting that ferrokv's transcript equals redis-server's.
 */
export function compareScripts(pair: () => Pair, scripts: Record<string, Script>, options: { resp3?: boolean } = { resp3: true }): void {
  for (const [name, script] of Object.entries(scripts)) {
    it(name, async () => {
      const { ferro, redis } = await pair().run(script);
      expect(ferro).toEqual(redis);
    });
    if (options.resp3) {
      it(`${name} (RESP3)`, async () => {
        const { ferro, redis } = await pair().run(script, { resp3: true });
        expect(ferro).toEqual(redis);
      });
    }
  }
}

/**
 * A script written one command a line, words split as redis-cli does
 * ("double quotes" with \xHH escapes, '' for an empty argument); lines
 * starting with # are comments. Arguments are bytes (latin1), so "\xff" is one byte.
 */
export function lines(text: string): Arg[][] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const words = splitArgs(l);
      if (!words) throw new Error(`unbalanced quotes in script line: ${l}`);
      return words.map((w) => Buffer.from(w, 'latin1'));
    });
}
