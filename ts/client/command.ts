/**
 * `ferrokv cli`: the redis-cli-like client as a commander subcommand.
 * Loaded only when the first argument is `cli`, so starting a server never
 * pays for it.
 */
import { createInterface } from 'node:readline';

import { Command, InvalidArgumentError } from 'commander';

import type { TlsOptions } from './connection';
import type { OutputMode } from './format';
import { runLine } from './lines';
import { repl } from './repl';
import { Session, type SessionOptions, stdio } from './session';

interface CliFlags {
  host: string;
  port: number;
  socket?: string;
  auth?: string;
  user?: string;
  pass?: string;
  uri?: string;
  db: number;
  resp3?: boolean;
  resp2?: boolean;
  tls?: boolean;
  sni?: string;
  cacert?: string;
  cert?: string;
  key?: string;
  insecure?: boolean;
  raw?: boolean;
  noRaw?: boolean;
  errors?: boolean;
}

/** A -u value that is not a redis:// or rediss:// URI (commander cannot check that). */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
  readonly code = 'FERROKV_ERR_CLI_USAGE';
}

const integer = (what: string) => (v: string) => {
  if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError(`${what} must be an integer.`);
  return Number(v);
};

export function cliCommand(): Command {
  return new Command('cli')
    .description('an interactive client like redis-cli (history, completion, one-shot and stdin modes)')
    .usage('[options] [cmd [arg ...]]')
    .helpOption('--help', 'show this help')
    .option('-h <hostname>', 'server hostname', '127.0.0.1')
    .option('-p <port>', 'server port', integer('port'), 6379)
    .option('-s <socket>', 'server socket (overrides hostname and port)')
    .option('-a <password>', 'password to use when connecting to the server')
    .option('--user <username>', 'used to send ACL style AUTH <username> <pass>; needs -a')
    .option('--pass <password>', 'alias of -a for consistency with --user')
    .option('-u <uri>', 'server URI: redis://[user[:password]@]host[:port][/db]')
    .option('-n <db>', 'database number', integer('db'), 0)
    .option('-2', 'start the session in RESP2 protocol mode')
    .option('-3, --resp3', 'start the session in RESP3 protocol mode')
    .option('--tls', 'establish a secure TLS connection')
    .option('--sni <host>', 'server name indication for TLS')
    .option('--cacert <file>', 'CA certificate file to verify the server with')
    .option('--cert <file>', 'client certificate to authenticate with')
    .option('--key <file>', 'private key file to authenticate with')
    .option('--insecure', 'allow insecure TLS connection by skipping certificate validation')
    .option('--raw', 'use raw formatting for replies (default when stdout is not a tty)')
    .option('--no-raw', 'force formatted output even when stdout is not a tty')
    .option('-e', 'return exit error code when command execution fails')
    .argument('[cmd...]', 'a command to run once; without it, commands come from stdin or the prompt')
    .passThroughOptions()
    .addHelpText(
      'after',
      `
Examples:
  ferrokv cli                        interactive prompt (history in ~/.ferrokv_cli_history)
  ferrokv cli SET greeting hello     one command, then exit
  ferrokv cli -p 6380 -n 2 KEYS '*'
  printf 'INCR n\\nINCR n\\n' | ferrokv cli
`,
    )
    .action(async (cmd: string[], raw: Record<string, unknown>) => {
      const code = await runCli(cmd, normalize(raw));
      process.exitCode = code;
    });
}

/** Commander's option bag, with the short-only flags given readable names. */
function normalize(o: Record<string, unknown>): CliFlags {
  return {
    host: o.h as string,
    port: o.p as number,
    socket: o.s as string | undefined,
    auth: (o.a ?? o.pass) as string | undefined,
    user: o.user as string | undefined,
    uri: o.u as string | undefined,
    db: o.n as number,
    resp3: o.resp3 as boolean | undefined,
    resp2: o['2'] as boolean | undefined,
    tls: o.tls as boolean | undefined,
    sni: o.sni as string | undefined,
    cacert: o.cacert as string | undefined,
    cert: o.cert as string | undefined,
    key: o.key as string | undefined,
    insecure: o.insecure as boolean | undefined,
    // commander folds --raw / --no-raw into one boolean, undefined when neither was given.
    raw: o.raw === true,
    noRaw: o.raw === false,
    errors: o.e as boolean | undefined,
  };
}

