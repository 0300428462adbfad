/**
 * Keeps the buffers of finished socket reads from piling up.
 *
 * Node hands every socket read to JavaScript in a fresh buffer allocated
 * outside V8's heap, and frees it only when a garbage collection finds the
 * Buffer dead. Serving a request allocates next to nothing on V8's heap, so
 * no collection comes for a long time: V8 waits until some 64 MB of such
 * external memory has accumulated. Until then every byte a client sent stays
 * resident; loading a million-entry stream left 33 bytes of dead reads per
 * entry in RSS, more than the stream itself.
 *
 * So after every READ_BUDGET bytes read the server asks for a young-generation
 * collection. The read buffers are all young and dead, and little else is
 * live there, so it costs about a tenth of a millisecond: well under 1% of
 * the CPU even at hundreds of megabytes a second of requests.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Bytes read between two collections: the most dead read buffers ever held. */
export const READ_BUDGET = 1024 * 1024;

/** A garbage collection: young generation by default, or the whole heap. */
type Collect = (kind?: 'minor' | 'major') => void;

/** Looked for once per process: each attempt builds a whole V8 context. */
let cached: { collect: Collect | undefined } | undefined;

export class ReadReclaimer {
  private unreclaimed = 0;
  /** Bytes read since the allocator last gave free pages back. */
  private sinceRelease = 0;
  private readSinceTick = false;

  constructor(
    private readonly collect: Collect | undefined = youngCollector(),
    private readonly budget = READ_BUDGET,
  ) {}

  /** Records `bytes` just read from a socket (and already handed to the engine). */
  noteRead(bytes: number): void {
    this.unreclaimed += bytes;
    this.sinceRelease += bytes;
    this.readSinceTick = true;
    if (this.unreclaimed >= this.budget) {
      this.unreclaimed = 0;
      this.collect?.();
    }
  }

  /**
   * Records `bytes` the core read itself (the native socket path): no read
   * buffers to collect, but a burst still leaves allocator holes to return.
   */
  noteNativeRead(bytes: number): void {
    if (bytes <= 0) return;
    this.sinceRelease += bytes;
    this.readSinceTick = true;
  }

  /**
   * Called on every tick: once a burst of at least the budget is over (a
   * whole tick with no reads), the last read buffers are collected and
   * `release` returns the allocator's free pages, the holes those buffers
   * left between live data, to the system. Idle servers pay nothing.
   */
  onTick(release: () => void): void {
    const idle = !this.readSinceTick;
    this.readSinceTick = false;
    if (!idle || this.sinceRelease < this.budget) return;
    this.sinceRelease = 0;
    this.unreclaimed = 0;
    this.collect?.('major');
    release();
  }
}

/**
 * V8's `gc` function asking for a young-generation collection, or nothing if
 * this runtime does not provide one. Without `--expose-gc` on the command
 * line, the flag is set just long enough to take the function from a fresh
 * context, so no other context (nor the global object) gains a `gc`.
 */
export function youngCollector(): Collect | undefined {
  if (cached === undefined) cached = { collect: findYoungCollector() };
  return cached.collect;
}

function findYoungCollector(): Collect | undefined {
  type Gc = (options?: { type?: 'minor' | 'major' }) => void;
  let gc = (globalThis as { gc?: Gc }).gc;
  if (typeof gc !== 'function') {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as Gc | undefined;
    } catch {
      gc = undefined;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  }
  if (typeof gc !== 'function') return undefined;
  const collect = gc;
  return (kind = 'minor') => collect({ type: kind });
}
