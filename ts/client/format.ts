/**
 * Replies printed as redis-cli prints them. Two modes, chosen as redis-cli
 * chooses: `tty` (stdout is a terminal, or --no-raw) quotes strings and
 * numbers nested replies; `raw` (stdout is a pipe, or --raw) prints bare
 * values one per line. Both work on binary strings (see reply.ts).
 */
import { isAggregate, type Reply } from './reply';

export type OutputMode = 'tty' | 'raw';

/** sds's `sdscatrepr`: a double-quoted string with C escapes, \xNN for the unprintable. */
export function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x5c:
        out += '\\\\';
        break;
      case 0x22:
        out += '\\"';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x07:
        out += '\\a';
        break;
      case 0x08:
        out += '\\b';
        break;
      default:
        out += c >= 0x20 && c <= 0x7e ? s[i] : `\\x${c.toString(16).padStart(2, '0')}`;
    }
  }
  return `${out}"`;
}

const EMPTY: Record<string, string> = {
  array: '(empty array)\n',
  map: '(empty hash)\n',
  set: '(empty set)\n',
  push: '(empty push)\n',
};

const INDEX_MARK: Record<string, string> = { set: '~', map: '#', array: ')', push: ')' };

/** Whether a map value is printed on its own lines (redis-cli then starts it on a new line). */
function isMultiline(r: Reply): boolean {
  if (!isAggregate(r) || r.items.length === 0) return false;
  if (r.type === 'map') return r.items.length > 2 || isMultiline(r.items[1]);
  return r.items.length > 1 || isMultiline(r.items[0]);
}

/**
 * redis-cli's TTY form. `prefix` is the indentation of the enclosing
 * aggregate; the first element of a nested one goes on the line its parent
 * started, after the parent's index.
 */
export function formatTTY(r: Reply, prefix = ''): string {
  switch (r.type) {
    case 'error':
      return `(error) ${r.text}\n`;
    case 'status':
      return `${r.text}\n`;
    case 'integer':
      return `(integer) ${r.text}\n`;
    case 'double':
      return `(double) ${r.text}\n`;
    case 'bignum':
      return `(big number) ${r.text}\n`;
    case 'bulk':
      return `${quote(r.text)}\n`;
    case 'verbatim':
      return `${r.text}\n`;
    case 'nil':
      return '(nil)\n';
    case 'bool':
      return r.value ? '(true)\n' : '(false)\n';
    default:
      return formatAggregateTTY(r, prefix);
  }
}

function formatAggregateTTY(r: Extract<Reply, { items: Reply[] }>, prefix: string): string {
  if (r.items.length === 0) return EMPTY[r.type];
  const isMap = r.type === 'map';
  const entries = isMap ? r.items.length / 2 : r.items.length;
  const width = String(entries).length;
  const inner = prefix + ' '.repeat(width + 2);
  const mark = INDEX_MARK[r.type];
  let out = '';
  for (let i = 0; i < entries; i++) {
    out += `${i === 0 ? '' : prefix}${String(i + 1).padStart(width)}${mark} `;
    if (!isMap) {
      out += formatTTY(r.items[i], inner);
      continue;
    }
    const value = r.items[2 * i + 1];
    out += formatTTY(r.items[2 * i], inner).slice(0, -1) + ' => ';
    if (isMultiline(value)) out += `\n${inner}`;
    out += formatTTY(value, inner);
  }
  return out;
}

/** redis-cli's raw form; `delimiter` separates the elements of an aggregate. */
export function formatRaw(r: Reply, delimiter = '\n'): string {
  switch (r.type) {
    case 'nil':
      return '';
    case 'error':
      return `${r.text}\n`;
    case 'bool':
      return r.value ? '(true)' : '(false)';
    case 'status':
    case 'bulk':
    case 'verbatim':
    case 'integer':
    case 'double':
    case 'bignum':
      return r.text;
    case 'map': {
      const parts: string[] = [];
      for (let i = 0; i < r.items.length; i += 2) parts.push(`${formatRaw(r.items[i], delimiter)} ${formatRaw(r.items[i + 1], delimiter)}`);
      return parts.join(delimiter);
    }
    default:
      return r.items.map((item) => formatRaw(item, delimiter)).join(delimiter);
  }
}

/**
 * A whole reply as redis-cli writes it for one command. `verbatim` is set for
 * commands whose reply is text meant to be read as is (INFO, CLIENT LIST …):
 * redis-cli prints those raw even on a terminal.
 */
export function formatReply(r: Reply, mode: OutputMode, verbatim = false): string {
  if (verbatim) return formatRaw(r);
  return mode === 'tty' ? formatTTY(r) : `${formatRaw(r)}\n`;
}

/** redis-cli's list of commands whose reply it prints raw even on a terminal. */
export function printsVerbatim(args: string[]): boolean {
  const [cmd, sub] = args.map((a) => a.toLowerCase());
  const n = args.length;
  return (
    cmd === 'info' ||
    cmd === 'lolwut' ||
    (n >= 2 && cmd === 'debug' && (sub === 'htstats' || sub === 'htstats-key')) ||
    (n >= 2 && cmd === 'memory' && (sub === 'malloc-stats' || sub === 'doctor')) ||
    (n === 2 && cmd === 'cluster' && (sub === 'nodes' || sub === 'info')) ||
    (n >= 2 && cmd === 'client' && (sub === 'list' || sub === 'info')) ||
    (n === 3 && cmd === 'latency' && sub === 'graph') ||
    (n === 2 && cmd === 'latency' && sub === 'doctor')
  );
}
