/**
 * One set of permissions — a user's root selector or a `(…)` one — and the
 * rules that change it (Redis's `ACLSetSelector`). Commands are a set of
 * allowed full names plus Redis's ordered "command rules" string, which is
 * what ACL LIST and GETUSER print back.
 */
import type { AclCommandInfo, CommandCatalog } from './catalog';

/** Why a rule was refused; the text is Redis's `ACLSetUserStringError`. */
export type RuleErrorCode = 'ENOENT' | 'EINVAL' | 'EEXIST' | 'EISDIR' | 'ENODEV' | 'EBADMSG' | 'ECHILD';

const RULE_ERRORS: Record<RuleErrorCode, string> = {
  ENOENT: 'Unknown command or category name in ACL',
  EINVAL: 'Syntax error',
  EEXIST:
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  EISDIR:
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
  ENODEV: 'The password you are trying to remove from the user does not exist',
  EBADMSG: 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters',
  ECHILD: 'Allowing first-arg of a subcommand is not supported',
};

export class AclRuleError extends Error {
  override name = 'AclRuleError';
  constructor(readonly code: RuleErrorCode) {
    super(RULE_ERRORS[code]);
  }
}

export interface KeyPattern {
  pattern: string;
  read: boolean;
  write: boolean;
}

/** Redis's `ACLStringHasSpaces`: whitespace or NUL anywhere. */
export function hasSpaces(s: string): boolean {
  return /[\s\0]/.test(s);
}

export function describePattern(p: KeyPattern): string {
  const prefix = p.read && p.write ? '~' : p.read ? '%R~' : '%W~';
  return prefix + p.pattern;
}

export class Selector {
  allowed = new Set<string>();
  /** Redis's reserved "future commands" bit: set by +@all, cleared by -@all. */
  future = false;
  /** +@all with nothing denied since: the check skips the command lookup. */
  allCommands = false;
  /** `+cmd|arg` rules: command → first arguments allowed. */
  firstArgs = new Map<string, string[]>();
  allKeys = false;
  patterns: KeyPattern[] = [];
  allChannels = false;
  channels: string[] = [];
  /** The ordered +/- command and category rules after the leading ±@all. */
  commandRules: string[] = [];

  constructor(private readonly catalog: CommandCatalog) {}

  clone(): Selector {
    const s = new Selector(this.catalog);
    s.allowed = new Set(this.allowed);
    s.future = this.future;
    s.allCommands = this.allCommands;
    s.firstArgs = new Map([...this.firstArgs].map(([k, v]) => [k, [...v]]));
    s.allKeys = this.allKeys;
    s.patterns = this.patterns.map((p) => ({ ...p }));
    s.allChannels = this.allChannels;
    s.channels = [...this.channels];
    s.commandRules = [...this.commandRules];
    return s;
  }

