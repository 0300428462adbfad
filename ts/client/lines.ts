/**
 * One line typed at the prompt or read from stdin, as redis-cli treats it:
 * split like sdssplitargs, an optional repeat count first (`3 INCR n`), and
 * `quit` / `exit` to leave, `help` answered from the server's COMMAND DOCS.
 */
import { splitArgs } from '../util/splitargs';
import type { Session } from './session';

export type LineResult = 'continue' | 'quit';

/**
 * Runs `line`, a binary string (one char per byte, so `"\xff"` escapes and
 * UTF-8 input both reach the server as the bytes meant).
 */
export async function runLine(session: Session, line: string, print: (text: string) => void): Promise<LineResult> {
  const args = splitArgs(line);
  if (args === null) {
    print('Invalid argument(s)\n');
    return 'continue';
  }
  if (args.length === 0) return 'continue';
  const first = args[0].toLowerCase();
  if (first === 'quit' || first === 'exit') return 'quit';
  if (first === 'help' || first === '?') {
    print((await session.help()).render(args.slice(1)));
    return 'continue';
  }
  let repeat = 1;
  if (args.length > 1 && /^-?\d+$/.test(args[0])) {
    repeat = Number(args[0]);
    if (!Number.isSafeInteger(repeat) || repeat <= 0) {
      print('Invalid redis-cli repeat command option value.\n');
      return 'continue';
    }
    args.shift();
  }
  for (let i = 0; i < repeat; i++) await session.run(args);
  return 'continue';
}
