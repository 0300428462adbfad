/**
 * Two-connection transcripts for pub/sub and keyspace notifications: a
 * subscriber and a second client run one script against a server, and every
 * reply and every push the subscriber receives is written down. After each
 * command the subscriber sends a PING and reads up to its reply, so all
 * pushes that command caused are collected without counting them: they were
 * queued on the subscriber's socket before the command's own reply was sent.
 */
import { type Endpoint, RawClient } from './raw';
import { type Arg, encodeCommand, show } from './resp';

/** One line of a script: which connection sends it, and the command. */
export type Line = ['sub' | 'pub', ...Arg[]];

export interface SubscriberRunOptions {
  resp3?: boolean;
  /** Commands the second client sends before the script (CONFIG SET …). */
  setup?: Arg[][];
}

function isPong(reply: Buffer): boolean {
  const text = reply.toString('latin1');
  return text === '+PONG\r\n' || text === '*2\r\n$4\r\npong\r\n$0\r\n\r\n';
}

/** Reads the subscriber's replies up to its PING's; returns what came before. */
async function drain(sub: RawClient): Promise<Buffer[]> {
  sub.write('*1\r\n$4\r\nPING\r\n');
  const got: Buffer[] = [];
  for (;;) {
    const reply = await sub.reply();
    if (isPong(reply)) return got;
    got.push(reply);
  }
}

export async function runSubscriberScript(endpoint: Endpoint, script: Line[], options: SubscriberRunOptions = {}): Promise<string[]> {
  const [sub, pub] = await Promise.all([RawClient.connect(endpoint), RawClient.connect(endpoint)]);
  try {
    await pub.call('FLUSHALL');
    for (const args of options.setup ?? []) await pub.call(...args);
    if (options.resp3) {
      await sub.call('HELLO', '3');
      await pub.call('HELLO', '3');
    }
    const out: string[] = [];
    for (const [who, ...args] of script) {
      const label = `${who}: ${args.map((a) => (Buffer.isBuffer(a) ? a.toString('latin1') : String(a))).join(' ')}`;
      if (who === 'pub') {
        out.push(`${label} => ${show(await pub.call(...args))}`);
        for (const push of await drain(sub)) out.push(`  sub <= ${show(push)}`);
      } else {
        sub.write(encodeCommand(args));
        const replies = await drain(sub);
        out.push(`${label} => ${replies.map(show).join(' | ')}`);
      }
    }
    return out;
  } finally {
    sub.close();
    pub.close();
  }
}
