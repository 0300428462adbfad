/**
 * What `ferrokv cli` keeps between commands: the connection (opened again
 * when it drops, as redis-cli does), the selected database, the protocol,
 * MULTI state for the prompt, and how replies are printed.
 */
import { CliConnection, ConnectError, type Endpoint } from './connection';
import { formatReply, type OutputMode, printsVerbatim } from './format';
import { CommandHelp } from './help';
import type { Reply } from './reply';

export interface SessionOptions extends Endpoint {
  user?: string;
  password?: string;
  db: number;
  resp3: boolean;
  mode: OutputMode;
  /** Exit with status 1 on an error reply (redis-cli's -e); only outside the REPL. */
  errorExitCode?: boolean;
}

/** Where the session prints: stdout for replies, stderr for its own messages. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const stdio: Output = {
  // Binary strings: one char per byte (see reply.ts).
  out: (text) => void process.stdout.write(Buffer.from(text, 'latin1')),
  err: (text) => void process.stderr.write(text),
};

/** Commands after which every message the server sends is printed until Ctrl-C. */
const STREAMING = new Set(['subscribe', 'psubscribe', 'ssubscribe', 'monitor']);

export class Session {
  private conn: CliConnection | undefined;
  db: number;
  resp3: boolean;
  inMulti = false;
  /** One-shot mode with -e: an error reply goes to stderr and fails the run, as redis-cli does. */
  errorsToStderr = false;

  constructor(
    readonly options: SessionOptions,
    private readonly io: Output = stdio,
  ) {
    this.db = options.db;
    this.resp3 = options.resp3;
  }

  get connected(): boolean {
    return this.conn !== undefined && !this.conn.isClosed;
  }

  /** Opens the connection and sets it up (AUTH, HELLO 3, SELECT), reporting failures as redis-cli does. */
  async connect(): Promise<boolean> {
    if (this.connected) return true;
    try {
      this.conn = await CliConnection.open(this.options);
    } catch (e) {
      if (!(e instanceof ConnectError)) throw e;
      this.io.err(`${e.message}\n`);
      this.conn = undefined;
      return false;
    }
    this.conn.onUnsolicited = (r) => this.io.out(formatReply(r, this.options.mode));
    this.inMulti = false;
    const { user, password } = this.options;
    if (password !== undefined) {
      const r = await this.conn.send(user ? ['AUTH', user, password] : ['AUTH', password]);
      if (r.type === 'error') this.io.err(`AUTH failed: ${r.text}\n`);
    }
    if (this.resp3) {
      const r = await this.conn.send(['HELLO', '3']);
      if (r.type === 'error') this.io.err(`HELLO 3 failed: ${r.text}\n`);
    }
    if (this.db !== 0) {
      const r = await this.conn.send(['SELECT', String(this.db)]);
      if (r.type === 'error') {
        this.io.err(`SELECT ${this.db} failed: ${r.text}\n`);
        this.db = 0;
      }
    }
    return true;
  }

  private docs: CommandHelp | undefined;

  /** The server's command docs for `help`, fetched once, when first asked for. */
  async help(): Promise<CommandHelp> {
    this.docs ??= CommandHelp.fromDocsReply(await this.call(['COMMAND', 'DOCS']).catch(() => undefined));
    return this.docs;
  }

  /** Sends one command without printing (the REPL's COMMAND lookup). */
  async call(args: string[]): Promise<Reply | undefined> {
    if (!(await this.connect()) || !this.conn) return undefined;
    return this.conn.send(args);
  }

  /**
   * Runs one command and prints its reply. Resolves to the reply, or
   * undefined when there was no connection to send it on.
   */
  async run(args: string[]): Promise<Reply | undefined> {
    if (!(await this.connect()) || !this.conn) return undefined;
    const conn = this.conn;
    const cmd = args[0].toLowerCase();
    const streaming = STREAMING.has(cmd);
    if (streaming && this.options.mode !== 'raw') this.io.out('Reading messages... (press Ctrl-C to quit)\n');
    let reply: Reply;
    try {
      reply = await conn.send(args);
    } catch {
      // The connection dropped (QUIT, SHUTDOWN, CLIENT KILL …): the next command reconnects.
      this.conn = undefined;
      return undefined;
    }
    if (this.errorsToStderr && reply.type === 'error') this.io.err(`${reply.text}\n`);
    else this.io.out(formatReply(reply, this.options.mode, printsVerbatim(args)));
    this.track(args, reply);
    if (streaming && reply.type !== 'error') await new Promise<void>((resolve) => (conn.onClose = resolve));
    return reply;
  }

  /** Follows what the prompt shows: the database, the protocol, MULTI. */
  private track(args: string[], reply: Reply): void {
    if (reply.type === 'error') return;
    const cmd = args[0].toLowerCase();
    if (cmd === 'select' && args.length === 2) this.db = Number(args[1]);
    else if (cmd === 'hello' && args.length >= 2) this.resp3 = args[1] === '3';
    else if (cmd === 'multi') this.inMulti = true;
    else if (cmd === 'exec' || cmd === 'discard' || cmd === 'reset') this.inMulti = false;
    if (cmd === 'reset') this.db = 0;
  }

  /** redis-cli's prompt: `host:port[db](TX)> `, or `not connected> `. */
  prompt(): string {
    if (!this.connected) return 'not connected> ';
    const { host, port, socket } = this.options;
    const addr = socket ? `redis ${socket}` : host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    return `${addr}${this.db !== 0 ? `[${this.db}]` : ''}${this.inMulti ? '(TX)' : ''}> `;
  }

  close(): void {
    this.conn?.close();
    this.conn = undefined;
  }
}
