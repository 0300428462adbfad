/**
 * A raw socket client: sends exact bytes and hands back exact reply bytes,
 * for protocol edge cases and byte-for-byte comparisons.
 */
import { connect, type Socket } from 'node:net';

import { type Arg, encodeCommand, encodeCommands, replyLength } from './resp';

/** Where a server listens: TCP on 127.0.0.1, or a unix socket path. */
export type Endpoint = { port: number } | { path: string };

const DEFAULT_TIMEOUT = 10_000;

export class RawClient {
  private buf: Buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  /** Resolves once the server has closed the connection (or it errored). */
  readonly closed: Promise<void>;
  isClosed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
      this.wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.isClosed = true;
        this.wake();
        resolve();
      });
    });
    socket.on('error', () => undefined);
  }

  static connect(endpoint: Endpoint): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = 'path' in endpoint ? connect(endpoint.path) : connect({ host: '127.0.0.1', port: endpoint.port });
      socket.setNoDelay(true);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawClient(socket));
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits until `ready()` holds (re-checked on every read and at close). */
  private async until<T>(ready: () => T | undefined, what: () => string, timeout: number): Promise<T> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const v = ready();
      if (v !== undefined) return v;
      if (this.isClosed) throw new Error(`connection closed while waiting for ${what()}; have ${JSON.stringify(this.buf.toString('latin1').slice(0, 300))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what()}; have ${JSON.stringify(this.buf.toString('latin1').slice(0, 300))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  write(data: Buffer | string): void {
    this.socket.write(data);
  }

  /** The next `n` whole replies, each as its raw bytes. */
  async replies(n: number, timeout = DEFAULT_TIMEOUT): Promise<Buffer[]> {
    const out: Buffer[] = [];
    await this.until(
      () => {
        while (out.length < n) {
          const len = this.buf.length === 0 ? -1 : replyLength(this.buf);
          if (len < 0) return undefined;
          out.push(this.buf.subarray(0, len));
          this.buf = this.buf.subarray(len);
        }
        return true;
      },
      () => `${n} replies (got ${out.length})`,
      timeout,
    );
    return out;
  }

  async reply(timeout = DEFAULT_TIMEOUT): Promise<Buffer> {
    return (await this.replies(1, timeout))[0];
  }

  /** Exactly `n` bytes (for replies not worth framing). */
  async bytes(n: number, timeout = DEFAULT_TIMEOUT): Promise<Buffer> {
    await this.until(() => (this.buf.length >= n ? true : undefined), () => `${n} bytes`, timeout);
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** Sends one command and returns its raw reply. */
  async call(...args: Arg[]): Promise<Buffer> {
    this.write(encodeCommand(args));
    return this.reply();
  }

  /** Sends commands as one pipeline and returns one raw reply each. */
  async pipeline(cmds: Arg[][]): Promise<Buffer[]> {
    this.write(encodeCommands(cmds));
    return this.replies(cmds.length);
  }

  /** Everything the server sends until it closes the connection. */
  async untilClosed(timeout = DEFAULT_TIMEOUT): Promise<Buffer> {
    await this.until(() => (this.isClosed ? true : undefined), () => 'the connection to close', timeout);
    const out = this.buf;
    this.buf = Buffer.alloc(0);
    return out;
  }

  /** Bytes received and not yet taken. */
  pending(): Buffer {
    return this.buf;
  }

  close(): void {
    this.socket.destroy();
  }
}
