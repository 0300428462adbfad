/** Logging in Redis's format: `pid:M 21 Nov 2026 09:41:59.123 * message`. */
import { appendFileSync } from 'node:fs';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning' | 'nothing';

const LEVELS: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };
const MARKS: Record<Exclude<LogLevel, 'nothing'>, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

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

  log(level: Exclude<LogLevel, 'nothing'>, msg: string): void {
    if (this.silent || LEVELS[level] < LEVELS[this.level]) return;
    const d = new Date();
    const p2 = (n: number) => String(n).padStart(2, '0');
    const stamp = `${p2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
    const line = `${process.pid}:M ${stamp} ${MARKS[level]} ${msg}\n`;
    if (this.file) appendFileSync(this.file, line);
    else process.stdout.write(line);
  }
}
