/**
 * An ACL user: flags, SHA-256 password hashes and selectors (the root one
 * first), with Redis's `ACLSetUser` rules and `ACLDescribeUser` output.
 */
import { createHash } from 'node:crypto';

import type { CommandCatalog } from './catalog';
import { AclRuleError, Selector } from './selector';

export function hashPassword(password: string | Buffer): string {
  return createHash('sha256').update(password).digest('hex');
}

const HASH = /^[0-9a-f]{64}$/;

export class AclUser {
  enabled = false;
  nopass = false;
  /** sanitize-payload (true) or skip-sanitize-payload (false). */
  sanitizePayload = true;
  passwords: string[] = [];
  selectors: Selector[];

  /** A new user as Redis creates one: off, no passwords, no permissions. */
  constructor(
    readonly name: string,
    private readonly catalog: CommandCatalog,
    pubsubDefaultAllChannels = false,
  ) {
    const root = new Selector(catalog);
    root.allChannels = pubsubDefaultAllChannels;
    this.selectors = [root];
  }

  get root(): Selector {
    return this.selectors[0];
  }

  clone(name = this.name): AclUser {
    const u = new AclUser(name, this.catalog);
    u.enabled = this.enabled;
    u.nopass = this.nopass;
    u.sanitizePayload = this.sanitizePayload;
    u.passwords = [...this.passwords];
    u.selectors = this.selectors.map((s) => s.clone());
    return u;
  }

  /**
   * Applies one rule (Redis's `ACLSetUser`); `pubsubDefaultAllChannels` is
   * acl-pubsub-default; `password` is a `>`/`<` rule's password as bytes.
   */
  apply(op: string, pubsubDefaultAllChannels = false, password?: Buffer): void {
    if (op === '') return;
    const lower = op.toLowerCase();
    switch (lower) {
      case 'on':
        this.enabled = true;
        return;
      case 'off':
        this.enabled = false;
        return;
      case 'skip-sanitize-payload':
        this.sanitizePayload = false;
        return;
      case 'sanitize-payload':
        this.sanitizePayload = true;
        return;
      case 'nopass':
        this.nopass = true;
        this.passwords = [];
        return;
      case 'resetpass':
        this.nopass = false;
        this.passwords = [];
        return;
      case 'clearselectors':
        this.selectors = [this.root];
        return;
      case 'reset':
        for (const step of ['resetpass', 'resetkeys', 'resetchannels']) this.apply(step);
        if (pubsubDefaultAllChannels) this.apply('allchannels');
        for (const step of ['off', 'sanitize-payload', 'clearselectors', '-@all']) this.apply(step);
        return;
    }
    if (op[0] === '>' || op[0] === '#') {
      const hash = op[0] === '>' ? hashPassword(password ?? op.slice(1)) : op.slice(1);
      if (!HASH.test(hash)) throw new AclRuleError('EBADMSG');
      if (!this.passwords.includes(hash)) this.passwords.push(hash);
      this.nopass = false;
    } else if (op[0] === '<' || op[0] === '!') {
      const hash = op[0] === '<' ? hashPassword(password ?? op.slice(1)) : op.slice(1);
      if (!HASH.test(hash)) throw new AclRuleError('EBADMSG');
      const at = this.passwords.indexOf(hash);
      if (at === -1) throw new AclRuleError('ENODEV');
      this.passwords.splice(at, 1);
    } else if (op[0] === '(' && op[op.length - 1] === ')') {
      const selector = new Selector(this.catalog);
      selector.allChannels = pubsubDefaultAllChannels;
      for (const inner of splitSelectorBody(op.slice(1, -1))) selector.apply(inner);
      this.selectors.push(selector);
    } else {
      this.root.apply(op);
    }
  }

  /** The flags ACL GETUSER lists, in Redis's order. */
  flags(): string[] {
    const out = [this.enabled ? 'on' : 'off'];
    if (this.nopass) out.push('nopass');
    out.push(this.sanitizePayload ? 'sanitize-payload' : 'skip-sanitize-payload');
    return out;
  }

  /** Redis's `ACLDescribeUser`: what follows "user <name> " in ACL LIST. */
  describe(): string {
    let out = '';
    for (const f of this.flags()) out += `${f} `;
    for (const h of this.passwords) out += `#${h} `;
    this.selectors.forEach((s, i) => {
      out += i === 0 ? s.describe() : ` (${s.describe()})`;
    });
    return out;
  }
}

/**
 * A selector's inside, split as Redis's `sdssplitargs` would: on spaces,
 * with quotes grouping.
 */
function splitSelectorBody(body: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(body); m; m = re.exec(body)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}