  /** Applies one rule; throws AclRuleError as Redis sets errno. */
  apply(op: string): void {
    const lower = op.toLowerCase();
    if (lower === 'allkeys' || op === '~*') {
      this.allKeys = true;
      this.patterns = [];
    } else if (lower === 'resetkeys') {
      this.allKeys = false;
      this.patterns = [];
    } else if (lower === 'allchannels' || op === '&*') {
      this.allChannels = true;
      this.channels = [];
    } else if (lower === 'resetchannels') {
      this.allChannels = false;
      this.channels = [];
    } else if (lower === 'allcommands' || lower === '+@all') {
      this.allowed = new Set(this.catalog.all.map((c) => c.name));
      this.future = true;
      this.allCommands = true;
      this.commandRules = [];
      this.firstArgs.clear();
    } else if (lower === 'nocommands' || lower === '-@all') {
      this.allowed.clear();
      this.future = false;
      this.allCommands = false;
      this.commandRules = [];
      this.firstArgs.clear();
    } else if (op[0] === '~' || op[0] === '%') {
      this.addKeyPattern(op);
    } else if (op[0] === '&') {
      if (this.allChannels) throw new AclRuleError('EISDIR');
      const pattern = op.slice(1);
      if (hasSpaces(pattern)) throw new AclRuleError('EINVAL');
      if (!this.channels.includes(pattern)) this.channels.push(pattern);
      this.allChannels = false;
    } else if (op[0] === '+' && op[1] !== '@') {
      this.allowCommand(op.slice(1));
    } else if (op[0] === '-' && op[1] !== '@') {
      const cmd = this.catalog.lookup(op.slice(1));
      if (!cmd) throw new AclRuleError('ENOENT');
      this.changePerm(cmd, false);
      this.updateRules(cmd.name, false);
    } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
      const category = op.slice(2).toLowerCase();
      if (!this.catalog.isCategory(category)) throw new AclRuleError('ENOENT');
      const allow = op[0] === '+';
      this.updateRules(`@${category}`, allow);
      for (const cmd of this.catalog.all) {
        if (cmd.categories.has(category)) this.changePerm(cmd, allow);
      }
    } else {
      throw new AclRuleError('EINVAL');
    }
  }

  private addKeyPattern(op: string): void {
    if (this.allKeys) throw new AclRuleError('EEXIST');
    let read = true;
    let write = true;
    let offset = 1;
    if (op[0] === '%') {
      read = false;
      write = false;
      for (; offset < op.length; offset++) {
        const c = op[offset].toUpperCase();
        if (c === 'R' && !read) read = true;
        else if (c === 'W' && !write) write = true;
        else if (op[offset] === '~') {
          offset++;
          break;
        } else throw new AclRuleError('EINVAL');
      }
      if (!read && !write) throw new AclRuleError('EINVAL');
    }
    const pattern = op.slice(offset);
    if (hasSpaces(pattern)) throw new AclRuleError('EINVAL');
    const existing = this.patterns.find((p) => p.pattern === pattern);
    if (existing) {
      existing.read ||= read;
      existing.write ||= write;
    } else {
      this.patterns.push({ pattern, read, write });
    }
  }

  /** `+cmd`, `+container|sub`, or `+cmd|first-arg`. */
  private allowCommand(name: string): void {
    const bar = name.lastIndexOf('|');
    if (bar === -1) {
      const cmd = this.catalog.lookup(name);
      if (!cmd) throw new AclRuleError('ENOENT');
      this.changePerm(cmd, true);
      this.updateRules(cmd.name, true);
      return;
    }
    const base = this.catalog.lookup(name.slice(0, bar));
    if (!base) throw new AclRuleError('ENOENT');
    if (base.parent) throw new AclRuleError('ECHILD');
    const sub = name.slice(bar + 1);
    if (sub === '') throw new AclRuleError('EINVAL');
    if (base.subcommands.length > 0) {
      const cmd = this.catalog.lookup(name);
      if (!cmd) throw new AclRuleError('ENOENT');
      this.changePerm(cmd, true);
    } else {
      const args = this.firstArgs.get(base.name) ?? [];
      if (!args.some((a) => a.toLowerCase() === sub.toLowerCase())) args.push(sub);
      this.firstArgs.set(base.name, args);
    }
    this.updateRules(name, true);
  }

  /** Redis's `ACLChangeSelectorPerm`: a container takes its subcommands along. */
  private changePerm(cmd: AclCommandInfo, allow: boolean): void {
    this.setBit(cmd.name, allow);
    this.firstArgs.delete(cmd.name);
    for (const sub of cmd.subcommands) this.setBit(sub, allow);
  }

  private setBit(name: string, allow: boolean): void {
    if (allow) {
      this.allowed.add(name);
    } else {
      this.allowed.delete(name);
      this.allCommands = false;
    }
  }

  /** Redis's `ACLUpdateCommandRules`: drop earlier rules for the same command (and its subcommands), append. */
  private updateRules(rule: string, allow: boolean): void {
    const r = rule.toLowerCase();
    this.commandRules = this.commandRules.filter((existing) => {
      const body = existing.slice(1);
      return !(body === r || body.startsWith(`${r}|`));
    });
    this.commandRules.push((allow ? '+' : '-') + r);
  }

  /** The command part of the description: `+@all …` or `-@all …`. */
  describeCommands(): string {
    return [this.future ? '+@all' : '-@all', ...this.commandRules].join(' ');
  }

  describeKeys(): string {
    return this.allKeys ? '~*' : this.patterns.map(describePattern).join(' ');
  }

  describeChannels(): string {
    return this.allChannels ? '&*' : this.channels.map((c) => `&${c}`).join(' ');
  }

  /** Redis's `ACLDescribeSelector`: keys, channels, then commands. */
  describe(): string {
    let out = '';
    if (this.allKeys) out += '~* ';
    else for (const p of this.patterns) out += `${describePattern(p)} `;
    if (this.allChannels) out += '&* ';
    else {
      out += 'resetchannels ';
      for (const c of this.channels) out += `&${c} `;
    }
    return out + this.describeCommands();
  }

  /** Whether `channel` (or pattern) is allowed, as Redis's `ACLCheckChannelAgainstList`. */
  allowsChannel(channel: string, isPattern: boolean, match: (p: string, s: string) => boolean): boolean {
    return this.allChannels || this.channels.some((p) => (isPattern ? p === channel : match(p, channel)));
  }
}
