/**
 * Walks the core's capture of the keyspace on (BGSAVE and BGREWRITEAOF do
 * not fork: the core copies each key to the writing thread before a write
 * changes it, and this walk copies the rest). One step per event-loop
 * turn, after the turn's I/O, so clients are served between steps; while
 * the thread has enough to write, the walk pauses instead of spinning.
 */
import type { NativeEngine } from '../native';

/** How long the walk pauses while the writing thread catches up. */
const WAIT_MS = 1;

export class SnapshotWalk {
  private running = false;

  constructor(private readonly engine: NativeEngine) {}

  /** Starts walking if a capture runs (a no-op while already walking). */
  kick(): void {
    if (this.running) return;
    this.running = true;
    setImmediate(this.step);
  }

  private readonly step = (): void => {
    switch (this.engine.snapshotStep()) {
      case 'more':
        setImmediate(this.step);
        return;
      case 'waiting':
        setTimeout(this.step, WAIT_MS);
        return;
      default:
        this.running = false;
    }
  };
}
