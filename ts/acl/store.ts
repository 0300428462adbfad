/**
 * The server's users: the ACL model the commands change, each user
 * compiled and installed in the core whenever it changes; `requirepass`
 * as the default user's password; the aclfile (or `user` lines of
 * redis.conf) at startup, ACL LOAD and ACL SAVE; and the ACL LOG fed by the
 * core's denials.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

import type { Config } from '../config/config';
import type { NativeEngine } from '../native';
import { CommandCatalog, type RawCommand } from './catalog';
import { AclLog } from './log';
import { AclSetUserError, applyRules, mergeSelectorArguments } from './rules';
import { AclRuleError, hasSpaces } from './selector';
import { AclUser } from './user';

/** A startup problem, worded as Redis's fatal ACL messages. */
export class AclStartupError extends Error {
  override name = 'AclStartupError';
}

export const MIXED_ACL_SOURCES =
  'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.';

export class AclStore {
  readonly catalog: CommandCatalog;
  readonly log = new AclLog();
  private users = new Map<string, AclUser>();

  constructor(
    private readonly engine: NativeEngine,
    private readonly config: Config,
  ) {
    this.catalog = new CommandCatalog(engine.aclCommands() as RawCommand[], engine.aclCategories());
    this.users.set('default', this.createDefaultUser());
    this.applyRequirepass(config.get('requirepass'));
  }

  /** Redis's `ACLCreateDefaultUser`: `on nopass ~* &* +@all`. */
  private createDefaultUser(): AclUser {
    const u = new AclUser('default', this.catalog);
    for (const op of ['+@all', '~*', '&*', 'on', 'nopass']) u.apply(op);
    return u;
  }

  private get pubsubDefaultAll(): boolean {
    return this.config.get('acl-pubsub-default') === 'allchannels';
  }

  get(name: string): AclUser | undefined {
    return this.users.get(name);
  }

  /** Users sorted by name, as Redis's radix tree lists them. */
  list(): AclUser[] {
    return [...this.users.values()].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  }

  /** ACL SETUSER: all rules or none; creates the user if needed. `raw`: the rules' bytes (binary passwords). */
  setUser(name: string, rules: string[], raw?: Buffer[]): void {
    const existing = this.users.get(name);
    const base = existing ?? new AclUser(name, this.catalog, this.pubsubDefaultAll);
    const updated = applyRules(base, rules, this.pubsubDefaultAll, raw);
    this.users.set(name, updated);
    this.install(updated);
  }

  /** ACL DELUSER: how many existed; their connections are closed. */
  deleteUsers(names: string[]): number {
    let deleted = 0;
    for (const name of names) {
      if (this.users.delete(name)) {
        this.engine.aclDeleteUser(name);
        deleted++;
      }
    }
    return deleted;
  }

  /** `requirepass`: the default user's only password, or nopass when empty (`ACLUpdateDefaultUserPassword`). */
  applyRequirepass(password: string): void {
    const u = this.users.get('default') as AclUser;
    u.apply('resetpass');
    u.apply(password === '' ? 'nopass' : `>${password}`);
    this.install(u);
  }

  /** Moves the core's queued denials into ACL LOG. */
  drainDenials(): void {
    const maxLen = this.config.getNumber('acllog-max-len');
    for (const d of this.engine.aclTakeDenials()) this.log.add(d, maxLen);
  }

  /** Loads users at startup: `user` lines or the aclfile, never both. */
  loadAtStartup(userLines: string[][]): void {
    const file = this.config.get('aclfile');
    if (file && userLines.length > 0) throw new AclStartupError(MIXED_ACL_SOURCES);
    if (file) {
      const error = this.loadFile(file);
      if (error) throw new AclStartupError(`Aborting Redis startup because of ACL errors: ${error}`);
      return;
    }
    for (const [name, ...rules] of userLines) {
      if (hasSpaces(name)) throw new AclStartupError('Spaces not allowed in ACL usernames');
      let u = this.users.get(name);
      if (u && name === 'default') u.apply('reset');
      else u = new AclUser(name, this.catalog, this.pubsubDefaultAll);
      const merged = mergeSelectorArguments(rules);
      if (!Array.isArray(merged)) throw new AclStartupError(`Unmatched parenthesis in acl selector definition for user '${name}'`);
      for (const op of merged) {
        try {
          u.apply(op, this.pubsubDefaultAll);
        } catch (e) {
          if (!(e instanceof AclRuleError)) throw e;
          throw new AclStartupError(`Error loading ACL rule '${op}' for the user named '${name}': ${e.message}`);
        }
      }
      this.users.set(name, u);
      this.install(u);
    }
  }

