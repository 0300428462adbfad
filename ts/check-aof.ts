/**
 * `ferrokv check-aof [--fix] FILE`: checks an AOF as the server would load
 * it — a manifest (every file it names) or a single file — like
 * redis-check-aof. `--fix` cuts the last file back to its last complete
 * command (without asking, unlike redis-check-aof). Exits 0 when the AOF
 * is (or was made) valid, 1 otherwise.
 */
import { checkAof } from './native';

export function checkAofCommand(args: string[]): number {
  const fix = args[0] === '--fix';
  const rest = fix ? args.slice(1) : args;
  if (rest.length !== 1 || rest[0].startsWith('-')) {
    process.stderr.write('Usage: ferrokv check-aof [--fix] <file.manifest|file.aof>\n');
    return 1;
  }
  const report = checkAof(rest[0], fix);
  for (const line of report.lines) process.stdout.write(`${line}\n`);
  return report.ok ? 0 : 1;
}
