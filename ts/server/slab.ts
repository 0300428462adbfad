/**
 * The memory the core writes replies into. Returning a fresh Buffer from
 * native code per read costs a copy and an allocation; writing into memory
 * JavaScript already owns does not. A region that a pending socket write may
 * still reference is never reused: when a write did not complete at once the
 * offset moves past it, and a full slab is replaced (the old one lives until
 * its writes finish), as Node's own Buffer pool does.
 */
const SLAB_SIZE = 1024 * 1024;
/** Below this much free space a fresh slab is taken, so most outputs fit. */
const MIN_FREE = 64 * 1024;

export class OutputSlab {
  private buf = Buffer.allocUnsafe(SLAB_SIZE);
  private pos = 0;
  private readonly region = { buffer: this.buf, offset: 0 };

  /** Where the next output goes. */
  reserve(): { buffer: Buffer; offset: number } {
    if (this.buf.length - this.pos < MIN_FREE) {
      this.buf = Buffer.allocUnsafe(SLAB_SIZE);
      this.pos = 0;
    }
    this.region.buffer = this.buf;
    this.region.offset = this.pos;
    return this.region;
  }

  /** Records that `n` bytes at the reserved offset were handed to a socket. */
  commit(n: number, flushed: boolean): void {
    if (!flushed) this.pos += n;
  }
}
