/**
 * Scripts over several connections at once, for behaviour that spans
 * clients (WATCH broken by another client, cache invalidations, waiters
 * served by a transaction). Each step runs on one named connection; its
 * transcript line holds every byte that connection received for it: pushes
 * that arrived since its last step, then the step's reply. A `(read)` step
 * sends only an ECHO marker and collects what came before its reply (pushes,
 * a served waiter's reply); never use it between MULTI and EXEC. `{id:name}` in a command stands for that
 * connection's CLIENT ID, and integer replies equal to a known connection's
 * id are shown as `:<id:name>`, since the two servers number differently.
 */
import type { Endpoint } from './raw';
import { RawClient } from './raw';
import { type Arg, encodeCommand, show } from './resp';

export interface SessionStep {
  /** Which connection sends it (connections open on first use). */
  on: string;
  /** The command; omitted: only collect what arrived (pushes, a served waiter). */
  args?: Arg[];
  /** The command blocks (BLPOP …): send it and read nothing yet. */
  blocks?: boolean;
  /** Run it but leave its reply out of the transcript (HELLO names the server version). */
  quiet?: boolean;
}

const MARKER = 'ferrokv-session-marker';

/**
 * `name: words…` lines; a line `name: (read)` only collects; a `(blocks)`
 * or `(quiet)` prefix before the words sets that option.
 */
export function session(text: string): SessionStep[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const m = /^(\w+):\s*(.*)$/.exec(l);
      if (!m) throw new Error(`a session line starts with a connection name: ${l}`);
      const [, on, rest] = m;
      if (rest === '(read)') return { on };
      const opt = /^\((blocks|quiet)\) (.*)$/.exec(rest);
      const words = (opt ? opt[2] : rest).split(/\s+/);
      return { on, args: words, blocks: opt?.[1] === 'blocks', quiet: opt?.[1] === 'quiet' };
    });
}

/** Runs the steps on fresh connections after FLUSHALL; one transcript line per step. */
export async function runSession(endpoint: Endpoint, steps: SessionStep[]): Promise<string[]> {
  const clients = new Map<string, RawClient>();
  const admin = await RawClient.connect(endpoint);
  await admin.call('FLUSHALL');
  admin.close();
  const ids = new Map<string, string>();
  const open = async (name: string): Promise<RawClient> => {
    let client = clients.get(name);
    if (!client) {
      client = await RawClient.connect(endpoint);
      clients.set(name, client);
      ids.set(name, (await client.call('CLIENT', 'ID')).toString('latin1').slice(1, -2));
    }
    return client;
  };
  const lines: string[] = [];
  try {
    for (const step of steps) {
      const client = await open(step.on);
      const args: Arg[] = [];
      for (const a of step.args ?? []) {
        const ref = typeof a === 'string' ? /^\{id:(\w+)\}$/.exec(a) : null;
        if (ref) await open(ref[1]);
        args.push(ref ? (ids.get(ref[1]) as string) : a);
      }
      const label = `${step.on}: ${step.args ? step.args.join(' ') : '(read)'}`;
      if (step.args) client.write(encodeCommand(args));
      if (step.blocks) {
        lines.push(`${label} => (blocked)`);
        continue;
      }
      const got: Buffer[] = [];
      if (step.args) {
        // Pushes that arrived first, then the step's own reply. (No marker
        // here: between MULTI and EXEC it would be queued.)
        for (;;) {
          const reply = await client.reply();
          got.push(reply);
          if (reply[0] !== 0x3e /* > */) break;
        }
      } else {
        client.write(encodeCommand(['ECHO', MARKER]));
        for (;;) {
          const reply = await client.reply();
          if (reply.toString('latin1') === `$${MARKER.length}\r\n${MARKER}\r\n`) break;
          got.push(reply);
        }
      }
      if (step.quiet) {
        lines.push(`${label} => (quiet)`);
        continue;
      }
      let shown = show(Buffer.concat(got));
      for (const [name, id] of ids) shown = shown.split(`:${id}\\r\\n`).join(`:<id:${name}>\\r\\n`);
      lines.push(`${label} => ${shown}`);
    }
    return lines;
  } finally {
    for (const c of clients.values()) c.close();
  }
}
