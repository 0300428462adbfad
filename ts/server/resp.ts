/**
 * Encoding for the replies the TypeScript side writes itself (CONFIG,
 * SHUTDOWN …); the core encodes everything else. Mirrors the core's writer:
 * callers say what a value is, the encoder picks the RESP2 or RESP3 form.
 */
export type Resp = 2 | 3;

export type ReplyValue =
  | { kind: 'ok' }
  | { kind: 'simple'; text: string }
  | { kind: 'error'; text: string }
  | { kind: 'int'; value: number }
  | { kind: 'bulk'; value: string | Buffer }
  | { kind: 'null' }
  | { kind: 'array'; items: ReplyValue[] }
  /** An array in RESP2, a set in RESP3. */
  | { kind: 'set'; items: ReplyValue[] }
  /** A bulk string in RESP2, a double in RESP3. */
  | { kind: 'double'; value: number }
  | { kind: 'map'; entries: [ReplyValue, ReplyValue][] };

export const reply = {
  ok: (): ReplyValue => ({ kind: 'ok' }),
  simple: (text: string): ReplyValue => ({ kind: 'simple', text }),
  error: (text: string): ReplyValue => ({ kind: 'error', text }),
  int: (value: number): ReplyValue => ({ kind: 'int', value }),
  bulk: (value: string | Buffer): ReplyValue => ({ kind: 'bulk', value }),
  null: (): ReplyValue => ({ kind: 'null' }),
  array: (items: ReplyValue[]): ReplyValue => ({ kind: 'array', items }),
  set: (items: ReplyValue[]): ReplyValue => ({ kind: 'set', items }),
  double: (value: number): ReplyValue => ({ kind: 'double', value }),
  map: (entries: [ReplyValue, ReplyValue][]): ReplyValue => ({ kind: 'map', entries }),
};

export function encode(value: ReplyValue, resp: Resp): Buffer {
  const parts: Buffer[] = [];
  write(value, resp, parts);
  return Buffer.concat(parts);
}

function write(v: ReplyValue, resp: Resp, out: Buffer[]): void {
  switch (v.kind) {
    case 'ok':
      out.push(Buffer.from('+OK\r\n'));
      return;
    case 'simple':
      out.push(Buffer.from(`+${v.text}\r\n`));
      return;
    case 'error':
      out.push(Buffer.from(`-${v.text.replace(/[\r\n]/g, ' ')}\r\n`));
      return;
    case 'int':
      out.push(Buffer.from(`:${v.value}\r\n`));
      return;
    case 'bulk': {
      const data = typeof v.value === 'string' ? Buffer.from(v.value) : v.value;
      out.push(Buffer.from(`$${data.length}\r\n`), data, Buffer.from('\r\n'));
      return;
    }
    case 'null':
      out.push(Buffer.from(resp === 3 ? '_\r\n' : '$-1\r\n'));
      return;
    case 'array':
      out.push(Buffer.from(`*${v.items.length}\r\n`));
      for (const item of v.items) write(item, resp, out);
      return;
    case 'set':
      out.push(Buffer.from(`${resp === 3 ? '~' : '*'}${v.items.length}\r\n`));
      for (const item of v.items) write(item, resp, out);
      return;
    case 'double': {
      // Shortest round-trip digits, as Redis 7.2's fpconv_dtoa.
      const text = String(v.value);
      out.push(Buffer.from(resp === 3 ? `,${text}\r\n` : `$${text.length}\r\n${text}\r\n`));
      return;
    }
    case 'map':
      out.push(Buffer.from(resp === 3 ? `%${v.entries.length}\r\n` : `*${v.entries.length * 2}\r\n`));
      for (const [k, val] of v.entries) {
        write(k, resp, out);
        write(val, resp, out);
      }
      return;
  }
}
