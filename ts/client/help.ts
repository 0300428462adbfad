/**
 * The prompt's `help`: `help <command>` and `help @<group>` from the
 * server's `COMMAND DOCS`, laid out as redis-cli lays out its own help.
 */
import { VERSION } from '../version';
import type { Reply } from './reply';

interface CommandDoc {
  name: string;
  summary: string;
  since: string;
  group: string;
}

const text = (r: Reply | undefined): string => (r && 'text' in r ? r.text : '');

export class CommandHelp {
  private readonly docs = new Map<string, CommandDoc>();

  /** Reads a `COMMAND DOCS` reply (RESP2 flat pairs or a RESP3 map), subcommands included. */
  static fromDocsReply(reply: Reply | undefined): CommandHelp {
    const help = new CommandHelp();
    if (reply && 'items' in reply) help.add(reply.items, '');
    return help;
  }

  private add(items: Reply[], parent: string): void {
    for (let i = 0; i + 1 < items.length; i += 2) {
      const name = text(items[i]).toUpperCase().replace('|', ' ');
      const body = items[i + 1];
      if (!('items' in body)) continue;
      const fields = new Map<string, Reply>();
      for (let j = 0; j + 1 < body.items.length; j += 2) fields.set(text(body.items[j]), body.items[j + 1]);
      const full = parent && !name.startsWith(`${parent} `) ? `${parent} ${name}` : name;
      this.docs.set(full, { name: full, summary: text(fields.get('summary')), since: text(fields.get('since')), group: text(fields.get('group')) });
      const subs = fields.get('subcommands');
      if (subs && 'items' in subs) this.add(subs.items, full);
    }
  }

  /** What `help …` prints for `args` (the words after `help`). */
  render(args: string[]): string {
    if (args.length === 0) {
      return (
        `ferrokv cli ${VERSION}\n` +
        'To get help about commands type:\n' +
        '      "help @<group>" to get a list of commands in <group>\n' +
        '      "help <command>" for help on <command>\n' +
        '      "quit" to exit\n'
      );
    }
    const topic = args.join(' ');
    if (topic.startsWith('@')) {
      const group = topic.slice(1).toLowerCase();
      const inGroup = [...this.docs.values()].filter((d) => d.group === group).sort((a, b) => a.name.localeCompare(b.name));
      return inGroup.map((d) => this.entry(d)).join('');
    }
    const doc = this.docs.get(topic.toUpperCase());
    return doc ? this.entry(doc) : '';
  }

  /** redis-cli's entry: bold name, grey arguments (the server's docs list none yet), yellow labels. */
  private entry(d: CommandDoc): string {
    const label = (l: string) => `\x1b[33m${l}:\x1b[0m`;
    return (
      `\r\n  \x1b[1m${d.name}\x1b[0m \x1b[90m\x1b[0m\r\n` +
      `  ${label('summary')} ${d.summary}\r\n  ${label('since')} ${d.since}\r\n  ${label('group')} ${d.group}\r\n\r\n`
    );
  }
}
