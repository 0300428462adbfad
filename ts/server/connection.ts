/**
 * One client socket. A plain TCP client is read and answered by the core
 * itself (`attachSocket`, see crates/node/src/socket_io.rs) and reaches
 * this class only when the core needs the host: `onNative`. A TLS client,
 * or any client on a platform without the native path, is read here:
 * `onData`, one native call per read and one socket write for the replies.
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
  /** The core reads this socket (and writes replies to it while `direct`). */
  private native = false;
  /** What the core was last told: it may write replies itself (nothing queued here). */
  private direct = true;
  /** A callback waits for the socket's queue to empty. */
  private awaitingFlush = false;
  /** The AOF holds output of this connection's (until the turn's write). */
  private heldByAof = false;

  constructor(
    private readonly server: FerroServer,
    readonly socket: Socket,
    /** The server may hand the reading to the core (a paused plain TCP socket). */
    mayGoNative = false,
  ) {
    const addr = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    const laddr = `${socket.localAddress ?? '?'}:${socket.localPort ?? 0}`;
    // Node hides the descriptor; Redis's CLIENT LIST `fd` only identifies the socket.
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
    this.handle = server.engine.connect(addr, laddr, fd);
    socket.setNoDelay(true);
    this.native = mayGoNative && server.nativeIo && server.engine.attachSocket(this.handle, fd);
    if (!this.native) {
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
      if (mayGoNative) socket.resume();
    }
    // A slow reader must not grow our memory without bound: stop reading
    // its requests until it has taken the replies already queued.
    socket.on('drain', () => {
      this.setReading(true);
      server.engine.setUnsent(this.handle, 0);
      this.refreshDirect();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.onClose());
  }

  private onData(chunk: Buffer): void {
    this.server.reads.noteRead(chunk.length);
    this.run(chunk);
  }

  /**
   * What the core left to the host after reading a native socket: `status`
   * as feed reports it, the replies (if any) waiting in `takeOutput`.
   */
  onNative(status: number): void {
    if (status & Status.PEER_GONE) {
      this.close();
      return;
    }
    const server = this.server;
    if (status & Status.AOF_WRITE) server.aof.afterFeed((status & Status.AOF_SYNC) !== 0);
    if (status & Status.OVERFLOW) this.write(server.engine.takeOutput());
    if (this.afterReplies(status)) this.run(EMPTY);
  }

  /** Feeds `input` and acts on the result, again while host commands leave more to run. */
  private run(input: Buffer): void {
    const server = this.server;
    const engine = server.engine;
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
      if (!this.afterReplies(status)) return;
      input = EMPTY;
    }
  }

  /** Events, a close, a host command: true when the engine has more input to run after it. */
  private afterReplies(status: number): boolean {
    if (status & Status.EVENTS) this.server.deliverEvents();
    if (status & Status.SNAPSHOT) this.server.snapshot.kick();
    if (status & Status.CLOSE) {
      this.close();
      return false;
    }
    if (status & Status.HOST_COMMAND) {
      this.server.runHostCommand(this);
      return !this.closed;
    }
    return false;
  }

  /** Runs commands that arrived while this client was blocked (BLPOP …). */
  resumeInput(): void {
    if (!this.closed) this.run(EMPTY);
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
    // The core must not answer this client before the queue is out.
    this.refreshDirect();
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
    } else {
      this.socket.cork();
      for (const data of pending) this.send(data);
      this.socket.uncork();
    }
    this.refreshDirect();
  }

  private send(data: Buffer): void {
    if (this.server.aof.holding) {
      this.server.aof.hold(this, data);
      // What the core would hold for this turn must come after this.
      this.heldByAof = true;
      this.refreshDirect();
      return;
    }
    this.heldByAof = false;
    if (!this.socket.write(data)) this.setReading(false);
    if (this.socket.writableLength > 0) {
      this.checkOutputLimit();
      if (this.native) this.awaitSent();
    } else {
      this.refreshDirect();
    }
  }

  /** Lets the core write replies again once everything queued here is sent. */
  private awaitSent(): void {
    this.refreshDirect();
    if (this.awaitingFlush) return;
    this.awaitingFlush = true;
    // Called once the writes queued before it are done ('drain' comes only
    // after a write that passed the high-water mark).
    this.socket.write(EMPTY, () => {
      this.awaitingFlush = false;
      if (this.socket.writableLength > 0) this.awaitSent();
      else this.refreshDirect();
    });
  }

  /** Tells the core whether it may write this client's replies itself. */
  private refreshDirect(): void {
    if (!this.native || this.closed) return;
    const direct = !this.pending && !this.heldByAof && this.socket.writableLength === 0;
    if (direct !== this.direct) {
      this.direct = direct;
      this.server.engine.setDirect(this.handle, direct);
    }
  }

  private setReading(reading: boolean): void {
    if (this.closed) return;
    if (this.native) this.server.engine.setReading(this.handle, reading);
    else if (reading) this.socket.resume();
    else this.socket.pause();
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
    this.detach();
    this.socket.end();
    // Read (and drop) what the peer still sends, so its close is seen.
    this.socket.resume();
  }

  /** Closes at once, dropping unsent output (server shutdown). */
  destroy(): void {
    this.closed = true;
    this.detach();
    this.socket.destroy();
  }

  /** The core stops reading this socket (before Node closes it). */
  private detach(): void {
    if (!this.native) return;
    this.native = false;
    this.server.engine.detachSocket(this.handle);
  }

  private onClose(): void {
    this.closed = true;
    this.detach();
    this.server.forget(this);
  }
}
