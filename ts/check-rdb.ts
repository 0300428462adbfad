/**
 * `ferrokv check-rdb FILE`: reads an RDB file as the server would load it
 * and reports what it holds or what is wrong, like redis-check-rdb.
 * Exits 0 for a sound file, 1 otherwise.
 */
import { checkRdb } from './native';

export function checkRdbCommand(args: string[]): number {
  if (args.length !== 1 || args[0].startsWith('-')) {
    process.stderr.write('Usage: ferrokv check-rdb <rdb-file-name>\n');
    return 1;
  }
  const report = checkRdb(args[0]);
  for (const line of report.lines) process.stdout.write(`${line}\n`);
  return report.ok ? 0 : 1;
}
