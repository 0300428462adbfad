/**
 * Logging in Redis's format: `pid:M 21 Nov 2026 09:41:59.123 * message`,
 * where the mark is the level (`.` debug, `-` verbose, `*` notice, `#`
 * warning), the time is local, and `M` is the role (ferrokv is always a
 * master: it never forks a child to save). As Redis, every line opens the
 * log file for appending and closes it again, so a rotated file is picked up
 * at once; an unwritable file loses the line rather than stopping the server.
 */
import { appendFileSync, closeSync, openSync } from 'node:fs';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning' | 'nothing';

const LEVELS: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };
const MARKS: Record<Exclude<LogLevel, 'nothing'>, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Redis formats a message into a 1024-byte buffer: longer ones are cut. */
const MAX_MESSAGE = 1023;

/** strerror's text for the errors opening a log file meets. */
const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
};

/** One log line as Redis writes it (without the newline). */
export function formatLogLine(level: Exclude<LogLevel, 'nothing'>, msg: string, when = new Date(), pid = process.pid): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  const stamp = `${p2(when.getDate())} ${MONTHS[when.getMonth()]} ${when.getFullYear()} ${p2(when.getHours())}:${p2(when.getMinutes())}:${p2(when.getSeconds())}.${String(when.getMilliseconds()).padStart(3, '0')}`;
  const text = Buffer.byteLength(msg) > MAX_MESSAGE ? Buffer.from(msg).subarray(0, MAX_MESSAGE).toString() : msg;
  return `${pid}:M ${stamp} ${MARKS[level]} ${text}`;
}

/**
 * Redis's startup check of `logfile`: the file must open for appending, or
 * the server does not start ("Can't open the log file: …").
 */
export function checkLogFile(path: string): void {
  if (!path) return;
  try {
    closeSync(openSync(path, 'a'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new Error(`Can't open the log file: ${STRERROR[code] ?? (e as Error).message}`, { cause: e });
  }
}

export class Logger {
  constructor(
    public level: LogLevel = 'notice',
    /** A path, or '' for standard output. */
    public file = '',
    /** Embedded servers stay quiet unless asked. */
    public silent = false,
  ) {}

  debug(msg: string): void {
    this.log('debug', msg);
  }
  verbose(msg: string): void {
    this.log('verbose', msg);
  }
  notice(msg: string): void {
    this.log('notice', msg);
  }
  warning(msg: string): void {
    this.log('warning', msg);
  }

  /** Whether a message at `level` would be written (skip building costly ones). */
  enabled(level: Exclude<LogLevel, 'nothing'>): boolean {
    return !this.silent && LEVELS[level] >= LEVELS[this.level];
  }

  log(level: Exclude<LogLevel, 'nothing'>, msg: string): void {
    if (!this.enabled(level)) return;
    const line = `${formatLogLine(level, msg)}\n`;
    if (!this.file) {
      process.stdout.write(line);
      return;
    }
    try {
      appendFileSync(this.file, line);
    } catch {
      // As Redis: a log line that cannot be written is dropped.
    }
  }
}
