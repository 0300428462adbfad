/**
 * The host's half of the append-only file: one write of the turn's commands
 * per event-loop turn and, under `appendfsync always`, group commit.
 *
 * The core queues every propagated command in its AOF buffer while it runs
 * `feed`. With `always`, no reply may leave before its write is on disk,
 * yet one fdatasync per command (or per connection's read) would cost a
 * disk round trip each. So once a feed leaves commands in the buffer, every
 * socket write of the rest of the turn is held (copied aside in order) and
 * a single `setImmediate` callback — which Node runs after every socket
 * read of the current poll phase — writes (and under `always` fdatasyncs)
 * the buffer once for all connections, then releases the held replies.
 * That is Redis's `beforeSleep` flush: one sync per turn whatever the
 * number of clients or pipelined commands. The alternative, a native
 * flush+sync before each connection's write, syncs once per connection per
 * turn, which under N concurrent clients is N syncs instead of one (SET
 * with 50 clients measured ≈ Redis's rate with this design).
 *
 * Replies are held under `everysec` and `no` too: Redis writes the buffer
 * before it sends any reply of the turn under every policy, so a crash of
 * the process alone never loses an acknowledged write; only the fsync (a
 * Rust thread once a second under `everysec`, the OS under `no`) differs.
 */
import type { Logger } from '../log';
import type { NativeEngine } from '../native';

interface Held {
  write(data: Buffer): void;
  close(): void;
}

export class AofTurn {
  private scheduled = false;
  /** Held replies in order; `null` is a close requested after them (QUIT). */
  private held: [Held, Buffer | null][] = [];
  /** Replies of this turn wait for the flush. */
  holding = false;
  /** …which syncs too (`always`): a failure there is fatal, as in Redis. */
  private syncing = false;

  constructor(
    private readonly engine: NativeEngine,
    private readonly logger: Logger,
    /** Called when a write under `always` failed: Redis exits then. */
    private readonly onFatal: (reason: string) => void,
    /** Sends the replies the core held for this turn (native socket path), before the host's own. */
    private readonly releaseNative: () => void = () => undefined,
  ) {}

  /**
   * After a feed that left commands in the AOF buffer (feed's AOF_WRITE
   * status; `sync` for AOF_SYNC): holds the turn's replies and schedules
   * its flush.
   */
  afterFeed(sync: boolean): void {
    this.holding = true;
    if (sync) this.syncing = true;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flushTurn());
    }
  }

  /** Keeps a reply until the turn's sync is done (the slab region is copied: it will be reused). */
  hold(conn: Held, data: Buffer): void {
    this.held.push([conn, Buffer.from(data)]);
  }

  /** A close asked for while replies are held happens after them. */
  holdClose(conn: Held): void {
    this.held.push([conn, null]);
  }

  private flushTurn(): void {
    this.scheduled = false;
    const error = this.engine.aofFlush();
    const synced = this.syncing;
    this.holding = false;
    this.syncing = false;
    if (error) {
      this.logger.warning(error);
      if (synced) {
        this.held = [];
        this.logger.warning("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
        this.onFatal(error);
        return;
      }
    }
    this.releaseNative();
    const held = this.held;
    this.held = [];
    for (const [conn, data] of held) {
      if (data) conn.write(data);
      else conn.close();
    }
  }
}
