/**
 * Runs one command on a server's engine without a socket, for the library
 * API (`flushAll`). It goes through a short-lived internal connection, so it
 * takes exactly the path a client's command takes (arity, execution,
 * keyspace events) and the core needs no extra entry point.
 */
import { Status, STATUS_SHIFT } from './native';
import type { FerroServer } from './server/server';

/** A command run through `runEmbeddedCommand` answered with an error reply. */
export class EmbeddedCommandError extends Error {
  override name = 'EmbeddedCommandError';
  readonly code = 'FERROKV_ERR_EMBEDDED_COMMAND';
  constructor(
    readonly command: string,
    readonly reply: string,
  ) {
    super(`${command} failed: ${reply}`);
  }
}

/** Encodes argv as a RESP array of bulk strings. */
export function encodeCommand(args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a) : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/**
 * Feeds `args` to the engine and returns the raw reply bytes. Only for
 * commands the core answers itself (not CONFIG/SHUTDOWN, which stop the
 * batch for the host).
 */
export function runEmbeddedCommand(server: FerroServer, args: string[]): Buffer {
  const engine = server.engine;
  const handle = engine.connect('embedded:0', 'embedded:0', -1);
  try {
    const out = Buffer.allocUnsafe(64 * 1024);
    const result = engine.feed(handle, encodeCommand(args), out, 0);
    const status = Math.floor(result / STATUS_SHIFT);
    const written = result - status * STATUS_SHIFT;
    const reply = status & Status.OVERFLOW ? engine.takeOutput() : Buffer.from(out.subarray(0, written));
    // The caller gets the reply now: its AOF write (and sync under `always`) comes first.
    engine.aofFlush();
    if (status & Status.EVENTS) server.deliverEvents();
    if (reply[0] === 0x2d /* '-' */) throw new EmbeddedCommandError(args[0], reply.toString('utf8', 1).trimEnd());
    return reply;
  } finally {
    engine.disconnect(handle);
  }
}
