/**
 * Tab completion of command names, from the server's own command table
 * (`COMMAND`), so it always matches what the server accepts, containers'
 * subcommands included (`CONFIG G` → `CONFIG GET`).
 */
import type { Reply } from './reply';

export class CommandNames {
  /** Top-level names, upper case. */
  readonly commands: string[] = [];
  /** Container name → its subcommand names, upper case. */
  readonly subcommands = new Map<string, string[]>();

  /** Reads a `COMMAND` reply: each entry's name, and its subcommands (entry 10) if any. */
  static fromCommandReply(reply: Reply | undefined): CommandNames {
    const names = new CommandNames();
    if (!reply || !('items' in reply)) return names;
    for (const entry of reply.items) {
      if (!('items' in entry) || entry.items.length === 0) continue;
      const name = entry.items[0];
      if (!('text' in name)) continue;
      const upper = name.text.toUpperCase();
      names.commands.push(upper);
      const subs = entry.items[9];
      if (subs && 'items' in subs) {
        const list: string[] = [];
        for (const sub of subs.items) {
          const subName = 'items' in sub ? sub.items[0] : undefined;
          if (subName && 'text' in subName) list.push(subName.text.toUpperCase().split('|')[1] ?? '');
        }
        names.subcommands.set(upper, list.filter(Boolean).sort());
      }
    }
    names.commands.sort();
    return names;
  }

  /** readline's completer: [candidates, the part of the line they replace]. */
  complete(line: string): [string[], string] {
    const words = line.trimStart().split(/\s+/);
    const matchCase = (typed: string, name: string) => (typed !== '' && typed === typed.toLowerCase() ? name.toLowerCase() : name);
    if (words.length === 1) {
      const typed = words[0];
      const hits = this.commands.filter((c) => c.startsWith(typed.toUpperCase())).map((c) => matchCase(typed, c));
      return [hits, typed];
    }
    if (words.length === 2) {
      const subs = this.subcommands.get(words[0].toUpperCase()) ?? [];
      const typed = words[1];
      return [subs.filter((s) => s.startsWith(typed.toUpperCase())).map((s) => matchCase(typed || words[0], s)), typed];
    }
    return [[], line];
  }
}
