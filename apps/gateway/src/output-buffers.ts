/**
 * Reusable output buffers for large JSON responses. A 1 MB response written into a fresh buffer
 * every time makes V8 run a full garbage collection every few requests (it counts array buffer
 * memory toward its heap limits), and those pauses were most of the gateway's p95 on a session
 * timeline. A buffer is leased for one response and given back once Node has handed the response
 * to the operating system ('finish'); one never given back (the client went away) is just collected.
 */
/** Up to this size a response's buffer is not pooled. */
const smallBytes = 16 * 1024;

export class OutputBuffers {
  private readonly free: Buffer[] = [];
  private readonly leased = new WeakSet<ArrayBuffer>();

  constructor(
    /** Buffers kept for reuse at most. */
    private readonly maxKept = 8,
    /** Larger buffers are not kept: a rare huge response does not pin its memory. */
    private readonly maxKeptBytes = 16 * 1024 * 1024,
  ) {}

  /**
   * A buffer of at least `bytes`, leased until `giveBack`. Small ones come from Node's own slab
   * (cheap, not leased; giveBack ignores them): most responses are a few hundred bytes.
   */
  take(bytes: number): Buffer {
    if (bytes <= smallBytes) return Buffer.allocUnsafe(bytes);
    const index = this.free.findIndex((b) => b.length >= bytes);
    const buffer = index >= 0 ? this.free.splice(index, 1)[0]! : Buffer.allocUnsafeSlow(bytes);
    this.leased.add(buffer.buffer as ArrayBuffer);
    return buffer;
  }

  /** Gives back the buffer under `view` (any view of a leased buffer); anything else is ignored. */
  giveBack(view: Buffer): void {
    const arrayBuffer = view.buffer as ArrayBuffer;
    if (!this.leased.has(arrayBuffer)) return;
    this.leased.delete(arrayBuffer);
    if (arrayBuffer.byteLength > this.maxKeptBytes) return;
    // Smallest first, so `take` finds the smallest that fits; beyond maxKept the smallest goes.
    this.free.push(Buffer.from(arrayBuffer));
    this.free.sort((a, b) => a.length - b.length);
    if (this.free.length > this.maxKept) this.free.shift();
  }
}

/** The gateway's pool: JSON responses are written into its buffers and given back when sent. */
export const outputBuffers = new OutputBuffers();
