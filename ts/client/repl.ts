/**
 * The interactive prompt: readline with history kept in a file between runs
 * and tab completion from the server's command table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { CommandNames } from './completion';
import { runLine } from './lines';
import type { Session } from './session';

const HISTORY_MAX = 1000;

/** ~/.ferrokv_cli_history, or $FERROKV_CLI_HISTFILE (`/dev/null` turns history off). */
export function historyFile(env = process.env): string {
  return env.FERROKV_CLI_HISTFILE || join(homedir(), '.ferrokv_cli_history');
}

/** The file's lines, newest first, as readline wants them. */
export function loadHistory(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).reverse().slice(0, HISTORY_MAX);
  } catch {
    return [];
  }
}

/** Passwords stay out of the history file, as redis-cli keeps AUTH out of it. */
function isSensitive(line: string): boolean {
  return /^\s*(auth|hello\s+\S+\s+auth|acl\s+setuser|migrate)\b/i.test(line);
}

export interface ReplStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  terminal: boolean;
}

export async function repl(session: Session, streams: ReplStreams, file = historyFile()): Promise<void> {
  const names = CommandNames.fromCommandReply(await session.call(['COMMAND']).catch(() => undefined));
  const history = loadHistory(file);
  const rl = createInterface({
    input: streams.input,
    output: streams.output,
    terminal: streams.terminal,
    history,
    historySize: HISTORY_MAX,
    removeHistoryDuplicates: false,
    completer: (line: string) => names.complete(line),
  });
  const print = (text: string) => void streams.output.write(Buffer.from(text, 'latin1'));
  // readline keeps the list bounded (newest first); the file is written from it after each line.
  rl.on('history', (list: string[]) => {
    try {
      writeFileSync(file, list.filter((l) => !isSensitive(l)).reverse().map((l) => `${l}\n`).join(''));
    } catch {
      // An unwritable history file must not stop the client.
    }
  });
  try {
    rl.setPrompt(session.prompt());
    rl.prompt();
    for await (const line of rl) {
      // readline hands UTF-8 text; the server gets its bytes (binary strings, see reply.ts).
      const result = await runLine(session, Buffer.from(line, 'utf8').toString('latin1'), print);
      if (result === 'quit') break;
      rl.setPrompt(session.prompt());
      rl.prompt();
    }
  } finally {
    rl.close();
  }
}
