/**
 * Commands the TypeScript side answers, because it owns what they touch:
 * CONFIG (the config table lives here) and SHUTDOWN (the process and
 * listeners). The core stops its batch at such a command so replies stay in
 * order; the server calls `runHostCommand`, then feeds the core again.
 */
import { runAclCommand } from '../acl/commands';
import { ConfigSetError } from '../config/config';
import { saveBeforeShutdown } from './persistence';
import { type ReplyValue, reply } from './resp';
import type { FerroServer } from './server';

export interface HostContext {
  server: FerroServer;
  args: string[];
  /** The arguments as sent (binary-safe), for what must keep every byte. */
  rawArgs: Buffer[];
  resp: 2 | 3;
  /** The client connects from this machine (loopback or unix socket): Redis's `islocalClient`. */
  local: boolean;
  /** The connection's engine handle. */
  handle: number;
  close(): void;
}

/** Redis's `allowProtectedAction`: a yes/no/local directive against the client's origin. */
export function allowProtectedAction(setting: string, local: boolean): boolean {
  return setting === 'yes' || (setting === 'local' && local);
}

type HostHandler = (ctx: HostContext) => ReplyValue | null;

const CONFIG_HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
  'HELP',
  '    Print this help.',
];

const handlers: Record<string, HostHandler> = {
  'config|get': ({ server, args }) => {
    const pairs = server.config.matching(args.slice(2));
    return reply.map(pairs.map(([k, v]) => [reply.bulk(k), reply.bulk(v)]));
  },
  'config|set': ({ server, args, local }) => {
    const rest = args.slice(2);
    // Redis checks the pairs before anything else: an odd count is a syntax error.
    if (rest.length % 2 !== 0) return reply.error('ERR syntax error');
    const pairs: [string, string][] = [];
    for (let i = 0; i < rest.length; i += 2) pairs.push([rest[i], rest[i + 1]]);
    try {
      server.config.setAtRuntime(pairs, allowProtectedAction(server.config.get('enable-protected-configs'), local));
    } catch (e) {
      if (e instanceof ConfigSetError) return reply.error(`ERR ${e.message}`);
      throw e;
    }
    return reply.ok();
  },
  'config|resetstat': ({ server }) => {
    server.resetStats();
    return reply.ok();
  },
  'config|rewrite': ({ server }) => {
    if (!server.config.file) return reply.error('ERR The server is running without a config file');
    try {
      server.rewriteConfig();
    } catch (e) {
      return reply.error(`ERR Rewriting config file: ${(e as Error).message}`);
    }
    return reply.ok();
  },
  'config|help': () => reply.array(CONFIG_HELP.map((l) => reply.simple(l))),
  shutdown: ({ server, args, close }) => {
    const opts = args.slice(1).map((a) => a.toLowerCase());
    const known = ['nosave', 'save', 'now', 'force', 'abort'];
    if (opts.some((o) => !known.includes(o)) || (opts.includes('save') && opts.includes('nosave'))) {
      return reply.error('ERR syntax error');
    }
    if (opts.includes('abort')) return reply.error('ERR No shutdown in progress.');
    const mode = opts.includes('nosave') ? 'nosave' : opts.includes('save') ? 'save' : 'default';
    if (saveBeforeShutdown(server.engine, server.logger, mode) !== null && !opts.includes('force')) {
      return reply.error('ERR Errors trying to SHUTDOWN. Check logs.');
    }
    // Redis sends no reply: the client sees the connection close.
    close();
    void server.shutdown('SHUTDOWN command', 'nosave');
    return null;
  },
};

/** Runs a host command; `null` means no reply (the connection is closing). */
export function runHostCommand(ctx: HostContext): ReplyValue | null {
  const name = ctx.args[0].toLowerCase();
  if (name === 'acl') return aclCommand(ctx);
  const full = name === 'config' ? `config|${(ctx.args[1] ?? '').toLowerCase()}` : name;
  const handler = handlers[full];
  if (!handler) return reply.error(`ERR unknown command '${ctx.args[0]}'`);
  return handler(ctx);
}

/** ACL …: the ACL store answers, with the engine for WHOAMI and DRYRUN. */
function aclCommand({ server, args, rawArgs, handle }: HostContext): ReplyValue {
  const engine = server.engine;
  return runAclCommand({
    acl: server.acl,
    args,
    rawArgs,
    whoami: () => engine.aclWhoami(handle) ?? null,
    dryRun: (username, argv) => engine.aclDryRun(Buffer.from(username), argv.map((a) => Buffer.from(a))),
    nowMs: () => engine.clockNow(),
    aclFile: server.config.get('aclfile'),
  });
}
