/**
 * The ACL command's subcommands, answered on the host where the users and
 * the log live; replies and errors as Redis 7.2 words them.
 */
import { randomBytes } from 'node:crypto';

import { type ReplyValue, reply } from '../server/resp';
import { AclSetUserError } from './rules';
import type { Selector } from './selector';
import { hasSpaces } from './selector';
import type { AclStore } from './store';

export interface AclCommandContext {
  acl: AclStore;
  args: string[];
  /** `args` as sent: passwords are hashed from their bytes. */
  rawArgs: Buffer[];
  /** The connection's user name (ACL WHOAMI). */
  whoami(): string | null;
  /** ACL DRYRUN, run by the core's check. */
  dryRun(username: string, argv: string[]): { kind: string; text: string };
  nowMs(): number;
  aclFile: string;
}

const HELP = [
  'ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
  'HELP',
  '    Print this help.',
];

const NO_ACL_FILE =
  'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';
const NOT_INTEGER = 'ERR value is not an integer or out of range';
const GENPASS_MAX_BITS = 4096;

/** Redis's `string2l`: a decimal integer with no spaces or leading zeros. */
function parseLong(s: string): number | null {
  if (!/^(0|-?[1-9][0-9]*)$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

function selectorDescription(s: Selector): [ReplyValue, ReplyValue][] {
  return [
    [reply.bulk('commands'), reply.bulk(s.describeCommands())],
    [reply.bulk('keys'), reply.bulk(s.describeKeys())],
    [reply.bulk('channels'), reply.bulk(s.describeChannels())],
  ];
}

/** ACL <subcommand> …; `args` starts with "ACL". */
export function runAclCommand(ctx: AclCommandContext): ReplyValue {
  const { acl, args } = ctx;
  const sub = (args[1] ?? '').toLowerCase();
  const argc = args.length;
  const syntaxError = () =>
    reply.error(`ERR unknown subcommand or wrong number of arguments for '${args[1].slice(0, 128)}'. Try ${args[0].toUpperCase()} HELP.`);

  if (sub === 'setuser' && argc >= 3) {
    // ACL SETUSER username [rule [rule ...]]
    const name = args[2];
    if (hasSpaces(name)) return reply.error("ERR Usernames can't contain spaces or null characters");
    try {
      acl.setUser(name, args.slice(3), ctx.rawArgs.slice(3));
    } catch (e) {
      if (e instanceof AclSetUserError) return reply.error(`ERR ${e.message}`);
      throw e;
    }
    return reply.ok();
  }
  if (sub === 'deluser' && argc >= 3) {
    // ACL DELUSER username [username ...]
    if (args.slice(2).includes('default')) return reply.error("ERR The 'default' user cannot be removed");
    return reply.int(acl.deleteUsers(args.slice(2)));
  }
  if (sub === 'getuser' && argc === 3) {
    // ACL GETUSER username
    const u = acl.get(args[2]);
    if (!u) return reply.null();
    return reply.map([
      [reply.bulk('flags'), reply.set(u.flags().map((f) => reply.bulk(f)))],
      [reply.bulk('passwords'), reply.array(u.passwords.map((p) => reply.bulk(p)))],
      ...selectorDescription(u.root),
      [reply.bulk('selectors'), reply.array(u.selectors.slice(1).map((s) => reply.map(selectorDescription(s))))],
    ]);
  }
  if ((sub === 'list' || sub === 'users') && argc === 2) {
    // ACL LIST / ACL USERS
    const users = acl.list();
    return reply.array(users.map((u) => reply.bulk(sub === 'users' ? u.name : `user ${u.name} ${u.describe()}`)));
  }
  if (sub === 'whoami' && argc === 2) {
    // ACL WHOAMI
    const name = ctx.whoami();
    return name === null ? reply.null() : reply.bulk(name);
  }
  if (!ctx.aclFile && (sub === 'load' || sub === 'save')) return reply.error(NO_ACL_FILE);
  if (sub === 'load' && argc === 2) {
    // ACL LOAD
    const errors = acl.loadFile(ctx.aclFile);
    return errors === null ? reply.ok() : reply.error(`ERR ${errors}`);
  }
  if (sub === 'save' && argc === 2) {
    // ACL SAVE
    try {
      acl.saveFile(ctx.aclFile);
    } catch {
      return reply.error('ERR There was an error trying to save the ACLs. Please check the server logs for more information');
    }
    return reply.ok();
  }
  if (sub === 'cat' && argc === 2) {
    // ACL CAT
    return reply.array(acl.catalog.categories.map((c) => reply.bulk(c)));
  }
  if (sub === 'cat' && argc === 3) {
    // ACL CAT category
    const category = args[2].toLowerCase();
    if (!acl.catalog.isCategory(category)) return reply.error(`ERR Unknown category '${args[2].slice(0, 128)}'`);
    return reply.array(acl.catalog.all.filter((c) => c.categories.has(category)).map((c) => reply.bulk(c.name)));
  }
  if (sub === 'genpass' && (argc === 2 || argc === 3)) {
    // ACL GENPASS [bits]
    let bits = 256;
    if (argc === 3) {
      const n = parseLong(args[2]);
      if (n === null) return reply.error(NOT_INTEGER);
      bits = n;
    }
    if (bits <= 0 || bits > GENPASS_MAX_BITS) {
      return reply.error(
        `ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to ${GENPASS_MAX_BITS}`,
      );
    }
    const chars = Math.floor((bits + 3) / 4);
    return reply.bulk(randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars));
  }
  if (sub === 'log' && (argc === 2 || argc === 3)) {
    // ACL LOG [count | RESET]
    acl.drainDenials();
    let count = 10;
    if (argc === 3) {
      if (args[2].toLowerCase() === 'reset') {
        acl.log.reset();
        return reply.ok();
      }
      const n = parseLong(args[2]);
      if (n === null) return reply.error(NOT_INTEGER);
      count = Math.max(0, n);
    }
    const now = ctx.nowMs();
    return reply.array(
      acl.log.entries.slice(0, count).map((e) =>
        reply.map([
          [reply.bulk('count'), reply.int(e.count)],
          [reply.bulk('reason'), reply.bulk(e.reason)],
          [reply.bulk('context'), reply.bulk(e.context)],
          [reply.bulk('object'), reply.bulk(e.object)],
          [reply.bulk('username'), reply.bulk(e.username)],
          [reply.bulk('age-seconds'), reply.double((now - e.updatedMs) / 1000)],
          [reply.bulk('client-info'), reply.bulk(e.clientInfo)],
          [reply.bulk('entry-id'), reply.int(e.entryId)],
          [reply.bulk('timestamp-created'), reply.int(e.createdMs)],
          [reply.bulk('timestamp-last-updated'), reply.int(e.updatedMs)],
        ]),
      ),
    );
  }
  if (sub === 'dryrun' && argc >= 4) {
    // ACL DRYRUN username command [arg ...]
    const result = ctx.dryRun(args[2], args.slice(3));
    if (result.kind === 'ok') return reply.ok();
    return result.kind === 'denied' ? reply.bulk(result.text) : reply.error(result.text);
  }
  if (sub === 'help' && argc === 2) {
    return reply.array(HELP.map((l) => reply.simple(l)));
  }
  return syntaxError();
}