  /**
   * Redis's `ACLLoadFromFile`: validates every line; with any error nothing
   * changes and the errors come back as one line. On success every user
   * but default is replaced, and their connections are closed.
   */
  loadFile(path: string): string | null {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      return `Error loading ACLs, opening file '${path}': ${describeFsError(e)}`;
    }
    const fresh = new Map<string, AclUser>();
    let errors = '';
    text.split('\n').forEach((raw, i) => {
      const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      const linenum = i + 1;
      if (line === '') return;
      const argv = line.split(' ').filter((w) => w !== '');
      if (argv.length === 0) return;
      if (argv[0] !== 'user' || argv.length < 2) {
        errors += `${path}:${linenum} should start with user keyword followed by the username. `;
        return;
      }
      const name = argv[1];
      if (fresh.has(name)) {
        errors += `WARNING: Duplicate user '${name}' found on line ${linenum}. `;
        return;
      }
      const u = new AclUser(name, this.catalog, this.pubsubDefaultAll);
      fresh.set(name, u);
      const merged = mergeSelectorArguments(argv.slice(2));
      if (!Array.isArray(merged)) {
        errors += `${path}:${linenum}: Unmatched parenthesis in selector definition.`;
        return;
      }
      let syntaxError = false;
      for (const rawOp of merged) {
        const op = rawOp.replace(/^[\t\r\n]+|[\t\r\n]+$/g, '');
        try {
          u.apply(op, this.pubsubDefaultAll);
        } catch (e) {
          if (!(e instanceof AclRuleError)) throw e;
          if (e.code === 'ENOENT') {
            errors += `${path}:${linenum}: Error in applying operation '${op}': ${e.message}. `;
          } else if (!syntaxError) {
            errors += `${path}:${linenum}: ${e.message}. `;
            syntaxError = true;
          }
        }
      }
    });
    if (errors) return `${errors}WARNING: ACL errors detected, no change to the previously active ACL rules was performed`;
    for (const name of this.users.keys()) {
      if (name !== 'default') this.engine.aclDeleteUser(name);
    }
    if (!fresh.has('default')) fresh.set('default', this.createDefaultUser());
    this.users = fresh;
    for (const u of this.users.values()) this.install(u);
    return null;
  }

  /** Redis's `ACLSaveToFile`: every user as a `user` line, written to a temp file and renamed. */
  saveFile(path: string): void {
    const body = this.list()
      .map((u) => `user ${u.name} ${u.describe()}\n`)
      .join('');
    const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
    writeFileSync(tmp, body, { mode: 0o644 });
    renameSync(tmp, path);
  }

  /** Compiles a user into the core's check. */
  private install(u: AclUser): void {
    this.engine.aclInstallUser({
      name: u.name,
      enabled: u.enabled,
      nopass: u.nopass,
      passwords: u.passwords,
      selectors: u.selectors.map((s) => ({
        allCommands: s.allCommands,
        commands: [...s.allowed],
        firstArgs: [...s.firstArgs].flatMap(([cmd, args]) => args.map((a) => `${cmd}|${a}`)),
        allKeys: s.allKeys,
        keyPatterns: s.patterns.map((p) => p.pattern),
        keyRead: s.patterns.map((p) => p.read),
        keyWrite: s.patterns.map((p) => p.write),
        allChannels: s.allChannels,
        channels: s.channels,
      })),
    });
  }
}

/** An fs error as C's strerror words it. */
function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'EISDIR') return 'Is a directory';
  return (e as Error).message;
}

export { AclSetUserError };