/** Applies a redis:// URI over the flags, as redis-cli's -u does. */
function applyUri(flags: CliFlags): void {
  if (!flags.uri) return;
  let url: URL;
  try {
    url = new URL(flags.uri);
  } catch {
    throw new CliUsageError(`Invalid URI scheme: ${flags.uri}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new CliUsageError(`Invalid URI scheme: ${flags.uri}`);
  if (url.protocol === 'rediss:') flags.tls = true;
  if (url.hostname) flags.host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.port) flags.port = Number(url.port);
  if (url.username) flags.user = decodeURIComponent(url.username);
  if (url.password) flags.auth = decodeURIComponent(url.password);
  else if (url.username && !url.password) {
    // redis://password@host: a lone userinfo is the password.
    flags.auth = flags.user;
    flags.user = undefined;
  }
  const db = url.pathname.replace(/^\//, '');
  if (db) flags.db = Number(db);
}

function sessionOptions(flags: CliFlags): SessionOptions {
  applyUri(flags);
  const tls: TlsOptions | undefined = flags.tls
    ? { sni: flags.sni, cacert: flags.cacert, cert: flags.cert, key: flags.key, insecure: flags.insecure }
    : undefined;
  const mode: OutputMode = flags.raw ? 'raw' : flags.noRaw || process.stdout.isTTY ? 'tty' : 'raw';
  return {
    host: flags.host,
    port: flags.port,
    socket: flags.socket,
    tls,
    user: flags.user,
    password: flags.auth,
    db: flags.db,
    resp3: Boolean(flags.resp3) && !flags.resp2,
    mode,
    errorExitCode: flags.errors,
  };
}

/** Runs the client; resolves to the process exit code. */
export async function runCli(cmd: string[], flags: CliFlags): Promise<number> {
  let options: SessionOptions;
  try {
    options = sessionOptions(flags);
  } catch (e) {
    if (!(e instanceof CliUsageError)) throw e;
    stdio.err(`${e.message}\n`);
    return 1;
  }
  if (flags.auth !== undefined && !process.env.FERROKV_CLI_NO_AUTH_WARNING) {
    stdio.err("Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.\n");
  }
  const session = new Session(options);
  try {
    if (cmd.length > 0) return await oneShot(session, cmd);
    if (!process.stdin.isTTY) return await fromStdin(session);
    await session.connect();
    await repl(session, { input: process.stdin, output: process.stdout, terminal: true });
    return 0;
  } finally {
    session.close();
  }
}

async function oneShot(session: Session, cmd: string[]): Promise<number> {
  if (!(await session.connect())) return 1;
  session.errorsToStderr = Boolean(session.options.errorExitCode);
  // Arguments arrive as UTF-8 text; the server gets their bytes.
  const reply = await session.run(cmd.map((a) => Buffer.from(a, 'utf8').toString('latin1')));
  if (!reply) {
    // SHUTDOWN's answer is the closed connection; any other command lost its reply.
    if (cmd[0].toLowerCase() === 'shutdown') return 0;
    stdio.err('Error: Server closed the connection\n');
    return 1;
  }
  return reply.type === 'error' && session.options.errorExitCode ? 1 : 0;
}

/** Commands piped in, one per line, as redis-cli reads them when stdin is not a terminal. */
async function fromStdin(session: Session): Promise<number> {
  await session.connect();
  process.stdin.setEncoding('latin1');
  const rl = createInterface({ input: process.stdin, terminal: false, crlfDelay: Infinity });
  for await (const line of rl) {
    if ((await runLine(session, line, stdio.out)) === 'quit') break;
  }
  return 0;
}
