/**
 * An incremental RESP2/RESP3 reader: feed it socket chunks, take whole
 * replies out. Like hiredis's reader it first checks that a whole frame is
 * buffered, so a reply split across reads is parsed once, when complete.
 */
import type { Reply } from './reply';

/** The server sent bytes that are not RESP. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  readonly code = 'FERROKV_ERR_CLI_PROTOCOL';
}

/** Thrown inside `parse` when the buffer ends before the frame does. */
const INCOMPLETE = Symbol('incomplete');
/** What `parse` returns for a RESP3 attribute, which is skipped. */
const ATTRIBUTE = Symbol('attribute');

export class RespReader {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;

  push(chunk: Buffer): void {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
  }

  /** The next complete reply, or undefined until more bytes arrive. */
  next(): Reply | undefined {
    const start = this.pos;
    try {
      for (;;) {
        const reply = this.parse();
        // RESP3 attributes annotate the reply that follows; the CLI shows only that reply.
        if (reply !== ATTRIBUTE) return reply;
      }
    } catch (e) {
      if (e === INCOMPLETE) {
        this.pos = start;
        return undefined;
      }
      throw e;
    }
  }

  private line(): string {
    const end = this.buf.indexOf('\r\n', this.pos, 'latin1');
    if (end < 0) throw INCOMPLETE;
    const s = this.buf.toString('latin1', this.pos, end);
    this.pos = end + 2;
    return s;
  }

  private bytes(n: number): string {
    if (this.buf.length < this.pos + n + 2) throw INCOMPLETE;
    const s = this.buf.toString('latin1', this.pos, this.pos + n);
    this.pos += n + 2;
    return s;
  }

  private count(text: string): number {
    if (!/^-?\d+$/.test(text)) throw new ProtocolError(`Protocol error, bad length "${text}"`);
    return Number(text);
  }

  private items(n: number): Reply[] {
    const out: Reply[] = [];
    for (let i = 0; i < n; i++) out.push(this.element());
    return out;
  }

  /** An element of an aggregate: attributes before it are skipped. */
  private element(): Reply {
    for (;;) {
      const r = this.parse();
      if (r !== ATTRIBUTE) return r;
    }
  }

  private parse(): Reply | typeof ATTRIBUTE {
    if (this.pos >= this.buf.length) throw INCOMPLETE;
    const kind = String.fromCharCode(this.buf[this.pos++]);
    const head = this.line();
    switch (kind) {
      case '+':
        return { type: 'status', text: head };
      case '-':
        return { type: 'error', text: head };
      case ':':
        return { type: 'integer', text: String(BigInt(head)) };
      case ',':
        return { type: 'double', text: head };
      case '(':
        return { type: 'bignum', text: head };
      case '#':
        return { type: 'bool', value: head === 't' };
      case '_':
        return { type: 'nil' };
      case '$': {
        const n = this.count(head);
        return n < 0 ? { type: 'nil' } : { type: 'bulk', text: this.bytes(n) };
      }
      case '!':
        return { type: 'error', text: this.bytes(this.count(head)) };
      case '=': {
        const s = this.bytes(this.count(head));
        return { type: 'verbatim', format: s.slice(0, 3), text: s.slice(4) };
      }
      case '*': {
        const n = this.count(head);
        return n < 0 ? { type: 'nil' } : { type: 'array', items: this.items(n) };
      }
      case '~':
        return { type: 'set', items: this.items(this.count(head)) };
      case '>':
        return { type: 'push', items: this.items(this.count(head)) };
      case '%':
        return { type: 'map', items: this.items(this.count(head) * 2) };
      case '|':
        this.items(this.count(head) * 2);
        return ATTRIBUTE;
      default:
        throw new ProtocolError(`Protocol error, got "${kind}" as reply type byte`);
    }
  }
}
