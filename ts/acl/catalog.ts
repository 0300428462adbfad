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

  /**
   * `raw`: the core's commands with their categories; `categories`: every
   * category in Redis's order (ACL CAT), from the core's table too.
   */
  constructor(
    raw: RawCommand[],
    readonly categories: readonly string[],
  ) {
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

  isCategory(name: string): boolean {
    return this.categories.includes(name.toLowerCase());
  }
}
