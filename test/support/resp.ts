/**
 * Just enough RESP to split a reply stream into whole replies (RESP2 and
 * RESP3), encode requests, and normalize replies whose order Redis leaves
 * unspecified. Replies stay raw bytes: tests compare bytes, not decoded values.
 */

export type Arg = string | Buffer | number;

/** A command as a multibulk request. */
export function encodeCommand(args: Arg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a));
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export function encodeCommands(cmds: Arg[][]): Buffer {
  return Buffer.concat(cmds.map(encodeCommand));
}

/** Length in bytes of the whole reply at `pos`, or -1 when more bytes are needed. */
export function replyLength(buf: Buffer, pos = 0): number {
  const end = buf.indexOf('\r\n', pos);
  if (end < 0 || pos >= buf.length) return -1;
  const type = String.fromCharCode(buf[pos]);
  const head = buf.toString('latin1', pos + 1, end);
  const after = end + 2;
  switch (type) {
    case '+':
    case '-':
    case ':':
    case '_':
    case ',':
    case '#':
    case '(':
      return after - pos;
    case '$':
    case '!':
    case '=': {
      const n = Number(head);
      if (n < 0) return after - pos;
      return buf.length >= after + n + 2 ? after + n + 2 - pos : -1;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      const n = Number(head);
      if (n < 0) return after - pos;
      const items = type === '%' || type === '|' ? n * 2 : n;
      let p = after;
      for (let i = 0; i < items; i++) {
        const len = replyLength(buf, p);
        if (len < 0) return -1;
        p += len;
      }
      // An attribute is followed by the reply it annotates.
      if (type === '|') {
        const len = replyLength(buf, p);
        return len < 0 ? -1 : p + len - pos;
      }
      return p - pos;
    }
    default:
      throw new Error(`not a RESP reply at ${pos}: ${JSON.stringify(buf.toString('latin1', pos, pos + 40))}`);
  }
}

/** Splits a buffer of whole replies. Throws if it ends mid-reply. */
export function splitReplies(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const len = replyLength(buf, pos);
    if (len < 0) throw new Error(`incomplete reply at ${pos}`);
    out.push(buf.subarray(pos, pos + len));
    pos += len;
  }
  return out;
}

/** The header line and the raw elements of an aggregate reply (array, set, map, push). */
export function elements(reply: Buffer): { header: string; type: string; items: Buffer[] } {
  const end = reply.indexOf('\r\n');
  const header = reply.toString('latin1', 0, end + 2);
  const type = header[0];
  if (!'*~%>'.includes(type)) throw new Error(`not an aggregate: ${JSON.stringify(reply.toString('latin1', 0, 40))}`);
  const n = Number(header.slice(1, -2));
  const items: Buffer[] = [];
  let p = end + 2;
  for (let i = 0; i < (n < 0 ? 0 : type === '%' ? n * 2 : n); i++) {
    const len = replyLength(reply, p);
    items.push(reply.subarray(p, p + len));
    p += len;
  }
  return { header, type, items };
}

/**
 * Sorts an array's elements (or a map's pairs, or an even-length array's
 * pairs when `pairs` is set) by their bytes: for replies whose order Redis
 * leaves unspecified (KEYS, CONFIG GET *).
 */
export function sortReply(reply: Buffer, pairs = false): Buffer {
  if (reply[0] === 0x2d /* - */) return reply;
  const { header, type, items } = elements(reply);
  let groups: Buffer[][];
  if (type === '%' || pairs) {
    groups = [];
    for (let i = 0; i < items.length; i += 2) groups.push([items[i], items[i + 1]]);
  } else {
    groups = items.map((i) => [i]);
  }
  groups.sort((a, b) => Buffer.compare(a[0], b[0]) || Buffer.compare(a[1] ?? Buffer.alloc(0), b[1] ?? Buffer.alloc(0)));
  return Buffer.concat([Buffer.from(header, 'latin1'), ...groups.flat()]);
}

/** SCAN's `[cursor, [keys…]]` with the keys sorted. */
export function sortScanReply(reply: Buffer): Buffer {
  if (reply[0] === 0x2d) return reply;
  const { header, items } = elements(reply);
  return Buffer.concat([Buffer.from(header, 'latin1'), items[0], sortReply(items[1])]);
}

/** Bytes shown readably in test diffs (latin1 keeps every byte distinct). */
export function show(b: Buffer): string {
  return JSON.stringify(b.toString('latin1'));
}
