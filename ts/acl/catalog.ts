/**
 * The command table as ACL rules see it: full names, categories and
 * subcommands, read once from the core (the table is the single source of
 * truth for categories).
 */
export interface AclCommandInfo {
  /** Full name, lower case ("get", "config|get"). */
  name: string;
  categories: ReadonlySet<string>;
  parent?: string;
  subcommands: string[];
}

/** Redis's categories, in the order ACL CAT lists them. */
export const CATEGORIES = [
  'keyspace',
  'read',
  'write',
  'set',
  'sortedset',
  'list',
  'hash',
  'string',
  'bitmap',
  'hyperloglog',
  'geo',
  'stream',
  'pubsub',
  'admin',
  'fast',
  'slow',
  'blocking',
  'dangerous',
  'connection',
  'transaction',
  'scripting',
] as const;

export interface RawCommand {
  name: string;
  categories: string[];
  parent?: string | null;
  hasSubcommands: boolean;
}

export class CommandCatalog {
  private readonly byName = new Map<string, AclCommandInfo>();
  /** Top-level commands, each followed by its subcommands. */
  readonly all: AclCommandInfo[] = [];

  constructor(raw: RawCommand[]) {
    for (const r of raw) {
      this.byName.set(r.name, { name: r.name, categories: new Set(r.categories), parent: r.parent ?? undefined, subcommands: [] });
    }
    for (const info of this.byName.values()) {
      if (info.parent) this.byName.get(info.parent)?.subcommands.push(info.name);
    }
    for (const info of this.byName.values()) {
      if (info.parent) continue;
      this.all.push(info);
      for (const sub of info.subcommands) this.all.push(this.byName.get(sub) as AclCommandInfo);
    }
  }

  /** Redis's `ACLLookupCommand`: "get" or "container|sub", any case. */
  lookup(name: string): AclCommandInfo | undefined {
    const parts = name.toLowerCase().split('|');
    if (parts.length > 2) return undefined;
    const base = this.byName.get(parts[0]);
    if (!base || base.parent) return undefined;
    if (parts.length === 1) return base;
    if (base.subcommands.length === 0) return undefined;
    return this.byName.get(`${parts[0]}|${parts[1]}`);
  }

  get(fullName: string): AclCommandInfo | undefined {
    return this.byName.get(fullName);
  }

  static isCategory(name: string): boolean {
    return (CATEGORIES as readonly string[]).includes(name.toLowerCase());
  }
}
