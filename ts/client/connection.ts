/**
 * One connection to a server for the CLI: send a command, await its reply.
 * Replies come back in order, so pending requests are a FIFO queue; anything
 * that arrives with nothing pending (RESP3 pushes, pub/sub messages,
 * MONITOR lines) goes to `onUnsolicited`.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { readFileSync } from 'node:fs';

import type { Reply } from './reply';
import { RespReader } from './resp-reader';

export interface Endpoint {
  host: string;
  port: number;
  /** A unix socket path; when set, host and port are not used. */
  socket?: string;
  tls?: TlsOptions;
}

export interface TlsOptions {
  cacert?: string;
  cert?: string;
  key?: string;
  sni?: string;
  /** Skip certificate verification (redis-cli's --insecure). */
  insecure?: boolean;
}

/** Connecting failed; `message` reads as redis-cli's ("Could not connect to Redis at …"). */
export class ConnectError extends Error {
  override name = 'ConnectError';
  readonly code = 'FERROKV_ERR_CLI_CONNECT';
}

/** The server closed the connection (or it broke) before a reply came. */
export class ConnectionClosedError extends Error {
  override name = 'ConnectionClosedError';
  readonly code = 'FERROKV_ERR_CLI_CLOSED';
  constructor() {
    super('Server closed the connection');
  }
}

/** Encodes argv as a RESP array of bulk strings (binary strings, see reply.ts). */
export function encodeCommand(args: string[]): Buffer {
  let head = `*${args.length}\r\n`;
  const parts: Buffer[] = [];
  for (const a of args) {
    head += `$${a.length}\r\n`;
    parts.push(Buffer.from(head, 'latin1'), Buffer.from(a, 'latin1'));
    head = '\r\n';
  }
  parts.push(Buffer.from(head, 'latin1'));
  return Buffer.concat(parts);
}

function describe(ep: Endpoint): string {
  return ep.socket ?? `${ep.host}:${ep.port}`;
}

function tlsOptions(ep: Endpoint, tls: TlsOptions): ConnectionOptions {
  return {
    host: ep.host,
    port: ep.port,
    servername: tls.sni ?? (/^[\d.:]+$/.test(ep.host) ? undefined : ep.host),
    ca: tls.cacert ? readFileSync(tls.cacert) : undefined,
    cert: tls.cert ? readFileSync(tls.cert) : undefined,
    key: tls.key ? readFileSync(tls.key) : undefined,
    rejectUnauthorized: !tls.insecure,
  };
}

export class CliConnection {
  private readonly reader = new RespReader();
  private readonly pending: { resolve(r: Reply): void; reject(e: Error): void }[] = [];
  private closed = false;
  onUnsolicited: (r: Reply) => void = () => {};
  onClose: () => void = () => {};

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.fail(new ConnectionClosedError()));
  }

  static open(ep: Endpoint): Promise<CliConnection> {
    return new Promise((resolve, reject) => {
      const ready = ep.tls ? 'secureConnect' : 'connect';
      const socket = ep.socket
        ? netConnect(ep.socket)
        : ep.tls
          ? tlsConnect(tlsOptions(ep, ep.tls))
          : netConnect({ host: ep.host, port: ep.port });
      const onError = (e: NodeJS.ErrnoException) => {
        socket.destroy();
        reject(new ConnectError(`Could not connect to Redis at ${describe(ep)}: ${errorText(e)}`));
      };
      socket.once('error', onError);
      socket.once(ready, () => {
        socket.off('error', onError);
        resolve(new CliConnection(socket));
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(args: string[]): Promise<Reply> {
    if (this.closed) return Promise.reject(new ConnectionClosedError());
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(encodeCommand(args));
    });
  }

  close(): void {
    this.socket.end();
  }

  private onData(chunk: Buffer): void {
    this.reader.push(chunk);
    for (;;) {
      let reply: Reply | undefined;
      try {
        reply = this.reader.next();
      } catch (e) {
        this.fail(e as Error);
        this.socket.destroy();
        return;
      }
      if (!reply) return;
      // RESP3 pushes never answer a command, even while one is pending.
      const waiter = reply.type === 'push' ? undefined : this.pending.shift();
      if (waiter) waiter.resolve(reply);
      else this.onUnsolicited(reply);
    }
  }

  private fail(e: Error): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.splice(0)) p.reject(e);
    this.onClose();
  }
}

/** hiredis's wording for the usual socket errors (what redis-cli prints). */
function errorText(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'Connection refused';
    case 'ENOENT':
      return 'No such file or directory';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'Name or service not known';
    case 'ETIMEDOUT':
      return 'Connection timed out';
    default:
      return e.message;
  }
}
