/**
 * One client socket. The hot path is `onData`: one native call per read, one
 * socket write for every reply that read produced.
 */
import type { Socket } from 'node:net';

import { Status, STATUS_SHIFT } from '../native';
import type { FerroServer } from './server';

const EMPTY = Buffer.alloc(0);
/** Queued output past this size is written at once rather than at the end of the turn. */
const PENDING_FLUSH_BYTES = 256 * 1024;

export class Connection {
  readonly handle: number;
  private closed = false;
  /** Output from other connections' commands, waiting for the server's flush. */
  private pending: Buffer[] | undefined;
  private pendingBytes = 0;

  constructor(
    private readonly server: FerroServer,
    readonly socket: Socket,
  ) {
    const addr = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    const laddr = `${socket.localAddress ?? '?'}:${socket.localPort ?? 0}`;
    // Node hides the descriptor; Redis's CLIENT LIST `fd` only identifies the socket.
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
    this.handle = server.engine.connect(addr, laddr, fd);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // A slow reader must not grow our memory without bound: stop reading
    // its requests until it has taken the replies already queued.
    socket.on('drain', () => {
      socket.resume();
      server.engine.setUnsent(this.handle, 0);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.onClose());
  }

  private onData(chunk: Buffer): void {
    const server = this.server;
    const engine = server.engine;
    server.reads.noteRead(chunk.length);
    let input: Buffer = chunk;
    for (;;) {
      const slab = server.slab.reserve();
      const result = engine.feed(this.handle, input, slab.buffer, slab.offset);
      const status = Math.floor(result / STATUS_SHIFT);
      if (status & Status.AOF_WRITE) server.aof.afterFeed((status & Status.AOF_SYNC) !== 0);
      const written = result - status * STATUS_SHIFT;
      if (status & Status.OVERFLOW) {
        this.write(engine.takeOutput());
      } else if (written > 0) {
        this.write(slab.buffer.subarray(slab.offset, slab.offset + written));
        server.slab.commit(written, this.socket.writableLength === 0);
      }
      if (status & Status.EVENTS) server.deliverEvents();
      if (status & Status.CLOSE) {
        this.close();
        return;
      }
      if (status & Status.HOST_COMMAND) {
        server.runHostCommand(this);
        if (this.closed) return;
        input = EMPTY;
        continue;
      }
      return;
    }
  }

  /** Runs commands that arrived while this client was blocked (BLPOP …). */
  resumeInput(): void {
    if (!this.closed) this.onData(EMPTY);
  }

  write(data: Buffer): void {
    if (this.closed) return;
    // What other connections sent it first keeps its place before this.
    if (this.pending) this.flushPending();
    this.send(data);
  }

  /**
   * Queues output made by another connection's command (a pub/sub message,
   * a wake-up reply, an invalidation); the server flushes every queue once
   * the current batch of socket reads has run, so a subscriber gets one write
   * for all the publishes of that turn, as Redis writes a client's buffer
   * once per event-loop pass. True when the queue was empty before.
   */
  enqueue(data: Buffer): boolean {
    if (this.closed) return false;
    if (this.server.aof.holding) {
      // Replies of this turn wait for the AOF: this joins them in order.
      this.write(data);
      return false;
    }
    if (this.pending) {
      this.pending.push(data);
      this.pendingBytes += data.length;
      // A flood for one reader goes to its socket as it comes, where the
      // output-buffer limits see it, instead of piling up here.
      if (this.pendingBytes >= PENDING_FLUSH_BYTES) this.flushPending();
      return false;
    }
    this.pending = [data];
    this.pendingBytes = data.length;
    return true;
  }

  /** Writes what `enqueue` held, in order. */
  flushPending(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    this.pendingBytes = 0;
    if (this.closed) return;
    if (pending.length === 1) {
      this.send(pending[0]);
      return;
    }
    this.socket.cork();
    for (const data of pending) this.send(data);
    this.socket.uncork();
  }

  private send(data: Buffer): void {
    if (this.server.aof.holding) {
      this.server.aof.hold(this, data);
      return;
    }
    if (!this.socket.write(data)) this.socket.pause();
    if (this.socket.writableLength > 0) this.checkOutputLimit();
  }

  /** Output is queued: report it (CLIENT LIST omem) and drop the client if it broke its class's limit. */
  checkOutputLimit(): boolean {
    const engine = this.server.engine;
    engine.setUnsent(this.handle, this.unsent);
    return this.server.outputLimits.check(this, engine.clientClass(this.handle));
  }

  /** Bytes written but not yet sent (client-output-buffer-limit). */
  get unsent(): number {
    return this.socket.writableLength;
  }

  get address(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? 0}`;
  }

  /** Drops the connection with whatever output it has not taken. */
  drop(): void {
    this.destroy();
  }

  /** Closes once everything written so far has been sent (QUIT, protocol errors, CLIENT KILL). */
  close(): void {
    if (this.closed) return;
    this.flushPending();
    if (this.server.aof.holding) {
      this.server.aof.holdClose(this);
      return;
    }
    this.closed = true;
    this.socket.end();
    this.socket.resume();
  }

  /** Closes at once, dropping unsent output (server shutdown). */
  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onClose(): void {
    this.closed = true;
    this.server.forget(this);
  }
}
